/** national.yaml run through the engine, path by path. */

import { describe, expect, it } from 'vitest';
import { A, deadline, documents, setup } from './helpers.js';
import { refused } from './refused.js';

const DAY = 86_400_000;

describe('acceptance, handling, review, re-examination, termination', () => {
  it('runs the whole ladder with the right units and a paused re-examination', async () => {
    const { engine, store, clock, submit } = setup();
    const { caseId } = await submit();
    expect((await deadline(store, caseId, 'disposal'))?.dueDate).toBe('2026-03-17');

    await engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
    expect(await documents(store, caseId)).toEqual(['acceptance-notice']);
    expect((await deadline(store, caseId, 'disposal'))?.status).toBe('stopped');
    expect((await deadline(store, caseId, 'handling'))?.dueDate).toBe('2026-05-06'); // 03-02 + 60 = 05-01 holiday -> 05-06

    clock.advance(10 * DAY);
    await engine.send(
      caseId,
      {
        type: 'OPINION',
        payload: {
          outcome: 'supported',
          findings: '属实',
          legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
        },
      },
      A.handlerBureau,
    );
    let c = await store.getCase(caseId);
    expect(c?.state).toBe('opinion-issued');
    expect(c?.data.decisions).toMatchObject({
      opinion: { outcome: 'supported', unit: 'county-bureau', actor: 'han-0' },
    });

    // the review window runs from receipt, not from issue (Reg. 35): nothing opened it yet
    expect((await store.deadlines(caseId)).find((d) => d.deadlineId === 'reviewWindow')).toBeUndefined();
    await engine.send(
      caseId,
      { type: 'RECEIPT', payload: { receivedAt: '2026-03-12', method: 'post' } },
      A.registrar,
    );
    expect((await deadline(store, caseId, 'reviewWindow'))?.dueDate).toBe('2026-04-13'); // 03-12 + 30 = 04-11 Saturday
    await refused(
      engine.send(caseId, { type: 'RECEIPT', payload: { receivedAt: '2026-03-13' } }, A.registrar),
      'COMMAND_PAYLOAD_INVALID',
    );
    await refused(
      engine.send(caseId, { type: 'RECEIPT', payload: { receivedAt: '2026-03-12' } }, A.registrar),
      'COMMAND_GUARD_FAILED',
    );

    clock.advance(5 * DAY);
    // another petitioner may not read the case at all; staff who read it may not ask for review
    await refused(engine.send(caseId, { type: 'REQUEST_REVIEW' }, A.stranger), 'CASE_NOT_FOUND');
    await refused(engine.send(caseId, { type: 'REQUEST_REVIEW' }, A.registrar), 'COMMAND_ROLE_FORBIDDEN');
    await engine.send(caseId, { type: 'REQUEST_REVIEW', payload: { reason: '不服' } }, A.petitioner);
    expect((await store.getCase(caseId))?.state).toBe('in-review');

    // review goes one level up from the body that issued the opinion: by default its own
    // government, the county government; the city government skips a level (Reg. 35)
    const wrong = await refused(
      engine.send(
        caseId,
        {
          type: 'REVIEW_DECISION',
          payload: {
            outcome: 'upheld',
            findings: '经调查核实，情况属实。',
            legalBasis: [{ law: '信访工作条例', articles: '第三十五条' }],
          },
        },
        A.wrongReviewer,
      ),
      'COMMAND_UNIT_FORBIDDEN',
    );
    expect(wrong.details).toMatchObject({
      caseId,
      state: 'in-review',
      command: 'REVIEW_DECISION',
      requiredUnit: 'county-gov',
    });
    await engine.send(
      caseId,
      {
        type: 'REVIEW_DECISION',
        payload: {
          outcome: 'upheld',
          findings: '经调查核实，情况属实。',
          legalBasis: [{ law: '信访工作条例', articles: '第三十五条' }],
        },
      },
      A.reviewer,
    );
    await engine.send(caseId, { type: 'RECEIPT', payload: { receivedAt: '2026-03-17' } }, A.registrar);
    clock.advance(3 * DAY);
    await engine.send(caseId, { type: 'REQUEST_REEXAMINATION' }, A.petitioner);
    const before = await deadline(store, caseId, 'reexamination');
    expect(before?.status).toBe('running');

    // the hearing's own days stop the re-examination clock (Reg. 36)
    await refused(
      engine.send(caseId, { type: 'HOLD_HEARING', payload: { date: '2026-03-25' } }, A.reviewer),
      'COMMAND_ROLE_FORBIDDEN',
    );
    clock.advance(2 * DAY);
    await engine.send(
      caseId,
      { type: 'HOLD_HEARING', payload: { date: '2026-03-25', lastDate: '2026-03-27', place: '省政府' } },
      A.reexaminer,
    );
    expect((await deadline(store, caseId, 'reexamination'))?.status).toBe('running');
    clock.advance(5 * DAY);
    await engine.send(caseId, { type: 'HEARING_HELD', payload: { summary: '已听证' } }, A.reexaminer);
    const after = await deadline(store, caseId, 'reexamination');
    expect(after?.status).toBe('running');
    expect(after?.id).toBe(before?.id);
    expect((after?.dueDate ?? '') > (before?.dueDate ?? '')).toBe(true);
    expect(after?.pauses).toEqual([{ from: '2026-03-25', to: '2026-03-28' }]);

    await engine.send(
      caseId,
      {
        type: 'REEXAMINATION_DECISION',
        payload: {
          outcome: 'upheld',
          publish: true,
          findings: '经调查核实，情况属实。',
          legalBasis: [{ law: '信访工作条例', articles: '第三十六条' }],
        },
      },
      A.reexaminer,
    );
    c = await store.getCase(caseId);
    expect(c).toMatchObject({ state: 'terminated', stage: 'terminated', colour: 'blue' });
    expect((await deadline(store, caseId, 'reexamination'))?.status).toBe('stopped');

    // terminated is not an XState final state: follow-up work is still recorded (Reg. 37)
    await engine.send(caseId, { type: 'FOLLOW_UP', payload: { measure: 'persuasion' } }, A.handlerBureau);
    expect((await store.getCase(caseId))?.data.decisions).toHaveProperty('followUp');
    expect(await documents(store, caseId)).toEqual([
      'acceptance-notice',
      'handling-opinion',
      'review-opinion',
      'hearing-notice',
      'reexamination-opinion',
    ]);
    expect(await engine.verify(caseId)).toEqual({ ok: true, problems: [] });
    expect(await engine.replay(caseId)).toEqual(await store.getCase(caseId));
  });

  it('excludes the recorded day of a one-day hearing, not the time around it (Reg. 36)', async () => {
    const { engine, store, clock, submit } = setup();
    const { caseId } = await submit();
    await engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
    await engine.send(
      caseId,
      {
        type: 'OPINION',
        payload: {
          outcome: 'supported',
          findings: '经调查核实，情况属实。',
          legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
        },
      },
      A.handlerBureau,
    );
    await engine.send(caseId, { type: 'RECEIPT', payload: { receivedAt: '2026-03-02' } }, A.registrar);
    await engine.send(caseId, { type: 'REQUEST_REVIEW' }, A.petitioner);
    await engine.send(
      caseId,
      {
        type: 'REVIEW_DECISION',
        payload: {
          outcome: 'upheld',
          findings: '经调查核实，情况属实。',
          legalBasis: [{ law: '信访工作条例', articles: '第三十五条' }],
        },
      },
      A.reviewer,
    );
    await engine.send(caseId, { type: 'RECEIPT', payload: { receivedAt: '2026-03-02' } }, A.registrar);
    await engine.send(caseId, { type: 'REQUEST_REEXAMINATION' }, A.petitioner);
    const before = await deadline(store, caseId, 'reexamination');
    clock.advance(2 * DAY);
    await engine.send(caseId, { type: 'HOLD_HEARING', payload: { date: '2026-03-04' } }, A.reexaminer);
    clock.advance(3 * 3_600_000);
    await engine.send(caseId, { type: 'HEARING_HELD', payload: { summary: '当日听证完毕' } }, A.reexaminer);
    const after = await deadline(store, caseId, 'reexamination');
    // requested 03-02: 30 days -> Wednesday 04-01; the hearing day 03-04 is not counted -> Thursday 04-02
    expect(before?.dueDate).toBe('2026-04-01');
    expect(after).toMatchObject({
      status: 'running',
      dueDate: '2026-04-02',
      pauses: [{ from: '2026-03-04', to: '2026-03-05' }],
    });
    expect((await store.getCase(caseId))?.state).toBe('in-reexamination');
    expect(await engine.verify(caseId)).toEqual({ ok: true, problems: [] });
  });

  it.each(['supported', 'explained', 'not-supported'])('records a %s opinion', async (outcome) => {
    const { engine, store, submit } = setup();
    const { caseId } = await submit();
    await engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
    // an opinion states the facts found and its legal basis, laws and articles (Reg. 32)
    const bare = await refused(
      engine.send(caseId, { type: 'OPINION', payload: { outcome } }, A.handlerBureau),
      'COMMAND_PAYLOAD_INVALID',
    );
    expect((bare.details.problems as { pointer: string }[]).map((p) => p.pointer)).toEqual([
      '/findings',
      '/legalBasis',
    ]);
    await refused(
      engine.send(
        caseId,
        { type: 'OPINION', payload: { outcome, findings: '属实', legalBasis: [{ law: '劳动法' }] } },
        A.handlerBureau,
      ),
      'COMMAND_PAYLOAD_INVALID',
    );
    const payload = {
      outcome,
      findings: '经查，用人单位拖欠工资属实。',
      legalBasis: [{ law: '中华人民共和国劳动法', articles: '第五十条' }],
    };
    const r = await engine.send(caseId, { type: 'OPINION', payload }, A.handlerBureau);
    expect(r).toMatchObject({ state: 'opinion-issued', stage: 'opinion', colour: 'green', version: 3 });
    expect((await store.getCase(caseId))?.data.decisions).toMatchObject({ opinion: { outcome } });
    await refused(
      engine.send(caseId, { type: 'OPINION', payload }, A.handlerBureau),
      'COMMAND_NOT_ALLOWED_IN_STATE',
    );
  });

  it('settles by mediation, diverts, refuses, and reopens on a spot check', async () => {
    const { engine, store, submit } = setup();
    const a = (await submit()).caseId;
    await engine.send(a, { type: 'ACCEPT' }, A.acceptor);
    await engine.send(
      a,
      {
        type: 'SETTLE',
        payload: {
          kind: 'mediation',
          terms: '补发工资',
          parties: [
            { name: '信访人', side: 'petitioner', consent: true },
            { name: '示范县某用人单位', side: 'other', consent: true },
          ],
        },
      },
      A.handlerBureau,
    );
    expect(await store.getCase(a)).toMatchObject({ state: 'settled', colour: 'blue' });

    for (const route of [
      'litigation',
      'arbitration',
      'party-discipline',
      'administrative',
      'duty-performance',
    ]) {
      const b = (await submit({ route })).caseId;
      // Reg. 31 (1)-(5): not accepted into handling; the refusal names DIVERT
      const e = await refused(engine.send(b, { type: 'ACCEPT' }, A.acceptor), 'COMMAND_ROUTE_NOT_HANDLING');
      expect(e.details).toMatchObject({ matterClass: route, classifiedBy: 'rules', suggestion: 'DIVERT' });
      await engine.send(b, { type: 'DIVERT', payload: { route } }, A.acceptor);
      expect(await store.getCase(b)).toMatchObject({ state: 'diverted', stage: 'diversion', colour: 'blue' });
      expect(await documents(store, b)).toEqual(['diversion-notice']);
    }

    const c = (await submit()).caseId;
    await engine.send(
      c,
      { type: 'NOT_ACCEPT', payload: { reason: 'not-in-remit', goTo: 'city-housing' } },
      A.acceptor,
    );
    expect(await store.getCase(c)).toMatchObject({ state: 'not-accepted', colour: 'blue' });
    // supervision one level above the responsible county bureau: the city bureau for the city government
    await refused(
      engine.send(
        c,
        { type: 'REOPEN', payload: { reason: '应受理' } },
        { ...A.supervisor, unit: 'county-bureau' },
      ),
      'COMMAND_UNIT_FORBIDDEN',
    );
    await engine.send(c, { type: 'REOPEN', payload: { reason: '应受理' } }, A.supervisor);
    expect(await store.getCase(c)).toMatchObject({ state: 'registered', colour: 'green' });
    const periods = (await store.deadlines(c)).filter((r) => r.deadlineId === 'disposal');
    expect(periods.map((r) => r.status)).toEqual(['stopped', 'running']);

    const d = (await submit()).caseId;
    await engine.send(
      d,
      { type: 'REFUSE_REPEAT', payload: { reason: 'already-reexamined', priorCase: 'XF-2025-000001' } },
      A.acceptor,
    );
    expect(await documents(store, d)).toEqual(['no-further-acceptance-notice']);
    await engine
      .send(d, { type: 'REPORT_UP' }, A.acceptor)
      .catch((e) => expect(e.code).toBe('COMMAND_NOT_ALLOWED_IN_STATE'));
  });

  it('reports major matters up without leaving registration', async () => {
    const { engine, store, submit } = setup();
    const { caseId } = await submit({ major: true });
    await engine.send(caseId, { type: 'REPORT_UP' }, A.registrar);
    expect(await store.getCase(caseId)).toMatchObject({ state: 'registered', version: 2 });
    expect((await store.getCase(caseId))?.data.decisions).toHaveProperty('reportedUp');
  });
});

describe('transfer, objection, re-transfer, assignment, designation', () => {
  it('transfers, takes an objection within 5 working days back to the transferrer, re-transfers', async () => {
    const { engine, store, clock, submit } = setup();
    const { caseId } = await submit();
    await engine.send(
      caseId,
      { type: 'TRANSFER', payload: { unit: 'county-housing', reason: '住建职责' } },
      A.acceptor,
    );
    let c = await store.getCase(caseId);
    expect(c).toMatchObject({ state: 'transferred', responsibleUnit: 'county-housing' });
    expect(c?.data.assignedBy).toMatchObject({ unit: 'county-bureau', mode: 'transfer' });
    expect((await deadline(store, caseId, 'objection'))?.dueDate).toBe('2026-03-09'); // 5 working days from Monday
    expect((await deadline(store, caseId, 'acceptance'))?.dueDate).toBe('2026-03-17');
    // only the responsible unit objects: not the transferrer, which still reads the case, and
    // not an uninvolved unit, which may not read it
    await refused(
      engine.send(caseId, { type: 'OBJECT', payload: { reason: '不属于本机关' } }, A.acceptor),
      'COMMAND_UNIT_FORBIDDEN',
    );
    await refused(
      engine.send(caseId, { type: 'OBJECT', payload: { reason: '不属于本机关' } }, A.hrssAcceptor),
      'CASE_NOT_FOUND',
    );

    clock.advance(3 * DAY);
    await engine.send(caseId, { type: 'OBJECT', payload: { reason: '不属于本机关' } }, A.housingAcceptor);
    c = await store.getCase(caseId);
    expect(c).toMatchObject({ state: 'returned', responsibleUnit: 'county-bureau' });
    const letter = (await store.outbox({ caseId })).find((r) => r.payload.documentId === 'objection-letter');
    expect(letter?.recipient).toBe('county-bureau');

    await engine.send(caseId, { type: 'TRANSFER', payload: { unit: 'county-hrss' } }, A.acceptor);
    await refused(engine.send(caseId, { type: 'ACCEPT' }, A.acceptor), 'COMMAND_UNIT_FORBIDDEN');
    await engine.send(caseId, { type: 'ACCEPT' }, A.hrssAcceptor);
    c = await store.getCase(caseId);
    expect(c).toMatchObject({ state: 'accepted', responsibleUnit: 'county-hrss' });
    expect(c?.data.transfers).toHaveLength(3);
    expect(await engine.verify(caseId)).toMatchObject({ ok: true });
  });

  it('refuses an objection after the window, before and after the tick', async () => {
    const { engine, store, clock, submit } = setup();
    const { caseId } = await submit();
    await engine.send(caseId, { type: 'TRANSFER', payload: { unit: 'county-housing' } }, A.acceptor);
    clock.advance(8 * DAY); // past 2026-03-09 24:00
    await refused(
      engine.send(caseId, { type: 'OBJECT', payload: { reason: 'x' } }, A.housingAcceptor),
      'COMMAND_WINDOW_CLOSED',
    );
    const fired = await engine.tick();
    expect(fired.map((f) => f.deadlineId)).toEqual(['objection']);
    expect(await store.getCase(caseId)).toMatchObject({ state: 'transferred', colour: 'green' });
    const e = await refused(
      engine.send(caseId, { type: 'OBJECT', payload: { reason: 'x' } }, A.housingAcceptor),
      'COMMAND_WINDOW_CLOSED',
    );
    expect(e.message).toContain('objection');
  });

  it('assigns with a shorter period, refuses a longer one, and reports completion to the assigning body', async () => {
    const { engine, store, submit } = setup();
    const { caseId } = await submit();
    await refused(
      engine.send(caseId, { type: 'ASSIGN', payload: { unit: 'county-hrss', days: 90 } }, A.acceptor),
      'COMMAND_PAYLOAD_INVALID',
    );
    await refused(
      engine.send(caseId, { type: 'ASSIGN', payload: { unit: 'nowhere' } }, A.acceptor),
      'COMMAND_PAYLOAD_INVALID',
    );
    await engine.send(caseId, { type: 'ASSIGN', payload: { unit: 'county-hrss', days: 20 } }, A.acceptor);
    expect((await deadline(store, caseId, 'assignment'))?.dueDate).toBe('2026-03-23'); // 03-22 is a Sunday
    await engine.send(caseId, { type: 'ACCEPT' }, A.hrssAcceptor);
    await engine.send(
      caseId,
      {
        type: 'OPINION',
        payload: {
          outcome: 'explained',
          findings: '经调查核实，情况属实。',
          legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
        },
      },
      A.hrssHandler,
    );
    expect((await deadline(store, caseId, 'assignment'))?.status).toBe('stopped');
    await engine.send(caseId, { type: 'REPORT_COMPLETION' }, A.hrssHandler);
    const report = (await store.outbox({ caseId })).find((r) => r.payload.documentId === 'completion-report');
    expect(report?.recipient).toBe('county-bureau');

    const other = (await submit()).caseId;
    await engine.send(other, { type: 'TRANSFER', payload: { unit: 'county-hrss' } }, A.acceptor);
    await engine.send(other, { type: 'ACCEPT' }, A.hrssAcceptor);
    await engine.send(
      other,
      {
        type: 'OPINION',
        payload: {
          outcome: 'explained',
          findings: '经调查核实，情况属实。',
          legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
        },
      },
      A.hrssHandler,
    );
    await refused(engine.send(other, { type: 'REPORT_COMPLETION' }, A.hrssHandler), 'COMMAND_GUARD_FAILED');
  });

  it('lets the common superior designate a body among several', async () => {
    const { engine, store, submit } = setup();
    const { caseId } = await submit();
    const payload = { unit: 'county-housing', bodies: ['county-hrss', 'county-housing'] };
    // one of the bodies itself, uninvolved in the case so far, may not even read it; every unit
    // that reads it here is the common superior or above it, or a petition bureau under one of
    // those, so the guard's refusal is shown with a body the superior does not govern
    await refused(engine.send(caseId, { type: 'DESIGNATE', payload }, A.hrssHead), 'CASE_NOT_FOUND');
    await refused(
      engine.send(
        caseId,
        { type: 'DESIGNATE', payload: { ...payload, unit: 'city-housing' } },
        { id: 'h', role: 'head', unit: 'county-gov' },
      ),
      'COMMAND_GUARD_FAILED',
    );
    await engine.send(caseId, { type: 'DESIGNATE', payload }, { id: 'h', role: 'head', unit: 'county-gov' });
    expect(await store.getCase(caseId)).toMatchObject({
      state: 'transferred',
      responsibleUnit: 'county-housing',
    });
    // an objection to a designation goes back to the superior that designated (Reg. 24)
    expect((await store.getCase(caseId))?.data.assignedBy).toMatchObject({
      mode: 'designate',
      unit: 'county-gov',
    });
    // re-designation re-enters the state: fresh acceptance and objection periods
    await engine.send(
      caseId,
      { type: 'DESIGNATE', payload: { ...payload, unit: 'county-hrss' } },
      A.supervisor,
    );
    const periods = (await store.deadlines(caseId))
      .filter((r) => r.deadlineId === 'acceptance')
      .map((r) => r.status);
    expect(periods).toEqual(['stopped', 'running']);
  });
});

describe('withdrawal', () => {
  it('lets the petitioner withdraw their own case at any open step', async () => {
    const { engine, store, submit } = setup();
    const { caseId } = await submit();
    await refused(engine.send(caseId, { type: 'WITHDRAW' }, A.stranger), 'CASE_NOT_FOUND');
    await refused(engine.send(caseId, { type: 'WITHDRAW' }, A.registrar), 'COMMAND_ROLE_FORBIDDEN');
    await engine.send(caseId, { type: 'WITHDRAW' }, A.petitioner);
    expect(await store.getCase(caseId)).toMatchObject({
      state: 'withdrawn',
      stage: 'withdrawn',
      colour: 'blue',
    });
    expect((await deadline(store, caseId, 'disposal'))?.status).toBe('stopped');
    expect(await engine.allowedCommands(caseId, A.petitioner)).toEqual([]);
  });

  it('accepts an online petition from the petitioner, who then acts on it', async () => {
    const { engine, store } = setup();
    const { petition } = await import('./helpers.js');
    const { caseId } = await engine.submit(petition({ channel: 'online' }), A.petitioner);
    expect((await store.getCase(caseId))?.registeringUnit).toBe('county-bureau');
    await refused(engine.submit(petition({ channel: 'visit' }), A.petitioner), 'COMMAND_ROLE_FORBIDDEN');
    expect(await engine.allowedCommands(caseId, A.petitioner)).toEqual(['WITHDRAW']);
    await engine.send(caseId, { type: 'WITHDRAW' }, A.petitioner);
  });
});

describe('the class of a matter gates what follows it (Reg. 29-31)', () => {
  it('answers a suggestion instead of accepting it: no handling period, no review', async () => {
    const { engine, store, submit } = setup();
    const { caseId } = await submit({ kind: 'suggestion' });
    const e = await refused(
      engine.send(caseId, { type: 'ACCEPT' }, A.acceptor),
      'COMMAND_ROUTE_NOT_HANDLING',
    );
    expect(e.details).toMatchObject({
      matterClass: 'suggestion',
      classes: ['opinion'],
      suggestion: 'ANSWER_SUGGESTION',
    });
    expect(e.message).toMatch(/reg-2022 art\. 29.*send ANSWER_SUGGESTION instead.*RECLASSIFY/);
    const offered = await engine.allowedCommands(caseId, A.acceptor);
    expect(offered).not.toContain('ACCEPT');
    expect(offered).not.toContain('DIVERT');
    expect(await engine.allowedCommands(caseId, A.handlerBureau)).toContain('ANSWER_SUGGESTION');
    await engine.send(
      caseId,
      { type: 'ANSWER_SUGGESTION', payload: { outcome: 'not-adopted', text: '暂不具备条件。' } },
      A.handlerBureau,
    );
    expect(await store.getCase(caseId)).toMatchObject({ state: 'suggestion-answered', stage: 'closed' });
    expect(await documents(store, caseId)).toEqual(['suggestion-reply']);
    expect(await deadline(store, caseId, 'handling')).toBeUndefined();
    expect(await engine.allowedCommands(caseId, A.petitioner)).not.toContain('REQUEST_REVIEW');
  });

  it('names the receipt by the discipline body for an accusation, the diversion for a routed appeal', async () => {
    const { engine, submit } = setup();
    const accusation = (await submit({ kind: 'accusation' })).caseId;
    const e = await refused(
      engine.send(accusation, { type: 'ACCEPT' }, A.acceptor),
      'COMMAND_ROUTE_NOT_HANDLING',
    );
    expect(e.details).toMatchObject({ matterClass: 'accusation', suggestion: 'RECEIVE_ACCUSATION' });
    const litigation = (await submit({ involvesLitigation: true })).caseId;
    // a diversion names the route the matter was classed in
    const d = await refused(
      engine.send(litigation, { type: 'DIVERT', payload: { route: 'arbitration' } }, A.acceptor),
      'COMMAND_MATTER_CLASS',
    );
    expect(d.message).toMatch(/classed litigation .*send route: litigation/);
    // an opinion matter is not diverted
    const opinion = (await submit()).caseId;
    const o = await refused(
      engine.send(opinion, { type: 'DIVERT', payload: { route: 'arbitration' } }, A.acceptor),
      'COMMAND_MATTER_CLASS',
    );
    expect(o.details).toMatchObject({ matterClass: 'opinion', suggestion: 'ACCEPT' });
  });

  it('reclassifies only by staff, with a reason, and the new class decides', async () => {
    const { engine, store, submit } = setup();
    const { caseId } = await submit({ route: 'arbitration' });
    await refused(
      engine.send(
        caseId,
        { type: 'RECLASSIFY', payload: { class: 'opinion', reason: '无仲裁协议' } },
        A.petitioner,
      ),
      'COMMAND_ROLE_FORBIDDEN',
    );
    await refused(
      engine.send(caseId, { type: 'RECLASSIFY', payload: { class: 'opinion' } }, A.acceptor),
      'COMMAND_PAYLOAD_INVALID',
    );
    await refused(
      engine.send(caseId, { type: 'RECLASSIFY', payload: { class: 'other', reason: '无' } }, A.acceptor),
      'COMMAND_PAYLOAD_INVALID',
    );
    await engine.send(
      caseId,
      { type: 'RECLASSIFY', payload: { class: 'opinion', reason: '非劳动争议，不属于仲裁事项' } },
      A.acceptor,
    );
    const data = (await store.getCase(caseId))?.data as
      | { decisions: Record<string, unknown>; rules: Record<string, { merged?: unknown }> }
      | undefined;
    expect(data?.decisions.reclassification).toMatchObject({
      class: 'opinion',
      reason: '非劳动争议，不属于仲裁事项',
    });
    // the rules' first reading is kept as it was decided
    expect(data?.rules.classification?.merged).toMatchObject({
      route: 'arbitration',
    });
    await refused(
      engine.send(caseId, { type: 'DIVERT', payload: { route: 'arbitration' } }, A.acceptor),
      'COMMAND_MATTER_CLASS',
    );
    await engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
    expect(await store.getCase(caseId)).toMatchObject({ state: 'accepted', stage: 'handling' });
  });
});
