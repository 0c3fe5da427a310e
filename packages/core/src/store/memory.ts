/**
 * The in-memory `CaseStore`: for tests, benchmarks and trying things out. Same semantics as the
 * durable stores (it passes the same conformance suite), nothing survives the process.
 */

import { LeaseLostError, StoreError, StoreInputError } from './errors.js';
import { checkExpectedVersion, checkIdempotency, prepareAppend, refuseBatch } from './kit/batch.js';
import { prepareClaim } from './kit/claim.js';
import { normaliseInstant, resolveLimit } from './kit/input.js';
import { planQuery } from './kit/query.js';
import { selectCases } from './kit/select.js';
import type {
  AppendResult,
  CaseEvent,
  CaseProjection,
  CaseQuery,
  CaseStore,
  DeadlineRow,
  IdempotencyRecord,
  JsonObject,
  OutboxRow,
} from './types.js';

/**
 * Copies through JSON, as a real store serialises: a caller can neither change stored data by
 * mutating what it passed in or got back, nor store what a durable store could not (`undefined`
 * members vanish, `Date`s become strings), so tests on this store do not hide such bugs.
 */
function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

interface StoredCase {
  projection: CaseProjection;
  events: CaseEvent[];
}

interface EventKey {
  at: string;
  caseId: string;
  seq: number;
}

/** A comparator ordering by each key in turn, as `ORDER BY k1, k2, ...` does (binary string order). */
function byKeys<T>(...keys: (keyof T)[]): (a: T, b: T) => number {
  return (a, b) => {
    for (const key of keys) {
      if (a[key] !== b[key]) return (a[key] as string | number) < (b[key] as string | number) ? -1 : 1;
    }
    return 0;
  };
}

const compareEventKeys = byKeys<EventKey>('at', 'caseId', 'seq');

/** An in-memory `CaseStore`. Single process; everything is lost when it is dropped. */
export function createMemoryStore(): CaseStore {
  const cases = new Map<string, StoredCase>();
  const deadlines = new Map<string, DeadlineRow>();
  const outbox = new Map<string, OutboxRow>();
  const idempotency = new Map<string, IdempotencyRecord>();
  const configs = new Map<string, string>();
  const sequences = new Map<string, number>();
  // Sorted lazily: appends only push, and readers sort when something changed.
  let eventKeys: EventKey[] = [];
  let eventKeysSorted = true;
  let caseIds: string[] = [];
  let caseIdsSorted = true;
  let closed = false;

  function open(): void {
    if (closed) throw new StoreError('the in-memory store is closed');
  }

  function sortedCaseIds(): string[] {
    if (!caseIdsSorted) {
      caseIds.sort();
      caseIdsSorted = true;
    }
    return caseIds;
  }

  function sortedEventKeys(): EventKey[] {
    if (!eventKeysSorted) {
      eventKeys.sort(compareEventKeys);
      eventKeysSorted = true;
    }
    return eventKeys;
  }

  function heldOutboxRow(id: string, owner: string): OutboxRow {
    const row = outbox.get(id);
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

  return {
    capabilities: { multiProcess: false, durable: false },

    async append(input): Promise<AppendResult> {
      open();
      const { batch, eventAt, deadlines: newDeadlines, outbox: newOutbox } = prepareAppend(copy(input));
      // Everything is checked before the first write, and nothing awaits in between, so a
      // refused batch leaves no trace.
      const stored = batch.idempotency ? idempotency.get(batch.idempotency.key) : undefined;
      if (checkIdempotency(batch.idempotency, stored) === 'duplicate' && stored) {
        const version = cases.get(stored.caseId)?.projection.version ?? 0;
        return { duplicate: true, version, idempotency: copy(stored) };
      }
      const existing = cases.get(batch.caseId);
      checkExpectedVersion(batch, existing?.projection.version ?? 0);
      for (const row of newDeadlines) {
        const owner = deadlines.get(row.id)?.caseId;
        if (owner !== undefined && owner !== batch.caseId) {
          refuseBatch(batch, `deadline ${row.id} belongs to case ${owner}`);
        }
      }
      for (const row of newOutbox) {
        if (outbox.has(row.id)) refuseBatch(batch, `outbox row ${row.id} already exists`);
      }

      const target = existing ?? { projection: batch.projection, events: [] };
      if (!existing) {
        cases.set(batch.caseId, target);
        caseIds.push(batch.caseId);
        caseIdsSorted = false;
      }
      target.projection = batch.projection;
      batch.events.forEach((event, i) => {
        target.events.push(event);
        eventKeys.push({ at: eventAt[i] as string, caseId: event.caseId, seq: event.seq });
      });
      if (batch.events.length > 0) eventKeysSorted = false;
      for (const row of newDeadlines) deadlines.set(row.id, row);
      for (const row of newOutbox) outbox.set(row.id, row);
      if (batch.idempotency) idempotency.set(batch.idempotency.key, batch.idempotency);
      return {
        duplicate: false,
        version: batch.projection.version,
        ...(batch.idempotency ? { idempotency: copy(batch.idempotency) } : {}),
      };
    },

    async getIdempotency(key) {
      open();
      const record = idempotency.get(key);
      return record && copy(record);
    },

    async getCase(caseId) {
      open();
      const stored = cases.get(caseId);
      return stored && copy(stored.projection);
    },

    async events(caseId, fromSeq = 1) {
      open();
      const events = cases.get(caseId)?.events ?? [];
      return copy(events.slice(Math.max(0, fromSeq - 1)));
    },

    async query(query: CaseQuery) {
      open();
      const plan = planQuery(query);
      const projections = function* () {
        for (const caseId of sortedCaseIds()) yield (cases.get(caseId) as StoredCase).projection;
      };
      return copy(selectCases(plan, projections(), deadlines.values()));
    },

    async eventsBetween(from, to, options = {}) {
      open();
      const lo = normaliseInstant(from, 'from');
      const hi = normaliseInstant(to, 'to');
      const limit = resolveLimit(options.limit);
      let after: EventKey | undefined;
      if (options.after) {
        const { caseId, seq } = options.after;
        const event = cases.get(caseId)?.events[seq - 1];
        if (!event)
          throw new StoreInputError(`eventsBetween: no event ${caseId}#${seq} to page after`, {
            caseId,
            seq,
          });
        after = { at: normaliseInstant(event.at, 'after'), caseId, seq };
      }
      const found: CaseEvent[] = [];
      for (const key of sortedEventKeys()) {
        if (found.length >= limit || key.at >= hi) break;
        if (key.at < lo || (after && compareEventKeys(key, after) <= 0)) continue;
        found.push((cases.get(key.caseId) as StoredCase).events[key.seq - 1] as CaseEvent);
      }
      return copy(found);
    },

    async deadlines(caseId) {
      open();
      const rows = [...deadlines.values()].filter((row) => row.caseId === caseId);
      return copy(rows.sort(byKeys('id')));
    },

    async claimDueDeadlines(now, options) {
      open();
      const claim = prepareClaim(now, options);
      const due = [...deadlines.values()]
        .filter(
          (row) =>
            row.status === 'running' &&
            row.dueAt <= claim.now &&
            (row.leaseUntil == null || row.leaseUntil <= claim.now),
        )
        .sort(byKeys('dueAt', 'id'))
        .slice(0, claim.limit);
      for (const row of due) {
        row.leaseOwner = claim.owner;
        row.leaseUntil = claim.leaseUntil;
      }
      return copy(due);
    },

    async provisionalDeadlines() {
      open();
      const rows = [...deadlines.values()].filter(
        (row) => row.provisional && (row.status === 'running' || row.status === 'paused'),
      );
      return copy(rows.sort(byKeys('caseId', 'id')));
    },

    async claimOutbox(now, options) {
      open();
      const claim = prepareClaim(now, options);
      const due = [...outbox.values()]
        .filter(
          (row) =>
            row.status === 'pending' &&
            row.nextAttemptAt <= claim.now &&
            (row.leaseUntil == null || row.leaseUntil <= claim.now),
        )
        .sort(byKeys('nextAttemptAt', 'id'))
        .slice(0, claim.limit);
      for (const row of due) {
        row.leaseOwner = claim.owner;
        row.leaseUntil = claim.leaseUntil;
      }
      return copy(due);
    },

    async ackOutbox(id, owner, receipt) {
      open();
      const row = heldOutboxRow(id, owner);
      row.status = 'delivered';
      row.receipt = copy(receipt);
      row.leaseOwner = null;
      row.leaseUntil = null;
    },

    async failOutbox(id, owner, failure) {
      open();
      const retryAt = failure.dead ? undefined : normaliseInstant(failure.retryAt, 'retryAt');
      const row = heldOutboxRow(id, owner);
      row.attempts += 1;
      row.lastError = failure.error;
      if (retryAt === undefined) row.status = 'dead';
      else row.nextAttemptAt = retryAt;
      row.leaseOwner = null;
      row.leaseUntil = null;
    },

    async outbox(filter = {}) {
      open();
      const rows = [...outbox.values()].filter(
        (row) =>
          (filter.caseId === undefined || row.caseId === filter.caseId) &&
          (filter.status === undefined || row.status === filter.status),
      );
      return copy(rows.sort(byKeys('createdAt', 'id')));
    },

    async putConfig(hash, config: JsonObject) {
      open();
      // First write wins: a hash names one text, and a case replays under what it pinned.
      if (!configs.has(hash)) configs.set(hash, JSON.stringify(config));
    },

    async getConfig(hash) {
      open();
      const text = configs.get(hash);
      return text === undefined ? undefined : (JSON.parse(text) as JsonObject);
    },

    async nextSequence(name) {
      open();
      const next = (sequences.get(name) ?? 0) + 1;
      sequences.set(name, next);
      return next;
    },

    async close() {
      closed = true;
      cases.clear();
      deadlines.clear();
      outbox.clear();
      idempotency.clear();
      eventKeys = [];
      caseIds = [];
    },
  };
}
