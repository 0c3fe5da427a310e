/**
 * The pool a PostgreSQL store runs on, and running work on it: on a pooled connection, in a
 * transaction, with the backend's failures mapped onto the store's errors.
 */

import { StoreError, StoreInputError } from '@xinfang/core/store-kit';
import pg from 'pg';
import { describePool, isUnreachable, redactUrl, toStoreError } from './errors.js';
import { quoteIdentifier } from './schema.js';

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

/** The schema's name must be usable unquoted in messages and as an advisory-lock key. */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** A store's pool and schema, and the ways its modules run statements on them. */
export interface Connection {
  readonly pool: pg.Pool;
  /** Whether the store opened the pool (and so ends it on close). */
  readonly owned: boolean;
  /** Where the pool connects, without its password, for messages. */
  readonly url: string;
  readonly schema: string;
  /** The schema as a quoted identifier, to prefix table names with. */
  readonly s: string;
  /** Maps a backend failure onto the store's errors. */
  fail(e: unknown): Error;
  /** One statement on any pooled connection (autocommitted). */
  q<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
  /** Runs `fn` on one pooled connection. */
  withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  /** Runs `fn` on one pooled connection between BEGIN and COMMIT (ROLLBACK if it throws). */
  transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T>;
}

/**
 * The pool `options` name (the caller's, or a new one) for `options.schema`. Throws
 * `StoreInputError` when no connection is configured or the schema name is not an identifier.
 * Connects to nothing yet.
 */
export function connect(options: PostgresStoreOptions): Connection {
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

  return {
    pool,
    owned,
    url,
    schema,
    s: quoteIdentifier(schema),
    fail: (e) => toStoreError(e, url, schema),
    q: (text, values) => pool.query(text, values as unknown[]),
    withClient: (fn) => withClient(fn),
    transaction: (fn) => withClient(fn, true),
  };
}

/** Wraps `conn` so that work is refused once the store is closed, and failures are mapped. */
export function runner(conn: Connection) {
  let closed = false;
  return {
    /** Runs `fn`, refusing work once closed, and maps backend failures onto the store's errors. */
    async run<T>(fn: () => Promise<T>): Promise<T> {
      if (closed)
        throw new StoreError('the PostgreSQL store is closed', { url: conn.url, schema: conn.schema });
      try {
        return await fn();
      } catch (e) {
        throw conn.fail(e);
      }
    },
    /** Marks the store closed; true the first time only. */
    close(): boolean {
      if (closed) return false;
      closed = true;
      return true;
    },
  };
}
