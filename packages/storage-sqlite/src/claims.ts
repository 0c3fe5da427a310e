/** Claims of due deadlines and outbox rows, and the outcome of a claimed outbox row. */

import {
  type DeadlineRow,
  LeaseLostError,
  type OutboxRow,
  type OutboxStatus,
  type PreparedClaim,
} from '@xinfang/core/store-kit';
import type Database from 'better-sqlite3';
import { type DeadlineDbRow, type OutboxDbRow, readDeadline, readOutbox } from './rows.js';

/** The claim and outbox-outcome transactions of a SQLite store. */
export interface ClaimTransactions {
  deadlines: Database.Transaction<(claim: PreparedClaim) => DeadlineRow[]>;
  outbox: Database.Transaction<(claim: PreparedClaim) => OutboxRow[]>;
  ack: Database.Transaction<(id: string, owner: string, receipt: string) => void>;
  fail: Database.Transaction<(id: string, owner: string, error: string, retryAt: string | null) => void>;
}

/**
 * The claim and outbox-outcome transactions on `db`. Run each `.immediate()`, so that two
 * processes claiming at once take turns instead of one failing on upgrading its lock.
 */
export function claimTransactions(db: Database.Database): ClaimTransactions {
  const sql = {
    dueDeadlines: db.prepare(
      // INDEXED BY: the planner, without statistics, may prefer a worse index; this one serves
      // the filter and the order, and naming it makes a schema change that drops it fail loudly.
      `SELECT row, lease_owner, lease_until, id FROM deadlines INDEXED BY deadlines_due
       WHERE status = 'running' AND due_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
       ORDER BY due_at, id LIMIT ?`,
    ),
    leaseDeadline: db.prepare('UPDATE deadlines SET lease_owner = ?, lease_until = ? WHERE id = ?'),
    dueOutbox: db.prepare(
      `SELECT * FROM outbox INDEXED BY outbox_due
       WHERE status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
       ORDER BY next_attempt_at, id LIMIT ?`,
    ),
    leaseOutbox: db.prepare('UPDATE outbox SET lease_owner = ?, lease_until = ? WHERE id = ?'),
    outboxHolder: db.prepare('SELECT status, lease_owner FROM outbox WHERE id = ?'),
    ackOutbox: db.prepare(
      `UPDATE outbox SET status = 'delivered', receipt = ?, lease_owner = NULL, lease_until = NULL WHERE id = ?`,
    ),
    retryOutbox: db.prepare(
      `UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,
         lease_owner = NULL, lease_until = NULL WHERE id = ?`,
    ),
    deadOutbox: db.prepare(
      `UPDATE outbox SET status = 'dead', attempts = attempts + 1, last_error = ?,
         lease_owner = NULL, lease_until = NULL WHERE id = ?`,
    ),
  };

  /** Throws `LeaseLostError` unless `owner` holds the lease on pending row `id`. */
  function checkHolder(id: string, owner: string): void {
    const r = sql.outboxHolder.get(id) as { status: OutboxStatus; lease_owner: string | null } | undefined;
    if (r?.status !== 'pending' || r.lease_owner !== owner) {
      throw new LeaseLostError({
        id,
        owner,
        holder: r?.lease_owner ?? null,
        ...(r ? { status: r.status } : {}),
      });
    }
  }

  return {
    deadlines: db.transaction((claim: PreparedClaim) => {
      const rows = sql.dueDeadlines.all(claim.now, claim.now, claim.limit) as (DeadlineDbRow & {
        id: string;
      })[];
      for (const r of rows) sql.leaseDeadline.run(claim.owner, claim.leaseUntil, r.id);
      return rows.map((r) => readDeadline({ ...r, lease_owner: claim.owner, lease_until: claim.leaseUntil }));
    }),
    outbox: db.transaction((claim: PreparedClaim) => {
      const rows = sql.dueOutbox.all(claim.now, claim.now, claim.limit) as (OutboxDbRow & { id: string })[];
      for (const r of rows) sql.leaseOutbox.run(claim.owner, claim.leaseUntil, r.id);
      return rows.map((r) => readOutbox({ ...r, lease_owner: claim.owner, lease_until: claim.leaseUntil }));
    }),
    ack: db.transaction((id: string, owner: string, receipt: string) => {
      checkHolder(id, owner);
      sql.ackOutbox.run(receipt, id);
    }),
    fail: db.transaction((id: string, owner: string, error: string, retryAt: string | null) => {
      checkHolder(id, owner);
      if (retryAt === null) sql.deadOutbox.run(error, id);
      else sql.retryOutbox.run(error, retryAt, id);
    }),
  };
}
