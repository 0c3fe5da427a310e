/**
 * When a delivered document counts as received (送达). A receipt that proves a date wins; else
 * the channel's deemed-receipt rule in the config; else nothing yet (the engine waits for
 * proof). The date is what the engine records with the `RECEIPT` command, which starts the
 * review and re-examination windows (Reg. 35-36).
 */

import type { JsonObject } from '../base/json.js';
import { addCivilDays, civilDate } from '../calendar/zone.js';
import type { JurisdictionConfig } from '../config/types.js';

/** What a notifier reports after the receiver took the message. */
export interface DeliveryReceipt {
  /** The channel that delivered it. @default the notifier's channel */
  channel?: string;
  /** When it was delivered. @default the dispatcher's clock */
  deliveredAt?: string;
  /** When the recipient received it, if the receiver proves it (`YYYY-MM-DD` or an instant). */
  receivedAt?: string;
  /** The receiver's own reference (HTTP status, SMTP message id, ...). */
  reference?: string;
  details?: JsonObject;
}

/** The receipt of one delivered document. */
export interface ReceiptDate {
  channel: string;
  /** Instant it was delivered. */
  deliveredAt: string;
  /** Civil date it counts as received, in the jurisdiction's zone; absent while proof is awaited. */
  receivedAt?: string;
  /** True when `receivedAt` comes from the channel's rule, not from proof. */
  deemed: boolean;
  /** The rule's basis, when deemed. */
  basis?: string;
}

const asDate = (v: string, zone: string) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? v : civilDate(v, zone));

/**
 * The receipt date of a document delivered on `channel` at `deliveredAt`.
 * @param receipt the notifier's receipt; its `receivedAt` (proof) wins over the deemed rule
 */
export function receiptFor(
  config: Pick<JurisdictionConfig, 'jurisdiction' | 'delivery'>,
  channel: string,
  deliveredAt: string,
  receipt?: Pick<DeliveryReceipt, 'receivedAt'>,
): ReceiptDate {
  const zone = config.jurisdiction.timezone;
  if (receipt?.receivedAt) {
    return { channel, deliveredAt, receivedAt: asDate(receipt.receivedAt, zone), deemed: false };
  }
  const rule = config.delivery?.channels[channel];
  if (rule?.deemedReceivedAfterDays === undefined) return { channel, deliveredAt, deemed: false };
  return {
    channel,
    deliveredAt,
    receivedAt: addCivilDays(civilDate(deliveredAt, zone), rule.deemedReceivedAfterDays),
    deemed: true,
    ...(rule.basis ? { basis: rule.basis } : {}),
  };
}

/**
 * The command that records a receipt (national.yaml's `RECEIPT`), once its date has come: the
 * engine refuses a receipt dated after today, so a deemed date in the future waits.
 */
export function receiptCommand(
  r: ReceiptDate,
  today: string,
): { type: 'RECEIPT'; payload: { receivedAt: string; method: string } } | undefined {
  if (r.receivedAt === undefined || r.receivedAt > today) return undefined;
  return { type: 'RECEIPT', payload: { receivedAt: r.receivedAt, method: r.channel } };
}
