/**
 * AMQP notifier (RabbitMQ): publishes each message as persistent JSON on a confirm channel and
 * resolves only when the broker confirms it, with the outbox row id as `messageId` so a
 * consumer drops a repeat. A broken connection is dropped and made again on the next
 * delivery; the dispatcher's backoff paces the attempts.
 */

import { type DeliveryReceipt, type Notifier, type NotifierMessage, NotifyError } from '@xinfang/core';
import { type ChannelModel, type ConfirmChannel, connect, type Options } from 'amqplib';

/** Options of {@link createAmqpNotifier}. */
export interface AmqpNotifierOptions {
  /** Broker URL or connection options. @default 'amqp://guest:guest@127.0.0.1:5672' */
  url?: string | Options.Connect;
  /** Exchange to publish to. @default 'xinfang' */
  exchange?: string;
  /** Type of the exchange, when it is declared. @default 'topic' */
  exchangeType?: 'direct' | 'topic' | 'fanout' | 'headers';
  /** Declare the exchange (durable) on each connection. @default true */
  assertExchange?: boolean;
  /** Routing key, or how to make one per message. @default `xinfang.<kind>` (`xinfang.document`) */
  routingKey?: string | ((message: NotifierMessage) => string);
  /** Give up waiting for the broker's confirm after this long (transient). @default 10_000 */
  confirmTimeoutMs?: number;
  /** Give up connecting after this long (transient). @default 5_000 */
  connectTimeoutMs?: number;
  /** Channel name reported in receipts. @default 'amqp' */
  channel?: string;
  /**
   * Opens a connection; a province passes its own (pooled, TLS, credentials from its vault).
   * @default amqplib `connect(url)`
   */
  connect?: () => Promise<ChannelModel>;
}

/** An AMQP notifier; `connect()` opens the connection early (otherwise the first delivery does). */
export type AmqpNotifier = Notifier & { close(): Promise<void>; connect(): Promise<void> };

interface Link {
  model: ChannelModel;
  channel: ConfirmChannel;
  /** Message ids the broker returned as unroutable (basic.return comes before the confirm). */
  returned: Set<string>;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string, onLate?: (value: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      reject(new Error(`${what} timed out after ${ms} ms`));
    }, ms);
    p.then(
      (v) => {
        if (done) onLate?.(v);
        else {
          clearTimeout(timer);
          resolve(v);
        }
      },
      (e) => {
        if (!done) {
          clearTimeout(timer);
          reject(e);
        }
      },
    );
  });
}

/** Creates an AMQP notifier. */
export function createAmqpNotifier(options: AmqpNotifierOptions = {}): AmqpNotifier {
  const channelName = options.channel ?? 'amqp';
  const exchange = options.exchange ?? 'xinfang';
  const confirmTimeoutMs = options.confirmTimeoutMs ?? 10_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  const url = options.url ?? 'amqp://guest:guest@127.0.0.1:5672';
  const open = options.connect ?? (() => connect(url, { timeout: connectTimeoutMs }));
  let link: Promise<Link> | undefined;
  /** The link `link` resolved to, once it has. */
  let active: Link | undefined;
  let closed = false;

  /** Forgets a broken link and closes it without waiting (its socket may be dead). */
  function drop(l: Link | undefined): void {
    if (!l) return;
    if (active === l) active = undefined;
    link = undefined;
    l.model.close().catch(() => {});
  }

  async function makeLink(): Promise<Link> {
    const model = await withTimeout(open(), connectTimeoutMs, 'connecting to the broker', (late) => {
      late.close().catch(() => {});
    });
    try {
      const channel = await withTimeout(model.createConfirmChannel(), connectTimeoutMs, 'opening a channel');
      const l: Link = { model, channel, returned: new Set() };
      // a broken connection or channel is dropped; the next delivery connects again
      const forget = () => {
        if (active === l) {
          active = undefined;
          link = undefined;
        }
      };
      model.on('error', () => {});
      model.on('close', forget);
      channel.on('error', () => {});
      channel.on('close', forget);
      channel.on('return', (m) => {
        if (m.properties.messageId) l.returned.add(String(m.properties.messageId));
      });
      if (options.assertExchange ?? true) {
        await withTimeout(
          channel.assertExchange(exchange, options.exchangeType ?? 'topic', { durable: true }),
          connectTimeoutMs,
          'declaring the exchange',
        );
      }
      return l;
    } catch (e) {
      model.close().catch(() => {});
      throw e;
    }
  }

  function ensure(): Promise<Link> {
    if (!link) {
      const attempt = makeLink();
      link = attempt;
      attempt.then(
        (l) => {
          if (link === attempt) active = l;
        },
        () => {
          if (link === attempt) link = undefined;
        },
      );
    }
    return link;
  }

  async function deliver(message: NotifierMessage): Promise<DeliveryReceipt> {
    const where = { channel: channelName, messageId: message.id };
    if (closed) throw new NotifyError('AMQP notifier is closed', { ...where, permanent: false });
    let l: Link;
    try {
      l = await ensure();
    } catch (e) {
      throw new NotifyError(`cannot connect to the broker or set up the exchange: ${(e as Error).message}`, {
        ...where,
        permanent: false,
        cause: e,
      });
    }
    const routingKey =
      typeof options.routingKey === 'function'
        ? options.routingKey(message)
        : (options.routingKey ?? `xinfang.${message.kind}`);
    const body = Buffer.from(
      JSON.stringify({
        id: message.id,
        caseId: message.caseId,
        recipient: message.recipient,
        kind: message.kind,
        payload: message.payload,
      }),
      'utf8',
    );
    l.returned.delete(message.id);
    try {
      await withTimeout(
        new Promise<void>((resolve, reject) => {
          l.channel.publish(
            exchange,
            routingKey,
            body,
            {
              persistent: true,
              mandatory: true,
              messageId: message.id,
              contentType: 'application/json',
              contentEncoding: 'utf-8',
              type: message.kind,
              headers: { 'x-xinfang-case': message.caseId, 'x-xinfang-recipient': message.recipient },
            },
            (err) =>
              err ? reject(err instanceof Error ? err : new Error('the broker refused (nack)')) : resolve(),
          );
        }),
        confirmTimeoutMs,
        'waiting for the broker to confirm',
      );
    } catch (e) {
      // no confirm: the message may or may not be queued; the retry repeats it under the same id
      drop(l);
      throw new NotifyError(`publish to ${exchange} failed: ${(e as Error).message}`, {
        ...where,
        permanent: false,
        cause: e,
      });
    }
    if (l.returned.delete(message.id)) {
      throw new NotifyError(`no queue is bound to ${exchange} for routing key ${routingKey}`, {
        ...where,
        permanent: false,
      });
    }
    return { channel: channelName, reference: `${exchange}/${routingKey}` };
  }

  return {
    channel: channelName,
    deliver,
    async connect() {
      await ensure();
    },
    async close() {
      closed = true;
      const l = await link?.catch(() => undefined);
      link = undefined;
      if (l) await withTimeout(l.model.close(), 2000, 'closing').catch(() => {});
    },
  };
}
