/**
 * Supervision on national.yaml (Reg. 38-46): the reply period a supervision letter starts is a
 * duty like the statutory ones; replies answer a supervision once; accountability follows a
 * supervision; a red case waits in the queue of the body above.
 */

import { describe, expect, it } from 'vitest';
import { annualReport, readCaseFacts } from '../../src/metrics/index.js';
import { supervisedUnits, supervisionQueue } from '../../src/status/index.js';
import type { ActorRef } from '../../src/store/types.js';
import { A, deadline, documents, setup } from './helpers.js';
import { refused } from './refused.js';

const countyHead: ActorRef = A.headBureau;

describe('supervision', () => {
  it('turns the case red with its reason when the supervised body misses the reply period', async () => {
    const { engine, store, clock, submit } = setup();
    const { caseId } = await submit();
    await engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
    const r = await engine.send(
      caseId,
      { type: 'SUPERVISE', payload: { reason: '调查核实进展缓慢', ground: 'delay' } },
      A.supervisor,
    );
    // supervision is a step of its own: the case stays where it is, green while nothing is late
    expect(r).toMatchObject({ state: 'accepted', colour: 'green' });
    expect(await documents(store, caseId)).toEqual(['acceptance-notice', 'supervision-letter']);
    const row = await deadline(store, caseId, 'supervisionReply');
    // 2026-03-02 + 15 days, a Tuesday; the period is the project's default, not a statute's
    expect(row).toMatchObject({ status: 'running', dueDate: '2026-03-17', kind: 'duty' });

    clock.advanceDays(16);
    const fired = await engine.tick();
    expect(fired.map((f) => [f.deadlineId, f.state])).toEqual([['supervisionReply', 'accepted']]);
    const red = await store.getCase(caseId);
    expect(red?.colour).toBe('red');
    expect(red?.redReasons).toEqual([
      expect.objectContaining({
        code: 'DEADLINE_MISSED',
        ref: 'supervisionReply',
        basis: 'reg-2022 art. 40',
        message: expect.stringContaining('passed on 2026-03-17'),
      }),
    ]);

    // a late reply is still taken; an open case stays red until it completes
    await engine.send(caseId, { type: 'SUPERVISION_REPLY', payload: { reply: '已整改' } }, countyHead);
    expect(await store.getCase(caseId)).toMatchObject({ colour: 'red', state: 'accepted' });
    expect((await deadline(store, caseId, 'supervisionReply'))?.status).toBe('fired');
    await engine.send(
      caseId,
      {
        type: 'OPINION',
        // explained: owes no follow-through period, so the only violation kept is the reply's
        payload: {
          outcome: 'explained',
          findings: '经调查核实，情况属实。',
          legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
        },
      },
      A.handlerBureau,
    );
    await engine.send(caseId, { type: 'RECEIPT', payload: { receivedAt: '2026-03-18' } }, A.registrar);
    clock.advanceDays(31);
    await engine.tick();
    const done = await store.getCase(caseId);
    expect(done).toMatchObject({ state: 'closed', colour: 'blue', redReasons: [] });
    expect(done?.violations.map((v) => v.ref)).toEqual(['supervisionReply']);
    expect(await engine.verify(caseId)).toEqual({ ok: true, problems: [] });
    expect(await engine.replay(caseId)).toEqual(done);
  });

  it('refuses a reply to no supervision, a second reply, and accountability before any supervision', async () => {
    const { engine, store, submit } = setup();
    const { caseId } = await submit();
    const before = await store.events(caseId);
    const reply = refused(
      engine.send(caseId, { type: 'SUPERVISION_REPLY', payload: { reply: '已整改' } }, countyHead),
      'COMMAND_GUARD_FAILED',
    );
    expect((await reply).message).toMatch(/no supervision to answer; send SUPERVISE first/);
    const accountability = await refused(
      engine.send(caseId, { type: 'ACCOUNTABILITY', payload: { ground: 'delay' } }, A.supervisor),
      'COMMAND_GUARD_FAILED',
    );
    expect(accountability.message).toMatch(/follows a supervision decision.*send SUPERVISE first/);
    // refusals write nothing
    expect(await store.events(caseId)).toEqual(before);

    await engine.send(caseId, { type: 'SUPERVISE', payload: { reason: '未及时转送' } }, A.supervisor);
    await engine.send(caseId, { type: 'SUPERVISION_REPLY', payload: { reply: '已转送' } }, countyHead);
    const again = await refused(
      engine.send(caseId, { type: 'SUPERVISION_REPLY', payload: { reply: '补充' } }, countyHead),
      'COMMAND_GUARD_FAILED',
    );
    expect(again.message).toMatch(/already answered/);
    // the supervised body answers, not another one: not the county government, which reads the
    // case (the line above the responsible unit), nor an uninvolved unit, which may not read it
    await engine.send(caseId, { type: 'SUPERVISE', payload: { reason: '再次督办' } }, A.supervisor);
    await refused(
      engine.send(
        caseId,
        { type: 'SUPERVISION_REPLY', payload: { reply: '已转送' } },
        { id: 'head-9', role: 'head', unit: 'county-gov' },
      ),
      'COMMAND_UNIT_FORBIDDEN',
    );
    await refused(
      engine.send(caseId, { type: 'SUPERVISION_REPLY', payload: { reply: '已转送' } }, A.hrssHead),
      'CASE_NOT_FOUND',
    );
    await refused(
      engine.send(caseId, { type: 'ACCOUNTABILITY', payload: { ground: 'lateness' } }, A.supervisor),
      'COMMAND_PAYLOAD_INVALID',
    );
    // talks are the joint petition-work meeting's (Reg. 39), not a measure the bureau records
    await refused(
      engine.send(
        caseId,
        { type: 'ACCOUNTABILITY', payload: { ground: 'bureau-not-registering', measure: 'talks' } },
        A.supervisor,
      ),
      'COMMAND_PAYLOAD_INVALID',
    );
    await engine.send(
      caseId,
      { type: 'ACCOUNTABILITY', payload: { ground: 'bureau-not-registering' } },
      A.supervisor,
    );
    const talks = {
      type: 'JOINT_MEETING_MEASURE',
      payload: { measure: 'talks', reason: '登记后未及时转送' },
    };
    await refused(engine.send(caseId, talks, A.supervisor), 'COMMAND_UNIT_FORBIDDEN');
    // the joint meeting of the county government, where the county bureau's case is
    await engine.send(caseId, talks, { id: 'jm-1', role: 'supervisor', unit: 'county-joint-meeting' });
    // the city's meeting is not the one of the responsible unit's government: to it the case does
    // not exist
    await refused(
      engine.send(caseId, talks, { id: 'jm-2', role: 'supervisor', unit: 'city-joint-meeting' }),
      'CASE_NOT_FOUND',
    );
    const data = (await store.getCase(caseId))?.data as {
      decisions: Record<string, Record<string, unknown>>;
    };
    expect(data.decisions.accountability).toMatchObject({
      ground: 'bureau-not-registering',
      unit: 'city-bureau',
    });
    expect(data.decisions.jointMeetingMeasure).toMatchObject({
      measure: 'talks',
      unit: 'county-joint-meeting',
    });
    expect(data.decisions.supervision).toMatchObject({ reason: '再次督办' });
    expect(data.decisions.supervision).not.toHaveProperty('answeredAt');
  });

  it('keeps one letter and one suggestion awaiting an answer at a time, each with its own period', async () => {
    const { engine, store, clock, submit } = setup();
    const { caseId } = await submit();
    await engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
    await engine.send(caseId, { type: 'SUPERVISE', payload: { reason: '进展缓慢' } }, A.supervisor);
    // a second letter while the first awaits its reply is refused, naming what is awaited
    const before = await store.events(caseId);
    const second = await refused(
      engine.send(caseId, { type: 'SUPERVISE', payload: { reason: '再次督办' } }, A.supervisor),
      'COMMAND_GUARD_FAILED',
    );
    expect(second.message).toMatch(
      /the supervision of .* awaits its written answer until 2026-03-17 \(SUPERVISION_REPLY\); send another once it is answered or its period \(supervisionReply\) has run out/,
    );
    expect(await store.events(caseId)).toEqual(before);

    // the suggestion likewise: one awaits its adoption report at a time
    await engine.send(
      caseId,
      { type: 'SUGGEST', payload: { kind: 'improve-work', text: '建立工资支付台账' } },
      A.supervisor,
    );
    expect(await deadline(store, caseId, 'adoptionReport')).toMatchObject({
      status: 'running',
      id: `${caseId}:adoptionReport:1`,
    });
    await refused(
      engine.send(
        caseId,
        { type: 'SUGGEST', payload: { kind: 'accountability', text: '追究拖延责任' } },
        A.supervisor,
      ),
      'COMMAND_GUARD_FAILED',
    );
    // once answered, the next suggestion gets a period of its own, and its own answer
    clock.advanceDays(2);
    await engine.send(caseId, { type: 'REPORT_ADOPTION', payload: { adopted: true } }, countyHead);
    await engine.send(
      caseId,
      { type: 'SUGGEST', payload: { kind: 'accountability', text: '追究拖延责任' } },
      A.supervisor,
    );
    expect(await deadline(store, caseId, 'adoptionReport')).toMatchObject({
      status: 'running',
      id: `${caseId}:adoptionReport:2`,
    });

    // once the reply period runs out unanswered, a further letter is the next step
    clock.advanceDays(16);
    await engine.tick();
    expect((await deadline(store, caseId, 'supervisionReply'))?.status).toBe('fired');
    await engine.send(caseId, { type: 'SUPERVISE', payload: { reason: '再次督办' } }, A.supervisor);
    expect(await deadline(store, caseId, 'supervisionReply')).toMatchObject({
      status: 'running',
      id: `${caseId}:supervisionReply:2`,
    });

    // the accountability suggestion's period runs out unanswered; the next one is answered, and
    // the annual report pairs that answer with it, not with the lapsed one
    clock.advanceDays(15);
    await engine.tick();
    await engine.send(
      caseId,
      { type: 'SUGGEST', payload: { kind: 'improve-policy', text: '完善欠薪预警机制' } },
      A.supervisor,
    );
    // a suggestion to improve policy is the city bureau's to its own government (Reg. 40): the
    // supervised county bureau does not answer it, the city government does
    expect((await store.getCase(caseId))?.data.decisions).toMatchObject({ suggestion: { to: 'city-gov' } });
    await refused(
      engine.send(caseId, { type: 'REPORT_ADOPTION', payload: { adopted: false } }, countyHead),
      'COMMAND_UNIT_FORBIDDEN',
    );
    const cityGovHead = { id: 'head-6', role: 'head', unit: 'city-gov' };
    await engine.send(caseId, { type: 'REPORT_ADOPTION', payload: { adopted: false } }, cityGovHead);
    const letters = (await store.outbox({ caseId })).filter(
      (r) => r.payload.documentId === 'three-suggestions',
    );
    // each letter went to the body it addresses: improving work to the county bureau, accountability
    // to its government, improving policy to the city government
    expect(letters.map((r) => r.recipient)).toEqual(['county-bureau', 'county-gov', 'city-gov']);
    const asOf = clock.now().toISOString();
    const read = await readCaseFacts(store, { asOf });
    const annual = annualReport(read.facts, {
      asOf,
      from: '2026-01-01',
      to: '2027-01-01',
      configs: read.configs,
    });
    expect(annual.suggestions.map((x) => [x.key, x.made, x.adopted, x.notAdopted, x.pending])).toEqual([
      ['improve-work', 1, 1, 0, 0],
      ['improve-policy', 1, 0, 1, 0],
      ['accountability', 1, 0, 0, 1],
    ]);
  });

  it('queues a red case for the body one level above its responsible unit', async () => {
    const { engine, store, clock, config, submit } = setup();
    const red = (await submit()).caseId;
    clock.advanceDays(1);
    const green = (await submit({ request: '补缴社保' })).caseId;
    await engine.send(green, { type: 'ACCEPT' }, A.acceptor);
    clock.advanceDays(15);
    await engine.tick();
    expect((await store.getCase(red))?.colour).toBe('red');

    // the county bureau's superior is the city government; its petition bureau supervises too
    expect(supervisedUnits(config, 'city-bureau')).toContain('county-bureau');
    expect(supervisedUnits(config, 'city-gov')).toEqual(supervisedUnits(config, 'city-bureau'));
    expect(supervisedUnits(config, 'county-bureau')).toEqual([]);
    expect(supervisedUnits(config, 'nowhere')).toEqual([]);

    const queue = await supervisionQueue(
      async (q) => (await engine.query(q, A.supervisor)).cases,
      config,
      'city-bureau',
    );
    expect(queue.map((c) => c.caseId)).toEqual([red]);
    expect(await supervisionQueue((q) => store.query(q), config, 'prov-bureau')).toEqual([]);
    expect(
      (await supervisionQueue((q) => store.query(q), config, 'city-gov', { pageSize: 1 })).map(
        (c) => c.caseId,
      ),
    ).toEqual([red]);

    // the queue is the red cases: a case that completes leaves it
    await engine.send(red, { type: 'WITHDRAW' }, A.petitioner);
    expect(await supervisionQueue((q) => store.query(q), config, 'city-bureau')).toEqual([]);
  });

  it('counts supervision by the article and item of its ground, leaders in charge and conduct in the annual report', async () => {
    const { engine, store, clock, submit } = setup();
    const a = (await submit()).caseId;
    const b = (await submit({ request: '补缴社保' })).caseId;
    await engine.send(a, { type: 'ACCEPT' }, A.acceptor);
    // a ground the config does not declare is refused: the report could name no article for it
    await refused(
      engine.send(a, { type: 'SUPERVISE', payload: { reason: '逾期', ground: 'lateness' } }, A.supervisor),
      'COMMAND_PAYLOAD_INVALID',
    );
    await engine.send(
      a,
      { type: 'SUPERVISE', payload: { reason: '逾期未告知', ground: 'no-acceptance-notice' } },
      A.supervisor,
    );
    await engine.send(
      a,
      { type: 'ACCOUNTABILITY', payload: { ground: 'no-acceptance-notice' } },
      A.supervisor,
    );
    await engine.send(b, { type: 'SUPERVISE', payload: { reason: '拖延', ground: 'delay' } }, A.supervisor);
    // a leader takes charge of a twice (counted once), and b's petitioner's conduct is recorded
    await engine.send(
      a,
      { type: 'TAKE_CHARGE', payload: { leader: '赵六', position: '副县长' } },
      countyHead,
    );
    await engine.send(a, { type: 'TAKE_CHARGE', payload: { leader: '钱七', position: '县长' } }, countyHead);
    const conduct = { conduct: ['staying-disturbing'], publicOrder: true, facts: '滞留接待大厅' };
    await engine.send(b, { type: 'RECORD_CONDUCT', payload: { ...conduct, severity: 'minor' } }, countyHead);
    await refused(
      engine.send(b, { type: 'HAND_TO_POLICE', payload: { station: '城关派出所' } }, countyHead),
      'COMMAND_GUARD_FAILED',
    );
    await engine.send(
      b,
      { type: 'RECORD_CONDUCT', payload: { ...conduct, severity: 'serious' } },
      countyHead,
    );
    await engine.send(b, { type: 'HAND_TO_POLICE', payload: { station: '城关派出所' } }, countyHead);
    await engine.send(
      b,
      { type: 'REPORT_UP', payload: { to: ['bureau-above'], urgency: 'urgent' } },
      countyHead,
    );
    clock.advanceDays(1);
    const asOf = clock.now().toISOString();
    const read = await readCaseFacts(store, { asOf });
    const annual = annualReport(read.facts, {
      asOf,
      from: '2026-01-01',
      to: '2027-01-01',
      configs: read.configs,
    });
    expect(annual.supervision.byGround).toEqual([
      {
        key: 'no-acceptance-notice',
        name: '未在规定期限内书面告知信访人是否受理信访事项',
        basis: 'reg-2022 art. 44 (3)',
        count: 2,
        supervised: 1,
        accountability: 1,
      },
      {
        key: 'delay',
        name: '推诿、敷衍、拖延信访事项办理或者未在规定期限内办结信访事项',
        basis: 'reg-2022 art. 45 (1)',
        count: 1,
        supervised: 1,
        accountability: 0,
      },
    ]);
    expect(annual.leadership).toEqual({ takenInCharge: 1, jointReceptions: 0, jointResolved: 0 });
    expect(annual.order).toEqual({ recorded: 2, serious: 1, handedToPolice: 1 });
    expect(annual.reportedUp).toBe(1);
    // the county's joint petition-work meeting calls a's leader to talks (Reg. 39)
    expect(annual.supervision.jointMeetingMeasures).toEqual([]);
    await engine.send(
      a,
      { type: 'JOINT_MEETING_MEASURE', payload: { measure: 'talks', reason: '逾期未告知' } },
      { id: 'jm-1', role: 'supervisor', unit: 'county-joint-meeting' },
    );
    const later = annualReport((await readCaseFacts(store, { asOf })).facts, {
      asOf: clock.now().toISOString(),
      from: '2026-01-01',
      to: '2027-01-01',
      configs: read.configs,
    });
    expect(later.supervision.jointMeetingMeasures).toEqual([{ key: 'talks', name: '约谈', count: 1 }]);
  });
});
