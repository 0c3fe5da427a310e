/** Refusals, idempotency, concurrency, recusal, redaction, verification. */

import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/store/index.js';
import type { CaseStore } from '../../src/store/types.js';
import { A, petition, setup } from './helpers.js';
import { refused } from './refused.js';

describe('refusals write nothing', () => {
  it('refuses with coded errors that locate the command', async () => {
    const { engine, store, submit } = setup();
    const { caseId } = await submit();
    const before = await store.events(caseId);

    const unknown = await refused(engine.send(caseId, { type: 'ACCPET' }, A.acceptor), 'COMMAND_UNKNOWN');
    expect(unknown.details).toMatchObject({
      caseId,
      state: 'registered',
      command: 'ACCPET',
      suggestion: 'ACCEPT',
    });
    const state = await refused(
      engine.send(
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
      ),
      'COMMAND_NOT_ALLOWED_IN_STATE',
    );
    expect(state.details.allowed).toContain('ACCEPT');
    expect(state.details.actor).toEqual(A.handlerBureau);
    await refused(engine.send(caseId, { type: 'ACCEPT' }, A.handlerBureau), 'COMMAND_ROLE_FORBIDDEN');
    // the city petition bureau reads the case (the bureau under the body one level up) but is
    // not the responsible unit; the county HRSS bureau is not involved and may not read it
    await refused(
      engine.send(caseId, { type: 'ACCEPT' }, { id: 'acc-9', role: 'acceptor', unit: 'city-bureau' }),
      'COMMAND_UNIT_FORBIDDEN',
    );
    await refused(engine.send(caseId, { type: 'ACCEPT' }, A.hrssAcceptor), 'CASE_NOT_FOUND');
    const bad = await refused(
      engine.send(caseId, { type: 'TRANSFER', payload: { reason: 1 } }, A.acceptor),
      'COMMAND_PAYLOAD_INVALID',
    );
    expect(bad.details.problems).toEqual([
      { pointer: '/unit', message: 'is required' },
      { pointer: '/reason', message: 'must be string' },
    ]);
    await refused(
      engine.send(caseId, { type: 'TRANSFER', payload: { unit: 'county-bureau' } }, A.acceptor),
      'COMMAND_PAYLOAD_INVALID',
    );
    await refused(
      engine.send(caseId, { type: 'ACCEPT', payload: { extra: true } }, A.acceptor),
      'COMMAND_PAYLOAD_INVALID',
    );
    await refused(engine.send(caseId, { type: 'disposal.expired' }, A.acceptor), 'COMMAND_ROLE_FORBIDDEN');
    await refused(
      engine.send(caseId, { type: 'ACCEPT' }, { id: 'x', role: 'janitor', unit: 'county-bureau' }),
      'ACTOR_INVALID',
    );
    await refused(
      engine.send(caseId, { type: 'ACCEPT' }, { id: 'x', role: 'acceptor', unit: 'mars' }),
      'ACTOR_INVALID',
    );
    await refused(engine.send('XF-1999-000001', { type: 'ACCEPT' }, A.acceptor), 'CASE_NOT_FOUND');
    expect(await store.events(caseId)).toEqual(before);
    expect(await store.outbox({ caseId })).toEqual([]);
  });

  it('lists every problem of an invalid petition', async () => {
    const { engine } = setup();
    const e = await refused(
      engine.submit(
        petition({
          channel: 'pigeon',
          summary: undefined,
          petitioner: { name: '', idNumber: '123' },
          receivingUnit: 'mars',
          colour: 'red',
        }),
        A.registrar,
      ),
      'PETITION_INVALID',
    );
    const pointers = (e.details.problems as { pointer: string }[]).map((p) => p.pointer).sort();
    expect(pointers).toEqual([
      '/channel',
      '/colour',
      '/petitioner/idNumber',
      '/petitioner/name',
      '/receivingUnit',
      '/summary',
    ]);
    await refused(engine.submit(petition(), A.acceptor), 'COMMAND_ROLE_FORBIDDEN');
  });

  it('refuses a recused actor everywhere after the declaration (Reg. 28)', async () => {
    const { engine, store, submit } = setup();
    const { caseId } = await submit();
    expect(await engine.allowedCommands(caseId, A.acceptor)).toContain('DECLARE_INTEREST');
    await engine.send(caseId, { type: 'DECLARE_INTEREST' }, A.acceptor);
    expect((await store.getCase(caseId))?.data.recused).toEqual(['acc-1']);
    await refused(engine.send(caseId, { type: 'ACCEPT' }, A.acceptor), 'COMMAND_ACTOR_RECUSED');
    await refused(engine.send(caseId, { type: 'DECLARE_INTEREST' }, A.acceptor), 'COMMAND_ACTOR_RECUSED');
    await refused(engine.send(caseId, { type: 'DECLARE_INTEREST' }, A.petitioner), 'COMMAND_ROLE_FORBIDDEN');
    expect(await engine.allowedCommands(caseId, A.acceptor)).toEqual([]);
    await engine.send(caseId, { type: 'ACCEPT' }, { ...A.acceptor, id: 'acc-9' });
  });
});

describe('idempotency and concurrency', () => {
  it('returns the first result for a repeated key and refuses the key for another request', async () => {
    const { engine, store } = setup();
    const first = await engine.submit(petition(), A.registrar, { idempotencyKey: 'k1' });
    // the replay is the first result, less the query code it handed over once (never stored)
    const { queryCodes, ...stored } = first;
    expect(queryCodes).toHaveLength(1);
    expect(await engine.submit(petition(), A.registrar, { idempotencyKey: 'k1' })).toEqual(stored);
    expect(await store.query({})).toHaveLength(1);
    await refused(
      engine.submit(petition({ request: '别的' }), A.registrar, { idempotencyKey: 'k1' }),
      'IDEMPOTENCY_CONFLICT',
    );

    const sent = await engine.send(first.caseId, { type: 'ACCEPT' }, A.acceptor, { idempotencyKey: 'k2' });
    const again = await engine.send(first.caseId, { type: 'ACCEPT' }, A.acceptor, { idempotencyKey: 'k2' });
    expect(again).toEqual(sent);
    expect((await store.getCase(first.caseId))?.version).toBe(2);
    await refused(
      engine.send(first.caseId, { type: 'EXTEND', payload: { days: 1, reason: 'x' } }, A.acceptor, {
        idempotencyKey: 'k2',
      }),
      'IDEMPOTENCY_CONFLICT',
    );
    // keys are scoped to the actor: the same key from someone else is another key, neither a
    // replay of the first result nor a conflict revealing it
    const other = await engine.send(
      first.caseId,
      { type: 'EXTEND', payload: { days: 1, reason: 'x' } },
      A.headBureau,
      { idempotencyKey: 'k2' },
    );
    expect(other).not.toEqual(sent);
    expect(other.version).toBe(3);
    expect((await store.getCase(first.caseId))?.version).toBe(3);
  });

  it('refuses a stale expected version and writes nothing', async () => {
    const { engine, store, submit } = setup();
    const { caseId, version } = await submit();
    await engine.send(caseId, { type: 'REPORT_UP' }, A.registrar, { expectedVersion: version });
    await refused(
      engine.send(caseId, { type: 'ACCEPT' }, A.acceptor, { expectedVersion: version }),
      'CONCURRENCY_CONFLICT',
    );
    expect((await store.getCase(caseId))?.version).toBe(2);
  });

  it('re-checks a command when another writer got in first', async () => {
    const inner = createMemoryStore();
    let interfere: (() => Promise<void>) | undefined;
    const racing: CaseStore = {
      ...inner,
      capabilities: inner.capabilities,
      async append(batch) {
        const go = interfere;
        interfere = undefined;
        if (go) await go();
        return inner.append(batch);
      },
    };
    const { engine, store, submit } = setup({ store: racing });
    const { caseId } = await submit();
    interfere = async () => {
      await engine.send(caseId, { type: 'REPORT_UP' }, A.registrar);
    };
    await engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
    expect((await store.events(caseId)).map((e) => e.type)).toEqual(['SUBMITTED', 'REPORT_UP', 'ACCEPT']);
    expect(await engine.verify(caseId)).toMatchObject({ ok: true });
  });
});

describe('personal information and accusation material (Reg. 30)', () => {
  const accusing = {
    kind: 'accusation',
    accused: '李四',
    accusation: '李四收受贿赂',
    respondentUnit: 'county-hrss',
  };

  it('shows personal fields to the roles allowed and hides accusation material from the accused', async () => {
    const { engine, submit } = setup();
    const { caseId } = await submit(accusing);
    const staff = await engine.get(caseId, A.handlerBureau);
    expect(staff.data.petition).toMatchObject({ petitioner: { name: '张三' }, accusation: '李四收受贿赂' });
    expect(staff.redacted).toEqual([]);

    // the accused unit does not learn the accusation exists (Reg. 30): as if there were no case
    await refused(engine.get(caseId, A.hrssHandler), 'CASE_NOT_FOUND');
    await refused(engine.history(caseId, A.hrssHandler), 'CASE_NOT_FOUND');
    await refused(engine.documents(caseId, A.hrssHandler), 'CASE_NOT_FOUND');
    const accusedPerson = await engine.get(caseId, {
      id: 'li4',
      name: '李四',
      role: 'handler',
      unit: 'county-bureau',
    });
    expect(accusedPerson.data.petition).not.toHaveProperty('accusation');

    const registrar = await engine.get(caseId, A.registrar);
    expect(registrar.data.petition).toHaveProperty('petitioner.name', '张三');
    expect(registrar.data.petition).not.toHaveProperty('accusation');

    const own = await engine.get(caseId, A.petitioner);
    expect(own.data.petition).toHaveProperty('petitioner.idNumber');
    // another petitioner reads nothing of it, not even that it exists
    await refused(engine.get(caseId, A.stranger), 'CASE_NOT_FOUND');
    await refused(engine.history(caseId, A.stranger), 'CASE_NOT_FOUND');

    const [forStaff] = await engine.history(caseId, A.handlerBureau);
    expect(forStaff?.payload.petition).toHaveProperty('accusation');

    expect((await engine.query({ jurisdictionId: 'cn.national' }, A.hrssHandler)).cases).toEqual([]);
    expect((await engine.query({ jurisdictionId: 'cn.national' }, A.stranger)).cases).toEqual([]);
    expect(
      (await engine.query({ jurisdictionId: 'cn.national' }, A.petitioner)).cases.map((c) => c.caseId),
    ).toEqual([caseId]);
  });
});

describe('verify', () => {
  it('finds a changed, a missing and a cut-off event', async () => {
    const inner = createMemoryStore();
    let tamper: ((events: Awaited<ReturnType<CaseStore['events']>>) => typeof events) | undefined;
    const store: CaseStore = {
      ...inner,
      capabilities: inner.capabilities,
      async events(caseId, from) {
        const events = await inner.events(caseId, from);
        return tamper ? tamper(events) : events;
      },
    };
    const { engine, submit } = setup({ store });
    const { caseId } = await submit();
    await engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
    await engine.send(
      caseId,
      {
        type: 'OPINION',
        // explained: an opinion that starts no follow-through period (a supported one would, and
        // the edit below would also orphan that period's row)
        payload: {
          outcome: 'explained',
          findings: '经调查核实，情况属实。',
          legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
        },
      },
      A.handlerBureau,
    );
    expect(await engine.verify(caseId)).toEqual({ ok: true, problems: [] });

    tamper = (es) =>
      es.map((e) =>
        e.seq === 3
          ? {
              ...e,
              payload: {
                ...e.payload,
                command: { ...(e.payload.command as object), outcome: 'not-supported' },
              },
            }
          : e,
      );
    expect((await engine.verify(caseId)).problems.map((p) => [p.seq, p.code])).toEqual([
      [3, 'EVENT_CHANGED'],
      [3, 'PROJECTION_MISMATCH'],
      // the opinion's document row carries the decision its (now edited) event no longer makes
      [3, 'OUTBOX_MISMATCH'],
    ]);
    tamper = (es) => es.filter((e) => e.seq !== 2);
    expect((await engine.verify(caseId)).problems.map((p) => p.code)).toContain('EVENT_MISSING');
    tamper = (es) => es.slice(0, 2);
    expect((await engine.verify(caseId)).problems.map((p) => p.code)).toContain('EVENTS_CUT_OFF');
  });
});
