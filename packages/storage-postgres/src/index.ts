/**
 * @xinfang/storage-postgres — the production `CaseStore` for several engine processes over one
 * PostgreSQL database (pg).
 */

export { START_HINT, StoreUnreachableError } from './errors.js';
export type { MigrationResult } from './schema.js';
export { SCHEMA_VERSION } from './schema.js';
export type { PostgresStore, PostgresStoreOptions } from './store.js';
export { createPostgresStore } from './store.js';
