import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bufferIo, runCli } from '../src/index.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'xinfang-rules-'));

function write(name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

const petition = {
  channel: 'visit',
  receivedAt: '2026-03-09',
  receivingUnit: 'county-bureau',
  petitioner: {
    name: '张三',
    idNumber: '11010519491231002X',
    phone: '13800000000',
    address: '示范县人民路 1 号',
  },
  group: { size: 30, representatives: 8 },
  subject: 'labour',
  summary: '工程款纠纷已起诉。',
  request: '督促法院尽快审理',
  involvesLitigation: true,
};

async function rules(args: string[]) {
  const io = bufferIo(root);
  const code = await runCli(['rules', 'configs/national.yaml', ...args], io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe('xinfang rules', () => {
  it('prints each submit-time decision with the rule, its basis and each condition with its value', async () => {
    const r = await rules([write('p.json', petition), '--now', '2026-03-10T02:00:00Z']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('classification (first): {"kind":"appeal","route":"litigation"}');
    expect(r.out).toContain('rule route-litigation');
    expect(r.out).toContain('[reg-2022 art. 31 (1)]');
    expect(r.out).toContain('✓ petition $.involvesLitigation equal true  (value: true)');
    expect(r.out).toContain('routing (first): {"unit":"city-political-legal","mode":"transfer"}');
    expect(r.out).toContain(
      'acceptance (collect): {"accepted":true,"noticeOwed":true,"requirement":"choose-representatives","maxRepresentatives":5}',
    );
    expect(r.out).toContain('rule group-representatives');
    expect(r.out).toContain('✓ groupRepresentatives greaterThan 5  (value: 8)');
  });

  it('--json gives the decisions for machines', async () => {
    const r = await rules([write('p.json', petition), '--json', '--now', '2026-03-10T02:00:00Z']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as Record<string, { outcome: unknown; fired: { ruleId: string }[] }>;
    expect(Object.keys(out)).toEqual(['classification', 'routing', 'acceptance']);
    expect(out.classification?.outcome).toEqual({ kind: 'appeal', route: 'litigation' });
    expect(out.acceptance?.fired.map((f) => f.ruleId)).toEqual(['group-representatives']);
  });

  it('--prior takes earlier cases: a repeat after termination is not accepted again', async () => {
    const prior = [
      {
        caseId: 'XF-2025-000001',
        jurisdictionId: 'cn.national',
        configVersion: '2022.1',
        configHash: 'h',
        version: 9,
        state: 'terminated',
        stage: 'terminated',
        colour: 'blue',
        redReasons: [],
        violations: [],
        responsibleUnit: 'county-hrss',
        createdAt: '2025-05-01T02:00:00Z',
        updatedAt: '2025-09-01T02:00:00Z',
        headHash: 'x',
        data: { petition },
      },
    ];
    const r = await rules([
      write('p.json', petition),
      '--prior',
      write('prior.json', prior),
      '--now',
      '2026-03-10T02:00:00Z',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('"accepted":false');
    expect(r.out).toContain('rule repeat-after-termination');
    expect(r.out).toContain('[reg-2022 art. 36]');
  });

  it('refuses a petition file that is not JSON, and a bad --now', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ nope');
    expect((await rules([bad])).code).toBe(2);
    const r = await rules([write('p.json', petition), '--now', 'yesterday']);
    expect(r).toMatchObject({ code: 2 });
    expect(r.err).toContain('--now');
  });
});
