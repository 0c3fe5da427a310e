/** Appending a batch: the case row, its events, deadline and outbox rows and idempotency record. */

import {
  type AppendBatch,
  type AppendResult,
  CASE_ID_COLUMN,
  type ColumnKind,
  ConcurrencyError,
  caseReaders,
  checkIdempotency,
  type IdempotencyRecord,
  PROJECTION_COLUMNS,
  type PreparedBatch,
  prepareAppend,
  projectionRow,
  READERS_TABLE,
  refuseBatch,
  StoreError,
} from '@xinfang/core/store-kit';
import type pg from 'pg';
import type { Connection } from './connection.js';

/** How a bound parameter of each column kind is cast (pg sends every parameter as text). */
const CAST: Record<ColumnKind, string> = {
  text: '',
  integer: '',
  timestamp: '::timestamptz',
  json: '::json',
};

const names = PROJECTION_COLUMNS.map((c) => c.name);
/** `$1, $2, ...` for the projection's columns, each with its cast. */
const placeholders = PROJECTION_COLUMNS.map((c, i) => `$${i + 1}${CAST[c.kind]}`);
/** `name = $i` for every column but the key, which the WHERE names as `$1`. */
const assignments = PROJECTION_COLUMNS.flatMap((c, i) =>
  c === CASE_ID_COLUMN ? [] : [`${c.name} = ${placeholders[i]}`],
);

const isUniqueViolation = (e: unknown) => (e as { code?: unknown }).code === '23505';

/** The case's stored version (0: no such case). */
export async function caseVersion(
  conn: Connection,
  client: pg.ClientBase | pg.Pool,
  caseId: string,
): Promise<number> {
  const r = await client.query<{ version: number }>(
    `SELECT version FROM ${conn.s}.cases WHERE case_id = $1`,
    [caseId],
  );
  return r.rows[0]?.version ?? 0;
}

async function appendIn(
  conn: Connection,
  client: pg.PoolClient,
  prepared: PreparedBatch,
): Promise<AppendResult> {
  const { s } = conn;
  const { batch } = prepared;
  // The key first: a second writer with the same key waits here until the first commits (then
  // finds its record) or rolls back (then takes the key). Checked before the version, so a retry
  // after a lost reply is a duplicate, not a conflict.
  if (batch.idempotency) {
    const inserted = await client.query(
      `INSERT INTO ${s}.idempotency (key, fingerprint, case_id, record) VALUES ($1, $2, $3, $4::json)
       ON CONFLICT (key) DO NOTHING RETURNING key`,
      [batch.idempotency.key, batch.idempotency.fingerprint, batch.caseId, JSON.stringify(batch.idempotency)],
    );
    if (inserted.rowCount === 0) {
      const found = await client.query<{ record: IdempotencyRecord }>(
        `SELECT record FROM ${s}.idempotency WHERE key = $1`,
        [batch.idempotency.key],
      );
      const stored = found.rows[0]?.record;
      if (!stored) throw new StoreError(`idempotency key ${batch.idempotency.key} vanished`);
      checkIdempotency(batch.idempotency, stored);
      return {
        duplicate: true,
        version: await caseVersion(conn, client, stored.caseId),
        idempotency: stored,
      };
    }
  }

  // Compare-and-set on the version: the row lock makes a concurrent writer of the same case
  // wait, then find the version moved.
  const p = batch.projection;
  const values = projectionRow(p);
  const written =
    batch.expectedVersion === 0
      ? await client.query(
          `INSERT INTO ${s}.cases (${names.join(', ')})
           VALUES (${placeholders.join(', ')})
           ON CONFLICT (${CASE_ID_COLUMN.name}) DO NOTHING RETURNING version`,
          values,
        )
      : await client.query(
          `UPDATE ${s}.cases SET ${assignments.join(', ')}
           WHERE ${CASE_ID_COLUMN.name} = $1 AND version = $${values.length + 1} RETURNING version`,
          [...values, batch.expectedVersion],
        );
  if (written.rowCount === 0) {
    throw new ConcurrencyError({
      caseId: batch.caseId,
      expected: batch.expectedVersion,
      actual: await caseVersion(conn, client, batch.caseId),
    });
  }

  // Events, deadlines, outbox rows and readers in one statement, one round trip. A deadline id
  // of another case is not updated (and so not returned), nor is an outbox id already stored.
  // The case's readers become the projection's: the units no longer among them are deleted and
  // the new ones inserted (two disjoint sets, as the parts of one statement see one snapshot).
  const { deadlines, outbox, eventAt } = prepared;
  const readers = READERS_TABLE.name;
  const rows = await client.query<{ deadlines: string[] | null; outbox: string[] | null }>(
    `WITH e AS (
       INSERT INTO ${s}.events (case_id, seq, at, event)
       SELECT $1, t.seq, t.at, t.event::json
       FROM unnest($2::integer[], $3::timestamptz[], $4::text[]) AS t(seq, at, event)
     ), d AS (
       INSERT INTO ${s}.deadlines AS d (id, case_id, status, due_at, provisional, lease_owner, lease_until, row)
       SELECT t.id, $1, t.status, t.due_at, t.provisional, NULL, NULL, t.row::json
       FROM unnest($5::text[], $6::text[], $7::timestamptz[], $8::boolean[], $9::text[])
         AS t(id, status, due_at, provisional, row)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, due_at = excluded.due_at,
         provisional = excluded.provisional, lease_owner = NULL, lease_until = NULL, row = excluded.row
       WHERE d.case_id = excluded.case_id
       RETURNING d.id
     ), o AS (
       INSERT INTO ${s}.outbox (id, case_id, status, attempts, next_attempt_at, last_error, receipt,
         lease_owner, lease_until, created_at, row)
       SELECT t.id, $1, t.status, t.attempts, t.next_attempt_at, t.last_error, t.receipt::json,
         NULL, NULL, t.created_at, t.row::json
       FROM unnest($10::text[], $11::text[], $12::integer[], $13::timestamptz[], $14::text[],
         $15::text[], $16::timestamptz[], $17::text[])
         AS t(id, status, attempts, next_attempt_at, last_error, receipt, created_at, row)
       ON CONFLICT (id) DO NOTHING
       RETURNING id
     ), gone AS (
       DELETE FROM ${s}.${readers} WHERE case_id = $1 AND unit <> ALL($18::text[])
     ), r AS (
       INSERT INTO ${s}.${readers} (case_id, unit) SELECT $1, u FROM unnest($18::text[]) AS u
       ON CONFLICT DO NOTHING
     )
     SELECT (SELECT array_agg(id) FROM d) AS deadlines, (SELECT array_agg(id) FROM o) AS outbox`,
    [
      batch.caseId,
      batch.events.map((e) => e.seq),
      eventAt,
      batch.events.map((e) => JSON.stringify(e)),
      deadlines.map((r) => r.id),
      deadlines.map((r) => r.status),
      deadlines.map((r) => r.dueAt),
      deadlines.map((r) => r.provisional === true),
      deadlines.map(({ leaseOwner: _o, leaseUntil: _u, ...doc }) => JSON.stringify(doc)),
      outbox.map((r) => r.id),
      outbox.map((r) => r.status),
      outbox.map((r) => r.attempts),
      outbox.map((r) => r.nextAttemptAt),
      outbox.map((r) => r.lastError ?? null),
      outbox.map((r) => (r.receipt == null ? null : JSON.stringify(r.receipt))),
      outbox.map((r) => r.createdAt),
      outbox.map((r) => JSON.stringify(r)),
      caseReaders(p),
    ],
  );
  const done = rows.rows[0];
  const upserted = new Set(done?.deadlines ?? []);
  for (const row of deadlines) {
    if (!upserted.has(row.id)) {
      const owner = await client.query<{ case_id: string }>(
        `SELECT case_id FROM ${s}.deadlines WHERE id = $1`,
        [row.id],
      );
      refuseBatch(batch, `deadline ${row.id} belongs to case ${owner.rows[0]?.case_id ?? '(unknown)'}`);
    }
  }
  const inserted = new Set(done?.outbox ?? []);
  for (const row of outbox) {
    if (!inserted.has(row.id)) refuseBatch(batch, `outbox row ${row.id} already exists`);
  }
  return {
    duplicate: false,
    version: p.version,
    ...(batch.idempotency ? { idempotency: JSON.parse(JSON.stringify(batch.idempotency)) } : {}),
  };
}

/**
 * Appends `batch` in one transaction. Throws `ConcurrencyError` when the case moved on (also
 * when a unique constraint catches a writer that slipped past the version check),
 * `IdempotencyConflictError` and `StoreInputError` as the contract says.
 */
export async function appendBatch(conn: Connection, batch: AppendBatch): Promise<AppendResult> {
  const prepared = prepareAppend(batch);
  try {
    return await conn.transaction((client) => appendIn(conn, client, prepared));
  } catch (e) {
    // The constraints are the last line of defence: a writer that slipped past the version
    // check (it cannot, while the row lock holds) is still refused as a conflict.
    if (!isUniqueViolation(e)) throw e;
    throw new ConcurrencyError({
      caseId: batch.caseId,
      expected: batch.expectedVersion,
      actual: await caseVersion(conn, conn.pool, batch.caseId),
    });
  }
}
