/**
 * Opens the store a report reads: a SQLite file, or a PostgreSQL URL. A report only reads: the
 * SQLite file is opened read-only (a file that is not an xinfang store is refused, not turned
 * into one), and PostgreSQL is not migrated.
 */

import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { type CaseStore, isXinfangError, XinfangError } from '@xinfang/core';
import { createSqliteStore } from '@xinfang/storage-sqlite';
import Database from 'better-sqlite3';

/** Whether `source` names a PostgreSQL server rather than a file. */
export const isPostgresUrl = (source: string) => /^postgres(ql)?:\/\//i.test(source);

const SQLITE_HEADER = 'SQLite format 3\0';

function isSqliteFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(SQLITE_HEADER.length);
    readSync(fd, head, 0, head.length, 0);
    return head.toString('latin1') === SQLITE_HEADER;
  } finally {
    closeSync(fd);
  }
}

function openSqlite(path: string): { store: CaseStore; close: () => Promise<void> } {
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new XinfangError(
      'CLI_USAGE',
      `no SQLite file at ${path}: give the file the engine writes (the demo's is .xinfang/demo.sqlite)`,
      { path },
    );
  }
  if (!isSqliteFile(path)) {
    throw new XinfangError(
      'CLI_USAGE',
      `${path} is not a SQLite file: give an xinfang store's file or a postgres:// URL`,
      { path },
    );
  }
  const database = new Database(path, { readonly: true, fileMustExist: true });
  try {
    // the store checks the schema; on a read-only connection it cannot create or migrate one
    const store = createSqliteStore({ database });
    return {
      store,
      close: async () => {
        await store.close(); // a connection given to the store stays open
        database.close();
      },
    };
  } catch (e) {
    database.close();
    if (isXinfangError(e, 'STORE_SCHEMA_NEWER')) throw e;
    throw new XinfangError(
      'CLI_USAGE',
      `${path} is not an xinfang store at this version (${(e as Error).message}); a report only reads: ` +
        'open the file once with the engine (createSqliteStore) to create or migrate its tables',
      { path },
      { cause: e },
    );
  }
}

/** The store at `source`; `schema` is the PostgreSQL schema holding the tables. */
export async function openReportStore(
  source: string,
  options: { schema?: string } = {},
): Promise<{ store: CaseStore; close: () => Promise<void> }> {
  if (isPostgresUrl(source)) {
    // pg is loaded only for a report over PostgreSQL: every other command starts faster
    const { createPostgresStore } = await import('@xinfang/storage-postgres');
    const store = await createPostgresStore({
      connectionString: source,
      migrate: false,
      poolSize: 2,
      applicationName: 'xinfang-report',
      ...(options.schema ? { schema: options.schema } : {}),
    });
    return { store, close: () => store.close() };
  }
  return openSqlite(source);
}
