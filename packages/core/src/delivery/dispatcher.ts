/**
 * The outbox dispatcher: claims due outbox rows, hands each to the notifier of its channel
 * with the row id as idempotency key, and records the outcome. Delivery is at least once: a
 * crash between a receiver's acceptance and the ack delivers again, and the receiver drops the
 * repeat by the key. A document's receipt is recorded before its row is acked, so that crash
 * never leaves a delivered document without its receipt. The receiver's reply is checked
 * (`reply.ts`) before it is believed. Runs inside the embedding process or as its own worker;
 * several dispatchers share a store through leases.
 */

import type { Clock } from '../base/clock.js';
import { isXinfangError } from '../base/errors.js';
import type { JurisdictionConfig } from '../config/types.js';
import type { ReceiptDate, RefusedClaim } from '../documents/receipt.js';
import type { CaseStore, JsonObject, OutboxRow } from '../store/types.js';
import { type DeliveryReceipt, isPermanent, type Notifier } from './notifier.js';
import { checkReply, datedReceipt } from './reply.js';

/** Exponential backoff: `baseMs * 2^(attempt-1)`, capped, then jittered into [d/2, d]. */
export interface BackoffOptions {
  /** @default 1000 */
  baseMs?: number;
  /** @default 3_600_000 (one hour) */
  maxMs?: number;
}

/**
 * What records receipts (the engine): told of each delivered document, and handed back each
 * pending receipt row (channel `receiptChannel`) when its deemed date comes.
 */
export interface ReceiptRecorder {
  recordReceipt(
    document: Pick<OutboxRow, 'id' | 'caseId' | 'seq' | 'payload'>,
    receipt: ReceiptDate,
  ): Promise<string>;
}

/** Options of {@link createDispatcher}. */
export interface DispatcherOptions {
  store: Pick<CaseStore, 'claimOutbox' | 'ackOutbox' | 'failOutbox'>;
  /** Notifiers by outbox `channel` (the engine writes documents on channel `document`). */
  notifiers: Readonly<Record<string, Notifier>>;
  clock: Clock;
  /** Lease owner (a process id); several dispatchers need distinct owners. */
  owner: string;
  /** How long a claimed row stays leased. @default 60_000 */
  leaseMs?: number;
  /** Attempts before a row is dead-lettered. @default 8 */
  maxAttempts?: number;
  backoff?: BackoffOptions;
  /** Uniform [0, 1) for jitter; injected so tests are exact. @default Math.random */
  random?: () => number;
  /** Rows claimed per round. @default 100 */
  limit?: number;
  /**
   * Configs by jurisdiction id, or one config: the receipt recorded on the row then carries the
   * receipt date of the channel's rule (`receiptFor`). Without one, no receiver's date counts.
   */
  config?: JurisdictionConfig | ((row: OutboxRow) => JurisdictionConfig | undefined);
  /** Called after a row is acked, e.g. to send the `RECEIPT` command. Errors are reported, not retried. */
  onDelivered?: (row: OutboxRow, receipt: ReceiptDate & { reference?: string }) => void | Promise<void>;
  /**
   * Records receipts with no glue: each delivered document's receipt goes to
   * `receipts.recordReceipt` before the row is acked (the engine records `RECEIPT` when the date
   * has come, else keeps a pending row; a failure there fails the attempt, so an acked document
   * always has its receipt), and pending receipt rows (channel `receiptChannel`) are handed back
   * to it when due instead of to a notifier. Needs `config` for deemed dates.
   */
  receipts?: ReceiptRecorder;
  /** Channel of the engine's pending receipt rows. @default 'receipt' (`RECEIPT_CHANNEL`) */
  receiptChannel?: string;
  /** Called when a row is dead-lettered. */
  onDead?: (row: OutboxRow, error: string) => void | Promise<void>;
}

/** What happened to one claimed row. */
export interface DispatchOutcome {
  id: string;
  channel: string;
  status: 'delivered' | 'retry' | 'dead' | 'lease-lost';
  /** Attempts after this one. */
  attempts: number;
  /** The code of the error, when it carried one (`RECEIPT_REPLY_INVALID`, `NOTIFY_PERMANENT`, ...). */
  code?: string;
  error?: string;
  nextAttemptAt?: string;
  /** A receipt date the receiver claimed that did not count (the deemed date stood). */
  refused?: RefusedClaim;
}

/** What one round (or a run until idle) did. */
export interface DispatchReport {
  claimed: number;
  delivered: number;
  retried: number;
  dead: number;
  outcomes: DispatchOutcome[];
}

export interface Dispatcher {
  /** Claims due rows once and delivers them, one after another. */
  runOnce(now?: Date | string): Promise<DispatchReport>;
  /** Rounds at the clock's time until a round claims nothing (rows backed off to later stay). */
  runUntilIdle(options?: { maxRounds?: number }): Promise<DispatchReport>;
}

/** The delay before the retry after failed attempt number `attempt` (1-based). */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const base = options.baseMs ?? 1000;
  const max = options.maxMs ?? 3_600_000;
  const d = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  // "equal jitter": spread retries of rows that failed together, never below half the delay
  return Math.round(d / 2 + random() * (d / 2));
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
/** The error as kept on the row: its code first, so a dead letter says what kind of failure it was. */
const described = (e: unknown) => (isXinfangError(e) ? `${e.code}: ${e.message}` : message(e));

/** Creates an outbox dispatcher. */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { store, clock, owner } = options;
  const leaseMs = options.leaseMs ?? 60_000;
  const receiptChannel = options.receiptChannel ?? 'receipt';
  const delivery: Delivery = {
    options,
    maxAttempts: options.maxAttempts ?? 8,
    random: options.random ?? Math.random,
    receiptChannel,
    recorder: options.receipts && receiptNotifier(options.receipts, receiptChannel),
  };

  async function runOnce(now: Date | string = clock.now()): Promise<DispatchReport> {
    const at = new Date(now).toISOString();
    const rows = await store.claimOutbox(at, { owner, leaseMs, limit: options.limit ?? 100 });
    const report: DispatchReport = { claimed: rows.length, delivered: 0, retried: 0, dead: 0, outcomes: [] };
    for (const row of rows) {
      const outcome = await deliverRow(delivery, row, at);
      report.outcomes.push(outcome);
      if (outcome.status === 'delivered') report.delivered++;
      else if (outcome.status === 'retry') report.retried++;
      else if (outcome.status === 'dead') report.dead++;
    }
    return report;
  }

  async function runUntilIdle({ maxRounds = 1000 } = {}): Promise<DispatchReport> {
    const total: DispatchReport = { claimed: 0, delivered: 0, retried: 0, dead: 0, outcomes: [] };
    for (let round = 0; round < maxRounds; round++) {
      const r = await runOnce(clock.now());
      if (r.claimed === 0) break;
      total.claimed += r.claimed;
      total.delivered += r.delivered;
      total.retried += r.retried;
      total.dead += r.dead;
      total.outcomes.push(...r.outcomes);
    }
    return total;
  }

  return { runOnce, runUntilIdle };
}

/** What delivering a row needs: the options with their defaults settled. */
interface Delivery {
  options: DispatcherOptions;
  maxAttempts: number;
  random: () => number;
  receiptChannel: string;
  /** Delivers pending receipt rows by recording them (when `receipts` is given). */
  recorder: Notifier | undefined;
}

/** A pending receipt row is "delivered" by recording it (retried like a delivery if that fails). */
function receiptNotifier(receipts: ReceiptRecorder, receiptChannel: string): Notifier {
  return {
    channel: receiptChannel,
    async deliver(m) {
      const p = m.payload as unknown as {
        document: string;
        documentId: string;
        seq: number;
        receipt: ReceiptDate;
      };
      const outcome = await receipts.recordReceipt(
        { id: p.document, caseId: m.caseId, seq: p.seq, payload: { documentId: p.documentId } },
        p.receipt,
      );
      return { channel: receiptChannel, reference: outcome };
    },
  };
}

/** Hands one claimed row to its notifier and records the outcome on the row. */
async function deliverRow(d: Delivery, row: OutboxRow, at: string): Promise<DispatchOutcome> {
  const notifier =
    row.channel === d.receiptChannel && d.recorder ? d.recorder : d.options.notifiers[row.channel];
  const attempts = row.attempts + 1;
  let receipt: DeliveryReceipt;
  try {
    if (!notifier) throw new Error(`no notifier for channel ${row.channel}`);
    const reply: unknown = await notifier.deliver({
      id: row.id,
      caseId: row.caseId,
      recipient: row.recipient,
      kind: row.kind,
      payload: row.payload,
    });
    // the reply is the receiver's word: a malformed one is a failed attempt, never a crash
    receipt = checkReply(reply, row, notifier.channel);
  } catch (e) {
    return failed(d, { row, at, attempts, error: e });
  }
  return delivered(d, {
    row,
    at,
    attempts,
    receipt: { ...receipt, channel: receipt.channel ?? notifier.channel },
  });
}

/** A failed attempt: the row is retried after a backoff, or dead-lettered. */
async function failed(
  d: Delivery,
  { row, at, attempts, error: e }: { row: OutboxRow; at: string; attempts: number; error: unknown },
): Promise<DispatchOutcome> {
  const { store, owner, backoff, onDead } = d.options;
  const error = described(e);
  const coded = isXinfangError(e) ? { code: e.code } : {};
  const dead = isPermanent(e) || attempts >= d.maxAttempts;
  const nextAttemptAt = new Date(Date.parse(at) + backoffDelay(attempts, backoff, d.random)).toISOString();
  try {
    await store.failOutbox(row.id, owner, { error, retryAt: nextAttemptAt, dead });
  } catch (lost) {
    if (isXinfangError(lost, 'LEASE_LOST'))
      return { id: row.id, channel: row.channel, status: 'lease-lost', attempts, ...coded, error };
    throw lost;
  }
  if (dead) await onDead?.(row, error);
  return dead
    ? { id: row.id, channel: row.channel, status: 'dead', attempts, ...coded, error }
    : { id: row.id, channel: row.channel, status: 'retry', attempts, ...coded, error, nextAttemptAt };
}

/** A delivered row: what the receiver said, with the channel that delivered it. */
interface Delivered {
  row: OutboxRow;
  at: string;
  attempts: number;
  receipt: DeliveryReceipt & { channel: string };
}

/**
 * A delivered row: its receipt is recorded first (a `RECEIPT`, or a pending receipt row, in the
 * case's own transaction), then the row is acked, then `onDelivered` is told. A crash at any point
 * before the ack leaves the row pending: it is delivered again once its lease lapses (the receiver
 * drops the repeat by its key) and the receipt recorded then, while a receipt recorded before the
 * crash is recorded once (keyed by the row). So no acked delivery is ever without its receipt.
 * A receipt that cannot be recorded fails the attempt like a failed delivery (retried, dead-lettered).
 */
async function delivered(d: Delivery, { row, at, attempts, receipt }: Delivered): Promise<DispatchOutcome> {
  const { store, owner, receipts, onDelivered } = d.options;
  const dated = receiptDate(d, row, receipt);
  if (receipts && row.kind === 'document') {
    try {
      await receipts.recordReceipt(row, dated);
    } catch (e) {
      return failed(d, { row, at, attempts, error: e });
    }
  }
  const record: JsonObject = JSON.parse(
    JSON.stringify({ ...dated, attempts, reference: receipt.reference, details: receipt.details }),
  );
  try {
    await store.ackOutbox(row.id, owner, record);
  } catch (lost) {
    // another dispatcher took the row after our lease lapsed; it will deliver (and the key dedups)
    if (isXinfangError(lost, 'LEASE_LOST'))
      return { id: row.id, channel: row.channel, status: 'lease-lost', attempts };
    throw lost;
  }
  const outcome: DispatchOutcome = { id: row.id, channel: row.channel, status: 'delivered', attempts };
  if (dated.refused) outcome.refused = dated.refused;
  try {
    const { reference } = receipt;
    await onDelivered?.(row, { ...dated, ...(reference ? { reference } : {}) });
  } catch (e) {
    return { ...outcome, error: `onDelivered: ${message(e)}` };
  }
  return outcome;
}

/** The receipt date of the channel's rule for the row's config (`reply.ts`). */
function receiptDate(
  d: Delivery,
  row: OutboxRow,
  receipt: DeliveryReceipt & { channel: string },
): ReceiptDate {
  const given = d.options.config;
  const config = typeof given === 'function' ? given(row) : given;
  return datedReceipt({ row, reply: receipt, config, now: d.options.clock.now().toISOString() });
}
