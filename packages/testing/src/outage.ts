/**
 * The outage drill every network notifier runs: a receiver that loses replies, then is down for
 * several attempts, then comes back, must end up with every message, exactly once after
 * dropping repeats by idempotency key. Driven through the real dispatcher, on the memory store,
 * with a manual clock; the outage is a TCP proxy in front of the real server.
 */

import { createDispatcher, createMemoryStore, ManualClock, type Notifier } from '@xinfang/core';
import { expect } from 'vitest';
import { type ReceivedMessage, sampleMessage } from './notifier-conformance.js';
import { FIXTURE_EPOCH, makeOutboxRow, seedCase } from './store-fixtures.js';
import type { TcpProxy } from './tcp-proxy.js';

/** Options of {@link outageDrill}. */
export interface OutageDrillOptions {
  /** A notifier whose receiver is reached through `proxy`, with a short timeout (the drill waits it out). */
  notifier: Notifier;
  proxy: TcpProxy;
  /** What the real receiver got so far. */
  received: () => Promise<ReceivedMessage[]>;
  /** @default 4 */
  messages?: number;
  /** Rounds while the receiver is down. @default 3 */
  downRounds?: number;
  /** Lose the replies to the first round (the receiver gets each message, the sender hears nothing). @default true */
  loseReplies?: boolean;
}

/** What the drill saw. */
export interface OutageDrillResult {
  ids: string[];
  /** Keys as received, repeats included. */
  keys: string[];
  /** Failed attempts each row recorded before it was delivered. */
  attempts: number[];
}

/** Runs the drill and asserts its outcome; returns what it saw. */
export async function outageDrill(options: OutageDrillOptions): Promise<OutageDrillResult> {
  const { notifier, proxy } = options;
  const n = options.messages ?? 4;
  const downRounds = options.downRounds ?? 3;
  const store = createMemoryStore();
  const clock = new ManualClock(FIXTURE_EPOCH);
  const caseId = 'XF-2026-000777';
  const rows = Array.from({ length: n }, (_, i) =>
    makeOutboxRow(caseId, 1, i + 1, {
      channel: 'document',
      kind: 'document',
      payload: sampleMessage().payload,
    }),
  );
  await seedCase(store, caseId, { outbox: rows });
  const dispatcher = createDispatcher({
    store,
    notifiers: { document: notifier },
    clock,
    owner: 'outage-drill',
    maxAttempts: 8,
    backoff: { baseMs: 1000, maxMs: 60_000 },
    random: () => 0.5,
  });
  const pending = async () => store.outbox({ status: 'pending' });
  /** Moves the clock to the latest retry time, so the next round claims every pending row. */
  const skipToRetries = async () => {
    const latest = Math.max(...(await pending()).map((r) => Date.parse(r.nextAttemptAt)));
    if (Number.isFinite(latest) && latest > clock.now().getTime()) clock.set(new Date(latest));
  };

  let rounds = 0;
  if (options.loseReplies ?? true) {
    proxy.setMode('drop-replies');
    const r = await dispatcher.runOnce();
    rounds++;
    expect(r).toMatchObject({ claimed: n, delivered: 0, retried: n, dead: 0 });
    await skipToRetries();
  }
  proxy.setMode('refuse');
  for (let i = 0; i < downRounds; i++) {
    const r = await dispatcher.runOnce();
    rounds++;
    expect(r, `round ${rounds} while down`).toMatchObject({ claimed: n, delivered: 0, retried: n, dead: 0 });
    await skipToRetries();
  }
  proxy.setMode('pass');
  const back = await dispatcher.runUntilIdle();
  expect(back).toMatchObject({ delivered: n, dead: 0 });

  const done = await store.outbox({ caseId });
  expect(done.map((r) => r.status)).toEqual(rows.map(() => 'delivered'));
  const attempts = done.map((r) => r.attempts);
  expect(attempts).toEqual(rows.map(() => rounds));
  expect(done.map((r) => r.receipt?.attempts)).toEqual(rows.map(() => rounds + 1));
  const keys = (await options.received()).map((m) => m.key);
  const ids = rows.map((r) => r.id);
  // every message arrived; after dropping repeats by key, exactly once each
  expect([...new Set(keys)].sort()).toEqual([...ids].sort());
  if (options.loseReplies ?? true) expect(keys.length).toBeGreaterThan(ids.length);
  return { ids, keys, attempts };
}
