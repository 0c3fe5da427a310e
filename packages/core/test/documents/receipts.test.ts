/**
 * Receipts close the loop (Reg. 35-36: the review windows count from receipt): a delivered
 * opinion's receipt is recorded by the system, at once or on its deemed date, through the
 * dispatcher and the engine alone, and the pending receipt is durable (a store row).
 */

import { describe, expect, it } from 'vitest';
import { createDispatcher, type Notifier, type NotifierMessage } from '../../src/delivery/index.js';
import { createEngine } from '../../src/engine/index.js';
import { createMemoryStore } from '../../src/store/index.js';
import { A, deadline, mainland, nationalConfig, setup } from '../engine/helpers.js';
import { TEST_IDENTITY_KEYS } from '../keys.js';

/** A notifier on the document channel that reports delivery by post (deemed 7 days later). */
function postOffice(): Notifier & { sent: NotifierMessage[] } {
  const sent: NotifierMessage[] = [];
  return {
    channel: 'post',
    sent,
    async deliver(m) {
      sent.push(m);
      return { channel: 'post' };
    },
  };
}

describe('receipts from delivery', () => {
  it('records RECEIPT 7 days after posting, as the system, and the review window runs from it', async () => {
    const store = createMemoryStore();
    const { engine, clock, config, submit } = setup({ store });
    const post = postOffice();
    const dispatcher = () =>
      createDispatcher({
        store,
        notifiers: { document: post },
        clock,
        owner: 'd-1',
        config,
        receipts: engine,
      });

    const { caseId } = await submit();
    await engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
    clock.advanceDays(10);
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
      A.handlerBureau,
    );
    const posted = clock.now().toISOString();
    expect((await dispatcher().runUntilIdle()).delivered).toBe(2);
    expect(post.sent.map((m) => m.payload.documentId)).toEqual(['acceptance-notice', 'handling-opinion']);

    // the deemed date is ahead: nothing recorded yet, a pending receipt row waits in the store
    expect((await store.events(caseId)).at(-1)?.type).toBe('OPINION');
    const [pending] = await store.outbox({ caseId, status: 'pending' });
    expect(pending).toMatchObject({ channel: 'receipt', kind: 'receipt', status: 'pending' });
    expect(pending?.nextAttemptAt).toBe('2026-03-18T16:00:00.000Z'); // 2026-03-19 00:00 in Shanghai

    // six days on: not yet due
    clock.advanceDays(6);
    expect((await dispatcher().runUntilIdle()).claimed).toBe(0);

    // a restarted process (a new engine and dispatcher over the same store) records it on day 7
    clock.advanceDays(1);
    const restarted = createEngine({
      configs: [nationalConfig()],
      calendars: [mainland()],
      store,
      clock,
      identityKeys: TEST_IDENTITY_KEYS,
    });
    const report = await createDispatcher({
      store,
      notifiers: {},
      clock,
      owner: 'd-2',
      config,
      receipts: restarted,
    }).runUntilIdle();
    expect(report.outcomes).toEqual([expect.objectContaining({ channel: 'receipt', status: 'delivered' })]);
    const receipt = (await store.events(caseId)).at(-1);
    expect(receipt).toMatchObject({
      type: 'RECEIPT',
      actor: { role: 'system' },
      payload: { command: { receivedAt: '2026-03-19', method: 'post' } },
    });
    expect(posted.slice(0, 10)).toBe('2026-03-12');
    const window = await deadline(store, caseId, 'reviewWindow');
    expect(window).toMatchObject({ startDate: '2026-03-19', status: 'running' });
    expect((await store.outbox({ caseId, status: 'pending' })).length).toBe(0);
    expect(await engine.verify(caseId)).toEqual({ ok: true, problems: [] });

    // handed back again (at-least-once): the first result again (keyed by the document), nothing twice
    expect(
      await restarted.recordReceipt(
        {
          id: String(pending?.payload.document),
          caseId,
          seq: 3,
          payload: { documentId: 'handling-opinion' },
        },
        { channel: 'post', deliveredAt: posted, receivedAt: '2026-03-19', deemed: true },
      ),
    ).toBe('recorded');
    expect((await store.events(caseId)).filter((e) => e.type === 'RECEIPT').length).toBe(1);
  });

  it('records a same-day receipt at delivery, and none for a notice that starts no window', async () => {
    const store = createMemoryStore();
    const { engine, clock, config, submit } = setup({ store });
    const online: Notifier = { channel: 'webhook', deliver: async () => ({}) };
    const d = createDispatcher({
      store,
      notifiers: { document: online },
      clock,
      owner: 'd',
      config,
      receipts: engine,
    });
    const { caseId } = await submit();
    await engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
    await d.runUntilIdle();
    expect((await store.events(caseId)).at(-1)?.type).toBe('ACCEPT');
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
    await d.runUntilIdle();
    expect((await store.events(caseId)).at(-1)).toMatchObject({
      type: 'RECEIPT',
      payload: { command: { receivedAt: '2026-03-02', method: 'webhook' } },
    });
    expect(await store.outbox({ caseId, status: 'pending' })).toEqual([]);
  });
});
