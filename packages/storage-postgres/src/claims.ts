/** Claims of due deadlines and outbox rows, and the outcome of a claimed outbox row. */

import {
  type DeadlineRow,
  type JsonObject,
  LeaseLostError,
  type OutboxRow,
  type OutboxStatus,
  type PreparedClaim,
} from '@xinfang/core/store-kit';
import type { Connection } from './connection.js';
import { type DeadlineDbRow, type OutboxDbRow, readDeadline, readOutbox } from './rows.js';

/** Throws the `LeaseLostError` for row `id`, naming who holds it now. */
async function holderOf(conn: Connection, id: string, owner: string): Promise<never> {
  const r = await conn.q<{ status: OutboxStatus; lease_owner: string | null }>(
    `SELECT status, lease_owner FROM ${conn.s}.outbox WHERE id = $1`,
    [id],
  );
  const row = r.rows[0];
  throw new LeaseLostError({
    id,
    owner,
    holder: row?.lease_owner ?? null,
    ...(row ? { status: row.status } : {}),
  });
}

/** Leases the due running deadlines to the claimer, earliest first. */
export async function claimDeadlines(conn: Connection, claim: PreparedClaim): Promise<DeadlineRow[]> {
  const { s } = conn;
  // One statement, so one transaction: rows another claimer holds locked are skipped, not
  // waited for; a row it leased and committed meanwhile fails the lease test on re-check.
  const r = await conn.q<DeadlineDbRow>(
    `WITH claimed AS (
       UPDATE ${s}.deadlines SET lease_owner = $1, lease_until = $2
       -- ARRAY(...): the ids found are looked up by primary key, never joined by a scan.
       WHERE id = ANY(ARRAY(
         SELECT id FROM ${s}.deadlines
         WHERE status = 'running' AND due_at <= $3 AND (lease_until IS NULL OR lease_until <= $3)
         ORDER BY due_at, id LIMIT $4
         FOR UPDATE SKIP LOCKED))
       RETURNING id, due_at, row, lease_owner, lease_until
     )
     SELECT row, lease_owner, lease_until FROM claimed ORDER BY due_at, id`,
    [claim.owner, claim.leaseUntil, claim.now, claim.limit],
  );
  return r.rows.map(readDeadline);
}

/** Leases the due pending outbox rows to the claimer, earliest first. */
export async function claimOutbox(conn: Connection, claim: PreparedClaim): Promise<OutboxRow[]> {
  const { s } = conn;
  const r = await conn.q<OutboxDbRow>(
    `WITH claimed AS (
       UPDATE ${s}.outbox SET lease_owner = $1, lease_until = $2
       WHERE id = ANY(ARRAY(
         SELECT id FROM ${s}.outbox
         WHERE status = 'pending' AND next_attempt_at <= $3 AND (lease_until IS NULL OR lease_until <= $3)
         ORDER BY next_attempt_at, id LIMIT $4
         FOR UPDATE SKIP LOCKED))
       RETURNING *
     )
     SELECT * FROM claimed ORDER BY next_attempt_at, id`,
    [claim.owner, claim.leaseUntil, claim.now, claim.limit],
  );
  return r.rows.map(readOutbox);
}

/** Marks a row `owner` holds delivered; `LeaseLostError` if it does not hold it. */
export async function ackOutbox(
  conn: Connection,
  id: string,
  owner: string,
  receipt: JsonObject,
): Promise<void> {
  const r = await conn.q(
    `UPDATE ${conn.s}.outbox SET status = 'delivered', receipt = $3::json, lease_owner = NULL, lease_until = NULL
     WHERE id = $1 AND status = 'pending' AND lease_owner = $2`,
    [id, owner, JSON.stringify(receipt)],
  );
  if (r.rowCount === 0) await holderOf(conn, id, owner);
}

/**
 * Records a failed attempt on a row `owner` holds: retry at `retryAt`, or dead-letter it when
 * `retryAt` is null. `LeaseLostError` if it does not hold it.
 */
export async function failOutbox(
  conn: Connection,
  id: string,
  owner: string,
  error: string,
  retryAt: string | null,
): Promise<void> {
  const { s } = conn;
  const r =
    retryAt === null
      ? await conn.q(
          `UPDATE ${s}.outbox SET status = 'dead', attempts = attempts + 1, last_error = $3,
             lease_owner = NULL, lease_until = NULL
           WHERE id = $1 AND status = 'pending' AND lease_owner = $2`,
          [id, owner, error],
        )
      : await conn.q(
          `UPDATE ${s}.outbox SET attempts = attempts + 1, last_error = $3, next_attempt_at = $4,
             lease_owner = NULL, lease_until = NULL
           WHERE id = $1 AND status = 'pending' AND lease_owner = $2`,
          [id, owner, error, retryAt],
        );
  if (r.rowCount === 0) await holderOf(conn, id, owner);
}
