/**
 * A receipt (送达) decides the petitioner's rights: the review window runs 30 days from it
 * (Reg. 35), so a date earlier than the truth takes days from the petitioner. Whoever claims a
 * date (staff by `RECEIPT`, a receiver's reply through the dispatcher, an embedder calling
 * `recordReceipt`), it never predates the document's issue or delivery and never falls after the
 * channel's deemed date; a receiver's date counts only when signed or on a trusted channel; a
 * malformed reply is a failed attempt. Every date below is worked from national.yaml's
 * `delivery` rules: webhook and in-person deemed on the day of delivery, post 7 days after posting.
 */

import { describe, expect, it } from 'vitest';
import type { JurisdictionConfig } from '../../src/config/types.js';
import { createDispatcher, type DeliveryReceipt, type Notifier } from '../../src/delivery/index.js';
import { createMemoryStore } from '../../src/store/index.js';
import type { CaseStore, OutboxRow } from '../../src/store/types.js';
import { A, deadline, setup } from '../engine/helpers.js';
import { refused } from '../engine/refused.js';

/**
 * A case whose handling opinion was issued on 2026-03-12 (accepted 03-02 at 09:00 Shanghai, ten
 * days on), not yet delivered.
 */
async function opinionOn0312() {
  const store = createMemoryStore();
  const ctx = setup({ store });
  const { caseId } = await ctx.submit();
  await ctx.engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
  ctx.clock.advanceDays(10);
  await ctx.engine.send(
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
  const opinion = (await store.outbox({ caseId })).find((r) => r.payload.documentId === 'handling-opinion');
  if (!opinion) throw new Error('no handling opinion row');
  return { ...ctx, store, caseId, opinion };
}

/** A notifier on channel `channel` that answers every delivery with `reply`. */
function answering(channel: string, reply: () => unknown): Notifier & { sent: string[] } {
  const sent: string[] = [];
  return {
    channel,
    sent,
    async deliver(m) {
      sent.push(m.id);
      return reply() as DeliveryReceipt;
    },
  };
}

async function receipts(store: CaseStore, caseId: string) {
  return (await store.events(caseId))
    .filter((e) => e.type === 'RECEIPT')
    .map((e) => (e.payload.command as { receivedAt: string }).receivedAt);
}

type Ctx = Awaited<ReturnType<typeof opinionOn0312>>;

function dispatcherOf(ctx: Ctx, notifier: Notifier, config: JurisdictionConfig = ctx.config) {
  return createDispatcher({
    store: ctx.store,
    notifiers: { document: notifier },
    clock: ctx.clock,
    owner: 'd-1',
    config,
    receipts: ctx.engine,
    maxAttempts: 3,
    backoff: { baseMs: 1000, maxMs: 4000 },
    random: () => 1,
  });
}

describe('RECEIPT by staff', () => {
  it('is refused before the opinion was issued (RECEIPT_IMPLAUSIBLE), nothing written; on the day of issue it stands', async () => {
    const ctx = await opinionOn0312();
    const before = await ctx.store.events(ctx.caseId);
    const rowsBefore = await ctx.store.deadlines(ctx.caseId);
    const e = await refused(
      ctx.engine.send(ctx.caseId, { type: 'RECEIPT', payload: { receivedAt: '2026-03-11' } }, A.registrar),
      'RECEIPT_IMPLAUSIBLE',
    );
    expect(e.details).toMatchObject({
      reason: 'before-issue',
      earliest: '2026-03-12',
      receivedAt: '2026-03-11',
    });
    // the ACCEPT date, long before the opinion existed: the attack of issue 17
    await refused(
      ctx.engine.send(
        ctx.caseId,
        { type: 'RECEIPT', payload: { receivedAt: '2026-03-02' } },
        A.handlerBureau,
      ),
      'RECEIPT_IMPLAUSIBLE',
    );
    expect(await ctx.store.events(ctx.caseId)).toEqual(before);
    expect(await ctx.store.deadlines(ctx.caseId)).toEqual(rowsBefore);

    await ctx.engine.send(
      ctx.caseId,
      { type: 'RECEIPT', payload: { receivedAt: '2026-03-12', method: 'in-person' } },
      A.registrar,
    );
    expect(await receipts(ctx.store, ctx.caseId)).toEqual(['2026-03-12']);
    expect(await deadline(ctx.store, ctx.caseId, 'reviewWindow')).toMatchObject({ startDate: '2026-03-12' });
  });

  it('may not name a date after the deemed date a posting fixed; an earlier postal receipt stands', async () => {
    const ctx = await opinionOn0312();
    // posted on 03-12: deemed received 7 days later, 03-19, kept as a pending receipt row
    await dispatcherOf(
      ctx,
      answering('post', () => ({})),
    ).runUntilIdle();
    const [pending] = await ctx.store.outbox({ caseId: ctx.caseId, status: 'pending' });
    expect(pending?.payload.receipt).toMatchObject({ receivedAt: '2026-03-19', deemed: true });

    ctx.clock.advanceDays(10); // 03-22: a claim of 03-20 is not in the future, but after 03-19
    const e = await refused(
      ctx.engine.send(ctx.caseId, { type: 'RECEIPT', payload: { receivedAt: '2026-03-20' } }, A.registrar),
      'RECEIPT_IMPLAUSIBLE',
    );
    expect(e.details).toMatchObject({ reason: 'after-deemed', latest: '2026-03-19' });
    expect(await receipts(ctx.store, ctx.caseId)).toEqual([]);

    // the postal receipt shows 03-14: proof of an earlier date wins; the pending row then records nothing
    await ctx.engine.send(
      ctx.caseId,
      { type: 'RECEIPT', payload: { receivedAt: '2026-03-14', method: 'post' } },
      A.registrar,
    );
    const report = await dispatcherOf(
      ctx,
      answering('post', () => ({})),
    ).runUntilIdle();
    expect(report.outcomes).toEqual([expect.objectContaining({ channel: 'receipt', status: 'delivered' })]);
    expect(await receipts(ctx.store, ctx.caseId)).toEqual(['2026-03-14']);
  });
});

describe("a receiver's reply", () => {
  it('counts its date only when the notifier authenticated it; unsigned, the delivery counts and the deemed date stands', async () => {
    const ctx = await opinionOn0312();
    // an unsigned 2xx reply claiming receipt long before the opinion existed
    const unsigned = answering('webhook', () => ({ receivedAt: '2020-01-01' }));
    const report = await dispatcherOf(ctx, unsigned).runUntilIdle();
    expect(report.delivered).toBe(2);
    const outcome = report.outcomes.find((o) => o.id === ctx.opinion.id);
    expect(outcome).toMatchObject({
      status: 'delivered',
      refused: { receivedAt: '2020-01-01', reason: 'unsigned' },
    });
    // webhook: deemed received on the day of delivery, 03-12
    expect(await receipts(ctx.store, ctx.caseId)).toEqual(['2026-03-12']);
    const row = (await ctx.store.outbox({ caseId: ctx.caseId })).find((r) => r.id === ctx.opinion.id);
    expect(row?.receipt).toMatchObject({
      receivedAt: '2026-03-12',
      deemed: true,
      refused: { reason: 'unsigned' },
    });
  });

  it('signed but before the issue, or after the deemed date: refused, the deemed date stands', async () => {
    const early = await opinionOn0312();
    const signedEarly = answering('webhook', () => ({ receivedAt: '2026-03-11', authenticated: true }));
    const r1 = await dispatcherOf(early, signedEarly).runUntilIdle();
    expect(r1.outcomes.find((o) => o.id === early.opinion.id)?.refused).toEqual({
      receivedAt: '2026-03-11',
      reason: 'before-issue',
    });
    expect(await receipts(early.store, early.caseId)).toEqual(['2026-03-12']);

    // post, posted 03-12, deemed 03-19; a signed reply claiming 03-21 (checked on 03-22)
    const late = await opinionOn0312();
    late.clock.advanceDays(10);
    const signedLate = answering('post', () => ({
      deliveredAt: '2026-03-12T01:00:00.000Z',
      receivedAt: '2026-03-21',
      authenticated: true,
    }));
    const r2 = await dispatcherOf(late, signedLate).runUntilIdle();
    expect(r2.outcomes.find((o) => o.id === late.opinion.id)?.refused).toEqual({
      receivedAt: '2026-03-21',
      reason: 'after-deemed',
    });
    expect(await receipts(late.store, late.caseId)).toEqual(['2026-03-19']);
  });

  it('counts a signed date within the bounds, and an unsigned one on a channel the config trusts', async () => {
    // posted at issue (03-12), the signed reply proves receipt on 03-15; dispatched on 03-17
    const signed = await opinionOn0312();
    signed.clock.advanceDays(5);
    const post = answering('post', () => ({
      deliveredAt: '2026-03-12T01:00:00.000Z',
      receivedAt: '2026-03-15',
      authenticated: true,
    }));
    await dispatcherOf(signed, post).runUntilIdle();
    expect(await receipts(signed.store, signed.caseId)).toEqual(['2026-03-15']);

    const trusted = await opinionOn0312();
    const config = structuredClone(trusted.config);
    const amqp = config.delivery?.channels.amqp;
    if (amqp) amqp.trusted = true;
    trusted.clock.advanceDays(1); // 03-13, delivered today; the bus says the petitioner read it today
    await dispatcherOf(
      trusted,
      answering('amqp', () => ({ receivedAt: '2026-03-13' })),
      config,
    ).runUntilIdle();
    expect(await receipts(trusted.store, trusted.caseId)).toEqual(['2026-03-13']);
  });
});

describe('recordReceipt from an embedder', () => {
  it('refuses another document, a delivery outside issue..now, a proof before the issue; nothing written; a deemed date is the rule’s', async () => {
    const ctx = await opinionOn0312();
    const before = await ctx.store.events(ctx.caseId);
    const at = ctx.clock.now().toISOString();
    const forged = { ...ctx.opinion, id: `${ctx.caseId}:99:handling-opinion` } as OutboxRow;
    const ok = { channel: 'webhook', deliveredAt: at, receivedAt: '2026-03-12', deemed: true };
    const cases: [OutboxRow, typeof ok, string][] = [
      [forged, ok, 'unknown-document'],
      [
        ctx.opinion,
        { ...ok, deliveredAt: '2026-03-11T01:00:00.000Z', receivedAt: '2026-03-11' },
        'delivery-out-of-range',
      ],
      [ctx.opinion, { ...ok, deliveredAt: '2026-04-01T01:00:00.000Z' }, 'delivery-out-of-range'],
      [ctx.opinion, { ...ok, receivedAt: '2026-03-10', deemed: false }, 'before-issue'],
    ];
    for (const [row, receipt, reason] of cases) {
      const e = await refused(ctx.engine.recordReceipt(row, receipt), 'RECEIPT_IMPLAUSIBLE');
      expect(e.details.reason, reason).toBe(reason);
    }
    expect(await ctx.store.events(ctx.caseId)).toEqual(before);
    expect(await ctx.store.outbox({ caseId: ctx.caseId, status: 'pending' })).toHaveLength(2);

    // a deemed date is the case's own rule, whatever the caller says it is (webhook: 0 days)
    expect(await ctx.engine.recordReceipt(ctx.opinion, { ...ok, receivedAt: '2026-03-10' })).toBe('recorded');
    expect(await receipts(ctx.store, ctx.caseId)).toEqual(['2026-03-12']);
  });
});

describe('a poisoned reply', () => {
  const poisons: [string, () => unknown, string][] = [
    ['a receivedAt that is no date', () => ({ receivedAt: 'garbage' }), 'receivedAt'],
    ['a receivedAt of the wrong type', () => ({ receivedAt: 20260312 }), 'receivedAt'],
    ['a calendar day that does not exist', () => ({ receivedAt: '2026-02-30' }), 'receivedAt'],
    ['a huge receivedAt', () => ({ receivedAt: `2026-03-12${' '.repeat(1_000_000)}` }), 'receivedAt'],
    ['huge details', () => ({ details: { blob: 'x'.repeat(100_000) } }), 'details'],
    ['a deliveredAt that is no instant', () => ({ deliveredAt: 'yesterday' }), 'deliveredAt'],
    ['a reply that is no object', () => 'OK', ''],
  ];

  for (const [what, reply, field] of poisons) {
    it(`is recorded as a bad reply, retried with backoff and dead-lettered: ${what}`, async () => {
      const ctx = await opinionOn0312();
      const dead: string[] = [];
      const d = createDispatcher({
        store: ctx.store,
        notifiers: { document: answering('webhook', reply) },
        clock: ctx.clock,
        owner: 'd-1',
        config: ctx.config,
        receipts: ctx.engine,
        maxAttempts: 3,
        backoff: { baseMs: 1000, maxMs: 4000 },
        random: () => 1,
        onDead: (row, error) => void dead.push(`${row.id} ${error.slice(0, 21)}`),
      });
      const waits: number[] = [];
      for (let round = 0; round < 3; round++) {
        const r = await d.runOnce();
        // both documents (acceptance notice, opinion) fail alike; the opinion is the one that matters
        const o = r.outcomes.find((x) => x.id === ctx.opinion.id);
        expect(o, `round ${round}`).toMatchObject({ code: 'RECEIPT_REPLY_INVALID', attempts: round + 1 });
        expect(o?.error).toContain(`${field} `);
        if (o?.nextAttemptAt) {
          waits.push(Date.parse(o.nextAttemptAt) - ctx.clock.now().getTime());
          ctx.clock.set(o.nextAttemptAt);
        } else expect(o?.status).toBe('dead');
      }
      expect(waits).toEqual([1000, 2000]);
      const row = (await ctx.store.outbox({ caseId: ctx.caseId })).find((r) => r.id === ctx.opinion.id);
      expect(row).toMatchObject({ status: 'dead', attempts: 3 });
      expect(row?.lastError).toMatch(/^RECEIPT_REPLY_INVALID: /);
      expect(row?.lastError?.length).toBeLessThan(500);
      expect(dead).toContain(`${ctx.opinion.id} RECEIPT_REPLY_INVALID`);
      // no receipt from a reply nobody could read: the window has not started
      expect(await receipts(ctx.store, ctx.caseId)).toEqual([]);
    });
  }
});
