import {
  type CaseEvent,
  type CaseProjection,
  type CaseStore,
  type IdempotencyRecord,
  type JsonObject,
  normaliseInstant,
  planQuery,
  prepareClaim,
  resolveLimit,
  StoreInputError,
} from '@xinfang/core/store-kit';
import type pg from 'pg';
import { appendBatch } from './append.js';
import { ackOutbox, claimDeadlines, claimOutbox, failOutbox } from './claims.js';
import { connect, type PostgresStoreOptions, runner } from './connection.js';
import {
  caseColumns,
  caseDeadlines,
  eventsBetween,
  listOutbox,
  provisionalDeadlines,
  queryCases,
} from './queries.js';
import { checkVersion, type MigrationResult, migrate } from './schema.js';

export type { PostgresStoreOptions } from './connection.js';

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
  const conn = connect(options);
  const { pool, schema, s, q } = conn;
  const { run, close } = runner(conn);

  // Checks the server and the schema before handing the store out, so a wrong URL or a stopped
  // server fails here, at start, rather than on the first command.
  try {
    await conn.withClient(async (client) => {
      if (options.migrate === false) await checkVersion(client, schema);
      else await migrate(client, schema);
    });
  } catch (e) {
    if (conn.owned) await pool.end().catch(() => undefined);
    throw conn.fail(e);
  }

  return {
    capabilities: { durable: true, multiProcess: true },
    pool,
    schema,

    migrate() {
      return run(() => conn.withClient((client) => migrate(client, schema)));
    },

    append(batch) {
      return run(() => appendBatch(conn, batch));
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
      return run(() => queryCases(conn, planQuery(query)));
    },

    eventsBetween(from, to, options = {}) {
      return run(async () => {
        const lo = normaliseInstant(from, 'from');
        const hi = normaliseInstant(to, 'to');
        const limit = resolveLimit(options.limit);
        const events = await eventsBetween(conn, lo, hi, limit, options.after);
        if (events === undefined) {
          const { caseId, seq } = options.after as { caseId: string; seq: number };
          throw new StoreInputError(`eventsBetween: no event ${caseId}#${seq} to page after`, {
            caseId,
            seq,
          });
        }
        return events;
      });
    },

    deadlines(caseId) {
      return run(() => caseDeadlines(conn, caseId));
    },

    caseColumns(caseId) {
      return run(() => caseColumns(conn, caseId));
    },

    claimDueDeadlines(now, options) {
      return run(async () => claimDeadlines(conn, prepareClaim(now, options)));
    },

    provisionalDeadlines() {
      return run(() => provisionalDeadlines(conn));
    },

    claimOutbox(now, options) {
      return run(async () => claimOutbox(conn, prepareClaim(now, options)));
    },

    ackOutbox(id, owner, receipt) {
      return run(() => ackOutbox(conn, id, owner, receipt));
    },

    failOutbox(id, owner, failure) {
      return run(async () => {
        const retryAt = failure.dead ? null : normaliseInstant(failure.retryAt, 'retryAt');
        await failOutbox(conn, id, owner, failure.error, retryAt);
      });
    },

    outbox(filter = {}) {
      return run(() => listOutbox(conn, filter));
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
      if (!close()) return;
      if (conn.owned) {
        try {
          await pool.end();
        } catch (e) {
          throw conn.fail(e);
        }
      }
    },
  };
}
