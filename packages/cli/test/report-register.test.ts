/**
 * `xinfang report <db> --register <caseId>`: a Shaanxi case run by the engine into a SQLite
 * file, and its register printed from the file under the config the store keeps for the case:
 * the values its events recorded, per section, as a table, JSON and CSV. `--sections`: the
 * three-colour board by section over the store, with the register fields filled in each.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type CaseRegister,
  createDocumentIssuer,
  createEngine,
  ephemeralIdentityKeys,
  loadCalendarDir,
  loadConfigOrThrow,
  ManualClock,
} from '@xinfang/core';
import { createSqliteStore } from '@xinfang/storage-sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIo, runCli } from '../src/index.js';

const root = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'xinfang-register-'));
const db = join(dir, 'cases.sqlite');
let caseId: string;

beforeAll(async () => {
  const calendars = loadCalendarDir(resolve(root, 'configs/calendars'));
  const loaded = loadConfigOrThrow(resolve(root, 'configs/provinces/shaanxi/shaanxi.yaml'), { calendars });
  const store = createSqliteStore({ path: db });
  const clock = new ManualClock('2025-03-03T09:00:00+08:00');
  const engine = createEngine({
    configs: [loaded.value],
    store,
    clock,
    calendars,
    documents: createDocumentIssuer({ store, templates: loaded.templates }),
    identityKeys: ephemeralIdentityKeys('register-test'),
  });
  ({ caseId } = await engine.submit(
    {
      channel: 'letter',
      receivedAt: '2025-03-03',
      receivingUnit: 'ca-bureau',
      petitioner: { name: '刘建军', phone: '13700000001', address: '西安市长安区韦曲街道' },
      subject: 'labour',
      summary: '所在物业公司拖欠工资三个月',
      request: '支付拖欠工资',
      respondentUnit: 'ca-hrss',
    },
    { id: 'ca-reg-1', role: 'registrar', unit: 'ca-bureau' },
    { petitionerId: 'sn-p-1' },
  ));
  await engine.send(
    caseId,
    { type: 'TRANSFER', payload: { unit: 'ca-hrss' } },
    { id: 'ca-acc-1', role: 'acceptor', unit: 'ca-bureau' },
  );
  clock.set(new Date('2025-03-05T10:00:00+08:00'));
  await engine.send(caseId, { type: 'ACCEPT' }, { id: 'ca-acc-2', role: 'acceptor', unit: 'ca-hrss' });
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function report(...args: string[]) {
  const io = bufferIo(root);
  const code = await runCli(['report', ...args], io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe('xinfang report --register', () => {
  it('prints the JSON register of the case, filled from its events', async () => {
    const r = await report(db, '--register', caseId, '--format', 'json');
    expect([r.code, r.err]).toEqual([0, '']);
    const register = JSON.parse(r.out) as CaseRegister;
    expect(register.caseId).toBe(caseId);
    expect(register.sections.map((s) => s.name)).toEqual([
      '登记',
      '受理',
      '办理',
      '程序终结',
      '秩序维护',
      '监督追责',
      '质量评价',
    ]);
    expect(register.total).toBe(113);
    const acceptance = register.sections[1];
    const value = (id: string) => acceptance?.fields.find((f) => f.id === id);
    expect(value('acceptedOn')?.value).toBe('2025-03-05');
    expect(value('acceptingUnit')?.text).toBe('西安市长安区人力资源和社会保障局');
    expect(value('acceptanceNoticeNo')?.value).toBe('长人社〔2025〕1号');
    expect(register.sections.find((s) => s.section === 'evaluation')?.filled).toBe(0);
  });

  it('prints each section with its count filled, and the values in words', async () => {
    const r = await report(db, '--register', caseId);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^register of XF-2025-000001: \d+ of 113 fields filled/);
    expect(r.out).toMatch(/not an official form/);
    expect(r.out).toMatch(/受理 \(acceptance\): \d+\/17/);
    expect(r.out).toMatch(/\*受理日期\s+acceptedOn\s+date\s+2025-03-05/);
    expect(r.out).toMatch(/\*受理告知书文号\s+acceptanceNoticeNo\s+docNumber\s+长人社〔2025〕1号/);
    expect(r.out).toMatch(/\*信访人评价\s+rating\s+rating\s+-/);
  });

  it('prints CSV, one row per field', async () => {
    const r = await report(db, '--register', caseId, '--format', 'csv');
    const lines = r.out.trimEnd().split('\r\n');
    expect(lines[0]).toBe('section,field,name,type,value,text');
    expect(lines).toHaveLength(114);
    expect(lines).toContain(
      'registration,transferredTo,转送/交办机关,unit,ca-hrss,西安市长安区人力资源和社会保障局',
    );
  });

  it('refuses a case the store does not have, and two reports at once', async () => {
    const r = await report(db, '--register', 'XF-2025-999999');
    expect([r.code, r.err]).toEqual([2, expect.stringMatching(/CLI_USAGE: no case "XF-2025-999999"/)]);
    const both = await report(db, '--register', caseId, '--annual');
    expect([both.code, both.err]).toEqual([2, expect.stringMatching(/ask for one at a time/)]);
  });

  it('prints the board by section with the fields filled, from the same registers', async () => {
    const r = await report(db, '--sections', '--format', 'json');
    expect([r.code, r.err]).toEqual([0, '']);
    const [board] = JSON.parse(r.out) as {
      jurisdiction: string;
      cases: number;
      board: { columns: { section: string; counts: Record<string, number>; fields: { filled: number } }[] };
    }[];
    expect(board?.jurisdiction).toBe('cn.shaanxi');
    expect(board?.cases).toBe(1);
    const one = JSON.parse((await report(db, '--register', caseId, '--format', 'json')).out) as CaseRegister;
    expect(board?.board.columns.map((c) => [c.section, c.fields])).toEqual(
      one.sections.map((s) => [s.section, { filled: s.filled, total: s.total }]),
    );
    // accepted: in handling, within its periods
    expect(board?.board.columns.find((c) => c.section === 'handling')?.counts).toEqual({
      green: 1,
      blue: 0,
      red: 0,
    });
    const table = await report(db, '--sections');
    expect(table.out).toMatch(/^信访事项办理流程登记表（红绿蓝三色管理） \(cn\.shaanxi\): 1 cases/);
    expect(table.out).toMatch(/办理\s+handling\s+1\s+0\s+0\s+\d+\/28/);
  });
});
