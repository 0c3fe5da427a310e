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

/** A failed delivery: `NOTIFY_PERMANENT` (dead-lettered at once) or `NOTIFY_FAILED` (retried). */
export class NotifyError extends XinfangError<'NOTIFY_FAILED' | 'NOTIFY_PERMANENT'> {
  static override readonly brand: string = 'NotifyError';

  readonly permanent: boolean;

  constructor(
    message: string,
    details: { permanent: boolean; channel?: string; messageId?: string; status?: number; cause?: unknown },
  ) {
    const { cause, ...rest } = details;
    super(
      details.permanent ? 'NOTIFY_PERMANENT' : 'NOTIFY_FAILED',
      message,
      rest,
      cause === undefined ? undefined : { cause },
    );
    this.permanent = details.permanent;
  }
}

/** Whether an error from `deliver` is permanent (anything not a `NotifyError` is transient). */
export function isPermanent(e: unknown): boolean {
  return e instanceof NotifyError && e.permanent;
}
