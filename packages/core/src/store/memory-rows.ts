/**
 * The in-memory store's deadline and outbox rows: claiming due ones under a lease, settling a
 * claimed outbox row, and listing rows in the order the durable stores return them.
 */

import { prepareClaim } from './kit/claim.js';
import { normaliseInstant } from './kit/input.js';
import { byKeys, copy, heldOutboxRow, type MemoryState } from './memory-state.js';
import type { CaseStore, ClaimOptions, DeadlineRow, JsonObject, OutboxRow } from './types.js';

/** Running deadlines due by `now` whose lease is free or lapsed, earliest first, leased. */
export function claimDueDeadlines(s: MemoryState, now: string, options: ClaimOptions): DeadlineRow[] {
  const claim = prepareClaim(now, options);
  const due = [...s.deadlines.values()]
    .filter(
      (row) =>
        row.status === 'running' &&
        row.dueAt <= claim.now &&
        (row.leaseUntil == null || row.leaseUntil <= claim.now),
    )
    .sort(byKeys('dueAt', 'id'))
    .slice(0, claim.limit);
  for (const row of due) {
    row.leaseOwner = claim.owner;
    row.leaseUntil = claim.leaseUntil;
  }
  return copy(due);
}

/** Pending outbox rows due by `now` whose lease is free or lapsed, earliest first, leased. */
export function claimOutbox(s: MemoryState, now: string, options: ClaimOptions): OutboxRow[] {
  const claim = prepareClaim(now, options);
  const due = [...s.outbox.values()]
    .filter(
      (row) =>
        row.status === 'pending' &&
        row.nextAttemptAt <= claim.now &&
        (row.leaseUntil == null || row.leaseUntil <= claim.now),
    )
    .sort(byKeys('nextAttemptAt', 'id'))
    .slice(0, claim.limit);
  for (const row of due) {
    row.leaseOwner = claim.owner;
    row.leaseUntil = claim.leaseUntil;
  }
  return copy(due);
}

/** A case's deadline rows, in id order. */
export function caseDeadlines(s: MemoryState, caseId: string): DeadlineRow[] {
  const rows = [...s.deadlines.values()].filter((row) => row.caseId === caseId);
  return copy(rows.sort(byKeys('id')));
}

/** Open provisional deadlines, by case then id. */
export function provisionalDeadlines(s: MemoryState): DeadlineRow[] {
  const rows = [...s.deadlines.values()].filter(
    (row) => row.provisional && (row.status === 'running' || row.status === 'paused'),
  );
  return copy(rows.sort(byKeys('caseId', 'id')));
}

/** Marks a claimed row delivered with its receipt, releasing the lease. */
export function ackOutbox(s: MemoryState, { id, owner }: RowLease, receipt: JsonObject): void {
  const row = heldOutboxRow(s, id, owner);
  row.status = 'delivered';
  row.receipt = copy(receipt);
  row.leaseOwner = null;
  row.leaseUntil = null;
}

/** Records a failed attempt: retry at `retryAt`, or dead-letter the row; the lease is released. */
export function failOutbox(
  s: MemoryState,
  { id, owner }: RowLease,
  failure: Parameters<CaseStore['failOutbox']>[2],
): void {
  const retryAt = failure.dead ? undefined : normaliseInstant(failure.retryAt, 'retryAt');
  const row = heldOutboxRow(s, id, owner);
  row.attempts += 1;
  row.lastError = failure.error;
  if (retryAt === undefined) row.status = 'dead';
  else row.nextAttemptAt = retryAt;
  row.leaseOwner = null;
  row.leaseUntil = null;
}

/** A claimed row and the owner that claimed it. */
export interface RowLease {
  id: string;
  owner: string;
}

/** Outbox rows matching the filter, in `createdAt` then id order. */
export function outboxRows(s: MemoryState, filter: Parameters<CaseStore['outbox']>[0] = {}): OutboxRow[] {
  const rows = [...s.outbox.values()].filter(
    (row) =>
      (filter.caseId === undefined || row.caseId === filter.caseId) &&
      (filter.status === undefined || row.status === filter.status),
  );
  return copy(rows.sort(byKeys('createdAt', 'id')));
}
