/**
 * A receiver's reply, as a notifier passes it on, is input from outside: checked for shape before
 * anything reads it (a poisoned reply is a failed attempt, retried and in the end dead-lettered),
 * then judged for trust (a claimed receipt date counts only when signed or on a trusted channel)
 * and for plausibility (never before the document's issue or delivery, never after the deemed
 * date). What does not count is kept on the delivery's record; the deemed date stands.
 */

import { civilDate } from '../calendar/index.js';
import type { JurisdictionConfig } from '../config/types.js';
import { type DeliveryReceipt, type ReceiptDate, receiptFor } from '../documents/receipt.js';
import type { OutboxRow } from '../store/types.js';
import { ReceiptReplyError } from './notifier.js';

/** Bounds on a reply's fields: a receiver cannot make the dispatcher store or parse megabytes. */
export const REPLY_LIMITS = { text: 256, details: 16_384 } as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Whether `v` is a real calendar day (`2026-02-30` is not). */
function isDay(v: string): boolean {
  const t = Date.parse(`${v}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === v;
}

/** Why a date-or-instant field is malformed, or undefined. */
function badWhen(v: unknown, { dateAllowed }: { dateAllowed: boolean }): string | undefined {
  if (typeof v !== 'string') return `is ${v === null ? 'null' : typeof v}, not a string`;
  if (v.length > 40) return `is ${v.length} characters long, not a date`;
  if (dateAllowed && DATE.test(v)) return isDay(v) ? undefined : 'is no calendar day';
  if (!INSTANT.test(v) || Number.isNaN(Date.parse(v)) || !isDay(v.slice(0, 10)))
    return dateAllowed ? 'is neither a date (YYYY-MM-DD) nor an ISO instant' : 'is not an ISO instant';
  return undefined;
}

/** The first malformed field of a reply, with what is wrong with it. */
function replyProblem(r: Record<string, unknown>): [field: string, problem: string] | undefined {
  if (r.receivedAt !== undefined) {
    const bad = badWhen(r.receivedAt, { dateAllowed: true });
    if (bad) return ['receivedAt', bad];
  }
  if (r.deliveredAt !== undefined) {
    const bad = badWhen(r.deliveredAt, { dateAllowed: false });
    if (bad) return ['deliveredAt', bad];
  }
  for (const field of ['channel', 'reference'] as const) {
    const v = r[field];
    if (v !== undefined && (typeof v !== 'string' || v.length > REPLY_LIMITS.text))
      return [field, `is not a string of at most ${REPLY_LIMITS.text} characters`];
  }
  if (r.authenticated !== undefined && typeof r.authenticated !== 'boolean')
    return ['authenticated', 'is not a boolean'];
  if (r.details !== undefined) {
    if (typeof r.details !== 'object' || r.details === null || Array.isArray(r.details))
      return ['details', 'is not an object'];
    let size: number;
    try {
      size = JSON.stringify(r.details).length;
    } catch {
      return ['details', 'is not JSON (a cycle or a BigInt)'];
    }
    if (size > REPLY_LIMITS.details)
      return ['details', `is ${size} characters of JSON, over ${REPLY_LIMITS.details}`];
  }
  return undefined;
}

/**
 * Checks the shape of what a notifier returned for `row`. Throws `ReceiptReplyError`
 * (`RECEIPT_REPLY_INVALID`) naming the first malformed field; the value itself is not echoed.
 */
export function checkReply(reply: unknown, row: Pick<OutboxRow, 'id'>, channel: string): DeliveryReceipt {
  const where = { channel, messageId: row.id };
  if (reply === undefined || reply === null) return {};
  if (typeof reply !== 'object' || Array.isArray(reply))
    throw new ReceiptReplyError(`the ${channel} notifier's reply for ${row.id} is not an object`, {
      ...where,
      field: '',
    });
  const problem = replyProblem(reply as Record<string, unknown>);
  if (problem) {
    const [field, what] = problem;
    throw new ReceiptReplyError(
      `the ${channel} receiver's reply for ${row.id} is malformed: ${field} ${what}; the receiver must answer a date as YYYY-MM-DD or an ISO instant`,
      { ...where, field },
    );
  }
  return reply as DeliveryReceipt;
}

/** What dating a delivery needs: the row's config, the dispatcher's now. */
export interface DatingInput {
  row: OutboxRow;
  reply: DeliveryReceipt & { channel: string };
  config: JurisdictionConfig | undefined;
  now: string;
}

/**
 * The receipt date of a delivered row. The delivery instant is the dispatcher's unless the
 * notifier's lies between the row's creation and now; a claimed `receivedAt` counts only when the
 * notifier authenticated the reply or the config trusts the channel, and only within the bounds
 * of `receiptFor`. Without a config, no claim counts (nothing says what would bound it).
 */
export function datedReceipt({ row, reply, config, now }: DatingInput): ReceiptDate {
  const { channel } = reply;
  const given = reply.deliveredAt === undefined ? Number.NaN : Date.parse(reply.deliveredAt);
  const deliveredAt =
    given >= Date.parse(row.createdAt) && given <= Date.parse(now) ? (reply.deliveredAt as string) : now;
  const claim = reply.receivedAt;
  if (!config) {
    return {
      channel,
      deliveredAt,
      deemed: false,
      ...(claim ? { refused: { receivedAt: claim, reason: 'unsigned' } } : {}),
    };
  }
  const trusted = reply.authenticated === true || config.delivery?.channels[channel]?.trusted === true;
  if (claim !== undefined && !trusted) {
    return {
      ...receiptFor(config, channel, deliveredAt),
      refused: { receivedAt: claim, reason: 'unsigned' },
    };
  }
  const today = civilDate(now, config.jurisdiction.timezone);
  return receiptFor(config, channel, deliveredAt, reply, { issuedAt: row.createdAt, today });
}
