import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createDispatcher,
  createDocumentIssuer,
  createEngine,
  createMemoryStore,
  ephemeralIdentityKeys,
  isPermanent,
  ManualClock,
} from '@xinfang/core';
import { notifierConformance, sampleMessage } from '@xinfang/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { loadJurisdiction } from '../shared/national.js';
import { createSmsGatewayNotifier } from './sms-gateway.js';

const API_KEY = 'gateway-key-for-this-test';

/** The province's directory: account ids to mobile numbers. */
const DIRECTORY: Record<string, string> = { 'p-1': '13800000001', 'c-7001': '13700000000', 'p-bad': '12345' };

interface Sms {
  mobile: string;
  content: string;
  outId: string;
}

/**
 * A local SMS gateway speaking the protocol the notifier expects: checks the API key, records
 * each message, answers `DUPLICATE` for an `outId` it already sent, or what `script` says.
 */
async function startGateway(script: { status: number; code?: string }[] = []) {
  const messages: Sms[] = [];
  const sent = new Map<string, string>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, body: object) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.headers['x-api-key'] !== API_KEY)
        return answer(401, { code: 'UNAUTHORIZED', message: 'bad key' });
      const sms = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Sms;
      messages.push(sms);
      const next = script.shift();
      if (next) return answer(next.status, { code: next.code, message: 'scripted' });
      const first = sent.get(sms.outId);
      if (first) return answer(200, { code: 'DUPLICATE', bizId: first });
      const bizId = `biz-${sent.size + 1}`;
      sent.set(sms.outId, bizId);
      return answer(200, { code: 'OK', bizId });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms/send`,
    messages,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const notifierFor = (url: string, apiKey = API_KEY) =>
  createSmsGatewayNotifier({
    url,
    apiKey,
    signature: '示范县信访局',
    mobileOf: (recipient) => DIRECTORY[recipient],
    timeoutMs: 2000,
  });

/** A gateway address with nothing listening: the gateway is down. */
async function downUrl(): Promise<string> {
  const gateway = await startGateway();
  await gateway.close();
  return gateway.url;
}

notifierConformance('SMS gateway', async () => {
  const gateway = await startGateway();
  return {
    notifier: notifierFor(gateway.url),
    received: async () => gateway.messages.map((m) => ({ key: m.outId, text: m.content })),
    unreachable: async () => notifierFor(await downUrl()),
    cleanup: gateway.close,
  };
});

describe('SMS gateway notifier', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });
  const gatewayWith = async (script?: { status: number; code?: string }[]) => {
    const gateway = await startGateway(script);
    closers.push(gateway.close);
    return gateway;
  };
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (e: unknown) => e,
    );

  it('signs the message, sends it to the recipient’s mobile, and reports the gateway’s id', async () => {
    const gateway = await gatewayWith();
    const message = sampleMessage('XF-2026-000001:2:transfer-notice');
    expect(await notifierFor(gateway.url).deliver(message)).toEqual({ channel: 'sms', reference: 'biz-1' });
    expect(gateway.messages).toEqual([
      {
        mobile: '13800000001',
        outId: message.id,
        content: expect.stringMatching(/^【示范县信访局】受理告知书 示县信〔2026〕1号\n示范县信访局/),
      },
    ]);
  });

  it('retries what the gateway may take later, and dead-letters what it never will', async () => {
    const gateway = await gatewayWith([
      { status: 200, code: 'THROTTLED' },
      { status: 503 },
      { status: 429 },
      { status: 200, code: 'CONTENT_REJECTED' },
      { status: 400, code: 'BAD_REQUEST' },
    ]);
    const notifier = notifierFor(gateway.url);
    const verdicts = [];
    for (let i = 0; i < 5; i++) verdicts.push(isPermanent(await failure(notifier.deliver(sampleMessage()))));
    expect(verdicts).toEqual([false, false, false, true, true]);
    expect(await failure(notifierFor(gateway.url, 'wrong-key').deliver(sampleMessage()))).toMatchObject({
      code: 'NOTIFY_PERMANENT',
      details: { status: 401, channel: 'sms' },
    });
  });

  it('refuses for good, without calling the gateway, a recipient with no valid mobile', async () => {
    const gateway = await gatewayWith();
    const notifier = notifierFor(gateway.url);
    for (const recipient of ['nobody', 'p-bad']) {
      const e = await failure(notifier.deliver({ ...sampleMessage(), recipient }));
      expect(e).toMatchObject({ code: 'NOTIFY_PERMANENT', message: expect.stringContaining(recipient) });
    }
    expect(gateway.messages).toEqual([]);
  });

  it('carries the engine’s documents out of the outbox through the dispatcher', async () => {
    const gateway = await gatewayWith();
    const { loaded, calendars } = loadJurisdiction();
    const store = createMemoryStore();
    closers.push(() => store.close());
    const clock = new ManualClock('2026-03-02T09:00:00+08:00');
    const engine = createEngine({
      configs: [loaded.value],
      store,
      clock,
      calendars,
      documents: createDocumentIssuer({ store, templates: loaded.templates }),
      identityKeys: ephemeralIdentityKeys(),
    });
    const registrar = { id: 'reg-1', role: 'registrar', unit: 'county-bureau' };
    const { caseId } = await engine.submit(
      {
        channel: 'visit',
        receivedAt: '2026-03-02',
        receivingUnit: 'county-bureau',
        petitioner: { name: '王五', phone: '13700000000', address: '示范县新村 3 栋' },
        subject: 'housing',
        summary: '小区加装电梯审批未公示',
        request: '撤销加装电梯审批',
        respondentUnit: 'county-housing',
      },
      registrar,
      // registered at the window for a known account, so notices reach that account
      { petitionerId: 'c-7001' },
    );
    await engine.send(caseId, { type: 'TRANSFER', payload: { unit: 'county-housing' } }, registrar);
    const dispatcher = createDispatcher({
      store,
      notifiers: { document: notifierFor(gateway.url) },
      clock,
      owner: 'sms-dispatcher',
      config: loaded.value,
    });

    expect(await dispatcher.runUntilIdle()).toMatchObject({ delivered: 1, retried: 0, dead: 0 });
    const [row] = await store.outbox({ caseId });
    expect(row).toMatchObject({
      recipient: 'c-7001',
      status: 'delivered',
      receipt: { channel: 'sms', reference: 'biz-1', deemed: false },
    });
    expect(gateway.messages).toEqual([
      { mobile: '13700000000', outId: row?.id, content: expect.stringContaining('转送') },
    ]);
    expect(gateway.messages[0]?.content).toContain(String(row?.payload.number));
    expect(gateway.messages[0]?.content).toContain('王五');
    expect(await dispatcher.runUntilIdle()).toMatchObject({ claimed: 0 });
  });
});
