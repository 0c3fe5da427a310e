import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import {
  notifierConformance,
  outageDrill,
  type ReceivedMessage,
  sampleMessage,
  startTcpProxy,
} from '@xinfang/testing';
import { type Channel, type ChannelModel, connect } from 'amqplib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAmqpNotifier } from '../src/index.js';

const BROKER = 'amqp://guest:guest@127.0.0.1:5672';
let admin: ChannelModel;

beforeAll(async () => {
  try {
    admin = await connect(BROKER, { timeout: 3000 });
  } catch (e) {
    // never skip silently: these tests exist to run against the real broker
    throw new Error(
      `RabbitMQ is not reachable at 127.0.0.1:5672 (${(e as Error).message}). ` +
        'Start it with `rabbitmq-server -detached` (guest/guest), then run the tests again.',
    );
  }
});

afterAll(async () => {
  await admin?.close();
});

/** A per-test exchange and a queue bound to it, consumed into `messages`; deleted by `cleanup`. */
async function startQueue() {
  const name = `xinfang.test.${randomUUID()}`;
  const ch: Channel = await admin.createChannel();
  await ch.assertExchange(name, 'topic', { durable: true });
  await ch.assertQueue(name, { durable: false, exclusive: false });
  await ch.bindQueue(name, name, '#');
  const messages: ReceivedMessage[] = [];
  await ch.consume(
    name,
    (m) => {
      if (!m) return;
      const body = JSON.parse(m.content.toString('utf8')) as { payload: { text: string } };
      messages.push({ key: String(m.properties.messageId), text: body.payload.text });
      ch.ack(m);
    },
    { noAck: false },
  );
  return {
    exchange: name,
    /** Waits until nothing new arrives for 150 ms, then returns everything consumed. */
    received: async () => {
      let seen = -1;
      while (seen !== messages.length) {
        seen = messages.length;
        await new Promise((r) => setTimeout(r, 150));
      }
      return [...messages];
    },
    cleanup: async () => {
      await ch.deleteQueue(name);
      await ch.deleteExchange(name);
      await ch.close();
    },
  };
}

/** A port with nothing listening. */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

notifierConformance('amqp', async () => {
  const q = await startQueue();
  return {
    notifier: createAmqpNotifier({ url: BROKER, exchange: q.exchange }),
    received: q.received,
    unreachable: async () =>
      createAmqpNotifier({ url: `amqp://guest:guest@127.0.0.1:${await deadPort()}`, exchange: q.exchange }),
    cleanup: q.cleanup,
  };
});

describe('AMQP notifier', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  it('publishes persistent JSON with the row id as messageId, on the routing key asked for', async () => {
    const q = await startQueue();
    closers.push(q.cleanup);
    const ch = await admin.createChannel();
    closers.push(() => ch.close());
    const got: { persistent: boolean; messageId: string; routingKey: string; type: string }[] = [];
    const tap = `${q.exchange}.tap`;
    await ch.assertQueue(tap, { durable: false });
    closers.push(async () => void (await ch.deleteQueue(tap)));
    await ch.bindQueue(tap, q.exchange, 'petition.#');
    await ch.consume(tap, (m) => {
      if (m)
        got.push({
          persistent: m.properties.deliveryMode === 2,
          messageId: String(m.properties.messageId),
          routingKey: m.fields.routingKey,
          type: String(m.properties.type),
        });
    });
    const notifier = createAmqpNotifier({
      url: BROKER,
      exchange: q.exchange,
      routingKey: (m) => `petition.${m.kind}.${m.recipient}`,
    });
    closers.push(notifier.close);
    const receipt = await notifier.deliver(sampleMessage('row-7'));
    expect(receipt).toEqual({ channel: 'amqp', reference: `${q.exchange}/petition.document.p-1` });
    await q.received();
    expect(got).toEqual([
      { persistent: true, messageId: 'row-7', routingKey: 'petition.document.p-1', type: 'document' },
    ]);
  });

  it('reports an unroutable message (no queue bound) as transient, so it is retried, not lost', async () => {
    const exchange = `xinfang.test.${randomUUID()}`;
    const notifier = createAmqpNotifier({ url: BROKER, exchange });
    closers.push(async () => {
      await notifier.close();
      const ch = await admin.createChannel();
      await ch.deleteExchange(exchange);
      await ch.close();
    });
    await expect(notifier.deliver(sampleMessage())).rejects.toMatchObject({
      code: 'NOTIFY_FAILED',
      permanent: false,
      message: expect.stringContaining('no queue is bound'),
    });
  });

  it('reconnects after the connection breaks', async () => {
    const q = await startQueue();
    closers.push(q.cleanup);
    const proxy = await startTcpProxy({ target: { port: 5672 } });
    closers.push(proxy.close);
    const notifier = createAmqpNotifier({
      url: `amqp://guest:guest@127.0.0.1:${proxy.port}`,
      exchange: q.exchange,
    });
    closers.push(notifier.close);
    await notifier.deliver(sampleMessage('before'));
    proxy.cutAll();
    await new Promise((r) => setTimeout(r, 50));
    await notifier.deliver(sampleMessage('after'));
    expect((await q.received()).map((m) => m.key)).toEqual(['before', 'after']);
    expect(proxy.accepted).toBe(2);
  });

  it('survives an outage: every message arrives, exactly once after dropping repeats by key', async () => {
    const q = await startQueue();
    closers.push(q.cleanup);
    const proxy = await startTcpProxy({ target: { port: 5672 } });
    closers.push(proxy.close);
    const notifier = createAmqpNotifier({
      url: `amqp://guest:guest@127.0.0.1:${proxy.port}`,
      exchange: q.exchange,
      confirmTimeoutMs: 400,
      connectTimeoutMs: 400,
    });
    closers.push(notifier.close);
    // connected before replies are lost: the broker takes the first message, its confirm is lost
    await notifier.connect();
    const result = await outageDrill({ notifier, proxy, received: q.received, messages: 4, downRounds: 3 });
    expect(result.attempts).toEqual([4, 4, 4, 4]);
  });
});
