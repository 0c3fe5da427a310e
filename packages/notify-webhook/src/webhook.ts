/**
 * Webhook notifier: an HTTP POST of the message as JSON, signed with HMAC-SHA256 so the
 * receiver knows it came from us, with the outbox row id as `Idempotency-Key` so a repeat is
 * dropped. 5xx, 408, 429, network errors and timeouts are transient (retried by the
 * dispatcher); any other 4xx is permanent (the request itself is wrong).
 */

import { createHmac, timingSafeEqual } from 'node:crypto';
import { type DeliveryReceipt, type Notifier, type NotifierMessage, NotifyError } from '@xinfang/core';

/** The header carrying `sha256=<hex HMAC-SHA256 of the raw body>`. */
export const SIGNATURE_HEADER = 'X-Xinfang-Signature';
/** The header carrying the outbox row id. */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** Options of {@link createWebhookNotifier}. */
export interface WebhookNotifierOptions {
  /** Where to POST; a function picks per message (a unit's own endpoint). */
  url: string | ((message: NotifierMessage) => string);
  /** The shared HMAC secret (from the embedder's secret store, never from code). */
  secret: string | Buffer;
  /** Abort a request after this long (a transient failure). @default 10_000 */
  timeoutMs?: number;
  /** Channel name reported in receipts. @default 'webhook' */
  channel?: string;
  /** Extra headers on every request (an API key of the receiver). @default {} */
  headers?: Record<string, string>;
  /** The fetch to use (a province's instrumented one). @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** `sha256=<hex>` of `body` under `secret`. */
export function signWebhookBody(body: string | Buffer, secret: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * For receivers: whether `header` (the `X-Xinfang-Signature` value) signs the raw `body` under
 * `secret`. Compare the raw bytes as received, before parsing them.
 */
export function verifyWebhookSignature(
  body: string | Buffer,
  header: string | null | undefined,
  secret: string | Buffer,
): boolean {
  if (typeof header !== 'string') return false;
  const expected = Buffer.from(signWebhookBody(body, secret));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const TRANSIENT_4XX = new Set([408, 425, 429]);

/** Creates a webhook notifier. */
export function createWebhookNotifier(
  options: WebhookNotifierOptions,
): Notifier & { close(): Promise<void> } {
  const channel = options.channel ?? 'webhook';
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? globalThis.fetch;
  let closed = false;

  async function deliver(message: NotifierMessage): Promise<DeliveryReceipt> {
    const where = { channel, messageId: message.id };
    if (closed) throw new NotifyError('webhook notifier is closed', { ...where, permanent: false });
    const url = typeof options.url === 'function' ? options.url(message) : options.url;
    const body = JSON.stringify({
      id: message.id,
      caseId: message.caseId,
      recipient: message.recipient,
      kind: message.kind,
      payload: message.payload,
    });
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: {
          ...options.headers,
          'content-type': 'application/json; charset=utf-8',
          [SIGNATURE_HEADER]: signWebhookBody(body, options.secret),
          [IDEMPOTENCY_HEADER]: message.id,
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      const why =
        (e as Error).name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : (e as Error).message;
      throw new NotifyError(`POST ${url} failed: ${why}`, { ...where, permanent: false, cause: e });
    }
    const text = await response.text().catch(() => '');
    const status = response.status;
    if (status >= 200 && status < 300) {
      // a receiver may prove when the petitioner received it (an online system's read receipt)
      let receivedAt: string | undefined;
      try {
        const json = JSON.parse(text) as { receivedAt?: unknown };
        if (typeof json?.receivedAt === 'string') receivedAt = json.receivedAt;
      } catch {
        // a plain-text 2xx is a delivery all the same
      }
      return { channel, reference: `HTTP ${status}`, ...(receivedAt ? { receivedAt } : {}) };
    }
    const permanent = status >= 400 && status < 500 && !TRANSIENT_4XX.has(status);
    throw new NotifyError(`POST ${url} answered ${status}${text ? `: ${text.slice(0, 200)}` : ''}`, {
      ...where,
      status,
      permanent,
    });
  }

  return {
    channel,
    deliver,
    async close() {
      closed = true;
    },
  };
}
