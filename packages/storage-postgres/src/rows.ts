/** Deadline and outbox rows as PostgreSQL holds them: the document as json, the mutable parts in columns. */

import type { DeadlineRow, JsonObject, OutboxRow, OutboxStatus } from '@xinfang/core/store-kit';

export interface DeadlineDbRow {
  row: DeadlineRow;
  lease_owner: string | null;
  lease_until: Date | null;
}

export interface OutboxDbRow {
  row: OutboxRow;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  receipt: JsonObject | null;
  lease_owner: string | null;
  lease_until: Date | null;
}

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

/** A deadline row as stored, with its lease from the columns. */
export function readDeadline(r: DeadlineDbRow): DeadlineRow {
  return { ...r.row, leaseOwner: r.lease_owner, leaseUntil: iso(r.lease_until) };
}

/** An outbox row as stored. */
export function readOutbox(r: OutboxDbRow): OutboxRow {
  // The mutable parts of an outbox row live in columns; the document keeps what it was created with.
  return {
    ...r.row,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at.toISOString(),
    lastError: r.last_error,
    receipt: r.receipt,
    leaseOwner: r.lease_owner,
    leaseUntil: iso(r.lease_until),
  };
}
