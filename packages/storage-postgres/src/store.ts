import {
  type AppendResult,
  type CaseEvent,
  type CaseProjection,
  type CaseQuery,
  type CaseStore,
  ConcurrencyError,
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
} from '@xinfang/core';
import pg from 'pg';
import { describePool, isUnreachable, redactUrl, toStoreError } from './errors.js';
import { checkVersion, type MigrationResult, migrate, quoteIdentifier } from './schema.js';

/**
 * Options of `createPostgresStore`. Give `connectionString` (or set `DATABASE_URL`), or `pool` to
 * share a pool of your own.
 */
export interface PostgresStoreOptions {
  /**
   * A PostgreSQL URL (`postgres://user:password@host:5432/db`).
   * @default process.env.DATABASE_URL
   */
  connectionString?: string;
  /**
   * A `pg.Pool` you own (a province's existing pool): the store runs on it and `close()` leaves it
   * open. `connectionString`, `poolSize`, `connectTimeoutMs` and `applicationName` are then ignored.
   * @default undefined (the store opens a pool of its own)
   */
  pool?: pg.Pool;
  /**
   * The PostgreSQL schema holding the tables, created by the first migration. Several
   * deployments (or test runs) can share a database, each in its own schema.
   * @default 'xinfang'
   */
  schema?: string;
  /**
   * Run pending migrations on start (under an advisory lock, so processes starting together
   * do not collide). With `false`, the store only checks that the schema is not newer than this
   * code; migrate explicitly with `store.migrate()` (a deploy step that may run DDL).
   * @default true
   */
  migrate?: boolean;
  /**
   * Connections in the store's own pool. Appends and claims each hold one for a transaction.
   * @default 10
   */
  poolSize?: number;
  /**
   * How long opening a connection may take before the store reports `STORE_UNREACHABLE`.
   * @default 10000
   */
  connectTimeoutMs?: number;
  /**
   * `application_name` of the store's connections, to find them in `pg_stat_activity`.
   * @default 'xinfang'
   */
  applicationName?: string;
}

/** A `CaseStore` on PostgreSQL, plus the pool it runs on and its migrations. */
export interface PostgresStore extends CaseStore {
  /** The pool the store runs on (its own, or the one it was given). */
  readonly pool: pg.Pool;
  /** The schema holding the tables. */
  readonly schema: string;
  /**
   * Brings the schema up to this code's version, under an advisory lock; a no-op when it is
   * current. Throws `StoreSchemaNewerError` for a schema written by a newer version.
   */
  migrate(): Promise<MigrationResult>;
  /** Ends the store's own pool; a pool given in the options stays open. */
  close(): Promise<void>;
}

/** The schema's name must be usable unquoted in messages and as an advisory-lock key. */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

interface DeadlineDbRow {
  row: DeadlineRow;
  lease_owner: string | null;
  lease_until: Date | null;
}
interface OutboxDbRow {
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

function readDeadline(r: DeadlineDbRow): DeadlineRow {
  return { ...r.row, leaseOwner: r.lease_owner, leaseUntil: iso(r.lease_until) };
}

// The mutable parts of an outbox row live in columns; the document keeps what it was created with.
function readOutbox(r: OutboxDbRow): OutboxRow {
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

const isUniqueViolation = (e: unknown) => (e as { code?: unknown }).code === '23505';

/**
 * Opens a PostgreSQL case store, migrating its schema first unless `migrate: false`. Several
 * processes may share one database: appends are transactions with optimistic concurrency on the
 * case version, claims take rows with `FOR UPDATE SKIP LOCKED` and leases.
 *
 * @throws `StoreUnreachableError` (`STORE_UNREACHABLE`) when the server cannot be reached,
 * `StoreSchemaNewerError` when the schema was written by a newer version of xinfang,
 * `StoreInputError` when no connection is configured or the schema name is not an identifier.
 */
export async function createPostgresStore(options: PostgresStoreOptions = {}): Promise<PostgresStore> {
  const schema = options.schema ?? 'xinfang';
  if (!SCHEMA_NAME.test(schema)) {
    throw new StoreInputError(
      `schema must be an unquoted PostgreSQL identifier (letters, digits, _), got ${JSON.stringify(schema)}`,
      { field: 'schema', value: schema },
    );
  }
  const owned = options.pool === undefined;
  let pool: pg.Pool;
  let url: string;
  if (options.pool) {
    pool = options.pool;
    url = describePool(pool.options);
  } else {
    const connectionString = options.connectionString ?? process.env.DATABASE_URL;
    if (connectionString === undefined || connectionString === '') {
      throw new StoreInputError(
        'createPostgresStore needs a connectionString, a pool, or DATABASE_URL in the environment ' +
          '(e.g. postgres://postgres@127.0.0.1:5432/postgres)',
        { field: 'connectionString' },
      );
    }
    url = redactUrl(connectionString);
    pool = new pg.Pool({
      connectionString,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      application_name: options.applicationName ?? 'xinfang',
    });
    // An idle connection the server dropped (a restart) must not crash the process: the pool
    // discards it, and the next query opens a new one or reports STORE_UNREACHABLE.
    pool.on('error', () => undefined);
  }

  const s = quoteIdentifier(schema);
  const fail = (e: unknown) => toStoreError(e, url, schema);

  let closed = false;
  /** Runs `fn`, refusing work once closed, and maps backend failures onto the store's errors. */
  async function run<T>(fn: () => Promise<T>): Promise<T> {
    if (closed) throw new StoreError('the PostgreSQL store is closed', { url, schema });
    try {
      return await fn();
    } catch (e) {
      throw fail(e);
    }
  }

  /** Runs `fn` on a pooled connection; with `transactional`, between BEGIN and COMMIT. */
  async function withClient<T>(fn: (client: pg.PoolClient) => Promise<T>, transactional = false): Promise<T> {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      if (!transactional) return await fn(client);
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      // A connection that failed mid-conversation, or that cannot even roll back, is not handed
      // to the next caller.
      if (isUnreachable(e)) broken = e as Error;
      else if (transactional) {
        await client.query('ROLLBACK').catch((r: unknown) => {
          broken = r as Error;
        });
      }
      throw e;
    } finally {
      client.release(broken);
    }
  }

  const transaction = <T>(fn: (client: pg.PoolClient) => Promise<T>) => withClient(fn, true);

  const q = <R extends pg.QueryResultRow>(text: string, values?: unknown[]) =>
    pool.query<R>(text, values as unknown[]);

  async function caseVersion(client: pg.ClientBase | pg.Pool, caseId: string): Promise<number> {
    const r = await client.query<{ version: number }>(`SELECT version FROM ${s}.cases WHERE case_id = $1`, [
      caseId,
    ]);
    return r.rows[0]?.version ?? 0;
  }

  async function appendIn(client: pg.PoolClient, prepared: PreparedBatch): Promise<AppendResult> {
    const { batch } = prepared;
    // The key first: a second writer with the same key waits here until the first commits (then
    // finds its record) or rolls back (then takes the key). Checked before the version, so a retry
    // after a lost reply is a duplicate, not a conflict.
    if (batch.idempotency) {
      const inserted = await client.query(
        `INSERT INTO ${s}.idempotency (key, fingerprint, case_id, record) VALUES ($1, $2, $3, $4::json)
         ON CONFLICT (key) DO NOTHING RETURNING key`,
        [
          batch.idempotency.key,
          batch.idempotency.fingerprint,
          batch.caseId,
          JSON.stringify(batch.idempotency),
        ],
      );
      if (inserted.rowCount === 0) {
        const found = await client.query<{ record: IdempotencyRecord }>(
          `SELECT record FROM ${s}.idempotency WHERE key = $1`,
          [batch.idempotency.key],
        );
        const stored = found.rows[0]?.record;
        if (!stored) throw new StoreError(`idempotency key ${batch.idempotency.key} vanished`);
        checkIdempotency(batch.idempotency, stored);
        return { duplicate: true, version: await caseVersion(client, stored.caseId), idempotency: stored };
      }
    }

    // Compare-and-set on the version: the row lock makes a concurrent writer of the same case
    // wait, then find the version moved.
    const p = batch.projection;
    const values = [
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
    ];
    const written =
      batch.expectedVersion === 0
        ? await client.query(
            `INSERT INTO ${s}.cases (case_id, version, jurisdiction_id, state, stage, colour,
               responsible_unit, identity_key, matter_key, projection)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::json)
             ON CONFLICT (case_id) DO NOTHING RETURNING version`,
            values,
          )
        : await client.query(
            `UPDATE ${s}.cases SET version = $2, jurisdiction_id = $3, state = $4, stage = $5, colour = $6,
               responsible_unit = $7, identity_key = $8, matter_key = $9, projection = $10::json
             WHERE case_id = $1 AND version = $11 RETURNING version`,
            [...values, batch.expectedVersion],
          );
    if (written.rowCount === 0) {
      throw new ConcurrencyError({
        caseId: batch.caseId,
        expected: batch.expectedVersion,
        actual: await caseVersion(client, batch.caseId),
      });
    }

    // Events, deadlines and outbox rows in one statement, one round trip. A deadline id of
    // another case is not updated (and so not returned), nor is an outbox id already stored.
    const { deadlines, outbox, eventAt } = prepared;
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

  function runQuery(query: CaseQuery): Promise<pg.QueryResult<{ projection: CaseProjection }>> {
    // An overdue query (`dueBefore`) walks the running deadlines in case order, from a partial
    // index that holds open cases only, and looks each case up by id: its time depends on how
    // many open cases precede the page, not on how many closed ones the store holds. DISTINCT ON
    // in index order yields each case once without sorting, and the LIMIT stops the walk. Only a
    // petitioner's or a matter's cases (identity or matter key, a handful of rows) are found
    // faster from the cases' own index, with the deadlines probed per case.
    const overdue =
      query.dueBefore !== undefined && query.identityKey === undefined && query.matterKey === undefined;
    const key = overdue ? 'd.case_id' : 'c.case_id';
    const outer: string[] = []; // on the deadlines (overdue) or the cases
    const where: string[] = []; // on the cases
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const filter = (column: string, value: string | string[] | undefined) => {
      if (value === undefined) return;
      where.push(
        Array.isArray(value) ? `c.${column} = ANY(${param(value)}::text[])` : `c.${column} = ${param(value)}`,
      );
    };
    filter('jurisdiction_id', query.jurisdictionId);
    filter('stage', query.stage);
    filter('state', query.state);
    filter('colour', query.colour);
    filter('responsible_unit', query.unit);
    filter('identity_key', query.identityKey);
    filter('matter_key', query.matterKey);
    if (query.dueBefore !== undefined) {
      const bound = param(normaliseInstant(query.dueBefore, 'dueBefore'));
      outer.push(
        overdue
          ? `d.status = 'running' AND d.due_at < ${bound}`
          : `EXISTS (SELECT 1 FROM ${s}.deadlines d WHERE d.case_id = c.case_id AND d.status = 'running' AND d.due_at < ${bound})`,
      );
    }
    if (query.after !== undefined) outer.push(`${key} > ${param(query.after)}`);
    const limit = param(resolveLimit(query.limit));
    const and = (terms: string[]) => (terms.length ? `WHERE ${terms.join(' AND ')}` : '');
    if (!overdue) {
      return q(
        `SELECT c.projection FROM ${s}.cases c ${and([...where, ...outer])} ORDER BY c.case_id LIMIT ${limit}`,
        params,
      );
    }
    // The case lookup is a LATERAL subquery with OFFSET 0, which the planner may not flatten into
    // a join: as a join, it is free to merge the deadlines with a walk of the cases' primary key
    // (or hash the lot and sort), the plan this one replaces. A case with several overdue
    // deadlines is looked up once for each; DISTINCT ON keeps its first.
    return q(
      `SELECT DISTINCT ON (d.case_id) c.projection
       FROM ${s}.deadlines d
       CROSS JOIN LATERAL (SELECT c.projection FROM ${s}.cases c
         WHERE c.case_id = d.case_id ${where.map((w) => `AND ${w}`).join(' ')} OFFSET 0) c
       ${and(outer)}
       ORDER BY d.case_id LIMIT ${limit}`,
      params,
    );
  }

  async function holderOf(id: string, owner: string): Promise<never> {
    const r = await q<{ status: OutboxStatus; lease_owner: string | null }>(
      `SELECT status, lease_owner FROM ${s}.outbox WHERE id = $1`,
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

  // Checks the server and the schema before handing the store out, so a wrong URL or a stopped
  // server fails here, at start, rather than on the first command.
  try {
    await withClient(async (client) => {
      if (options.migrate === false) await checkVersion(client, schema);
      else await migrate(client, schema);
    });
  } catch (e) {
    if (owned) await pool.end().catch(() => undefined);
    throw fail(e);
  }

  return {
    capabilities: { durable: true, multiProcess: true },
    pool,
    schema,

    migrate() {
      return run(() => withClient((client) => migrate(client, schema)));
    },

    append(batch) {
      return run(async () => {
        const prepared = prepareAppend(batch);
        try {
          return await transaction((client) => appendIn(client, prepared));
        } catch (e) {
          // The constraints are the last line of defence: a writer that slipped past the version
          // check (it cannot, while the row lock holds) is still refused as a conflict.
          if (!isUniqueViolation(e)) throw e;
          throw new ConcurrencyError({
            caseId: batch.caseId,
            expected: batch.expectedVersion,
            actual: await caseVersion(pool, batch.caseId),
          });
        }
      });
    },

    getIdempotency(key) {
      return run(async () => {
        const r = await q<{ record: IdempotencyRecord }>(
          `SELECT record FROM ${s}.idempotency WHERE key = $1`,
          [key],
        );
        return r.rows[0]?.record;
      });
    },

    getCase(caseId) {
      return run(async () => {
        const r = await q<{ projection: CaseProjection }>(
          `SELECT projection FROM ${s}.cases WHERE case_id = $1`,
          [caseId],
        );
        return r.rows[0]?.projection;
      });
    },

    events(caseId, fromSeq = 1) {
      return run(async () => {
        const r = await q<{ event: CaseEvent }>(
          `SELECT event FROM ${s}.events WHERE case_id = $1 AND seq >= $2 ORDER BY seq`,
          [caseId, fromSeq],
        );
        return r.rows.map((row) => row.event);
      });
    },

    query(query) {
      return run(async () => (await runQuery(query)).rows.map((r) => r.projection));
    },

    eventsBetween(from, to, options = {}) {
      return run(async () => {
        const lo = normaliseInstant(from, 'from');
        const hi = normaliseInstant(to, 'to');
        const limit = resolveLimit(options.limit);
        let r: pg.QueryResult<{ event: CaseEvent }>;
        if (options.after) {
          const { caseId, seq } = options.after;
          const found = await q<{ at: Date }>(`SELECT at FROM ${s}.events WHERE case_id = $1 AND seq = $2`, [
            caseId,
            seq,
          ]);
          const at = found.rows[0]?.at;
          if (at === undefined) {
            throw new StoreInputError(`eventsBetween: no event ${caseId}#${seq} to page after`, {
              caseId,
              seq,
            });
          }
          r = await q(
            `SELECT event FROM ${s}.events
             WHERE at >= $1 AND at < $2 AND (at, case_id, seq) > ($3::timestamptz, $4, $5::integer)
             ORDER BY at, case_id, seq LIMIT $6`,
            [lo, hi, at.toISOString(), caseId, seq, limit],
          );
        } else {
          r = await q(
            `SELECT event FROM ${s}.events WHERE at >= $1 AND at < $2 ORDER BY at, case_id, seq LIMIT $3`,
            [lo, hi, limit],
          );
        }
        return r.rows.map((row) => row.event);
      });
    },

    deadlines(caseId) {
      return run(async () => {
        const r = await q<DeadlineDbRow>(
          `SELECT row, lease_owner, lease_until FROM ${s}.deadlines WHERE case_id = $1 ORDER BY id`,
          [caseId],
        );
        return r.rows.map(readDeadline);
      });
    },

    claimDueDeadlines(now, options) {
      return run(async () => {
        const claim = prepareClaim(now, options);
        // One statement, so one transaction: rows another claimer holds locked are skipped, not
        // waited for; a row it leased and committed meanwhile fails the lease test on re-check.
        const r = await q<DeadlineDbRow>(
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
      });
    },

    provisionalDeadlines() {
      return run(async () => {
        const r = await q<DeadlineDbRow>(
          `SELECT row, lease_owner, lease_until FROM ${s}.deadlines
           WHERE provisional AND status IN ('running', 'paused') ORDER BY case_id, id`,
        );
        return r.rows.map(readDeadline);
      });
    },

    claimOutbox(now, options) {
      return run(async () => {
        const claim = prepareClaim(now, options);
        const r = await q<OutboxDbRow>(
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
      });
    },

    ackOutbox(id, owner, receipt) {
      return run(async () => {
        const r = await q(
          `UPDATE ${s}.outbox SET status = 'delivered', receipt = $3::json, lease_owner = NULL, lease_until = NULL
           WHERE id = $1 AND status = 'pending' AND lease_owner = $2`,
          [id, owner, JSON.stringify(receipt)],
        );
        if (r.rowCount === 0) await holderOf(id, owner);
      });
    },

    failOutbox(id, owner, failure) {
      return run(async () => {
        const r = failure.dead
          ? await q(
              `UPDATE ${s}.outbox SET status = 'dead', attempts = attempts + 1, last_error = $3,
                 lease_owner = NULL, lease_until = NULL
               WHERE id = $1 AND status = 'pending' AND lease_owner = $2`,
              [id, owner, failure.error],
            )
          : await q(
              `UPDATE ${s}.outbox SET attempts = attempts + 1, last_error = $3, next_attempt_at = $4,
                 lease_owner = NULL, lease_until = NULL
               WHERE id = $1 AND status = 'pending' AND lease_owner = $2`,
              [id, owner, failure.error, normaliseInstant(failure.retryAt, 'retryAt')],
            );
        if (r.rowCount === 0) await holderOf(id, owner);
      });
    },

    outbox(filter = {}) {
      return run(async () => {
        const where: string[] = [];
        const params: string[] = [];
        if (filter.caseId !== undefined) {
          params.push(filter.caseId);
          where.push(`case_id = $${params.length}`);
        }
        if (filter.status !== undefined) {
          params.push(filter.status);
          where.push(`status = $${params.length}`);
        }
        const r = await q<OutboxDbRow>(
          `SELECT * FROM ${s}.outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id`,
          params,
        );
        return r.rows.map(readOutbox);
      });
    },

    putConfig(hash, config) {
      return run(async () => {
        await q(
          `INSERT INTO ${s}.configs (hash, config) VALUES ($1, $2::json) ON CONFLICT (hash) DO NOTHING`,
          [hash, JSON.stringify(config)],
        );
      });
    },

    getConfig(hash) {
      return run(async () => {
        const r = await q<{ config: JsonObject }>(`SELECT config FROM ${s}.configs WHERE hash = $1`, [hash]);
        return r.rows[0]?.config;
      });
    },

    nextSequence(name) {
      return run(async () => {
        // One autocommitted statement: the number is taken for good even if the caller's own
        // work then fails; the row lock orders concurrent callers.
        const r = await q<{ value: string }>(
          `INSERT INTO ${s}.sequences AS q (name, value) VALUES ($1, 1)
           ON CONFLICT (name) DO UPDATE SET value = q.value + 1 RETURNING value`,
          [name],
        );
        return Number(r.rows[0]?.value);
      });
    },

    async close() {
      if (closed) return;
      closed = true;
      if (owned) {
        try {
          await pool.end();
        } catch (e) {
          throw fail(e);
        }
      }
    },
  };
}
