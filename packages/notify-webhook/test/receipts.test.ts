/**
 * The webhook's receipts end to end: a real HTTP receiver answers each delivered handling opinion,
 * the dispatcher hands its reply to the engine, and the review window (Reg. 35: 30 days from
 * receipt) starts from the date that counts. A reply's date counts only when signed under the
 * shared secret and naming the message; a poisoned reply is retried with backoff and
 * dead-lettered. Dates are worked by hand from the config's `delivery` rule for the channel.
 */

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  createDispatcher,
  createEngine,
  createMemoryStore,
  ephemeralIdentityKeys,
  type JurisdictionConfig,
  loadCalendarFile,
  loadConfigOrThrow,
  ManualClock,
} from '@xinfang/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createWebhookNotifier,
  IDEMPOTENCY_HEADER,
  SIGNATURE_HEADER,
  signWebhookBody,
} from '../src/index.js';

const SECRET = 'receipt-test-secret-不要用于生产';
const root = fileURLToPath(new URL('../../../', import.meta.url));
const national = loadConfigOrThrow(`${root}configs/national.yaml`).value;
const calendar = loadCalendarFile(`${root}configs/calendars/cn-mainland.yaml`);

/** A receiver that answers each request with `answer(id)`: a body, signed or not. */
async function startReceiver(answer: (id: string) => { body: string; signed: boolean }) {
  const keys: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = String(req.headers[IDEMPOTENCY_HEADER.toLowerCase()]);
      keys.push(id);
      const { body, signed } = answer(id);
      res.writeHead(200, {
        'content-type': 'application/json',
        ...(signed ? { [SIGNATURE_HEADER]: signWebhookBody(body, SECRET) } : {}),
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

/** A case whose handling opinion is issued on 2026-03-12 at 09:00 Shanghai, and its dispatcher. */
async function opinionIssued(url: string, config: JurisdictionConfig = national) {
  const store = createMemoryStore();
  const clock = new ManualClock('2026-03-02T09:00:00+08:00');
  const engine = createEngine({
    configs: [config],
    calendars: [calendar],
    store,
    clock,
    identityKeys: ephemeralIdentityKeys(),
  });
  const registrar = { id: 'reg-1', role: 'registrar', unit: 'county-bureau' };
  const { caseId } = await engine.submit(
    {
      channel: 'letter',
      receivedAt: '2026-03-02',
      receivingUnit: 'county-bureau',
      petitioner: { name: '张三', address: '示范县人民路 1 号' },
      subject: 'labour',
      summary: '单位拖欠工资三个月',
      request: '支付拖欠工资',
    },
    registrar,
    { petitionerId: 'p-1' },
  );
  await engine.send(caseId, { type: 'ACCEPT' }, { id: 'acc-1', role: 'acceptor', unit: 'county-bureau' });
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
    { id: 'han-0', role: 'handler', unit: 'county-bureau' },
  );
  const notifier = createWebhookNotifier({ url, secret: SECRET });
  const dispatcher = createDispatcher({
    store,
    notifiers: { document: notifier },
    clock,
    owner: 'd-1',
    config,
    receipts: engine,
    maxAttempts: 3,
    backoff: { baseMs: 1000, maxMs: 8000 },
    random: () => 1,
  });
  const opinion = (await store.outbox({ caseId })).find((r) => r.payload.documentId === 'handling-opinion');
  const receipts = async () =>
    (await store.events(caseId))
      .filter((e) => e.type === 'RECEIPT')
      .map((e) => (e.payload.command as { receivedAt: string }).receivedAt);
  return { store, clock, engine, caseId, dispatcher, notifier, opinion: String(opinion?.id), receipts };
}

describe('webhook receipts', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  it("ignores an unsigned reply's date: the delivery counts, received on the day of delivery (national: webhook deemed 0 days)", async () => {
    const receiver = await startReceiver(() => ({ body: '{"receivedAt":"2020-01-01"}', signed: false }));
    closers.push(receiver.close);
    const c = await opinionIssued(receiver.url);
    const report = await c.dispatcher.runUntilIdle();
    expect(report.delivered).toBe(2);
    expect(report.outcomes.find((o) => o.id === c.opinion)?.refused).toEqual({
      receivedAt: '2020-01-01',
      reason: 'unsigned',
    });
    expect(await c.receipts()).toEqual(['2026-03-12']);
  });

  it('counts a signed date within the rule, refuses a signed date before the issue', async () => {
    // a province whose online system deems receipt 3 days after delivery: delivered 03-12, deemed 03-15
    const config = structuredClone(national);
    const webhook = config.delivery?.channels.webhook;
    if (webhook) webhook.deemedReceivedAfterDays = 3;
    const proof = (id: string, day: string) => ({
      body: JSON.stringify({ id, receivedAt: day }),
      signed: true,
    });

    const read = await startReceiver((id) => proof(id, '2026-03-12'));
    closers.push(read.close);
    const signed = await opinionIssued(read.url, config);
    await signed.dispatcher.runUntilIdle();
    expect(await signed.receipts()).toEqual(['2026-03-12']);

    const backdated = await startReceiver((id) => proof(id, '2026-03-01'));
    closers.push(backdated.close);
    const early = await opinionIssued(backdated.url, config);
    const report = await early.dispatcher.runUntilIdle();
    expect(report.outcomes.find((o) => o.id === early.opinion)?.refused).toEqual({
      receivedAt: '2026-03-01',
      reason: 'before-issue',
    });
    // the deemed date stands; it is ahead, so it waits as a pending receipt row until 03-15
    expect(await early.receipts()).toEqual([]);
    early.clock.advanceDays(3);
    await early.dispatcher.runUntilIdle();
    expect(await early.receipts()).toEqual(['2026-03-15']);
  });

  it('retries a poisoned reply with backoff and dead-letters it after the limit; no receipt is recorded', async () => {
    const receiver = await startReceiver((id) => ({
      body: JSON.stringify({ id, receivedAt: 'garbage' }),
      signed: true,
    }));
    closers.push(receiver.close);
    const c = await opinionIssued(receiver.url);
    const statuses: string[] = [];
    for (let round = 0; round < 3; round++) {
      const r = await c.dispatcher.runOnce();
      const o = r.outcomes.find((x) => x.id === c.opinion);
      statuses.push(`${o?.status} ${o?.code} ${o?.nextAttemptAt ?? '-'}`);
      if (o?.nextAttemptAt) c.clock.set(o.nextAttemptAt);
    }
    // attempt 1 at 01:00:00Z waits 1 s, attempt 2 waits 2 s, attempt 3 is the limit
    expect(statuses).toEqual([
      'retry RECEIPT_REPLY_INVALID 2026-03-12T01:00:01.000Z',
      'retry RECEIPT_REPLY_INVALID 2026-03-12T01:00:03.000Z',
      'dead RECEIPT_REPLY_INVALID -',
    ]);
    const row = (await c.store.outbox({ caseId: c.caseId })).find((r) => r.id === c.opinion);
    expect(row).toMatchObject({ status: 'dead', attempts: 3 });
    expect(row?.lastError).toMatch(/^RECEIPT_REPLY_INVALID: .*receivedAt is neither a date/);
    expect(receiver.keys.filter((k) => k === c.opinion)).toHaveLength(3);
    expect(await c.receipts()).toEqual([]);
  });
});
