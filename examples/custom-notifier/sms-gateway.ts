/**
 * A notifier of one's own: sends each document or notice as a text message through a
 * province's SMS gateway (短信平台), an HTTP API of the kind such platforms offer:
 *
 *   POST <url>   X-Api-Key: <key>
 *   { "mobile": "13800000000", "content": "【示范县信访局】...", "outId": "<outbox row id>" }
 *   -> 200 { "code": "OK" | "DUPLICATE" | <an error code>, "bizId": "...", "message": "..." }
 *
 * Like many gateways it answers 200 even when it refuses, with the verdict in `code`; the
 * notifier's work is mostly to tell the dispatcher which failures are worth retrying.
 *
 * A text message proves no receipt, so the national config gives channel `sms` no deemed
 * receipt rule: an opinion sent this way still waits for staff to record its receipt.
 */

import { type DeliveryReceipt, type Notifier, type NotifierMessage, NotifyError } from '@xinfang/core';

/** Options of {@link createSmsGatewayNotifier}. */
export interface SmsGatewayOptions {
  /** The gateway's send endpoint. */
  url: string;
  /** The gateway account's API key (from the deployment's secret store). */
  apiKey: string;
  /** The registered sender signature put first in every message (`示范县信访局`). */
  signature: string;
  /**
   * The mobile number of a recipient (a petitioner's account id, a unit id), from the
   * province's own directory; undefined when there is none.
   */
  mobileOf: (recipient: string) => string | undefined | Promise<string | undefined>;
  /** Channel name reported in receipts. @default 'sms' */
  channel?: string;
  /** Abort a request after this long (a transient failure). @default 10_000 */
  timeoutMs?: number;
}

/** The gateway's codes that mean "try again later"; any other refusal is final. */
const TRANSIENT_CODES = new Set(['THROTTLED', 'BUSY', 'SYSTEM_ERROR']);

const MOBILE = /^1\d{10}$/;

/** What a recipient reads: a document's name, number and text, or a notice's message. */
function contentOf(signature: string, message: NotifierMessage): string {
  const p = message.payload;
  const body =
    typeof p.text === 'string'
      ? `${p.name ?? ''} ${p.number ?? ''}\n${p.text}`.trim()
      : String(p.message ?? `信访事项 ${message.caseId} 有新的进展`);
  return `【${signature}】${body}`;
}

/** Creates the SMS gateway notifier. */
export function createSmsGatewayNotifier(options: SmsGatewayOptions): Notifier & { close(): Promise<void> } {
  const channel = options.channel ?? 'sms';
  const timeoutMs = options.timeoutMs ?? 10_000;
  let closed = false;

  async function deliver(message: NotifierMessage): Promise<DeliveryReceipt> {
    const where = { channel, messageId: message.id };
    if (closed) throw new NotifyError('the SMS notifier is closed', { ...where, permanent: false });
    const mobile = await options.mobileOf(message.recipient);
    if (mobile === undefined || !MOBILE.test(mobile)) {
      // no retry brings a number into being: dead-letter it, for staff to deliver another way
      throw new NotifyError(
        `no valid mobile number for recipient ${message.recipient}` +
          (mobile === undefined ? '' : ` (${mobile})`) +
          '; add one to the directory, or deliver this message by post or in person',
        { ...where, permanent: true },
      );
    }
    let response: Response;
    try {
      response = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'x-api-key': options.apiKey },
        // `outId` is the outbox row id: the gateway drops a repeat of it (at-least-once delivery)
        body: JSON.stringify({ mobile, content: contentOf(options.signature, message), outId: message.id }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      throw new NotifyError(`the SMS gateway ${options.url} did not answer: ${(e as Error).message}`, {
        ...where,
        permanent: false,
        cause: e,
      });
    }
    const status = response.status;
    const answer = (await response.json().catch(() => ({}))) as {
      code?: string;
      bizId?: string;
      message?: string;
    };
    if (status === 200 && (answer.code === 'OK' || answer.code === 'DUPLICATE')) {
      return { channel, reference: answer.bizId ?? answer.code };
    }
    // 429 and 5xx are the gateway's trouble; any other 4xx (a wrong key) needs a person
    const transient =
      status === 429 || status >= 500 || (status === 200 && TRANSIENT_CODES.has(answer.code ?? ''));
    throw new NotifyError(
      `the SMS gateway refused ${message.id}: HTTP ${status}` +
        (answer.code ? ` ${answer.code}` : '') +
        (answer.message ? ` (${answer.message})` : ''),
      { ...where, status, permanent: !transient },
    );
  }

  return {
    channel,
    deliver,
    async close() {
      closed = true;
    },
  };
}
