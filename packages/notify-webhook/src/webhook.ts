/**
 * Webhook notifier: an HTTP POST of the message as JSON, signed with HMAC-SHA256 so the
 * receiver knows it came from us, with the outbox row id as `Idempotency-Key` so a repeat is
 * dropped. 5xx, 408, 429, network errors and timeouts are transient (retried by the
 * dispatcher); any other 4xx is permanent (the request itself is wrong).
 *
 * The scheme works both ways: a receiver that proves when the petitioner received a document
 * answers `{ "id": <the message id>, "receivedAt": "YYYY-MM-DD" }` (and, optionally, the
 * `deliveredAt` instant it first got the message) with `X-Xinfang-Signature` over its raw reply
 * body under the same secret; a repeat of the same `Idempotency-Key` gets the same reply. Only such a reply is `authenticated`, and only
 * an authenticated date can count as the receipt (送达) that starts the review window; any other
 * 2xx is a delivery whose receipt date the channel's rule deems.
 */

import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  type DeliveryReceipt,
  type Notifier,
  type NotifierMessage,
  NotifyError,
  ReceiptReplyError,
} from '@xinfang/core';

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
  /**
   * The largest reply body read; a longer one is a malformed reply (`RECEIPT_REPLY_INVALID`),
   * retried and in the end dead-lettered. @default 65_536
   */
  maxReplyBytes?: number;
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
    const status = response.status;
    if (status >= 200 && status < 300) {
      const raw = await readReply(response, options.maxReplyBytes ?? 65_536, {
        channel,
        messageId: message.id,
      });
      const signature = response.headers.get(SIGNATURE_HEADER);
      return {
        channel,
        reference: `HTTP ${status}`,
        ...replyClaim(raw, signature, message.id, options.secret),
      };
    }
    // an error page is read only as far as the message quotes it
    const text = (
      await readReply(response, 4096, where, { truncate: true }).catch(() => Buffer.alloc(0))
    ).toString('utf8');
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

/**
 * The reply body, read up to `limit` bytes; a longer one is refused (or, with `truncate`, cut)
 * without reading the rest.
 */
async function readReply(
  response: Response,
  limit: number,
  where: { channel: string; messageId: string },
  { truncate = false } = {},
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  for (;;) {
    const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
    if (done || !value) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      if (truncate) return Buffer.concat([...chunks, Buffer.from(value)]).subarray(0, limit);
      throw new ReceiptReplyError(
        `the ${where.channel} receiver's reply for ${where.messageId} is over ${limit} bytes; a receipt reply is a small JSON object`,
        { ...where, field: 'body' },
      );
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

/**
 * What a 2xx reply claims: `receivedAt` as the receiver sent it (the dispatcher checks its shape),
 * `authenticated` when the reply is signed under our secret and names this message.
 */
function replyClaim(
  raw: Buffer,
  signature: string | null,
  messageId: string,
  secret: string | Buffer,
): Pick<DeliveryReceipt, 'receivedAt' | 'deliveredAt' | 'authenticated'> {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    // a plain-text 2xx is a delivery all the same
    return {};
  }
  if (typeof json !== 'object' || json === null || !('receivedAt' in json)) return {};
  const reply = json as { id?: unknown; receivedAt?: unknown; deliveredAt?: unknown };
  // a signed reply for another message is no proof for this one
  const authenticated = verifyWebhookSignature(raw, signature, secret) && reply.id === messageId;
  // a receiver answering a repeat with its first reply keeps the first delivery's instant, so a
  // delivery repeated after a crash is dated when it first arrived; only a signed reply says so
  const first =
    authenticated && reply.deliveredAt !== undefined ? { deliveredAt: reply.deliveredAt as string } : {};
  return { receivedAt: reply.receivedAt as string, authenticated, ...first };
}
