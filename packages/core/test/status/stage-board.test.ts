/**
 * The stage board over the national baseline (no form sections): cases counted by stage and
 * colour from the store's query, read a page at a time, and each red case with what it owes in
 * words and its due date, worked by hand on the calendar.
 */

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type CaseQuery,
  createEngine,
  createMemoryStore,
  ephemeralIdentityKeys,
  loadCalendarDir,
  loadConfigOrThrow,
  ManualClock,
  stageBoard,
} from '../../src/index.js';

const root = join(import.meta.dirname, '../../../..');
const national = loadConfigOrThrow(join(root, 'configs/national.yaml')).value;
const calendars = loadCalendarDir(join(root, 'configs/calendars'));

const registrar = { id: 'reg-1', role: 'registrar', unit: 'county-hrss' };
const acceptor = { id: 'acc-1', role: 'acceptor', unit: 'county-hrss' };
const petition = (n: number) => ({
  channel: 'letter',
  receivedAt: '2026-03-02',
  receivingUnit: 'county-hrss',
  petitioner: {
    name: `申请人${n}`,
    idNumber: '11010119900101123X',
    phone: '13800000000',
    address: '示范县人民路 1 号',
  },
  subject: 'labour',
  summary: `单位拖欠工资 ${n}`,
  request: '支付拖欠工资',
  respondentUnit: 'county-hrss',
});

async function threeCases() {
  const clock = new ManualClock('2026-03-02T09:00:00+08:00'); // a Monday
  const store = createMemoryStore();
  const engine = createEngine({
    configs: [national],
    calendars,
    clock,
    store,
    identityKeys: ephemeralIdentityKeys(),
  });
  const ids: string[] = [];
  for (const n of [1, 2, 3])
    ids.push((await engine.submit(petition(n), registrar, { petitionerId: `p-${n}` })).caseId);
  // two accepted on 03-02: handling is 60 days, 03-02 + 60 = 05-01, Labour Day (05-01..05-05
  // off), so due Wednesday 05-06 (Reg. 34)
  await engine.send(ids[0]!, { type: 'ACCEPT' }, acceptor);
  await engine.send(ids[1]!, { type: 'ACCEPT' }, acceptor);
  clock.set('2026-03-10T09:00:00+08:00');
  await engine.send(ids[2]!, { type: 'ACCEPT' }, acceptor);
  // on 05-07 the two accepted on 03-02 are late; the third (03-10 + 60 = 05-09, a Saturday made
  // a working day) is not
  clock.set('2026-05-07T09:00:00+08:00');
  await engine.tick();
  return { store, ids };
}

describe('stageBoard', () => {
  it('counts every case by stage and colour, reading the store a page at a time', async () => {
    const { store, ids } = await threeCases();
    const queries: CaseQuery[] = [];
    const counting = {
      deadlines: store.deadlines.bind(store),
      query: (q: CaseQuery) => {
        queries.push(q);
        return store.query(q);
      },
    };
    const board = await stageBoard(counting, national, { pageSize: 2 });
    expect(board.cases).toBe(3);
    expect(board.byColour).toEqual({ green: 1, blue: 0, red: 2 });
    expect(board.stages.find((s) => s.stage === 'handling')?.counts).toEqual({ green: 1, blue: 0, red: 2 });
    expect(board.stages.find((s) => s.stage === 'registration')?.counts).toEqual({
      green: 0,
      blue: 0,
      red: 0,
    });
    // pages of 2: the first, then one after its last case id
    expect(queries.map((q) => [q.limit, q.after])).toEqual([
      [2, undefined],
      [2, [...ids].sort()[1]],
    ]);
    expect(board.red.map((r) => r.caseId).sort()).toEqual([ids[0], ids[1]].sort());
  });

  it('says what a red case owes in words with the due date, never a placeholder', async () => {
    const { store, ids } = await threeCases();
    const board = await stageBoard(store, national);
    const late = board.red.find((r) => r.caseId === ids[0]);
    expect(late?.owes.map((o) => [o.deadline, o.dueDate])).toEqual([['handling', '2026-05-06']]);
    expect(late?.owes[0]?.documents).toContain('信访处理意见书');
    expect(late?.owes[0]?.text).toMatch(/^.*信访处理意见书.*, due 2026-05-06$/);
  });

  it('narrows to a query: another jurisdiction has no cases', async () => {
    const { store } = await threeCases();
    const board = await stageBoard(store, national, { query: { jurisdictionId: 'nowhere' } });
    expect([board.cases, board.red]).toEqual([0, []]);
  });
});
