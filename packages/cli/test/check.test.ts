import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bufferIo, runCli } from '../src/index.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixtures = 'packages/testing/test/fixtures/noncompliant';

async function check(args: string[]) {
  const io = bufferIo(root);
  const code = await runCli(['check', ...args], io);
  return { code, out: io.stdout(), err: io.stderr(), lines: io.stdout().trimEnd().split('\n') };
}

describe('xinfang check', () => {
  it('prints every invariant with its article and PASS for the national baseline, exit 0', async () => {
    const r = await check(['configs/national.yaml', '--runs', '40']);
    expect(r.err).toBe('');
    expect(r.lines[0]).toBe('xinfang check configs/national.yaml: cn.national, 40 runs, seed 20220501');
    const verdicts = r.lines.filter((l) => /^(PASS|FAIL) {2}/.test(l));
    expect(verdicts.length).toBeGreaterThanOrEqual(15);
    expect(verdicts.every((l) => l.startsWith('PASS'))).toBe(true);
    expect(r.out).toMatch(/^PASS {2}handling-in-time {2}\[reg-2022 art\. 34\]$/m);
    expect(r.out).toMatch(/^PASS {2}accusation-kept-from-accused {2}\[reg-2022 art\. 30\]$/m);
    // the structural runs: every back edge taken twice, and what they could not take listed
    expect(r.out).toMatch(/^structural runs took \d+ of \d+ transitions and (\d+) of \1 back edges twice$/m);
    expect(r.lines.at(-1)).toMatch(/^\d+ passed, 0 failed in [\d.]+ s$/);
    expect(r.code).toBe(0);
  });

  it('fails a non-compliant config, prints the counterexample as a timeline and how to reproduce it, exit 1', async () => {
    const r = await check([
      `${fixtures}/handling-90-days.yaml`,
      '--runs',
      '200',
      '--only',
      'handling-in-time',
      // the random runs alone: their counterexample is shrunk (a structural one is not)
      '--no-structural',
    ]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^FAIL {2}handling-in-time {2}\[reg-2022 art\. 34\]$/m);
    expect(r.out).toMatch(/counterexample: run \d+, shrunk \d+ times/);
    expect(r.out).toMatch(/SUBMIT -> XF-\d{4}-\d{6} registered/);
    expect(r.out).toMatch(/ACCEPT {2}\S+ -> accepted/);
    expect(r.out).toMatch(/handling opened .* past the statutory 60(\+\d+)? days/);
    expect(r.out).toMatch(
      /reproduce: xinfang check packages\/testing\/test\/fixtures\/noncompliant\/handling-90-days\.yaml --runs 200 --seed 20220501 --max-steps 30 --no-structural --only handling-in-time/,
    );
    // the loader's own restriction is reported as a failure too, not hidden
    expect(r.out).toMatch(/^FAIL {2}baseline-restrictions/m);
    expect(r.out).toMatch(/CONFIG_LENGTHENED_DEADLINE/);
  });

  it('refuses bad arguments with exit 2 and an unknown invariant by name', async () => {
    expect((await check(['configs/national.yaml', '--runs', '0'])).code).toBe(2);
    expect((await check(['configs/national.yaml', '--seed', 'x'])).code).toBe(2);
    // a run count that would never end is refused, not started
    const huge = await check(['configs/national.yaml', '--runs', '99999999999999999999']);
    expect(huge.code).toBe(2);
    expect(huge.err).toMatch(/--runs must be a whole number from 1 to 1,000,000/);
    const r = await check(['configs/national.yaml', '--runs', '1', '--only', 'no-such-invariant']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown invariant\(s\) no-such-invariant/);
  });

  it('reports a config that does not load, exit 1', async () => {
    const r = await check(['packages/core/test/fixtures/broken/remove-not-true.yaml']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/remove-not-true\.yaml:\d+:\d+/);
  });
});
