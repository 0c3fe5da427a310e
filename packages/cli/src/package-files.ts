import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/**
 * A path the user typed: a scoped package's file (`@xinfang/configs/national.yaml`) is the file
 * in that package as installed beside `cwd`, as `node` would resolve an import there, else as
 * installed beside the command itself (`installedAt`, a file of the running CLI): a command
 * installed with `npm install -g` or run by `npx` finds the configs it ships with from any
 * folder. Anything else (or a package found in neither place) is a path relative to `cwd`.
 */
export function resolveUserPath(cwd: string, path: string, installedAt?: string): string {
  const plain = resolve(cwd, path);
  if (!path.startsWith('@') || existsSync(plain)) return plain;
  const parts = path.split('/');
  if (parts.length < 2 || !parts[0] || !parts[1]) return plain;
  const bases = [join(resolve(cwd), 'package.json'), ...(installedAt ? [installedAt] : [])];
  for (const base of bases) {
    try {
      const manifest = createRequire(base).resolve(`${parts[0]}/${parts[1]}/package.json`);
      return join(dirname(manifest), ...parts.slice(2));
    } catch {
      // not installed there: try the next place
    }
  }
  return plain;
}
