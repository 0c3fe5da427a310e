/**
 * `xinfang check <old> --plan plan.yaml --to <new>`: the plan's runs move each case at a drawn
 * step and drive it on under the new version. The plans are the fixtures of
 * packages/testing/test/fixtures/migration, under a header naming the two versions' hashes.
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferIo, runCli } from '../src/index.js';
import { national, root, V2, v2 } from './migrate-cases.js';

const dir = mkdtempSync(join(tmpdir(), 'xinfang-check-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A plan fixture written under its header to a file of its own. */
function planFile(name: string): string {
  const body = readFileSync(join(root, 'packages/testing/test/fixtures/migration', `${name}.yaml`), 'utf8');
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `migration: ${name}\nfrom: "${national.hash}"\nto: "${v2.hash}"\n${body}`);
  return file;
}

async function check(args: string[]) {
  const io = bufferIo(root);
  const code = await runCli(['check', 'configs/national.yaml', ...args], io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe('xinfang check --plan', () => {
  it('passes the lawful plan national -> national-v2, exit 0', async () => {
    const plan = planFile('lawful-v2');
    const r = await check(['--plan', plan, '--to', V2, '--runs', '8']);
    expect(r.err).toBe('');
    expect(r.out).toContain(
      `each run moved by plan lawful-v2 (${plan}) to version 2022.1-local (${V2}) at a drawn step`,
    );
    expect(r.out).toMatch(/^PASS {2}handling-in-time {2}\[reg-2022 art\. 34\]$/m);
    expect(r.out).not.toMatch(/^FAIL/m);
    // no structural runs with a plan: they are each version's own
    expect(r.out).not.toMatch(/^structural runs/m);
    expect(r.code).toBe(0);
  });

  it('fails a plan that closes cases being handled, with the move in the timeline, exit 1', async () => {
    const plan = planFile('close-handling');
    const r = await check(['--plan', plan, '--to', V2, '--runs', '200', '--only', 'end-state-documented']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^FAIL {2}end-state-documented/m);
    expect(r.out).toMatch(
      /redeploy +MIGRATE by plan close-handling\n +moved XF-\d{4}-\d{6}: accepted -> closed/,
    );
    expect(r.out).toMatch(/ended in closed \(closed\) and no document went to the petitioner/);
    expect(r.out).toContain(
      `reproduce: xinfang check configs/national.yaml --plan ${plan} --to ${V2} --runs 200 --seed 20220501`,
    );
  });

  it('refuses --plan without --to (and --to without --plan), exit 2', async () => {
    const alone = await check(['--plan', planFile('lawful-v2')]);
    expect(alone.code).toBe(2);
    expect(alone.err).toMatch(/--plan needs --to <config>/);
    expect((await check(['--to', V2])).code).toBe(2);
  });

  it('refuses a plan whose versions are not the configs given, at its line, exit 1', async () => {
    // the plan moves national -> v2; checked against national -> national it names the wrong `to`
    const r = await check(['--plan', planFile('lawful-v2'), '--to', 'configs/national.yaml', '--runs', '1']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/lawful-v2\.yaml:3:\d+ PLAN_CONFIG_MISMATCH `to` is /);
  });
});
