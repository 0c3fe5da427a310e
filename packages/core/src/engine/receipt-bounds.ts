/**
 * What a receipt (送达) may claim. The review and re-examination windows run from the date a
 * `RECEIPT` records (Reg. 35-36), so a date earlier than the truth takes days from the
 * petitioner: whoever claims it (staff, a notifier's receiver, the embedder), the date never
 * predates the document's issue, and never falls after a deemed date already fixed by a delivery
 * of that document. The document and its deliveries are read from the store, never from the
 * caller. A refusal is a coded `RECEIPT_IMPLAUSIBLE` thrown before anything is written.
 */

import type { ReceiptRefusalReason } from '../base/errors.js';
import { civilDate } from '../calendar/index.js';
import type { CompiledConfig } from '../compiler/compile.js';
import { type ReceiptDate, receiptBounds, receiptFor } from '../documents/receipt.js';
import type { ActorRef, OutboxRow } from '../store/types.js';
import { TransitionError } from './errors.js';
import type { EngineRuntime } from './runtime.js';

/** The outbox channel of a pending receipt: a deemed receipt date still ahead. */
export const RECEIPT_CHANNEL = 'receipt';

/** Per compiled config: document id -> the states awaiting its receipt (those a `RECEIPT` leaves). */
const awaiting = new WeakMap<CompiledConfig, Map<string, Set<string>>>();

/** The documents whose receipt a state awaits: issued on entering a state that takes `RECEIPT`. */
export function awaitingReceipt(compiled: CompiledConfig): Map<string, Set<string>> {
  let hit = awaiting.get(compiled);
  if (hit) return hit;
  hit = new Map();
  const add = (document: string, state: string) =>
    hit?.set(document, (hit.get(document) ?? new Set()).add(state));
  const states = compiled.config.process.states;
  for (const [name, state] of Object.entries(states)) {
    if (state.on?.RECEIPT) for (const d of state.issues ?? []) add(d, name);
    for (const type of Object.keys(state.on ?? {})) {
      for (const def of compiled.transitions(name, type)) {
        if (!def.to || !states[def.to]?.on?.RECEIPT) continue;
        for (const d of def.issues ?? []) add(d, def.to);
      }
    }
  }
  awaiting.set(compiled, hit);
  return hit;
}

/** Whether a command records a receipt in `state` (its transition runs `recordReceipt`). */
function recordsReceipt(compiled: CompiledConfig, state: string, type: string): boolean {
  return compiled
    .transitions(state, type)
    .some((def) => (def.actions ?? []).some((a) => a.type === 'recordReceipt'));
}

/** The case's latest document row whose receipt `state` awaits, with the case's other rows. */
async function awaitedDocument(
  rt: EngineRuntime,
  compiled: CompiledConfig,
  caseId: string,
  state: string,
): Promise<{ row: OutboxRow | undefined; rows: OutboxRow[] }> {
  const rows = await rt.store.outbox({ caseId });
  const owed = awaitingReceipt(compiled);
  const documents = rows.filter(
    (r) => r.kind === 'document' && owed.get(String(r.payload.documentId))?.has(state) === true,
  );
  documents.sort((a, b) => a.seq - b.seq || a.createdAt.localeCompare(b.createdAt));
  return { row: documents.at(-1), rows };
}

/**
 * The latest receipt date the deliveries of `row` already fixed: the deemed date recorded on its
 * delivery, or held by its pending receipt row. A later claim contradicts the channel's rule.
 */
function deemedLatest(row: OutboxRow, rows: readonly OutboxRow[]): string | undefined {
  const dates: string[] = [];
  const take = (r: unknown) => {
    const rec = r as Partial<ReceiptDate> | null | undefined;
    if (rec?.deemed === true && typeof rec.receivedAt === 'string') dates.push(rec.receivedAt);
  };
  take(row.receipt);
  const pending = rows.find((r) => r.id === `${RECEIPT_CHANNEL}:${row.id}`);
  take((pending?.payload as { receipt?: unknown } | undefined)?.receipt);
  return dates.sort()[0];
}

/** A dispatcher's clock may run a little ahead of the engine's (another process, another host). */
const CLOCK_SKEW_MS = 5 * 60_000;

/** Where a refusal is aimed: the case, its state, the `RECEIPT` command and who claimed it. */
interface Claim {
  caseId: string;
  state: string;
  actor: ActorRef;
  receivedAt: string;
}

function refuse(
  claim: Claim,
  reason: ReceiptRefusalReason,
  bounds: { earliest: string; latest: string; document?: string },
  why: string,
): TransitionError {
  return new TransitionError(
    'RECEIPT_IMPLAUSIBLE',
    `receivedAt ${claim.receivedAt} ${why}; record the date on the delivery receipt (送达回证) or postal receipt, or leave the deemed date to stand`,
    { caseId: claim.caseId, state: claim.state, command: 'RECEIPT', actor: claim.actor },
    { receivedAt: claim.receivedAt, reason, ...bounds },
  );
}

/**
 * Refuses a `RECEIPT` whose date predates the awaited document's issue, or falls after the deemed
 * date one of its deliveries already fixed. Other commands pass untouched.
 */
export async function checkReceiptCommand(
  rt: EngineRuntime,
  compiled: CompiledConfig,
  claim: Omit<Claim, 'receivedAt'> & { type: string; payload: Record<string, unknown> },
  today: string,
): Promise<void> {
  const { receivedAt } = claim.payload;
  if (typeof receivedAt !== 'string' || !recordsReceipt(compiled, claim.state, claim.type)) return;
  const { row, rows } = await awaitedDocument(rt, compiled, claim.caseId, claim.state);
  // a document waived (Reg. 23: no address) has no row; only "not after today" bounds it then
  if (!row) return;
  const issued = civilDate(row.createdAt, compiled.config.jurisdiction.timezone);
  const deemed = deemedLatest(row, rows);
  const bounds = { earliest: issued, latest: deemed ?? today, document: row.id };
  const c = { ...claim, receivedAt };
  if (receivedAt < issued)
    throw refuse(c, 'before-issue', bounds, `is before the document was issued (${issued})`);
  if (deemed !== undefined && receivedAt > deemed)
    throw refuse(c, 'after-deemed', bounds, `is after the date its delivery counts as received (${deemed})`);
}

/**
 * Checks a receipt handed to `recordReceipt` against the stored document row and returns the one
 * to record: the row is this case's document, it was delivered after its issue and not after now,
 * and a proven date lies within the channel's bounds. A deemed date is taken from the case's own
 * config, never from the caller (a dispatcher on another config version, or a forged date).
 */
export function checkDeliveredReceipt(
  compiled: CompiledConfig,
  where: Omit<Claim, 'receivedAt'>,
  stored: OutboxRow | undefined,
  receipt: ReceiptDate,
  now: string,
): ReceiptDate {
  const zone = compiled.config.jurisdiction.timezone;
  const today = civilDate(now, zone);
  const claim = { ...where, receivedAt: String(receipt.receivedAt ?? '') };
  if (stored?.kind !== 'document' || stored.caseId !== where.caseId)
    throw refuse(
      claim,
      'unknown-document',
      { earliest: today, latest: today },
      'names no document of this case',
    );
  const issuedAt = stored.createdAt;
  const span = { earliest: civilDate(issuedAt, zone), latest: today, document: stored.id };
  const delivered = Date.parse(receipt.deliveredAt);
  if (!(delivered >= Date.parse(issuedAt) && delivered <= Date.parse(now) + CLOCK_SKEW_MS))
    throw refuse(
      claim,
      'delivery-out-of-range',
      span,
      `comes with a delivery at ${receipt.deliveredAt}, outside the document's issue and now`,
    );
  if (receipt.deemed || receipt.receivedAt === undefined) {
    const rule = receiptFor(compiled.config, receipt.channel, receipt.deliveredAt);
    return receipt.refused ? { ...rule, refused: receipt.refused } : rule;
  }
  const proof = receiptFor(compiled.config, receipt.channel, receipt.deliveredAt, receipt, {
    issuedAt,
    today,
  });
  if (proof.refused) {
    const b = receiptBounds(compiled.config, receipt.channel, receipt.deliveredAt, { issuedAt, today });
    throw refuse(
      claim,
      proof.refused.reason as ReceiptRefusalReason,
      { ...b, latest: b.latest ?? today, document: stored.id },
      `lies outside ${b.earliest}..${b.latest ?? today}`,
    );
  }
  return proof;
}
