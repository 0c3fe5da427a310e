/**
 * A crash between the receiver's acknowledgement and the receipt record must not lose the receipt
 * (issue 17): the case would stay in `opinion-issued` with no review window for good. A real
 * child process delivers the handling opinion through the webhook to a real receiver, on a
 * SQLite file, and is SIGKILLed exactly there (`fixtures/deliver-and-stall.ts`); so it is at the
 * next points, after the receipt is recorded and before the row is acked, and right after the
 * ack (where a dispatcher that acked before recording lost the receipt). A restarted dispatcher
 * then finds the row still pending once its lease lapsed, delivers it again (the receiver drops
 * the repeat by its key and answers with its first, signed reply) and the receipt is recorded
 * once, dated by the first delivery.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDispatcher, createEngine, identityKeyFile, ManualClock } from '@xinfang/core';
import {
  createWebhookNotifier,
  IDEMPOTENCY_HEADER,
  SIGNATURE_HEADER,
  signWebhookBody,
} from '@xinfang/notify-webhook';
import { createSqliteStore } from '@xinfang/storage-sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadJurisdiction } from '../shared/national.js';
import { spawnTs } from '../shared/spawn-ts.js';

const SECRET = 'webhook-secret-for-the-crash-test';
const FIXTURE = fileURLToPath(new URL('./fixtures/deliver-and-stall.ts', import.meta.url));
/** The opinion is issued at 2026-03-12 09:00 Shanghai; the doomed process delivers an hour later. */
const DELIVERED = '2026-03-12T02:00:00.000Z';
/** The restart, two days on: the lease (60 s) has long lapsed. */
const RESTART = '2026-03-14T02:00:00.000Z';

/**
 * The province's online system: keeps the first reply it gave each idempotency key and answers a
 * repeat with it (signed, naming the message, with the instant it first got it).
 */
async function startReceiver() {
  const first = new Map<string, string>();
  const keys: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = String(req.headers[IDEMPOTENCY_HEADER.toLowerCase()]);
      keys.push(id);
      // a first delivery arrives at DELIVERED on the test's simulated clock
      const body = first.get(id) ?? JSON.stringify({ id, deliveredAt: DELIVERED, receivedAt: '2026-03-12' });
      first.set(id, body);
      res.writeHead(200, {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signWebhookBody(body, SECRET),
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/inbox`,
    keys,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const jurisdiction = loadJurisdiction();
let dir: string;
let db: string;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xinfang-receipt-crash-'));
  db = join(dir, 'cases.sqlite');
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
  await rm(dir, { recursive: true, force: true });
});

function engineOn(store: ReturnType<typeof createSqliteStore>, clock: ManualClock) {
  return createEngine({
    configs: [jurisdiction.loaded.value],
    store,
    clock,
    calendars: jurisdiction.calendars,
    identityKeys: identityKeyFile(`${db}.identity.key`),
  });
}

/** The service's day: registered and accepted 2026-03-02, the handling opinion issued 03-12. */
async function opinionIssued(): Promise<string> {
  const store = createSqliteStore({ path: db });
  try {
    const clock = new ManualClock('2026-03-02T09:00:00+08:00');
    const engine = engineOn(store, clock);
    const { caseId } = await engine.submit(
      {
        channel: 'letter',
        receivedAt: '2026-03-02',
        receivingUnit: 'county-bureau',
        petitioner: { name: '陈七', address: '示范县东关街道 7 号' },
        subject: 'labour',
        summary: '工资被拖欠三个月',
        request: '督促支付工资',
      },
      { id: 'reg-1', role: 'registrar', unit: 'county-bureau' },
      { petitionerId: 'p-7' },
    );
    await engine.send(caseId, { type: 'ACCEPT' }, { id: 'acc-1', role: 'acceptor', unit: 'county-bureau' });
    clock.set('2026-03-12T09:00:00+08:00');
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
      { id: 'han-0', role: 'handler', unit: 'county-bureau' },
    );
    return caseId;
  } finally {
    await store.close();
  }
}

/** Runs the doomed process to its stall point and kills it there. */
type Stall = 'after-reply' | 'before-ack' | 'after-ack';

const WHEN: Record<Stall, string> = {
  'after-reply': "after the receiver's acknowledgement, before the receipt is recorded",
  'before-ack': 'after the receipt is recorded, before the row is acked',
  'after-ack': 'right after the row is acked',
};

async function killAt(stall: Stall): Promise<string> {
  const child = spawnTs(FIXTURE, {
    XINFANG_DB: db,
    XINFANG_STALL: stall,
    XINFANG_CLOCK: DELIVERED,
    XINFANG_WEBHOOK_URL: receiver.url,
    XINFANG_WEBHOOK_SECRET: SECRET,
  });
  const line = await child
    .waitFor((l) => l.startsWith('stalled ') || l === 'idle', 60_000)
    .catch((e) => {
      throw new Error(`${(e as Error).message}\n${child.stderr()}`);
    });
  child.child.kill('SIGKILL');
  const { signal } = await child.exited;
  expect(signal, child.stderr()).toBe('SIGKILL');
  expect(line, 'the process reached its stall point').toMatch(/^stalled /);
  return line.slice('stalled '.length);
}

/** A restarted process: a new engine and dispatcher over the file, at `RESTART`. */
async function restart() {
  const store = createSqliteStore({ path: db });
  const clock = new ManualClock(RESTART);
  const engine = engineOn(store, clock);
  const dispatcher = createDispatcher({
    store,
    notifiers: { document: createWebhookNotifier({ url: receiver.url, secret: SECRET }) },
    clock,
    owner: 'restarted',
    config: jurisdiction.loaded.value,
    receipts: engine,
  });
  const report = await dispatcher.runUntilIdle();
  return { store, engine, report };
}

describe('a delivery process killed at the receipt', () => {
  for (const stall of Object.keys(WHEN) as Stall[]) {
    it(`loses no receipt when killed ${WHEN[stall]}`, async () => {
      const caseId = await opinionIssued();
      const opinion = await killAt(stall);
      expect(opinion).toMatch(new RegExp(`^${caseId}:\\d+:handling-opinion$`));

      // what the kill left: the opinion's row still pending, leased to the dead process
      const left = createSqliteStore({ path: db });
      const row = (await left.outbox({ caseId })).find((r) => r.id === opinion);
      const receiptsBefore = (await left.events(caseId)).filter((e) => e.type === 'RECEIPT').length;
      await left.close();
      // the receipt is recorded before the ack: an acked row never lacks its receipt
      expect(row?.status).toBe(stall === 'after-ack' ? 'delivered' : 'pending');
      expect(receiptsBefore).toBe(stall === 'after-reply' ? 0 : 1);

      const { store, engine, report } = await restart();
      try {
        const redelivered = report.outcomes.find((o) => o.id === opinion);
        if (stall === 'after-ack') expect(redelivered).toBeUndefined();
        else expect(redelivered).toMatchObject({ status: 'delivered' });
        const receipts = (await store.events(caseId)).filter((e) => e.type === 'RECEIPT');
        // received on the day the receiver first got it (03-12), not on the redelivery's (03-14)
        expect(receipts.map((e) => e.payload.command)).toEqual([
          { receivedAt: '2026-03-12', method: 'webhook' },
        ]);
        expect((await store.getCase(caseId))?.state).toBe('opinion-issued');
        const window = (await store.deadlines(caseId)).find((d) => d.deadlineId === 'reviewWindow');
        expect(window).toMatchObject({ startDate: '2026-03-12', status: 'running' });
        expect((await store.outbox({ caseId })).find((r) => r.id === opinion)?.status).toBe('delivered');
        // delivered again after a kill before the ack, under the same idempotency key
        expect(receiver.keys.filter((k) => k === opinion)).toHaveLength(stall === 'after-ack' ? 1 : 2);
        expect(await engine.verify(caseId)).toEqual({ ok: true, problems: [] });
      } finally {
        await store.close();
      }
    }, 120_000);
  }
});
