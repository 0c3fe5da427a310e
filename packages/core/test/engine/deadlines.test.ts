/** Deadlines through the engine: extensions, missed duties, expired windows, provisional dates. */

import { describe, expect, it } from 'vitest';
import { Calendar } from '../../src/calendar/index.js';
import { TEST_IDENTITY_KEYS } from '../keys.js';
import { A, deadline, documents, mainland, setup } from './helpers.js';
import { refused } from './refused.js';

const DAY = 86_400_000;

describe('extension of the handling period (Reg. 34)', () => {
  it('is approved by the head once, within 30 days, with a notice to the petitioner', async () => {
    const { engine, store, submit } = setup();
    const { caseId } = await submit();
    await engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
    const first = await deadline(store, caseId, 'handling');
    await refused(
      engine.send(caseId, { type: 'EXTEND', payload: { days: 30, reason: '案情复杂' } }, A.handlerBureau),
      'COMMAND_ROLE_FORBIDDEN',
    );
    await refused(
      engine.send(caseId, { type: 'EXTEND', payload: { days: 31, reason: '案情复杂' } }, A.headBureau),
      'DEADLINE_EXTENSION_REFUSED',
    );
    await refused(
      engine.send(caseId, { type: 'EXTEND', payload: { days: 30 } }, A.headBureau),
      'COMMAND_PAYLOAD_INVALID',
    );
    // the head of the county government reads the case (the line above the responsible unit)
    // but only the responsible unit's head extends; an uninvolved unit may not read the case
    await refused(
      engine.send(
        caseId,
        { type: 'EXTEND', payload: { days: 30, reason: 'x' } },
        { id: 'head-9', role: 'head', unit: 'county-gov' },
      ),
      'COMMAND_UNIT_FORBIDDEN',
    );
    await refused(
      engine.send(caseId, { type: 'EXTEND', payload: { days: 30, reason: 'x' } }, A.hrssHead),
      'CASE_NOT_FOUND',
    );
    await engine.send(caseId, { type: 'EXTEND', payload: { days: 30, reason: '案情复杂' } }, A.headBureau);
    const extended = await deadline(store, caseId, 'handling');
    expect(first?.dueDate).toBe('2026-05-06');
    // the 60 days end 05-01 (Labour Day, moved to 05-06 unextended); 30 more from 05-01 end on
    // Sunday 05-31: due Monday 06-01
    expect(extended?.dueDate).toBe('2026-06-01');
    expect(extended?.extensions).toEqual([{ days: 30, approvedBy: 'head-0', reason: '案情复杂' }]);
    expect(await documents(store, caseId)).toEqual(['acceptance-notice', 'extension-notice']);
    const second = await refused(
      engine.send(caseId, { type: 'EXTEND', payload: { days: 5, reason: '再延' } }, A.headBureau),
      'DEADLINE_EXTENSION_REFUSED',
    );
    expect(second.message).toContain('at most 1');
    expect((await store.getCase(caseId))?.data.deadlines).toMatchObject({
      handling: { dueDate: '2026-06-01', extensions: 1 },
    });
  });

  it('waives the extension notice when the petitioner cannot be written to (Reg. 23)', async () => {
    const { engine, store, submit } = setup();
    const { caseId } = await submit({ petitioner: { name: '匿名', anonymous: true } });
    await engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
    await engine.send(caseId, { type: 'EXTEND', payload: { days: 10, reason: 'x' } }, A.headBureau);
    expect(await documents(store, caseId)).toEqual([]);
    const events = await store.events(caseId);
    expect(events.at(-1)?.payload.documents).toEqual([
      {
        document: 'extension-notice',
        to: 'p-1',
        waived: 'petitioner name or address unclear (reg-2022 art. 23)',
      },
    ]);
  });
});

describe('tick', () => {
  it('turns a missed disposal deadline red, and a case completed late blue with the violation kept', async () => {
    const observed: string[] = [];
    const { engine, store, clock, submit } = setup({ onEvent: (e) => observed.push(e.type) });
    const { caseId } = await submit();
    clock.advance(14 * DAY);
    expect(await engine.tick()).toEqual([]);
    clock.advance(2 * DAY); // 2026-03-18 09:00, past 03-17 24:00
    const fired = await engine.tick();
    expect(fired).toEqual([
      {
        caseId,
        deadlineId: 'disposal',
        row: `${caseId}:disposal:1`,
        kind: 'duty',
        seq: 2,
        state: 'registered',
      },
    ]);
    expect(await engine.tick()).toEqual([]);
    let c = await store.getCase(caseId);
    expect(c?.colour).toBe('red');
    expect(c?.redReasons).toEqual([
      {
        code: 'DEADLINE_MISSED',
        message: 'deadline disposal (登记转送交办期限) passed on 2026-03-17 before its duty was done',
        ref: 'disposal',
        basis: 'reg-2022 art. 22',
        at: '2026-03-18T01:00:00.000Z',
      },
    ]);
    expect((await deadline(store, caseId, 'disposal'))?.status).toBe('fired');
    expect((await store.query({ colour: 'red' })).map((p) => p.caseId)).toEqual([caseId]);

    await engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
    expect((await store.getCase(caseId))?.colour).toBe('red');
    await engine.send(caseId, { type: 'WITHDRAW' }, A.petitioner);
    c = await store.getCase(caseId);
    expect(c).toMatchObject({ colour: 'blue', redReasons: [] });
    expect(c?.violations.map((v) => v.ref)).toEqual(['disposal']);
    expect(observed).toEqual(['SUBMITTED', 'deadline.expired', 'ACCEPT', 'WITHDRAW']);
    expect(await engine.verify(caseId)).toMatchObject({ ok: true });
  });

  it('closes the case when the review window expires', async () => {
    const { engine, store, clock, submit } = setup();
    const { caseId } = await submit();
    await engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
    await engine.send(
      caseId,
      {
        type: 'OPINION',
        payload: {
          outcome: 'not-supported',
          findings: '经调查核实，情况属实。',
          legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
        },
      },
      A.handlerBureau,
    );
    await engine.send(caseId, { type: 'RECEIPT', payload: { receivedAt: '2026-03-02' } }, A.registrar);
    clock.advance(40 * DAY);
    const fired = await engine.tick();
    // the rating window the same receipt opened runs out with it: "not rated" is recorded too
    expect(fired.map((f) => [f.deadlineId, f.state])).toEqual([
      ['ratingWindow', 'opinion-issued'],
      ['reviewWindow', 'closed'],
    ]);
    expect(await store.getCase(caseId)).toMatchObject({
      state: 'closed',
      stage: 'closed',
      colour: 'blue',
      redReasons: [],
    });
    await refused(
      engine.send(caseId, { type: 'REQUEST_REVIEW' }, A.petitioner),
      'COMMAND_NOT_ALLOWED_IN_STATE',
    );
    expect(await engine.verify(caseId)).toMatchObject({ ok: true });
  });

  it('loses nothing across a restart: a new engine on the same store fires the rows', async () => {
    const { engine, store, clock, submit, config } = setup();
    const { caseId } = await submit();
    clock.advance(20 * DAY);
    const { createEngine } = await import('../../src/engine/index.js');
    const restarted = createEngine({
      configs: [config],
      store,
      clock,
      calendars: [mainland()],
      owner: 'worker-2',
      identityKeys: TEST_IDENTITY_KEYS,
    });
    expect((await restarted.tick()).map((f) => f.caseId)).toEqual([caseId]);
    expect(await engine.tick()).toEqual([]);
  });

  it('keeps a December deadline provisional and moves it when next year is published', async () => {
    const { engine, store, submit } = setup({ start: '2026-12-21T09:00:00+08:00' });
    const { caseId } = await submit({ receivedAt: '2026-12-21' });
    const row = await deadline(store, caseId, 'disposal');
    expect(row).toMatchObject({ provisional: true, dueDate: '2027-01-05' });
    const data = mainland().toData();
    const next = Calendar.fromData({
      ...data,
      version: '2027.1',
      years: { from: data.years.from, to: 2027 },
      holidays: [
        ...data.holidays,
        { date: '2027-01-01', name: '元旦' },
        { date: '2027-01-05', name: '假设的假日' },
      ],
    });
    const moved = await engine.applyCalendar(next);
    expect(moved).toEqual([
      {
        caseId,
        deadlineId: 'disposal',
        row: row?.id,
        from: { dueDate: '2027-01-05', provisional: true },
        to: { dueDate: '2027-01-06', provisional: false },
        seq: 2,
      },
    ]);
    expect(await deadline(store, caseId, 'disposal')).toMatchObject({
      provisional: false,
      dueDate: '2027-01-06',
    });
    const events = await store.events(caseId);
    expect(events.at(-1)).toMatchObject({ type: 'deadline.moved', calendarVersion: '2027.1' });
    expect((await store.getCase(caseId))?.data.deadlines).toMatchObject({
      disposal: { dueDate: '2027-01-06', provisional: false },
    });
    expect(await engine.verify(caseId)).toMatchObject({ ok: true });
    expect(await engine.applyCalendar(next)).toEqual([]);
  });
});

describe('local days off (jurisdiction.localDaysOff)', () => {
  it('count as days off for every deadline of the jurisdiction, and the rows pin the local schedule', async () => {
    const { nationalConfig } = await import('./helpers.js');
    const config = structuredClone(nationalConfig());
    // registered Monday 2026-03-02: disposal (15 days) falls due Tuesday 03-17, a local day off
    config.jurisdiction.localDaysOff = [{ date: '2026-03-17', name: '本地节日' }];
    const { engine, store, clock, submit } = setup({ configs: [config] });
    const { caseId } = await submit();
    const row = await deadline(store, caseId, 'disposal');
    expect(row?.dueDate).toBe('2026-03-18');
    expect(row?.explanation).toMatchObject({ calendarVersion: expect.stringContaining('+local.') });
    expect(JSON.stringify(row?.explanation)).toContain('本地节日');
    // the national case would be red on the 18th; this one is still in time then
    clock.set('2026-03-18T12:00:00+08:00');
    expect(await engine.tick()).toEqual([]);
    expect((await store.getCase(caseId))?.colour).toBe('green');
    clock.set('2026-03-19T00:30:00+08:00');
    expect((await engine.tick()).map((f) => f.deadlineId)).toEqual(['disposal']);
  });

  it('are refused at engine creation when the calendar cannot take them', async () => {
    const { nationalConfig } = await import('./helpers.js');
    const config = structuredClone(nationalConfig());
    config.jurisdiction.localDaysOff = [{ date: '2031-05-01', name: '本地节日' }];
    expect(() => setup({ configs: [config] })).toThrow(/2031-05-01 is outside the years/);
  });
});
