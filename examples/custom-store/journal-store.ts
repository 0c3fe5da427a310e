/**
 * A `CaseStore` of one's own: everything is held in memory and every change is first written
 * to a journal, an append-only file of JSON lines (one line per change, synced to disk before
 * the change counts). Opening the store reads the journal back.
 *
 * It is small on purpose, to show what the contract asks of a store; the conformance suite of
 * `@xinfang/testing` is what says it is right. One process at a time (a lock file keeps a
 * second one out), and it keeps all cases in memory: a store for a small office or a test
 * bench, not for a province.
 *
 * The checks every store applies the same way (seqs, versions, idempotency, instants) and what
 * each query filter means come from core's store kit (`@xinfang/core/store-kit`), so this store
 * refuses and finds exactly what SQLite and PostgreSQL refuse and find. The journal file itself
 * (its changes, their replay, the lock) is in `journal.ts`.
 */

import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, rmSync, writeSync } from 'node:fs';
import {
  type AppendResult,
  type CaseProjection,
  type CaseQuery,
  type CaseStore,
  type ClaimOptions,
  checkExpectedVersion,
  checkIdempotency,
  type DeadlineRow,
  LeaseLostError,
  normaliseInstant,
  type OutboxRow,
  planQuery,
  prepareAppend,
  prepareClaim,
  refuseBatch,
  resolveLimit,
  StoreError,
  StoreInputError,
  selectCases,
} from '@xinfang/core/store-kit';
import { apply, type Change, lock, replay, type State } from './journal.js';

/** Options of {@link createJournalStore}. */
export interface JournalStoreOptions {
  /** The journal file (created if missing). Its lock is `<path>.lock`. */
  path: string;
}

/** Deep copies: a caller must not change stored data through what it passed in or got back. */
const copy = <T>(value: T): T => structuredClone(value);

/** Binary string order, as SQL's `ORDER BY` over text sorts ids. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Opens (or creates) a journal store. */
export function createJournalStore(options: JournalStoreOptions): CaseStore {
  const { path } = options;
  const lockPath = lock(path);
  const state: State = {
    cases: new Map(),
    deadlines: new Map(),
    outbox: new Map(),
    idempotency: new Map(),
    configs: new Map(),
    sequences: new Map(),
  };
  let fd: number;
  let size: number;
  try {
    replay(path, state);
    fd = openSync(path, 'a');
    size = fstatSync(fd).size;
  } catch (e) {
    rmSync(lockPath, { force: true });
    throw e;
  }
  let closed = false;
  let released = false;

  /**
   * Writes a change and syncs it before applying it: once a method returns, the change survives
   * a crash, and a failed write applies nothing. Everything is synchronous from a method's checks
   * to here, so no other call of this process can interleave with a change half made.
   */
  function commit(change: Change): void {
    if (closed) throw new StoreError(`the journal store ${path} is closed`, { path });
    const line = JSON.stringify(change);
    const bytes = Buffer.from(`${line}\n`);
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } catch (e) {
      // a line half written (a full disk) must not have the next change glued to it; if it
      // cannot be cut off, the store takes no more changes (reopening cuts it off)
      try {
        ftruncateSync(fd, size);
      } catch {
        closed = true;
      }
      throw new StoreError(`cannot write the journal ${path}`, { path }, { cause: e });
    }
    size += bytes.length;
    // apply what was written, read back: memory then holds exactly what a reopen would
    apply(state, JSON.parse(line) as Change);
  }

  function open(): void {
    if (closed) throw new StoreError(`the journal store ${path} is closed`, { path });
  }

  function held(id: string, owner: string): OutboxRow {
    const row = state.outbox.get(id);
    if (row?.status !== 'pending' || row.leaseOwner !== owner) {
      throw new LeaseLostError({
        id,
        owner,
        holder: row?.leaseOwner ?? null,
        ...(row ? { status: row.status } : {}),
      });
    }
    return row;
  }

  /** Rows due at `now` and not leased to anyone else, leased to `owner` (in the journal too). */
  function claim(table: 'deadlines' | 'outbox', now: string, options: ClaimOptions) {
    const c = prepareClaim(now, options);
    const rows: (DeadlineRow | OutboxRow)[] = [
      ...(table === 'deadlines' ? state.deadlines : state.outbox).values(),
    ];
    const due = rows
      .filter((row) => {
        const free = row.leaseUntil == null || row.leaseUntil <= c.now;
        if ('dueAt' in row) return row.status === 'running' && row.dueAt <= c.now && free;
        return row.status === 'pending' && row.nextAttemptAt <= c.now && free;
      })
      .map((row) => ({ row, at: 'dueAt' in row ? row.dueAt : row.nextAttemptAt }))
      .sort((a, b) => byText(a.at, b.at) || byText(a.row.id, b.row.id))
      .slice(0, c.limit)
      .map(({ row }) => row);
    if (due.length > 0)
      commit({ op: 'lease', table, ids: due.map((r) => r.id), owner: c.owner, until: c.leaseUntil });
    return copy(due);
  }

  return {
    capabilities: { durable: true, multiProcess: false },

    async append(input): Promise<AppendResult> {
      open();
      const { batch, deadlines, outbox } = prepareAppend(copy(input));
      const stored = batch.idempotency ? state.idempotency.get(batch.idempotency.key) : undefined;
      if (checkIdempotency(batch.idempotency, stored) === 'duplicate' && stored) {
        return {
          duplicate: true,
          version: state.cases.get(stored.caseId)?.projection.version ?? 0,
          idempotency: copy(stored),
        };
      }
      checkExpectedVersion(batch, state.cases.get(batch.caseId)?.projection.version ?? 0);
      for (const row of deadlines) {
        const owner = state.deadlines.get(row.id)?.caseId;
        if (owner !== undefined && owner !== batch.caseId)
          refuseBatch(batch, `deadline ${row.id} belongs to case ${owner}`);
      }
      for (const row of outbox) {
        if (state.outbox.has(row.id)) refuseBatch(batch, `outbox row ${row.id} already exists`);
      }
      commit({
        op: 'append',
        caseId: batch.caseId,
        events: batch.events,
        projection: batch.projection,
        deadlines,
        outbox,
        ...(batch.idempotency ? { idempotency: batch.idempotency } : {}),
      });
      return {
        duplicate: false,
        version: batch.projection.version,
        ...(batch.idempotency ? { idempotency: copy(batch.idempotency) } : {}),
      };
    },

    async getIdempotency(key) {
      open();
      return copy(state.idempotency.get(key));
    },

    async getCase(caseId) {
      open();
      return copy(state.cases.get(caseId)?.projection);
    },

    async events(caseId, fromSeq = 1) {
      open();
      return copy((state.cases.get(caseId)?.events ?? []).slice(Math.max(0, fromSeq - 1)));
    },

    async query(q: CaseQuery) {
      open();
      const plan = planQuery(q);
      // a real backend keeps indexes; this one looks at every case, in case-id order
      const cases = [...state.cases.keys()]
        .sort(byText)
        .map((id) => state.cases.get(id)?.projection as CaseProjection);
      return copy(selectCases(plan, cases, state.deadlines.values()));
    },

    async eventsBetween(from, to, options = {}) {
      open();
      const lo = normaliseInstant(from, 'from');
      const hi = normaliseInstant(to, 'to');
      const limit = resolveLimit(options.limit);
      // events keep the instant as written (the hash covers it); they are ordered as instants
      const keyed = [...state.cases.values()]
        .flatMap((c) => c.events)
        .map((event) => ({ event, at: normaliseInstant(event.at, 'at') }))
        .sort(
          (a, b) => byText(a.at, b.at) || byText(a.event.caseId, b.event.caseId) || a.event.seq - b.event.seq,
        );
      let start = 0;
      if (options.after) {
        const { caseId, seq } = options.after;
        start = keyed.findIndex((k) => k.event.caseId === caseId && k.event.seq === seq) + 1;
        if (start === 0)
          throw new StoreInputError(`eventsBetween: no event ${caseId}#${seq} to page after`, {
            caseId,
            seq,
          });
      }
      return copy(
        keyed
          .slice(start)
          .filter((k) => k.at >= lo && k.at < hi)
          .slice(0, limit)
          .map((k) => k.event),
      );
    },

    async deadlines(caseId) {
      open();
      return copy(
        [...state.deadlines.values()].filter((r) => r.caseId === caseId).sort((a, b) => byText(a.id, b.id)),
      );
    },

    async claimDueDeadlines(now, options) {
      open();
      return claim('deadlines', now, options) as DeadlineRow[];
    },

    async provisionalDeadlines() {
      open();
      const rows = [...state.deadlines.values()].filter(
        (r) => r.provisional && (r.status === 'running' || r.status === 'paused'),
      );
      return copy(rows.sort((a, b) => byText(a.caseId, b.caseId) || byText(a.id, b.id)));
    },

    async claimOutbox(now, options) {
      open();
      return claim('outbox', now, options) as OutboxRow[];
    },

    async ackOutbox(id, owner, receipt) {
      open();
      held(id, owner);
      commit({ op: 'ack', id, receipt });
    },

    async failOutbox(id, owner, failure) {
      open();
      const retryAt = failure.dead ? null : normaliseInstant(failure.retryAt, 'retryAt');
      held(id, owner);
      commit({ op: 'fail', id, error: failure.error, retryAt });
    },

    async outbox(filter = {}) {
      open();
      const rows = [...state.outbox.values()].filter(
        (r) =>
          (filter.caseId === undefined || r.caseId === filter.caseId) &&
          (filter.status === undefined || r.status === filter.status),
      );
      return copy(rows.sort((a, b) => byText(a.createdAt, b.createdAt) || byText(a.id, b.id)));
    },

    async putConfig(hash, config) {
      open();
      // the first text of a hash wins: a case replays under exactly what it pinned
      if (!state.configs.has(hash)) commit({ op: 'config', hash, config });
    },

    async getConfig(hash) {
      open();
      return copy(state.configs.get(hash));
    },

    async nextSequence(name) {
      open();
      const value = (state.sequences.get(name) ?? 0) + 1;
      commit({ op: 'sequence', name, value });
      return value;
    },

    async close() {
      closed = true;
      if (released) return;
      released = true;
      closeSync(fd);
      rmSync(lockPath, { force: true });
    },
  };
}
