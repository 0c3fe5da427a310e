import {
  type CaseEvent,
  type CaseProjection,
  type CaseStore,
  type IdempotencyRecord,
  type JsonObject,
  normaliseInstant,
  planQuery,
  prepareAppend,
  prepareClaim,
  resolveLimit,
  StoreError,
  StoreInputError,
} from '@xinfang/core/store-kit';
import type Database from 'better-sqlite3';
import { appendTransaction } from './append.js';
import { claimTransactions } from './claims.js';
import { guard, openDatabase, type SqliteStoreOptions } from './connection.js';
import { readStatements } from './queries.js';

export type { SqliteStoreOptions } from './connection.js';

/** A `CaseStore` on SQLite, plus the connection it runs on. */
export interface SqliteStore extends CaseStore {
  /** The underlying connection, for backups (`db.backup()`) and inspection. */
  readonly database: Database.Database;
  close(): Promise<void>;
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
  const { db, owned } = openDatabase(options);
  const appendTx = appendTransaction(db);
  const claims = claimTransactions(db);
  const reads = readStatements(db);
  const putConfig = db.prepare(
    'INSERT INTO configs (hash, config) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING',
  );
  const nextSequence = db
    .prepare(
      `INSERT INTO sequences (name, value) VALUES (?, 1)
       ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
    )
    .pluck();
  const putConfigTx = db.transaction((hash: string, text: string) => putConfig.run(hash, text));
  const nextSequenceTx = db.transaction((name: string) => nextSequence.get(name) as number);

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
        const text = reads.sql.getIdempotency.get(key) as string | undefined;
        return text === undefined ? undefined : (JSON.parse(text) as IdempotencyRecord);
      });
    },

    async getCase(caseId) {
      return run(() => {
        const text = reads.sql.getCase.get(caseId) as string | undefined;
        return text === undefined ? undefined : (JSON.parse(text) as CaseProjection);
      });
    },

    async events(caseId, fromSeq = 1) {
      return run(() =>
        (reads.sql.events.all(caseId, fromSeq) as string[]).map((s) => JSON.parse(s) as CaseEvent),
      );
    },

    async query(query) {
      return run(() => reads.cases(planQuery(query)));
    },

    async eventsBetween(from, to, options = {}) {
      return run(() => {
        const lo = normaliseInstant(from, 'from');
        const hi = normaliseInstant(to, 'to');
        const limit = resolveLimit(options.limit);
        const events = reads.eventsBetween(lo, hi, limit, options.after);
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

    async deadlines(caseId) {
      return run(() => reads.deadlines(caseId));
    },

    async caseColumns(caseId) {
      return run(() => reads.caseColumns(caseId));
    },

    async claimDueDeadlines(now, options) {
      return run(() => claims.deadlines.immediate(prepareClaim(now, options)));
    },

    async provisionalDeadlines() {
      return run(() => reads.provisional());
    },

    async claimOutbox(now, options) {
      return run(() => claims.outbox.immediate(prepareClaim(now, options)));
    },

    async ackOutbox(id, owner, receipt) {
      run(() => claims.ack.immediate(id, owner, JSON.stringify(receipt)));
    },

    async failOutbox(id, owner, failure) {
      run(() => {
        const retryAt = failure.dead ? null : normaliseInstant(failure.retryAt, 'retryAt');
        claims.fail.immediate(id, owner, failure.error, retryAt);
      });
    },

    async outbox(filter = {}) {
      return run(() => reads.outbox(filter));
    },

    async putConfig(hash, config) {
      run(() => putConfigTx.immediate(hash, JSON.stringify(config)));
    },

    async getConfig(hash) {
      return run(() => {
        const text = reads.sql.getConfig.get(hash) as string | undefined;
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
