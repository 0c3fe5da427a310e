/** Deadline and outbox rows as SQLite holds them: the document as JSON text, the mutable parts in columns. */

import type { DeadlineRow, JsonObject, OutboxRow, OutboxStatus } from '@xinfang/core/store-kit';

export interface DeadlineDbRow {
  row: string;
  lease_owner: string | null;
  lease_until: string | null;
}

export interface OutboxDbRow {
  row: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  receipt: string | null;
  lease_owner: string | null;
  lease_until: string | null;
}

/** A deadline row as stored, with its lease from the columns. */
export function readDeadline(r: DeadlineDbRow): DeadlineRow {
  return { ...(JSON.parse(r.row) as DeadlineRow), leaseOwner: r.lease_owner, leaseUntil: r.lease_until };
}

/** An outbox row as stored. */
export function readOutbox(r: OutboxDbRow): OutboxRow {
  // The mutable parts of an outbox row live in columns; the document keeps what it was created with.
  return {
    ...(JSON.parse(r.row) as OutboxRow),
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    receipt: r.receipt === null ? null : (JSON.parse(r.receipt) as JsonObject),
    leaseOwner: r.lease_owner,
    leaseUntil: r.lease_until,
  };
}
