/**
 * What the in-memory store holds, and the helpers its parts share: the copy every value passes
 * through, the orderings its reads use, and the checks that the store is open and a row leased.
 */

import { LeaseLostError, StoreError } from './errors.js';
import type { CaseEvent, CaseProjection, DeadlineRow, IdempotencyRecord, OutboxRow } from './types.js';

/**
 * Copies through JSON, as a real store serialises: a caller can neither change stored data by
 * mutating what it passed in or got back, nor store what a durable store could not (`undefined`
 * members vanish, `Date`s become strings), so tests on this store do not hide such bugs.
 */
export function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export interface StoredCase {
  projection: CaseProjection;
  events: CaseEvent[];
}

/** Where an event stands in time order (`eventsBetween`). */
export interface EventKey {
  at: string;
  caseId: string;
  seq: number;
}

/** A comparator ordering by each key in turn, as `ORDER BY k1, k2, ...` does (binary string order). */
export function byKeys<T>(...keys: (keyof T)[]): (a: T, b: T) => number {
  return (a, b) => {
    for (const key of keys) {
      if (a[key] !== b[key]) return (a[key] as string | number) < (b[key] as string | number) ? -1 : 1;
    }
    return 0;
  };
}

export const compareEventKeys = byKeys<EventKey>('at', 'caseId', 'seq');

/** Everything one in-memory store holds. */
export interface MemoryState {
  cases: Map<string, StoredCase>;
  deadlines: Map<string, DeadlineRow>;
  outbox: Map<string, OutboxRow>;
  idempotency: Map<string, IdempotencyRecord>;
  configs: Map<string, string>;
  sequences: Map<string, number>;
  // Sorted lazily: appends only push, and readers sort when something changed.
  eventKeys: EventKey[];
  eventKeysSorted: boolean;
  caseIds: string[];
  caseIdsSorted: boolean;
  closed: boolean;
}

/** An empty, open store. */
export function emptyState(): MemoryState {
  return {
    cases: new Map(),
    deadlines: new Map(),
    outbox: new Map(),
    idempotency: new Map(),
    configs: new Map(),
    sequences: new Map(),
    eventKeys: [],
    eventKeysSorted: true,
    caseIds: [],
    caseIdsSorted: true,
    closed: false,
  };
}

/** Throws unless the store is open: every operation but `close` checks first. */
export function ensureOpen(s: MemoryState): void {
  if (s.closed) throw new StoreError('the in-memory store is closed');
}

/** The case ids in order, sorted only when a case was added since the last read. */
export function sortedCaseIds(s: MemoryState): string[] {
  if (!s.caseIdsSorted) {
    s.caseIds.sort();
    s.caseIdsSorted = true;
  }
  return s.caseIds;
}

/** The event keys in time order, sorted only when events were appended since the last read. */
export function sortedEventKeys(s: MemoryState): EventKey[] {
  if (!s.eventKeysSorted) {
    s.eventKeys.sort(compareEventKeys);
    s.eventKeysSorted = true;
  }
  return s.eventKeys;
}

/** The pending outbox row `owner` holds the lease of; else `LeaseLostError`. */
export function heldOutboxRow(s: MemoryState, id: string, owner: string): OutboxRow {
  const row = s.outbox.get(id);
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
