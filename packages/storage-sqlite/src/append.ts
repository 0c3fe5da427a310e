/** Appending a batch: the case row, its events, deadline and outbox rows and idempotency record. */

import {
  type AppendResult,
  CASE_ID_COLUMN,
  caseReaders,
  checkExpectedVersion,
  checkIdempotency,
  type IdempotencyRecord,
  PROJECTION_COLUMNS,
  type PreparedBatch,
  projectionRow,
  READERS_TABLE,
  refuseBatch,
} from '@xinfang/core/store-kit';
import type Database from 'better-sqlite3';

const columns = PROJECTION_COLUMNS.map((c) => c.name);
const UPSERT_CASE = `INSERT INTO cases (${columns.join(', ')})
  VALUES (${columns.map(() => '?').join(', ')})
  ON CONFLICT (${CASE_ID_COLUMN.name}) DO UPDATE SET ${columns
    .filter((name) => name !== CASE_ID_COLUMN.name)
    .map((name) => `${name} = excluded.${name}`)
    .join(', ')}`;

/**
 * The append transaction on `db`. Run it `.immediate()`: an immediate transaction takes the
 * write lock up front, where a deferred one that read first could fail with SQLITE_BUSY on
 * upgrading, without waiting, when another process wrote meanwhile.
 */
export function appendTransaction(
  db: Database.Database,
): Database.Transaction<(prepared: PreparedBatch) => AppendResult> {
  const sql = {
    caseVersion: db.prepare('SELECT version FROM cases WHERE case_id = ?').pluck(),
    upsertCase: db.prepare(UPSERT_CASE),
    clearReaders: db.prepare(`DELETE FROM ${READERS_TABLE.name} WHERE case_id = ?`),
    insertReader: db.prepare(`INSERT INTO ${READERS_TABLE.name} (case_id, unit) VALUES (?, ?)`),
    insertEvent: db.prepare('INSERT INTO events (case_id, seq, at, event) VALUES (?, ?, ?, ?)'),
    deadlineCase: db.prepare('SELECT case_id FROM deadlines WHERE id = ?').pluck(),
    upsertDeadline: db.prepare(
      `INSERT INTO deadlines (id, case_id, status, due_at, provisional, lease_owner, lease_until, row)
       VALUES (?, ?, ?, ?, ?, NULL, NULL, ?)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, due_at = excluded.due_at,
         provisional = excluded.provisional, lease_owner = NULL, lease_until = NULL, row = excluded.row`,
    ),
    outboxExists: db.prepare('SELECT 1 FROM outbox WHERE id = ?').pluck(),
    insertOutbox: db.prepare(
      `INSERT INTO outbox (id, case_id, status, attempts, next_attempt_at, last_error, receipt,
         lease_owner, lease_until, created_at, row)
       VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?)`,
    ),
    getIdempotency: db.prepare('SELECT record FROM idempotency WHERE key = ?').pluck(),
    insertIdempotency: db.prepare(
      'INSERT INTO idempotency (key, fingerprint, case_id, record) VALUES (?, ?, ?, ?)',
    ),
  };

  return db.transaction((prepared: PreparedBatch): AppendResult => {
    const { batch } = prepared;
    if (batch.idempotency) {
      const text = sql.getIdempotency.get(batch.idempotency.key) as string | undefined;
      const stored = text === undefined ? undefined : (JSON.parse(text) as IdempotencyRecord);
      if (stored && checkIdempotency(batch.idempotency, stored) === 'duplicate') {
        const version = (sql.caseVersion.get(stored.caseId) as number | undefined) ?? 0;
        return { duplicate: true, version, idempotency: stored };
      }
    }
    checkExpectedVersion(batch, (sql.caseVersion.get(batch.caseId) as number | undefined) ?? 0);
    for (const row of prepared.deadlines) {
      const owner = sql.deadlineCase.get(row.id) as string | undefined;
      if (owner !== undefined && owner !== batch.caseId) {
        refuseBatch(batch, `deadline ${row.id} belongs to case ${owner}`);
      }
    }
    for (const row of prepared.outbox) {
      if (sql.outboxExists.get(row.id) !== undefined)
        refuseBatch(batch, `outbox row ${row.id} already exists`);
    }

    sql.upsertCase.run(...projectionRow(batch.projection));
    // The readers follow the projection: the case's set is replaced, never merged.
    sql.clearReaders.run(batch.caseId);
    for (const unit of caseReaders(batch.projection)) sql.insertReader.run(batch.caseId, unit);
    batch.events.forEach((event, i) => {
      sql.insertEvent.run(event.caseId, event.seq, prepared.eventAt[i], JSON.stringify(event));
    });
    for (const row of prepared.deadlines) {
      const { leaseOwner: _o, leaseUntil: _u, ...doc } = row;
      sql.upsertDeadline.run(
        row.id,
        row.caseId,
        row.status,
        row.dueAt,
        row.provisional ? 1 : 0,
        JSON.stringify(doc),
      );
    }
    for (const row of prepared.outbox) {
      sql.insertOutbox.run(
        row.id,
        row.caseId,
        row.status,
        row.attempts,
        row.nextAttemptAt,
        row.lastError ?? null,
        row.receipt == null ? null : JSON.stringify(row.receipt),
        row.createdAt,
        JSON.stringify(row),
      );
    }
    let idempotency: IdempotencyRecord | undefined;
    if (batch.idempotency) {
      const text = JSON.stringify(batch.idempotency);
      sql.insertIdempotency.run(batch.idempotency.key, batch.idempotency.fingerprint, batch.caseId, text);
      idempotency = JSON.parse(text) as IdempotencyRecord;
    }
    return {
      duplicate: false,
      version: batch.projection.version,
      ...(idempotency ? { idempotency } : {}),
    };
  });
}
