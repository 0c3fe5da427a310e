/**
 * The one test suite every `Notifier` runs: webhook, email, AMQP and a province's own. Each
 * adapter's factory starts its real receiver (an HTTP server, an SMTP server, a queue on the
 * local RabbitMQ) and hands the suite a way to read what that receiver got.
 */

import type { Notifier, NotifierMessage } from '@xinfang/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** One message as the real receiver got it. */
export interface ReceivedMessage {
  /** The idempotency key as the receiver saw it (a header, a message id). */
  key: string;
  /** The document or notification text as it arrived (decoded), to check nothing was mangled. */
  text: string;
}

/** What a notifier factory hands the suite for one test. */
export interface NotifierUnderTest {
  notifier: Notifier;
  /** Everything the real receiver has got so far, in arrival order (waits briefly for stragglers). */
  received(): Promise<ReceivedMessage[]>;
  /** A notifier of the same kind whose receiver is down (nothing listening, or a refusing proxy). */
  unreachable(): Promise<Notifier>;
  /** Stops the receiver and removes what the test left (a queue). Called after `close()`. */
  cleanup?: () => Promise<void>;
}

/** A document message with the kinds of text that break encodings. */
export function sampleMessage(
  id = `XF-2026-000001:3:acceptance-notice:${Math.random().toString(36).slice(2)}`,
): NotifierMessage {
  const text =
    '示范县信访局\n受理告知书\n示县信〔2026〕1号\n\n张三：\n    你（单位）于2026年3月2日反映“单位拖欠工资 <三个月> & 未签合同”，本机关决定予以受理。𠮷\n';
  return {
    id,
    caseId: 'XF-2026-000001',
    recipient: 'p-1',
    kind: 'document',
    payload: {
      documentId: 'acceptance-notice',
      name: '受理告知书',
      number: '示县信〔2026〕1号',
      text,
      html: `<p>${text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')}</p>`,
    },
  };
}

/**
 * Registers the conformance suite for one notifier. `makeNotifier` is called once per test.
 *
 * @example
 * notifierConformance('webhook', async () => {
 *   const receiver = await startReceiver();
 *   return {
 *     notifier: createWebhookNotifier({ url: receiver.url, secret }),
 *     received: async () => receiver.requests.map((r) => ({ key: r.key, text: r.body.payload.text })),
 *     unreachable: async () => createWebhookNotifier({ url: 'http://127.0.0.1:9/', secret }),
 *     cleanup: () => receiver.close(),
 *   };
 * });
 */
export function notifierConformance(name: string, makeNotifier: () => Promise<NotifierUnderTest>): void {
  describe(`Notifier conformance: ${name}`, () => {
    let current: NotifierUnderTest;
    const extra: Notifier[] = [];

    beforeEach(async () => {
      current = await makeNotifier();
    });

    afterEach(async () => {
      for (const n of extra.splice(0)) await n.close?.();
      await current.notifier.close?.();
      await current.cleanup?.();
    });

    it('delivers a message and returns a receipt', async () => {
      const message = sampleMessage();
      const receipt = await current.notifier.deliver(message);
      expect(receipt).toBeTypeOf('object');
      expect(typeof current.notifier.channel).toBe('string');
      const got = await current.received();
      expect(got).toHaveLength(1);
    });

    it('passes the outbox row id as the idempotency key', async () => {
      const message = sampleMessage('XF-2026-000042:7:handling-opinion');
      await current.notifier.deliver(message);
      expect((await current.received()).map((m) => m.key)).toEqual([message.id]);
    });

    it('keeps Chinese text (and characters outside the BMP) intact', async () => {
      const message = sampleMessage();
      await current.notifier.deliver(message);
      const [got] = await current.received();
      expect(got?.text).toContain(String(message.payload.text).trim());
    });

    it('reports a receiver that is down as a transient NotifyError', async () => {
      const down = await current.unreachable();
      extra.push(down);
      const err = await down.deliver(sampleMessage()).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ code: 'NOTIFY_FAILED', permanent: false });
    });

    it('redelivers the same id so the receiver can drop the repeat by its key', async () => {
      const message = sampleMessage();
      await current.notifier.deliver(message);
      await current.notifier.deliver(message);
      const got = await current.received();
      expect(got.map((m) => m.key)).toEqual([message.id, message.id]);
      expect(new Set(got.map((m) => m.key)).size).toBe(1);
    });

    it('closes, and closing twice is harmless', async () => {
      await current.notifier.deliver(sampleMessage());
      await current.notifier.close?.();
      await current.notifier.close?.();
    });
  });
}
