/**
 * When a delivered document counts as received (送达). A receipt that proves a date wins, within
 * bounds; else the channel's deemed-receipt rule in the config; else nothing yet (the engine
 * waits for proof). The date is what the engine records with the `RECEIPT` command, which starts
 * the review and re-examination windows (Reg. 35-36), so a date earlier than the truth takes days
 * from the petitioner: a proof never predates the document's issue or its delivery, and never
 * falls after the channel's deemed date (the rule says when it counts as received at the latest).
 */

import type { ReceiptBounds, ReceiptRefusalReason } from '../base/errors.js';
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
  /**
   * The notifier verified the receiver's signature on this reply (the webhook's HMAC): its
   * `receivedAt` may prove a date. Unsigned replies count only on a channel the config trusts.
   */
  authenticated?: boolean;
}

/** A receipt date a receiver or caller claimed that did not count; the deemed date stands. */
export interface RefusedClaim {
  /** The date as claimed. */
  receivedAt: string;
  /** `unsigned`: no verified signature on an untrusted channel; else why the date is implausible. */
  reason: 'unsigned' | ReceiptRefusalReason;
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
  /** A claimed date that did not count, kept on the delivery's record. */
  refused?: RefusedClaim;
}

/** What bounds a proven date besides the channel: the document's issue instant and today. */
export interface ReceiptContext {
  /** Instant the document was issued (its outbox row's `createdAt`). */
  issuedAt?: string;
  /** Today, in the jurisdiction's zone: a proof is never dated ahead of it. */
  today?: string;
}

const asDate = (v: string, zone: string) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? v : civilDate(v, zone));

/**
 * The dates a proven receipt of a document delivered on `channel` at `deliveredAt` may name: not
 * before its issue or its delivery, not after the channel's deemed date or today. `latest` is
 * absent when nothing bounds it (no deemed rule, no today given).
 */
export function receiptBounds(
  config: Pick<JurisdictionConfig, 'jurisdiction' | 'delivery'>,
  channel: string,
  deliveredAt: string,
  context: ReceiptContext = {},
): Omit<ReceiptBounds, 'latest'> & { latest?: string } {
  const zone = config.jurisdiction.timezone;
  const delivered = civilDate(deliveredAt, zone);
  const issued = context.issuedAt === undefined ? delivered : civilDate(context.issuedAt, zone);
  const days = config.delivery?.channels[channel]?.deemedReceivedAfterDays;
  const latest = [days === undefined ? undefined : addCivilDays(delivered, days), context.today]
    .filter((d): d is string => d !== undefined)
    .sort()[0];
  // civil dates sort as strings: the later of issue and delivery
  const earliest = [issued, delivered].sort()[1] as string;
  return { earliest, ...(latest ? { latest } : {}) };
}

/** Why `date` lies outside `bounds`, or undefined when it lies within. */
export function outsideBounds(
  bounds: { earliest: string; latest?: string; issued?: string },
  date: string,
  deemedLatest?: string,
): ReceiptRefusalReason | undefined {
  if (bounds.issued !== undefined && date < bounds.issued) return 'before-issue';
  if (date < bounds.earliest) return 'before-delivery';
  if (bounds.latest !== undefined && date > bounds.latest)
    return deemedLatest !== undefined && date > deemedLatest ? 'after-deemed' : 'after-today';
  return undefined;
}

/** The deemed receipt of the channel's rule (no `receivedAt` on a channel without one). */
function deemedReceipt(
  config: Pick<JurisdictionConfig, 'jurisdiction' | 'delivery'>,
  channel: string,
  deliveredAt: string,
): ReceiptDate {
  const rule = config.delivery?.channels[channel];
  if (rule?.deemedReceivedAfterDays === undefined) return { channel, deliveredAt, deemed: false };
  return {
    channel,
    deliveredAt,
    receivedAt: addCivilDays(
      civilDate(deliveredAt, config.jurisdiction.timezone),
      rule.deemedReceivedAfterDays,
    ),
    deemed: true,
    ...(rule.basis ? { basis: rule.basis } : {}),
  };
}

/**
 * The receipt date of a document delivered on `channel` at `deliveredAt`.
 * @param receipt the notifier's receipt; its `receivedAt` (proof) wins over the deemed rule when
 *   it lies within {@link receiptBounds}; otherwise the deemed date stands and the claim is kept
 *   as `refused`
 * @param context the document's issue instant and today, which bound a proof further
 */
export function receiptFor(
  config: Pick<JurisdictionConfig, 'jurisdiction' | 'delivery'>,
  channel: string,
  deliveredAt: string,
  receipt?: Pick<DeliveryReceipt, 'receivedAt'>,
  context: ReceiptContext = {},
): ReceiptDate {
  const zone = config.jurisdiction.timezone;
  const deemed = deemedReceipt(config, channel, deliveredAt);
  if (!receipt?.receivedAt) return deemed;
  const date = asDate(receipt.receivedAt, zone);
  const bounds = receiptBounds(config, channel, deliveredAt, context);
  const issued = context.issuedAt === undefined ? undefined : civilDate(context.issuedAt, zone);
  const reason = outsideBounds({ ...bounds, ...(issued ? { issued } : {}) }, date, deemed.receivedAt);
  if (reason) return { ...deemed, refused: { receivedAt: receipt.receivedAt, reason } };
  return { channel, deliveredAt, receivedAt: date, deemed: false };
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
