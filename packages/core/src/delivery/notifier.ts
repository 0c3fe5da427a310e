/**
 * The notifier seam: how an outbox row leaves the system (a webhook, SMTP, a message bus, a
 * province's own). Every notifier passes `notifierConformance` from `@xinfang/testing`.
 */

import { XinfangError } from '../base/errors.js';
import type { DeliveryReceipt } from '../documents/receipt.js';
import type { JsonObject } from '../store/types.js';

/** What a notifier is handed: one outbox row. */
export interface NotifierMessage {
  /** The outbox row id: the idempotency key. A receiver that has seen it must not act twice. */
  id: string;
  caseId: string;
  /** Recipient id (a petitioner account or a unit id). */
  recipient: string;
  /** `document` or `notification`. */
  kind: string;
  /** For documents: the issued document (`number`, `text`, `html`, `sealed`, ...). */
  payload: JsonObject;
}

export type { DeliveryReceipt };

/** Delivers messages on one channel. */
export interface Notifier {
  readonly channel: string;
  /**
   * Delivers one message. Throws `NotifyError`: `permanent` when retrying cannot help (a 4xx,
   * a malformed address), otherwise transient (the receiver is down, a timeout).
   */
  deliver(message: NotifierMessage): Promise<DeliveryReceipt>;
  /** Releases connections. */
  close?(): Promise<void>;
}

/** The codes of a failed delivery. */
export type NotifyCode = 'NOTIFY_FAILED' | 'NOTIFY_PERMANENT' | 'NOTIFY_DOCUMENT_MISMATCH';

/**
 * A failed delivery: `NOTIFY_PERMANENT` (dead-lettered at once) or `NOTIFY_FAILED` (retried);
 * `NOTIFY_DOCUMENT_MISMATCH` (permanent) when the row is not what its sealed document says.
 */
export class NotifyError extends XinfangError<NotifyCode> {
  static override readonly brand: string = 'NotifyError';

  readonly permanent: boolean;

  constructor(
    message: string,
    details: {
      permanent: boolean;
      channel?: string;
      messageId?: string;
      status?: number;
      cause?: unknown;
      /** The row differs from its sealed document (or the seal fails): never worth a retry. */
      mismatch?: { reason: string; fields?: string[] };
    },
  ) {
    const { cause, mismatch, ...rest } = details;
    const code: NotifyCode = mismatch
      ? 'NOTIFY_DOCUMENT_MISMATCH'
      : details.permanent
        ? 'NOTIFY_PERMANENT'
        : 'NOTIFY_FAILED';
    const all = mismatch ? { ...rest, permanent: true, ...mismatch } : rest;
    // the details are the code's shape by construction; the compiler cannot follow the union
    super(code, message, all as never, cause === undefined ? undefined : { cause });
    this.permanent = mismatch ? true : details.permanent;
  }
}

/**
 * A receiver's reply a notifier passed on is malformed (a `receivedAt` that is no date, a wrong
 * type, an oversized body). The delivery is not acknowledged: the row is retried with backoff and
 * dead-lettered after the limit, so a broken receiver is seen instead of looping for ever.
 */
export class ReceiptReplyError extends XinfangError<'RECEIPT_REPLY_INVALID'> {
  static override readonly brand: string = 'ReceiptReplyError';

  constructor(message: string, details: { channel: string; messageId: string; field: string }) {
    super('RECEIPT_REPLY_INVALID', message, details);
  }
}

/** Whether an error from `deliver` is permanent (anything not a `NotifyError` is transient). */
export function isPermanent(e: unknown): boolean {
  return e instanceof NotifyError && e.permanent;
}
