/**
 * The import rules fail the suite with the rule's name. The real tree is checked by `npm test`
 * (`npm run deps`); here a small tree of the same shape breaks one rule at a time, so a rule that
 * stopped matching (a renamed folder, a bad pattern) is noticed.
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'xinfang-layers-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string>): string {
  const dir = join(work, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext' } }));
  return dir;
}

function cruise(dir: string): { status: number | null; out: string } {
  const r = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
      'packages',
      '--config',
      join(root, '.dependency-cruiser.cjs'),
      '--output-type',
      'err',
    ],
    { cwd: dir, encoding: 'utf8' },
  );
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('import rules', () => {
  it('pass a tree that keeps the layers', () => {
    const dir = tree('lawful', {
      'packages/core/src/base/json.ts': 'export const a = 1;\n',
      'packages/core/src/calendar/zone.ts': "import { a } from '../base/json.js';\nexport const b = a;\n",
      'packages/core/src/engine/send.ts': "import { b } from '../calendar/zone.js';\nexport const c = b;\n",
    });
    expect(cruise(dir)).toMatchObject({ status: 0 });
  });

  it.each([
    [
      'core-layer-calendar',
      'packages/core/src/calendar/zone.ts',
      "import { c } from '../engine/send.js';\nexport const b = c;\n",
    ],
    [
      'core-sibling-rules',
      'packages/core/src/rules/facts.ts',
      "import { d } from '../documents/issue.js';\nexport const r = d;\n",
    ],
    [
      'core-depends-on-no-package-of-ours',
      'packages/core/src/engine/x.ts',
      "import { s } from '../../../storage-sqlite/src/store.js';\nexport const x = s;\n",
    ],
    [
      'adapters-independent',
      'packages/storage-sqlite/src/y.ts',
      "import { p } from '../../storage-postgres/src/store.js';\nexport const y = p;\n",
    ],
  ])('fail a forbidden import with the rule %s', (rule, path, text) => {
    const dir = tree(rule, {
      'packages/core/src/base/json.ts': 'export const a = 1;\n',
      'packages/core/src/engine/send.ts': 'export const c = 1;\n',
      'packages/core/src/documents/issue.ts': 'export const d = 1;\n',
      'packages/storage-sqlite/src/store.ts': 'export const s = 1;\n',
      'packages/storage-postgres/src/store.ts': 'export const p = 1;\n',
      [path]: text,
    });
    const { status, out } = cruise(dir);
    expect(status).not.toBe(0);
    expect(out).toContain(`error ${rule}:`);
  });

  it('fail an import cycle', () => {
    const dir = tree('cycle', {
      'packages/core/src/engine/a.ts': "import { b } from './b.js';\nexport const a = b;\n",
      'packages/core/src/engine/b.ts': "import { a } from './a.js';\nexport const b = a;\n",
    });
    const { status, out } = cruise(dir);
    expect(status).not.toBe(0);
    expect(out).toContain('error no-circular:');
  });
});
