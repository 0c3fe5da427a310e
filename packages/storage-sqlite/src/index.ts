/** @xinfang/storage-sqlite — the embedded default `CaseStore`, on better-sqlite3 in WAL mode. */

export { SCHEMA_VERSION } from './schema.js';
export type { SqliteStore, SqliteStoreOptions } from './store.js';
export { createSqliteStore } from './store.js';
