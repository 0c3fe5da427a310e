/** Receipt dates (送达) and the outbox dispatcher's retry, backoff and dead-letter rules. */

import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/base/clock.js';
import {
  backoffDelay,
  createDispatcher,
  type Notifier,
  type NotifierMessage,
  NotifyError,
  receiptCommand,
  receiptFor,
} from '../../src/delivery/index.js';
import { createMemoryStore } from '../../src/store/index.js';
import type { OutboxRow } from '../../src/store/types.js';
import { national } from './helpers.js';

const T0 = '2026-03-02T01:00:00.000Z';

function row(n: number, overrides: Partial<OutboxRow> = {}): OutboxRow {
  return {
    id: `XF-2026-000001:2:doc-${n}`,
    caseId: 'XF-2026-000001',
    seq: 2,
    channel: 'document',
    recipient: 'p-1',
    kind: 'document',
    payload: { documentId: 'handling-opinion', text: '处理意见' },
    status: 'pending',
    attempts: 0,
    nextAttemptAt: T0,
    createdAt: T0,
    ...overrides,
  };
}

async function storeWith(rows: OutboxRow[]) {
  const store = createMemoryStore();
  await store.append({
    caseId: 'XF-2026-000001',
    expectedVersion: 0,
    events: [
      {
        caseId: 'XF-2026-000001',
        seq: 1,
        type: 'SUBMITTED',
        at: T0,
        actor: { id: 'reg-1', role: 'registrar' },
        payload: {},
        configId: 'cn.national',
        configVersion: '1',
        configHash: 'h',
        calendarVersion: '1',
        prevHash: '',
        hash: 'a'.repeat(64),
      },
    ],
    projection: {
      caseId: 'XF-2026-000001',
      jurisdictionId: 'cn.national',
      configVersion: '1',
      configHash: 'h',
      version: 1,
      state: 'registered',
      stage: 'registration',
      colour: 'green',
      redReasons: [],
      violations: [],
      createdAt: T0,
      updatedAt: T0,
      headHash: 'a'.repeat(64),
      data: {},
    },
    outbox: rows,
  });
  return store;
}

/** A notifier that fails as scripted per call, and records what it was handed. */
function scripted(
  script: (m: NotifierMessage, call: number) => void,
): Notifier & { calls: NotifierMessage[] } {
  const calls: NotifierMessage[] = [];
  return {
    channel: 'webhook',
    calls,
    async deliver(m) {
      calls.push(m);
      script(m, calls.length);
      return { reference: 'ok' };
    },
  };
}

describe('receiptFor', () => {
  const config = national().value;
  it('deems receipt by the channel rule, and lets proof win', () => {
    // 2026-03-02 09:00 Beijing: posted; deemed received 7 days later
    expect(receiptFor(config, 'post', T0)).toEqual({
      channel: 'post',
      deliveredAt: T0,
      receivedAt: '2026-03-09',
      deemed: true,
      basis: 'practice (the date on the postal receipt; without one, deemed 7 days after posting)',
    });
    expect(receiptFor(config, 'post', T0, { receivedAt: '2026-03-04' })).toMatchObject({
      receivedAt: '2026-03-04',
      deemed: false,
    });
    // a delivery late in the UTC day is the next civil day in Beijing
    expect(receiptFor(config, 'webhook', '2026-03-02T17:00:00.000Z').receivedAt).toBe('2026-03-03');
    expect(receiptFor(config, 'pigeon', T0)).toEqual({ channel: 'pigeon', deliveredAt: T0, deemed: false });
  });

  it('makes the RECEIPT command once the date has come', () => {
    const r = receiptFor(national().value, 'post', T0);
    expect(receiptCommand(r, '2026-03-08')).toBeUndefined();
    expect(receiptCommand(r, '2026-03-09')).toEqual({
      type: 'RECEIPT',
      payload: { receivedAt: '2026-03-09', method: 'post' },
    });
  });
});

describe('createDispatcher', () => {
  it('hands each row to its channel with the row id as key, and acks with the receipt', async () => {
    const store = await storeWith([row(1), row(2)]);
    const notifier = scripted(() => {});
    const delivered: string[] = [];
    const d = createDispatcher({
      store,
      notifiers: { document: notifier },
      clock: new ManualClock(T0),
      owner: 'w1',
      config: national().value,
      onDelivered: (r, receipt) => {
        delivered.push(`${r.id} ${receipt.receivedAt}`);
      },
    });
    expect(await d.runUntilIdle()).toMatchObject({ claimed: 2, delivered: 2 });
    expect(notifier.calls.map((m) => m.id)).toEqual([row(1).id, row(2).id]);
    expect(notifier.calls[0]).toEqual({
      id: row(1).id,
      caseId: 'XF-2026-000001',
      recipient: 'p-1',
      kind: 'document',
      payload: row(1).payload,
    });
    const [first] = await store.outbox();
    expect(first).toMatchObject({
      status: 'delivered',
      receipt: { channel: 'webhook', deliveredAt: T0, receivedAt: '2026-03-02', deemed: true, attempts: 1 },
    });
    expect(delivered).toEqual([`${row(1).id} 2026-03-02`, `${row(2).id} 2026-03-02`]);
  });

  it('retries with exponential backoff and jitter, then dead-letters after maxAttempts', async () => {
    const store = await storeWith([row(1)]);
    const clock = new ManualClock(T0);
    const dead: string[] = [];
    const d = createDispatcher({
      store,
      notifiers: {
        document: scripted(() => {
          throw new NotifyError('503', { permanent: false });
        }),
      },
      clock,
      owner: 'w1',
      maxAttempts: 4,
      backoff: { baseMs: 1000, maxMs: 5000 },
      random: () => 1,
      onDead: (r, e) => {
        dead.push(`${r.id}: ${e}`);
      },
    });
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await d.runOnce();
      expect(r.claimed).toBe(1);
      const next = r.outcomes[0]?.nextAttemptAt;
      if (next) {
        waits.push(Date.parse(next) - clock.now().getTime());
        expect((await d.runOnce()).claimed).toBe(0); // not before its time
        clock.set(next);
      }
    }
    expect(waits).toEqual([1000, 2000, 4000]);
    const [r] = await store.outbox();
    expect(r).toMatchObject({ status: 'dead', attempts: 4, lastError: 'NOTIFY_FAILED: 503' });
    expect(dead).toEqual([`${row(1).id}: NOTIFY_FAILED: 503`]);
    // equal jitter: never below half the delay, capped
    expect(backoffDelay(1, {}, () => 0)).toBe(500);
    expect(backoffDelay(30, { baseMs: 1000, maxMs: 60_000 }, () => 0.5)).toBe(45_000);
  });

  it('dead-letters a permanent error at once, and retries a channel without a notifier', async () => {
    const store = await storeWith([row(1), row(2, { channel: 'fax' })]);
    const d = createDispatcher({
      store,
      notifiers: {
        document: scripted(() => {
          throw new NotifyError('400 bad request', { permanent: true });
        }),
      },
      clock: new ManualClock(T0),
      owner: 'w1',
      random: () => 0,
    });
    const r = await d.runOnce();
    expect(r.outcomes.map((o) => [o.status, o.code, o.error])).toEqual([
      ['dead', 'NOTIFY_PERMANENT', 'NOTIFY_PERMANENT: 400 bad request'],
      ['retry', undefined, 'no notifier for channel fax'],
    ]);
  });

  it('leaves a row to the dispatcher holding its lease', async () => {
    const store = await storeWith([row(1)]);
    const clock = new ManualClock(T0);
    const slow = createDispatcher({
      store,
      notifiers: {
        document: {
          channel: 'webhook',
          async deliver() {
            clock.advance(120_000); // the lease lapses while we wait
            await other.runOnce(clock.now());
            return {};
          },
        },
      },
      clock,
      owner: 'slow',
      leaseMs: 60_000,
    });
    const seen: string[] = [];
    const other = createDispatcher({
      store,
      notifiers: { document: scripted((m) => void seen.push(m.id)) },
      clock,
      owner: 'other',
    });
    const r = await slow.runOnce();
    expect(r.outcomes[0]?.status).toBe('lease-lost');
    expect(seen).toEqual([row(1).id]);
    expect((await store.outbox())[0]?.status).toBe('delivered');
  });
});
