/**
 * The stage board over the national baseline (no form sections): the cases a viewer may read,
 * counted by stage, unit and colour through the engine's scoped query a page at a time, and
 * each red case with what it owes in words and its due date, worked by hand on the calendar.
 */

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type ActorRef,
  type CaseStore,
  createEngine,
  createMemoryStore,
  ephemeralIdentityKeys,
  loadCalendarDir,
  loadConfigOrThrow,
  ManualClock,
  stageBoard,
  stageBoardPage,
} from '../../src/index.js';

const root = join(import.meta.dirname, '../../../..');
const national = loadConfigOrThrow(join(root, 'configs/national.yaml')).value;
const calendars = loadCalendarDir(join(root, 'configs/calendars'));

const registrar = { id: 'reg-1', role: 'registrar', unit: 'county-hrss' };
const acceptor = { id: 'acc-1', role: 'acceptor', unit: 'county-hrss' };
const hrss = { id: 'han-1', role: 'handler', unit: 'county-hrss' };
const petition = (n: number, overrides: Record<string, unknown> = {}) => ({
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
  ...overrides,
});

/** A memory store that counts the reads made through it, by method. */
function counted() {
  const store = createMemoryStore();
  const calls: Record<string, number> = {};
  const watched = new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls[String(name)] = (calls[String(name)] ?? 0) + 1;
        return value.apply(target, args);
      };
    },
  }) as CaseStore;
  return { store: watched, calls };
}

async function engineOn(store: CaseStore) {
  const clock = new ManualClock('2026-03-02T09:00:00+08:00'); // a Monday
  const engine = createEngine({
    configs: [national],
    calendars,
    clock,
    store,
    identityKeys: ephemeralIdentityKeys(),
  });
  return { engine, clock };
}

async function threeCases() {
  const { store, calls } = counted();
  const { engine, clock } = await engineOn(store);
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
  return { engine, ids, calls };
}

describe('stageBoard', () => {
  it('counts the viewer’s cases by stage, unit and colour, one store query a page, no read per case', async () => {
    const { engine, ids, calls } = await threeCases();
    for (const k of Object.keys(calls)) delete calls[k];
    const board = await stageBoard(engine, national, { viewer: hrss, pageSize: 2 });
    expect(board.cases).toBe(3);
    expect(board.byColour).toEqual({ green: 1, blue: 0, red: 2 });
    expect(board.stages.find((s) => s.stage === 'handling')?.counts).toEqual({ green: 1, blue: 0, red: 2 });
    expect(board.stages.find((s) => s.stage === 'registration')?.counts).toEqual({
      green: 0,
      blue: 0,
      red: 0,
    });
    expect(board.units).toEqual([
      {
        unit: 'county-hrss',
        name: national.units['county-hrss']?.name,
        counts: { green: 1, blue: 0, red: 2 },
      },
    ]);
    expect(board.red.map((r) => r.caseId).sort()).toEqual([ids[0], ids[1]].sort());
    // pages of 2 over 3 cases: two pages, each one store query; nothing read case by case
    expect(board.pages).toBe(2);
    expect(calls.query).toBe(2);
    expect([calls.deadlines, calls.events, calls.getCase, calls.outbox]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('says what a red case owes in words with the due date, never a placeholder', async () => {
    const { engine, ids } = await threeCases();
    const board = await stageBoard(engine, national, { viewer: hrss });
    const late = board.red.find((r) => r.caseId === ids[0]);
    expect(late?.owes.map((o) => [o.deadline, o.dueDate, o.overdue])).toEqual([
      ['handling', '2026-05-06', true],
    ]);
    expect(late?.owes[0]?.documents).toContain('信访处理意见书');
    expect(late?.owes[0]?.text).toMatch(/^(.+ \/ )?信访处理意见书( \/ .+)?, due 2026-05-06$/);
    expect(late?.stateName).toBe(national.process.states[late?.state ?? '']?.name);
    // the one on time owes the same document by 05-09, not yet overdue
    const page = await stageBoardPage(engine, national, { viewer: hrss, query: { colour: 'green' } });
    expect(page.cases.map((c) => [c.caseId, c.owes.map((o) => [o.dueDate, o.overdue])])).toEqual([
      [ids[2], [['2026-05-09', false]]],
    ]);
  });

  it('shows the leader in personal charge of a case (包案, Reg. 18), and none where nobody took it', async () => {
    const { engine, ids } = await threeCases();
    const head = { id: 'head-1', role: 'head', unit: 'county-hrss' };
    await engine.send(
      ids[0]!,
      { type: 'TAKE_CHARGE', payload: { leader: '赵六', position: '副县长' } },
      head,
    );
    const board = await stageBoard(engine, national, { viewer: hrss });
    expect(board.red.find((r) => r.caseId === ids[0])?.leadCase).toEqual({
      leader: '赵六',
      position: '副县长',
    });
    expect(board.red.find((r) => r.caseId === ids[1])).not.toHaveProperty('leadCase');
  });

  it('narrows to a query: another jurisdiction has no cases', async () => {
    const { engine } = await threeCases();
    const board = await stageBoard(engine, national, { viewer: hrss, query: { jurisdictionId: 'nowhere' } });
    expect([board.cases, board.red]).toEqual([0, []]);
  });

  it('shows staff of the wrong unit and the accused unit nothing of a case', async () => {
    const { store } = counted();
    const { engine } = await engineOn(store);
    const bureau = { id: 'reg-0', role: 'registrar', unit: 'county-bureau' };
    // an accusation against the county labour bureau, registered at the county petition bureau
    const { caseId } = await engine.submit(
      petition(1, {
        receivingUnit: 'county-bureau',
        kind: 'accusation',
        accused: { name: '某局长', external: true },
        accusation: '检举某局长收受工程款回扣',
      }),
      bureau,
    );
    const seen = async (viewer: ActorRef) => {
      const board = await stageBoard(engine, national, { viewer });
      const page = await stageBoardPage(engine, national, { viewer, limit: 1000 });
      return { cases: board.cases, units: board.units, listed: page.cases.map((c) => c.caseId) };
    };
    expect(await seen(bureau)).toMatchObject({ cases: 1, listed: [caseId] });
    const nothing = { cases: 0, units: [], listed: [] };
    expect(await seen({ id: 'han-2', role: 'handler', unit: 'county-hrss' })).toEqual(nothing);
    expect(await seen({ id: 'head-2', role: 'head', unit: 'county-hrss' })).toEqual(nothing);
    expect(await seen({ id: 'acc-9', role: 'acceptor', unit: 'county-land' })).toEqual(nothing);
    // a petitioner's board is their own cases: this one is not theirs
    expect(await seen({ id: 'p-9', role: 'petitioner' })).toEqual(nothing);
  });

  it('shows an accused government nothing, though its region reach covers the unit handling the case', async () => {
    // supervisors read every case of the units below theirs; the county government's reach
    // covers the county petition bureau, which holds an accusation against that government
    const widened = { ...national, visibility: { supervisor: { scope: 'region' as const } } };
    const clock = new ManualClock('2026-03-02T09:00:00+08:00');
    const engine = createEngine({
      configs: [widened],
      calendars,
      clock,
      store: createMemoryStore(),
      identityKeys: ephemeralIdentityKeys(),
    });
    const bureau = { id: 'reg-0', role: 'registrar', unit: 'county-bureau' };
    const plain = (await engine.submit(petition(1, { receivingUnit: 'county-bureau' }), bureau)).caseId;
    const accusing = (
      await engine.submit(
        petition(2, {
          receivingUnit: 'county-bureau',
          respondentUnit: 'county-gov',
          kind: 'accusation',
          accused: { name: '某县长', external: true },
          accusation: '检举某县长违规审批',
        }),
        bureau,
      )
    ).caseId;
    const countyGov = { id: 'sup-3', role: 'supervisor', unit: 'county-gov' };
    const listed = async (viewer: ActorRef) =>
      (await stageBoardPage(engine, widened, { viewer })).cases.map((c) => c.caseId);
    expect(await listed(bureau)).toEqual([plain, accusing].sort());
    // the reach is real (the other case is on its board), the accusation is not
    expect(await listed(countyGov)).toEqual([plain]);
    const board = await stageBoard(engine, widened, { viewer: countyGov });
    expect([board.cases, board.red]).toEqual([1, []]);
  });

  it('follows the cursor over more than 100 cases: none is left out', async () => {
    const { store } = counted();
    const { engine } = await engineOn(store);
    const ids: string[] = [];
    for (let n = 1; n <= 130; n++) ids.push((await engine.submit(petition(n), registrar)).caseId);
    expect((await stageBoard(engine, national, { viewer: hrss })).cases).toBe(130);
    const paged = await stageBoard(engine, national, { viewer: hrss, pageSize: 100 });
    expect([paged.cases, paged.pages]).toEqual([130, 2]);
    expect(paged.stages.find((s) => s.stage === 'registration')?.counts.green).toBe(130);
    const listed: string[] = [];
    let after: string | undefined;
    do {
      const page = await stageBoardPage(engine, national, {
        viewer: hrss,
        limit: 100,
        ...(after !== undefined ? { after } : {}),
      });
      listed.push(...page.cases.map((c) => c.caseId));
      after = page.next;
    } while (after !== undefined);
    expect(listed).toEqual([...ids].sort());
  });

  it('refuses a board for nobody, and a page size out of range, with codes', async () => {
    const { engine } = await engineOn(createMemoryStore());
    await expect(stageBoard(engine, national, {} as never)).rejects.toMatchObject({ code: 'ACTOR_INVALID' });
    await expect(stageBoard(engine, national, { viewer: hrss, pageSize: 0 })).rejects.toMatchObject({
      code: 'INPUT_INVALID',
    });
    await expect(stageBoardPage(engine, national, { viewer: hrss, limit: 1.5 })).rejects.toMatchObject({
      code: 'INPUT_INVALID',
    });
  });
});
