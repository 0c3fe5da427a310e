import {
  type AppendResult,
  type CaseEvent,
  type CaseProjection,
  type CaseQuery,
  type CaseStore,
  checkExpectedVersion,
  checkIdempotency,
  type DeadlineRow,
  type IdempotencyRecord,
  type JsonObject,
  LeaseLostError,
  normaliseInstant,
  type OutboxRow,
  type OutboxStatus,
  type PreparedBatch,
  prepareAppend,
  prepareClaim,
  refuseBatch,
  resolveLimit,
  StoreError,
  StoreInputError,
  XinfangError,
} from '@xinfang/core';
import Database from 'better-sqlite3';
import { migrate } from './schema.js';

/** Options of `createSqliteStore`. Give `path`, or `database` to use a connection of your own. */
export interface SqliteStoreOptions {
  /** A file (created if missing) or `':memory:'`. Required unless `database` is given. */
  path?: string;
  /**
   * `FULL` syncs the write-ahead log on every commit: an acknowledged command survives a power
   * cut. `NORMAL` survives a crash of the process but may lose the last commits on a power cut.
   * @default 'FULL'
   */
  synchronous?: 'FULL' | 'NORMAL';
  /**
   * How long a write waits for another process's transaction before failing with `STORE_ERROR`.
   * @default 5000
   */
  busyTimeoutMs?: number;
  /**
   * A better-sqlite3 connection you own: the store migrates it and sets `busyTimeoutMs` and
   * `synchronous` only if you give them, and `close()` leaves it open. Use it to share a
   * connection with the rest of your application.
   * @default undefined (the store opens `path` itself)
   */
  database?: Database.Database;
}

/** A `CaseStore` on SQLite, plus the connection it runs on. */
export interface SqliteStore extends CaseStore {
  /** The underlying connection, for backups (`db.backup()`) and inspection. */
  readonly database: Database.Database;
  close(): Promise<void>;
}

interface DeadlineDbRow {
  row: string;
  lease_owner: string | null;
  lease_until: string | null;
}
interface OutboxDbRow {
  row: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  receipt: string | null;
  lease_owner: string | null;
  lease_until: string | null;
}

function readDeadline(r: DeadlineDbRow): DeadlineRow {
  return { ...(JSON.parse(r.row) as DeadlineRow), leaseOwner: r.lease_owner, leaseUntil: r.lease_until };
}

// The mutable parts of an outbox row live in columns; the document keeps what it was created with.
function readOutbox(r: OutboxDbRow): OutboxRow {
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

/** Runs `fn`, turning a backend failure (busy, I/O, closed connection) into a `StoreError`. */
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof XinfangError) throw e;
    const code = (e as { code?: unknown }).code;
    throw new StoreError(
      `SQLite store failed: ${(e as Error).message}`,
      typeof code === 'string' ? { sqliteCode: code } : {},
      {
        cause: e,
      },
    );
  }
}

/**
 * Opens (creating and migrating if needed) a SQLite case store: WAL mode, one immediate
 * transaction per append and per claim, so several processes can share one file.
 *
 * better-sqlite3 is synchronous; the methods are async only to honour `CaseStore`, and each
 * runs to completion before it returns.
 *
 * @throws `StoreSchemaNewerError` when the file was written by a newer version of xinfang.
 */
export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const owned = options.database === undefined;
  if (owned && (options.path === undefined || options.path === '')) {
    throw new StoreInputError('createSqliteStore needs a path (a file or ":memory:") or a database');
  }
  const db = guard(
    () =>
      options.database ?? new Database(options.path as string, { timeout: options.busyTimeoutMs ?? 5000 }),
  );
  try {
    guard(() => {
      if (owned || options.busyTimeoutMs !== undefined)
        db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
      if (owned) db.pragma('journal_mode = WAL');
      if (owned || options.synchronous !== undefined) {
        db.pragma(`synchronous = ${options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
      }
      migrate(db);
    });
  } catch (e) {
    if (owned) db.close();
    throw e;
  }

  const sql = {
    caseVersion: db.prepare('SELECT version FROM cases WHERE case_id = ?').pluck(),
    getCase: db.prepare('SELECT projection FROM cases WHERE case_id = ?').pluck(),
    upsertCase: db.prepare(
      `INSERT INTO cases (case_id, version, jurisdiction_id, state, stage, colour, responsible_unit,
         identity_key, matter_key, projection)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (case_id) DO UPDATE SET version = excluded.version,
         jurisdiction_id = excluded.jurisdiction_id, state = excluded.state, stage = excluded.stage,
         colour = excluded.colour, responsible_unit = excluded.responsible_unit,
         identity_key = excluded.identity_key, matter_key = excluded.matter_key,
         projection = excluded.projection`,
    ),
    insertEvent: db.prepare('INSERT INTO events (case_id, seq, at, event) VALUES (?, ?, ?, ?)'),
    events: db.prepare('SELECT event FROM events WHERE case_id = ? AND seq >= ? ORDER BY seq').pluck(),
    eventAt: db.prepare('SELECT at FROM events WHERE case_id = ? AND seq = ?').pluck(),
    eventsBetween: db
      .prepare('SELECT event FROM events WHERE at >= ? AND at < ? ORDER BY at, case_id, seq LIMIT ?')
      .pluck(),
    eventsBetweenAfter: db
      .prepare(
        `SELECT event FROM events WHERE at >= ? AND at < ? AND (at, case_id, seq) > (?, ?, ?)
         ORDER BY at, case_id, seq LIMIT ?`,
      )
      .pluck(),
    deadlineCase: db.prepare('SELECT case_id FROM deadlines WHERE id = ?').pluck(),
    upsertDeadline: db.prepare(
      `INSERT INTO deadlines (id, case_id, status, due_at, provisional, lease_owner, lease_until, row)
       VALUES (?, ?, ?, ?, ?, NULL, NULL, ?)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, due_at = excluded.due_at,
         provisional = excluded.provisional, lease_owner = NULL, lease_until = NULL, row = excluded.row`,
    ),
    deadlines: db.prepare(
      'SELECT row, lease_owner, lease_until FROM deadlines WHERE case_id = ? ORDER BY id',
    ),
    dueDeadlines: db.prepare(
      // INDEXED BY: the planner, without statistics, may prefer a worse index; this one serves
      // the filter and the order, and naming it makes a schema change that drops it fail loudly.
      `SELECT row, lease_owner, lease_until, id FROM deadlines INDEXED BY deadlines_due
       WHERE status = 'running' AND due_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
       ORDER BY due_at, id LIMIT ?`,
    ),
    leaseDeadline: db.prepare('UPDATE deadlines SET lease_owner = ?, lease_until = ? WHERE id = ?'),
    provisional: db.prepare(
      `SELECT row, lease_owner, lease_until FROM deadlines
       WHERE provisional = 1 AND status IN ('running', 'paused') ORDER BY case_id, id`,
    ),
    outboxExists: db.prepare('SELECT 1 FROM outbox WHERE id = ?').pluck(),
    insertOutbox: db.prepare(
      `INSERT INTO outbox (id, case_id, status, attempts, next_attempt_at, last_error, receipt,
         lease_owner, lease_until, created_at, row)
       VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?)`,
    ),
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
    getIdempotency: db.prepare('SELECT record FROM idempotency WHERE key = ?').pluck(),
    insertIdempotency: db.prepare(
      'INSERT INTO idempotency (key, fingerprint, case_id, record) VALUES (?, ?, ?, ?)',
    ),
    putConfig: db.prepare('INSERT INTO configs (hash, config) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING'),
    getConfig: db.prepare('SELECT config FROM configs WHERE hash = ?').pluck(),
    nextSequence: db
      .prepare(
        `INSERT INTO sequences (name, value) VALUES (?, 1)
         ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
      )
      .pluck(),
  };

  // Immediate transactions take the write lock up front: a deferred one that read first could
  // fail with SQLITE_BUSY on upgrading, without waiting, when another process wrote meanwhile.
  const appendTx = db.transaction((prepared: PreparedBatch): AppendResult => {
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

    const p = batch.projection;
    sql.upsertCase.run(
      p.caseId,
      p.version,
      p.jurisdictionId,
      p.state,
      p.stage,
      p.colour,
      p.responsibleUnit ?? null,
      p.identityKey ?? null,
      p.matterKey ?? null,
      JSON.stringify(p),
    );
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
    return { duplicate: false, version: p.version, ...(idempotency ? { idempotency } : {}) };
  });

  const claimDeadlinesTx = db.transaction((now: string, until: string, owner: string, limit: number) => {
    const rows = sql.dueDeadlines.all(now, now, limit) as (DeadlineDbRow & { id: string })[];
    for (const r of rows) sql.leaseDeadline.run(owner, until, r.id);
    return rows.map((r) => readDeadline({ ...r, lease_owner: owner, lease_until: until }));
  });

  const claimOutboxTx = db.transaction((now: string, until: string, owner: string, limit: number) => {
    const rows = sql.dueOutbox.all(now, now, limit) as (OutboxDbRow & { id: string })[];
    for (const r of rows) sql.leaseOutbox.run(owner, until, r.id);
    return rows.map((r) => readOutbox({ ...r, lease_owner: owner, lease_until: until }));
  });

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
  const ackTx = db.transaction((id: string, owner: string, receipt: string) => {
    checkHolder(id, owner);
    sql.ackOutbox.run(receipt, id);
  });
  const failTx = db.transaction((id: string, owner: string, error: string, retryAt: string | null) => {
    checkHolder(id, owner);
    if (retryAt === null) sql.deadOutbox.run(error, id);
    else sql.retryOutbox.run(error, retryAt, id);
  });
  const putConfigTx = db.transaction((hash: string, text: string) => sql.putConfig.run(hash, text));
  const nextSequenceTx = db.transaction((name: string) => sql.nextSequence.get(name) as number);

  // Queries combine optional filters, so their SQL is built per call; the few shapes that occur
  // are prepared once each.
  const statements = new Map<string, Database.Statement>();
  function prepared(text: string): Database.Statement {
    let statement = statements.get(text);
    if (!statement) {
      statement = db.prepare(text);
      statements.set(text, statement);
    }
    return statement;
  }
  function runQuery(query: CaseQuery): CaseProjection[] {
    // An overdue query (`dueBefore`) walks the running deadlines in case order, from a partial
    // index that holds open cases only, and looks each case up: its time depends on how many open
    // cases precede the page, not on how many closed ones the store holds. Grouping by case in
    // index order yields each case once without sorting. Only a petitioner's or a matter's cases
    // (identity or matter key, a handful of rows) are found faster from the cases' own index.
    const overdue =
      query.dueBefore !== undefined && query.identityKey === undefined && query.matterKey === undefined;
    const key = overdue ? 'd.case_id' : 'c.case_id';
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.dueBefore !== undefined) {
      where.push(
        overdue
          ? `d.status = 'running' AND d.due_at < ? AND c.case_id = d.case_id`
          : `EXISTS (SELECT 1 FROM deadlines d WHERE d.case_id = c.case_id AND d.status = 'running' AND d.due_at < ?)`,
      );
      params.push(normaliseInstant(query.dueBefore, 'dueBefore'));
    }
    if (query.after !== undefined) {
      where.push(`${key} > ?`);
      params.push(query.after);
    }
    const filter = (column: string, value: string | string[] | undefined) => {
      if (value === undefined) return;
      if (Array.isArray(value)) {
        where.push(`c.${column} IN (SELECT value FROM json_each(?))`);
        params.push(JSON.stringify(value));
      } else {
        where.push(`c.${column} = ?`);
        params.push(value);
      }
    };
    filter('jurisdiction_id', query.jurisdictionId);
    filter('stage', query.stage);
    filter('state', query.state);
    filter('colour', query.colour);
    filter('responsible_unit', query.unit);
    filter('identity_key', query.identityKey);
    filter('matter_key', query.matterKey);
    params.push(resolveLimit(query.limit));
    // CROSS JOIN fixes the join order and INDEXED BY the index: without statistics the planner
    // would as soon scan the cases, which is the plan this one replaces.
    const from = overdue ? 'deadlines d INDEXED BY deadlines_running_by_case CROSS JOIN cases c' : 'cases c';
    const order = overdue ? 'GROUP BY d.case_id ORDER BY d.case_id' : 'ORDER BY c.case_id';
    const text = `SELECT c.projection FROM ${from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ${order} LIMIT ?`;
    return (
      prepared(text)
        .pluck()
        .all(...params) as string[]
    ).map((s) => JSON.parse(s) as CaseProjection);
  }

  let closed = false;
  /** Like `guard`, and refuses work once this store is closed (an injected connection stays open). */
  function run<T>(fn: () => T): T {
    if (closed) throw new StoreError('the SQLite store is closed', { location: db.name });
    return guard(fn);
  }

  const memory = db.memory;
  return {
    capabilities: { durable: !memory, multiProcess: !memory },
    database: db,

    async append(batch) {
      return run(() => appendTx.immediate(prepareAppend(batch)));
    },

    async getIdempotency(key) {
      return run(() => {
        const text = sql.getIdempotency.get(key) as string | undefined;
        return text === undefined ? undefined : (JSON.parse(text) as IdempotencyRecord);
      });
    },

    async getCase(caseId) {
      return run(() => {
        const text = sql.getCase.get(caseId) as string | undefined;
        return text === undefined ? undefined : (JSON.parse(text) as CaseProjection);
      });
    },

    async events(caseId, fromSeq = 1) {
      return run(() => (sql.events.all(caseId, fromSeq) as string[]).map((s) => JSON.parse(s) as CaseEvent));
    },

    async query(query) {
      return run(() => runQuery(query));
    },

    async eventsBetween(from, to, options = {}) {
      return run(() => {
        const lo = normaliseInstant(from, 'from');
        const hi = normaliseInstant(to, 'to');
        const limit = resolveLimit(options.limit);
        let rows: string[];
        if (options.after) {
          const { caseId, seq } = options.after;
          const at = sql.eventAt.get(caseId, seq) as string | undefined;
          if (at === undefined) {
            throw new StoreInputError(`eventsBetween: no event ${caseId}#${seq} to page after`, {
              caseId,
              seq,
            });
          }
          // Start the index range at the page's last instant, not at `from`, so each page is cheap.
          // biome-ignore lint/complexity/useMathMinMax: these are ISO strings; Math.max would give NaN
          const start = at > lo ? at : lo;
          rows = sql.eventsBetweenAfter.all(start, hi, at, caseId, seq, limit) as string[];
        } else {
          rows = sql.eventsBetween.all(lo, hi, limit) as string[];
        }
        return rows.map((s) => JSON.parse(s) as CaseEvent);
      });
    },

    async deadlines(caseId) {
      return run(() => (sql.deadlines.all(caseId) as DeadlineDbRow[]).map(readDeadline));
    },

    async claimDueDeadlines(now, options) {
      return run(() => {
        const claim = prepareClaim(now, options);
        return claimDeadlinesTx.immediate(claim.now, claim.leaseUntil, claim.owner, claim.limit);
      });
    },

    async provisionalDeadlines() {
      return run(() => (sql.provisional.all() as DeadlineDbRow[]).map(readDeadline));
    },

    async claimOutbox(now, options) {
      return run(() => {
        const claim = prepareClaim(now, options);
        return claimOutboxTx.immediate(claim.now, claim.leaseUntil, claim.owner, claim.limit);
      });
    },

    async ackOutbox(id, owner, receipt) {
      run(() => ackTx.immediate(id, owner, JSON.stringify(receipt)));
    },

    async failOutbox(id, owner, failure) {
      run(() => {
        const retryAt = failure.dead ? null : normaliseInstant(failure.retryAt, 'retryAt');
        failTx.immediate(id, owner, failure.error, retryAt);
      });
    },

    async outbox(filter = {}) {
      return run(() => {
        const where: string[] = [];
        const params: string[] = [];
        if (filter.caseId !== undefined) {
          where.push('case_id = ?');
          params.push(filter.caseId);
        }
        if (filter.status !== undefined) {
          where.push('status = ?');
          params.push(filter.status);
        }
        const text = `SELECT * FROM outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id`;
        return (prepared(text).all(...params) as OutboxDbRow[]).map(readOutbox);
      });
    },

    async putConfig(hash, config) {
      run(() => putConfigTx.immediate(hash, JSON.stringify(config)));
    },

    async getConfig(hash) {
      return run(() => {
        const text = sql.getConfig.get(hash) as string | undefined;
        return text === undefined ? undefined : (JSON.parse(text) as JsonObject);
      });
    },

    async nextSequence(name) {
      return run(() => nextSequenceTx.immediate(name));
    },

    async close() {
      if (closed) return;
      closed = true;
      if (owned) guard(() => db.close());
    },
  };
}
