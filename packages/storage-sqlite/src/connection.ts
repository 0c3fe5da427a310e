/** Opening the SQLite connection a store runs on, and mapping the driver's failures. */

import { StoreError, StoreInputError, XinfangError } from '@xinfang/core/store-kit';
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

/** Runs `fn`, turning a backend failure (busy, I/O, closed connection) into a `StoreError`. */
export function guard<T>(fn: () => T): T {
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
 * The connection `options` name, set up and migrated: the store's own (WAL, the busy timeout,
 * the sync level) or the caller's (touched only where the options say). `owned` says whether
 * the store closes it. A connection the store opened is closed again if setting it up fails.
 */
export function openDatabase(options: SqliteStoreOptions): { db: Database.Database; owned: boolean } {
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
  return { db, owned };
}
