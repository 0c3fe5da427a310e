/**
 * A consumer project as strict as TypeScript allows (`exactOptionalPropertyTypes`,
 * `noUncheckedIndexedAccess`, `skipLibCheck: false`) type-checks against core's published
 * declarations: nothing in them (xstate's types included) fails under its settings.
 */

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../../..');
const fixture = join(import.meta.dirname, '../fixtures/strict-consumer');
const tsc = join(root, 'node_modules/.bin/tsc');

beforeAll(() => {
  // the fixture reads dist, as a consumer does (turbo skips the build when it is current)
  execFileSync('npx', ['turbo', 'run', 'build', '--filter=@xinfang/core', '--output-logs=errors-only'], {
    cwd: root,
    stdio: 'pipe',
  });
}, 600_000);

it('type-checks a strict consumer against dist, without skipLibCheck', () => {
  let out = '';
  try {
    out = execFileSync(tsc, ['-p', fixture, '--listFiles'], { encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    const failed = e as { stdout?: string };
    expect.fail(`tsc failed on the strict consumer:\n${failed.stdout ?? String(e)}`);
  }
  const files = out.split('\n');
  // the published declarations were read, not core's sources
  expect(files.some((f) => f.endsWith('packages/core/dist/index.d.ts'))).toBe(true);
  expect(files.filter((f) => f.includes('packages/core/src/'))).toEqual([]);
});
