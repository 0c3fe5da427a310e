/**
 * The in-memory `CaseStore`: for tests, benchmarks and trying things out. Same semantics as the
 * durable stores (it passes the same conformance suite), nothing survives the process.
 *
 * The store is one state object (`memory-state.ts`) and functions over it by role: appending
 * (`memory-append.ts`), deadline and outbox rows (`memory-rows.ts`), and the case reads here.
 */

import { StoreInputError } from './errors.js';
import { caseReaders, PROJECTION_COLUMNS, PROJECTION_DOCUMENT_COLUMN } from './kit/columns.js';
import { normaliseInstant, resolveLimit } from './kit/input.js';
import { planQuery } from './kit/query.js';
import { selectCases } from './kit/select.js';
import { appendBatch } from './memory-append.js';
import * as rows from './memory-rows.js';
import {
  compareEventKeys,
  copy,
  type EventKey,
  emptyState,
  ensureOpen,
  type MemoryState,
  type StoredCase,
  sortedCaseIds,
  sortedEventKeys,
} from './memory-state.js';
import type { CaseEvent, CaseQuery, CaseStore, JsonObject, StoredCaseColumns } from './types.js';

/** An in-memory `CaseStore`. Single process; everything is lost when it is dropped. */
export function createMemoryStore(): CaseStore {
  const s = emptyState();
  return {
    capabilities: { multiProcess: false, durable: false },
    ...whenOpen(s, {
      append: (batch) => appendBatch(s, batch),
      getIdempotency: (key) => {
        const record = s.idempotency.get(key);
        return record && copy(record);
      },
      getCase: (caseId) => {
        const stored = s.cases.get(caseId);
        return stored && copy(stored.projection);
      },
      events: (caseId, fromSeq = 1) => {
        const events = s.cases.get(caseId)?.events ?? [];
        return copy(events.slice(Math.max(0, fromSeq - 1)));
      },
      query: (query) => queryCases(s, query),
      caseColumns: (caseId) => caseColumns(s, caseId),
      eventsBetween: (from, to, options = {}) => eventsBetween(s, { from, to, ...options }),
      deadlines: (caseId) => rows.caseDeadlines(s, caseId),
      claimDueDeadlines: (now, options) => rows.claimDueDeadlines(s, now, options),
      provisionalDeadlines: () => rows.provisionalDeadlines(s),
      claimOutbox: (now, options) => rows.claimOutbox(s, now, options),
      ackOutbox: (id, owner, receipt) => rows.ackOutbox(s, { id, owner }, receipt),
      failOutbox: (id, owner, failure) => rows.failOutbox(s, { id, owner }, failure),
      outbox: (filter = {}) => rows.outboxRows(s, filter),
      putConfig: (hash, config) => {
        // First write wins: a hash names one text, and a case replays under what it pinned.
        if (!s.configs.has(hash)) s.configs.set(hash, JSON.stringify(config));
      },
      getConfig: (hash) => {
        const text = s.configs.get(hash);
        return text === undefined ? undefined : (JSON.parse(text) as JsonObject);
      },
      nextSequence: (name) => {
        const next = (s.sequences.get(name) ?? 0) + 1;
        s.sequences.set(name, next);
        return next;
      },
    }),
    close: async () => close(s),
  };
}

/** The store's operations but `close`. */
type Operations = Required<Omit<CaseStore, 'capabilities' | 'close'>>;

/** The operations as plain functions over the state, run once the store is known to be open. */
type Unchecked = {
  [K in keyof Operations]: (...args: Parameters<Operations[K]>) => Awaited<ReturnType<Operations[K]>>;
};

/** Each operation checks first that the store is open. */
function whenOpen(s: MemoryState, ops: Unchecked): Operations {
  const checked: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const [name, op] of Object.entries(ops) as [string, (...args: unknown[]) => unknown][]) {
    // async, so a closed store (or a refused input) is a rejected promise, as with the durable stores
    checked[name] = async (...args) => {
      ensureOpen(s);
      return op(...args);
    };
  }
  return checked as unknown as Operations;
}

function queryCases(s: MemoryState, query: CaseQuery) {
  const plan = planQuery(query);
  const projections = function* () {
    for (const caseId of sortedCaseIds(s)) yield (s.cases.get(caseId) as StoredCase).projection;
  };
  return copy(selectCases(plan, projections(), s.deadlines.values()));
}

/** The copies a SQL store would keep of a case, as this store computes them from its documents. */
function caseColumns(s: MemoryState, caseId: string): StoredCaseColumns | undefined {
  const stored = s.cases.get(caseId);
  if (!stored) return undefined;
  const { projection } = stored;
  const columns = Object.fromEntries(
    PROJECTION_COLUMNS.filter((c) => c !== PROJECTION_DOCUMENT_COLUMN).map((c) => [
      c.name,
      c.value(projection) as string | number | null,
    ]),
  );
  const deadlines = rows
    .caseDeadlines(s, caseId)
    .map((r) => ({ id: r.id, status: r.status, dueAt: r.dueAt }));
  return copy({ columns, readers: caseReaders(projection), deadlines });
}

/** Events with `from <= at < to` in time order, after the event `after` names, up to `limit`. */
function eventsBetween(
  s: MemoryState,
  range: { from: string; to: string; after?: { caseId: string; seq: number }; limit?: number },
): CaseEvent[] {
  const lo = normaliseInstant(range.from, 'from');
  const hi = normaliseInstant(range.to, 'to');
  const limit = resolveLimit(range.limit);
  let after: EventKey | undefined;
  if (range.after) {
    const { caseId, seq } = range.after;
    const event = s.cases.get(caseId)?.events[seq - 1];
    if (!event)
      throw new StoreInputError(`eventsBetween: no event ${caseId}#${seq} to page after`, {
        caseId,
        seq,
      });
    after = { at: normaliseInstant(event.at, 'after'), caseId, seq };
  }
  const found: CaseEvent[] = [];
  for (const key of sortedEventKeys(s)) {
    if (found.length >= limit || key.at >= hi) break;
    if (key.at < lo || (after && compareEventKeys(key, after) <= 0)) continue;
    found.push((s.cases.get(key.caseId) as StoredCase).events[key.seq - 1] as CaseEvent);
  }
  return copy(found);
}

/** Closes the store: every later operation is refused, and the data is dropped. */
async function close(s: MemoryState): Promise<void> {
  s.closed = true;
  s.cases.clear();
  s.deadlines.clear();
  s.outbox.clear();
  s.idempotency.clear();
  s.eventKeys = [];
  s.caseIds = [];
}
