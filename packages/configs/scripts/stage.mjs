// The configs live once in git, in the repository's configs/ folder; this package holds symbolic
// links to them, so `@xinfang/configs/national.yaml` resolves in the monorepo to the very file
// everyone edits. npm pack leaves symbolic links out, so `prepack` replaces each link with a copy
// of what it points to (`copy`) and `postpack` puts the links back (`link`).
import { cpSync, lstatSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

const here = join(import.meta.dirname, '..');
export const ENTRIES = ['national.yaml', 'calendars', 'templates', 'provinces', 'scenarios'];
const target = (entry) => join('..', '..', 'configs', entry);

function kind(path) {
  try {
    return lstatSync(path).isSymbolicLink() ? 'link' : 'copy';
  } catch {
    return 'none';
  }
}

/** Replaces each link by a copy of its target (a copy already in place is left). */
export function copy(dir = here) {
  for (const entry of ENTRIES) {
    const path = join(dir, entry);
    if (kind(path) !== 'link') continue;
    rmSync(path);
    cpSync(join(here, target(entry)), path, { recursive: true, dereference: true });
  }
}

/** Puts the links back where `copy` left copies. */
function link() {
  for (const entry of ENTRIES) {
    const path = join(here, entry);
    const found = kind(path);
    if (found === 'link') continue;
    if (found === 'copy') rmSync(path, { recursive: true });
    symlinkSync(target(entry), path);
  }
}

const mode = process.argv[2];
if (mode === 'copy') copy();
else if (mode === 'link') link();
else if (mode !== undefined) {
  process.stderr.write('usage: node scripts/stage.mjs copy|link\n');
  process.exitCode = 2;
}
