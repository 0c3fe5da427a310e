import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isPermanent, type NotifyError } from '@xinfang/core';
import { notifierConformance, outageDrill, sampleMessage, startTcpProxy } from '@xinfang/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createWebhookNotifier,
  SIGNATURE_HEADER,
  signWebhookBody,
  verifyWebhookSignature,
} from '../src/index.js';

const SECRET = 'test-secret-不要用于生产';

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
}

/** A real HTTP receiver on 127.0.0.1 that records each request and answers `status`. */
async function startReceiver(
  answer: (r: Received) => {
    status: number;
    body?: string;
    delayMs?: number;
    headers?: Record<string, string>;
  } = () => ({ status: 200 }),
) {
  const requests: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') };
      requests.push(r);
      const { status, body, delayMs, headers } = answer(r);
      setTimeout(() => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(body ?? JSON.stringify({ ok: status < 300 }));
      }, delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}/xinfang`,
    requests,
    received: async () =>
      requests.map((r) => ({
        key: String(r.headers['idempotency-key']),
        text: String((JSON.parse(r.raw) as { payload: { text: string } }).payload.text),
      })),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port with nothing listening: a receiver that is down. */
async function deadUrl(): Promise<string> {
  const r = await startReceiver();
  await r.close();
  return r.url;
}

notifierConformance('webhook', async () => {
  const receiver = await startReceiver();
  return {
    notifier: createWebhookNotifier({ url: receiver.url, secret: SECRET }),
    received: receiver.received,
    unreachable: async () => createWebhookNotifier({ url: await deadUrl(), secret: SECRET, timeoutMs: 2000 }),
    cleanup: receiver.close,
  };
});

describe('webhook notifier', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  it('signs the raw body with HMAC-SHA256, which receivers verify before parsing', async () => {
    const receiver = await startReceiver();
    closers.push(receiver.close);
    const notifier = createWebhookNotifier({
      url: receiver.url,
      secret: SECRET,
      headers: { 'x-api-key': 'k' },
    });
    const receipt = await notifier.deliver(sampleMessage('row-1'));
    expect(receipt).toMatchObject({ channel: 'webhook', reference: 'HTTP 200' });
    const [req] = receiver.requests;
    const header = req?.headers[SIGNATURE_HEADER.toLowerCase()] as string;
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(req?.headers['x-api-key']).toBe('k');
    expect(req?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(verifyWebhookSignature(req?.raw ?? '', header, SECRET)).toBe(true);
    expect(verifyWebhookSignature(`${req?.raw} `, header, SECRET)).toBe(false);
    expect(verifyWebhookSignature(req?.raw ?? '', header, 'another secret')).toBe(false);
    expect(verifyWebhookSignature(req?.raw ?? '', undefined, SECRET)).toBe(false);
    expect(JSON.parse(req?.raw ?? '{}')).toMatchObject({
      id: 'row-1',
      caseId: 'XF-2026-000001',
      kind: 'document',
    });
  });

  it("passes a receiver's receipt date, authenticated only when the reply is signed and names the message", async () => {
    const answers: { body: string; signature?: string }[] = [];
    const receiver = await startReceiver(() => {
      const a = answers.shift() ?? { body: '{}' };
      return {
        status: 202,
        body: a.body,
        ...(a.signature ? { headers: { [SIGNATURE_HEADER]: a.signature } } : {}),
      };
    });
    closers.push(receiver.close);
    const notifier = createWebhookNotifier({ url: receiver.url, secret: SECRET });
    const reply = (id: string) => JSON.stringify({ id, receivedAt: '2026-03-03' });
    const m = sampleMessage('row-7');
    answers.push(
      { body: reply('row-7'), signature: signWebhookBody(reply('row-7'), SECRET) },
      { body: reply('row-7') },
      { body: reply('row-7'), signature: signWebhookBody(reply('row-7'), 'another secret') },
      { body: reply('row-8'), signature: signWebhookBody(reply('row-8'), SECRET) },
      { body: `${reply('row-7')} `, signature: signWebhookBody(reply('row-7'), SECRET) },
      { body: 'accepted' },
    );
    const got = [];
    for (let i = 0; i < 6; i++) got.push(await notifier.deliver(m));
    expect(got.map((r) => [r.reference, r.receivedAt, r.authenticated])).toEqual([
      ['HTTP 202', '2026-03-03', true],
      ['HTTP 202', '2026-03-03', false], // unsigned
      ['HTTP 202', '2026-03-03', false], // signed under another secret
      ['HTTP 202', '2026-03-03', false], // a signed reply for another message
      ['HTTP 202', '2026-03-03', false], // the body changed after signing
      ['HTTP 202', undefined, undefined], // a plain-text 2xx: a delivery, no claim
    ]);
    // the instant the receiver first got the message is taken from a signed reply only
    const first = JSON.stringify({
      id: 'row-7',
      receivedAt: '2026-03-03',
      deliveredAt: '2026-03-03T01:00:00Z',
    });
    answers.push({ body: first, signature: signWebhookBody(first, SECRET) }, { body: first });
    expect((await notifier.deliver(m)).deliveredAt).toBe('2026-03-03T01:00:00Z');
    expect((await notifier.deliver(m)).deliveredAt).toBeUndefined();
  });

  it('refuses a reply over maxReplyBytes as malformed (RECEIPT_REPLY_INVALID), without reading it all', async () => {
    const receiver = await startReceiver(() => ({ status: 200, body: `{"pad":"${'x'.repeat(200_000)}"}` }));
    closers.push(receiver.close);
    const e = await createWebhookNotifier({ url: receiver.url, secret: SECRET, maxReplyBytes: 1024 })
      .deliver(sampleMessage())
      .catch((x) => x);
    expect(e).toMatchObject({ code: 'RECEIPT_REPLY_INVALID', details: { field: 'body' } });
    expect(isPermanent(e)).toBe(false);
  });

  it('is permanent on 4xx, transient on 5xx, 429 and timeouts', async () => {
    const statuses = [400, 422, 500, 503, 429];
    let i = 0;
    const receiver = await startReceiver(() => ({ status: statuses[i++] ?? 200 }));
    closers.push(receiver.close);
    const notifier = createWebhookNotifier({ url: receiver.url, secret: SECRET });
    const outcomes: [number | undefined, boolean][] = [];
    for (const _ of statuses) {
      const e = (await notifier.deliver(sampleMessage()).catch((x) => x)) as NotifyError;
      outcomes.push([e.details.status as number, isPermanent(e)]);
    }
    expect(outcomes).toEqual([
      [400, true],
      [422, true],
      [500, false],
      [503, false],
      [429, false],
    ]);
    const slow = await startReceiver(() => ({ status: 200, delayMs: 1000 }));
    closers.push(slow.close);
    const e = await createWebhookNotifier({ url: slow.url, secret: SECRET, timeoutMs: 100 })
      .deliver(sampleMessage())
      .catch((x) => x);
    expect(e).toMatchObject({ code: 'NOTIFY_FAILED', permanent: false });
    expect(e.message).toContain('timed out after 100 ms');
  });

  it('survives an outage: every message arrives, exactly once after dropping repeats by key', async () => {
    const receiver = await startReceiver();
    closers.push(receiver.close);
    const proxy = await startTcpProxy({ target: { port: receiver.port } });
    closers.push(proxy.close);
    const notifier = createWebhookNotifier({
      url: `http://127.0.0.1:${proxy.port}/xinfang`,
      secret: SECRET,
      timeoutMs: 300,
    });
    const result = await outageDrill({
      notifier,
      proxy,
      received: receiver.received,
      messages: 4,
      downRounds: 3,
    });
    expect(result.attempts).toEqual([4, 4, 4, 4]);
    expect(result.keys).toHaveLength(8);
  });
});
