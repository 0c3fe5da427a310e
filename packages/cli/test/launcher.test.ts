/**
 * The committed launcher that `npm ci` links as `xinfang`: it runs the built CLI, and before the
 * first build it says what to run instead of failing on a missing module.
 */

import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const cli = join(import.meta.dirname, '..');
const launcher = join(cli, 'bin/xinfang.js');
const scratch = mkdtempSync(join(tmpdir(), 'xinfang-launcher-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it('is the package bin, a file that exists before any build', () => {
  const manifest = JSON.parse(readFileSync(join(cli, 'package.json'), 'utf8'));
  expect(manifest.bin).toEqual({ xinfang: './bin/xinfang.js' });
  expect(manifest.files).toContain('bin');
});

it('says to run npm run build when dist is missing, and exits 1', () => {
  mkdirSync(join(scratch, 'bin'));
  cpSync(launcher, join(scratch, 'bin/xinfang.js'));
  const run = spawnSync(process.execPath, [join(scratch, 'bin/xinfang.js'), '--help'], { encoding: 'utf8' });
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(/npm run build/);
  expect(run.stdout).toBe('');
});
