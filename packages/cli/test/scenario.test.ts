import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bufferIo, runCli } from '../src/index.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const national = 'configs/scenarios/national';
const files = readdirSync(join(root, national))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => `${national}/${f}`);

async function scenario(args: string[], cwd = root) {
  const io = bufferIo(cwd);
  const code = await runCli(['scenario', ...args], io);
  return { code, out: io.stdout(), err: io.stderr(), lines: io.stdout().trimEnd().split('\n') };
}

describe('xinfang scenario', () => {
  it('runs every national scenario and passes', async () => {
    const r = await scenario(['configs/national.yaml', ...files]);
    expect(r.err).toBe('');
    expect(r.lines.at(-1)).toBe(`${files.length} passed, 0 failed`);
    expect(r.lines.filter((l) => l.startsWith('PASS '))).toHaveLength(files.length);
    expect(r.code).toBe(0);
  });

  it('prints file:line step N: message for a failed expectation and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xinfang-scenario-'));
    const good = readFileSync(join(root, national, 'extension.yaml'), 'utf8');
    // the extended handling deadline is 2026-11-02; claim 11-07 instead
    const broken = good.replace(
      'handling: { due: 2026-11-02, status: running, periods: 1 }',
      'handling: { due: 2026-11-07 }',
    );
    expect(broken).not.toBe(good);
    writeFileSync(join(dir, 'broken.yaml'), broken);
    const line = broken.split('\n').findIndex((l) => l.includes('due: 2026-11-07')) + 1;
    const r = await scenario(
      [join(root, 'configs/national.yaml'), 'broken.yaml', join(root, national, 'designate.yaml')],
      dir,
    );
    expect(r.code).toBe(1);
    expect(r.out).toContain('FAIL broken.yaml  延长办理期限（一次，负责人批准） (XF-2026-000001)\n');
    expect(r.out).toContain(
      `  broken.yaml:${line} step 7: handling is due 2026-11-02, expected 2026-11-07\n`,
    );
    expect(r.lines.at(-1)).toBe('1 passed, 1 failed');
  });

  it('reports a malformed or missing scenario file with its position and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xinfang-scenario-'));
    writeFileSync(
      join(dir, 'bad.yaml'),
      'name: bad\nstart: 2026-03-02T09:00:00+08:00\nactors: {}\npetition: {}\nsteps:\n  - sned: ACCEPT\n',
    );
    const r = await scenario([join(root, 'configs/national.yaml'), 'bad.yaml', 'gone.yaml'], dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('INVALID bad.yaml');
    expect(r.err).toMatch(/^bad\.yaml:6:\d+ /m);
    expect(r.err).toMatch(/^gone\.yaml:1:1 CONFIG_FILE_NOT_FOUND/m);
    expect(r.lines.at(-1)).toBe('0 passed, 0 failed, 2 invalid');
  });

  it('prints JSON with the transitions each scenario took', async () => {
    const r = await scenario([
      'configs/national.yaml',
      `${national}/withdraw-after-objection.yaml`,
      '--json',
    ]);
    expect(r.code).toBe(0);
    const [result] = JSON.parse(r.out) as { passed: boolean; transitions: { event: string }[] }[];
    expect(result?.passed).toBe(true);
    expect(result?.transitions.map((t) => t.event)).toEqual(['TRANSFER', 'OBJECT', 'WITHDRAW']);
  });
});

describe('xinfang scenario renders documents', () => {
  it('fails a scenario at the step whose document cannot be rendered', async () => {
    // a config whose transfer notice names the acceptance date, which a transfer does not have
    const config = 'packages/testing/test/fixtures/noncompliant/transfer-notice-unrenderable.yaml';
    const r = await scenario([config, `${national}/divert-administrative-after-transfer.yaml`]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/TRANSFER .*TEMPLATE_RENDER.*undefined variable: case\.acceptedAt/);
  });
});
