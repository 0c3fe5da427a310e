/**
 * The storage seam. Every store (in-memory, SQLite, PostgreSQL, a province's own) implements
 * `CaseStore` and passes `storeConformance` from `@xinfang/testing`.
 *
 * Times are ISO-8601 instants in UTC (`2026-09-18T02:00:00.000Z`); civil dates are
 * `YYYY-MM-DD` strings in the jurisdiction's zone. Payloads are plain JSON.
 */

import type { ActorRef } from '../base/actor.js';
import type { Json, JsonObject } from '../base/json.js';

export type { ActorRef, Json, JsonObject };

/** One immutable entry of a case's log. The log is the truth; projections derive from it. */
export interface CaseEvent {
  caseId: string;
  /** 1-based, gapless within a case. The case's version is its last event's seq. */
  seq: number;
  /** Event type: a command (`ACCEPT`), or a system event (`SUBMITTED`, `deadline.expired`, ...). */
  type: string;
  /** When it happened, from the injected clock. */
  at: string;
  actor: ActorRef;
  payload: JsonObject;
  configId: string;
  configVersion: string;
  configHash: string;
  calendarVersion: string;
  /** Hash of the previous event (`""` for the first). */
  prevHash: string;
  /** SHA-256 over the canonical form of this event without `hash` and `mac`. */
  hash: string;
  /**
   * HMAC of `hash` under the engine's integrity key (`ik:<keyId>:<base64url>`), which the database
   * never holds: a writer who recomputes the chain cannot recompute this. Absent on events written
   * before keyed events.
   */
  mac?: string;
}

export type Colour = 'green' | 'blue' | 'red';

export interface RedReason {
  /** What went wrong: a deadline missed, a step skipped, a notice not issued. */
  code: string;
  message: string;
  /** Config id of the deadline or step. */
  ref?: string;
  basis?: string;
  /** When it was detected. */
  at: string;
}

/** The current state of a case, derived from its events and stored beside them. */
export interface CaseProjection {
  caseId: string;
  jurisdictionId: string;
  configVersion: string;
  configHash: string;
  /** The last event's seq. */
  version: number;
  state: string;
  stage: string;
  colour: Colour;
  redReasons: RedReason[];
  /** Violations kept after completion (a case completed late is blue with these). */
  violations: RedReason[];
  responsibleUnit?: string;
  registeringUnit?: string;
  /** Normalised petitioner identity and matter key (see the registration form). */
  identityKey?: string;
  matterKey?: string;
  /**
   * The units whose staff may read the case, computed by the engine (engine/readers.ts); absent
   * on a projection written before readers existed. A store lists such a projection as read by
   * its responsible unit and `data.registeringUnit` (`caseReaders` in the store kit), the set a
   * store's migration gives the cases it already held.
   */
  readers?: string[];
  createdAt: string;
  updatedAt: string;
  headHash: string;
  /** The petition, decisions and the rest of the case context. */
  data: JsonObject;
  /**
   * HMAC of the rest under the engine's integrity key: the engine believes a stored projection
   * only with it (engine/projection-mac.ts). Absent on projections written before keyed ones.
   */
  mac?: string;
}

export type DeadlineStatus = 'running' | 'paused' | 'stopped' | 'fired';

export interface DeadlineRow {
  /** Unique row id (`<caseId>:<deadlineId>:<n>`). */
  id: string;
  caseId: string;
  /** The config's deadline id (`handling`, `reviewWindow`, ...). */
  deadlineId: string;
  kind: 'duty' | 'window';
  status: DeadlineStatus;
  /** Civil date the period counts from. */
  startDate: string;
  /** Civil due date (last day) and the instant the period ends (cut-off in the zone). */
  dueDate: string;
  dueAt: string;
  /** Computed past the calendar's covered years: to be recomputed when the schedule is loaded. */
  provisional: boolean;
  /** The calculation's trace, for explanations. */
  explanation: Json;
  /** Extensions granted and pauses taken so far. */
  extensions: JsonObject[];
  pauses: JsonObject[];
  leaseOwner?: string | null;
  leaseUntil?: string | null;
}

export type OutboxStatus = 'pending' | 'delivered' | 'dead';

export interface OutboxRow {
  /** Unique row id; also the idempotency key handed to notifiers. */
  id: string;
  caseId: string;
  /** The event that produced it. */
  seq: number;
  channel: string;
  recipient: string;
  /** `document` or `notification`. */
  kind: string;
  payload: JsonObject;
  status: OutboxStatus;
  attempts: number;
  /** Not claimed before this instant (backoff). */
  nextAttemptAt: string;
  lastError?: string | null;
  receipt?: JsonObject | null;
  leaseOwner?: string | null;
  leaseUntil?: string | null;
  createdAt: string;
}

/**
 * What one command writes, all or nothing. Malformed batches (seqs not continuing gaplessly from
 * `expectedVersion + 1`, a projection not at the last seq, rows of another case, an outbox id
 * already stored, an unparseable instant) are refused with `STORE_INVALID_INPUT`.
 */
export interface AppendBatch {
  caseId: string;
  /** The case version the writer read; 0 for a new case. A mismatch is a `ConcurrencyError`. */
  expectedVersion: number;
  /** Seqs `expectedVersion + 1 ...`, stored exactly as given (the hash covers the text). May
   * be empty for an existing case (rows only; the projection then keeps its version), never for
   * a new one. */
  events: CaseEvent[];
  projection: CaseProjection;
  /** Deadline rows to insert or replace (by id). Replacing clears any lease on the row; `dueAt`
   * is stored normalised to UTC (`...T16:00:00.000Z`). */
  deadlines?: DeadlineRow[];
  outbox?: OutboxRow[];
  /**
   * Recorded with the batch, so a retry with the same key returns `result` and writes nothing.
   * Checked before `expectedVersion`: a retry after a lost reply is stale, yet a duplicate. Its
   * `caseId` must be the batch's.
   */
  idempotency?: IdempotencyRecord;
}

export interface IdempotencyRecord {
  key: string;
  /** Hash of the request; the same key with a different request is refused. */
  fingerprint: string;
  caseId: string;
  result: JsonObject;
}

export interface AppendResult {
  /** True when the idempotency key was already recorded: nothing was written. */
  duplicate: boolean;
  /** The case's version after the append; for a duplicate, the current version of the case the
   * stored record names (which may differ from the batch's when a retried submission made up a
   * new case id). */
  version: number;
  /** The batch's record, or for a duplicate the one stored first. */
  idempotency?: IdempotencyRecord;
}

/**
 * Whom a read is for: the cases a viewer may read. Staff name their units; a petitioner names
 * themselves (and, being no staff, no units).
 */
export interface ReadableBy {
  /** A case matches when one of its readers (`CaseProjection.readers`) is among these units. */
  units: string[];
  /** A case also matches when this equals its `data.petitionerId`. */
  petitionerId?: string;
}

export interface CaseQuery {
  /**
   * Only the cases the viewer may read: a case matches when one of its readers is in `units`, or
   * when `petitionerId` is given and equals the case's `data.petitionerId`. `units: []` with no
   * `petitionerId` matches nothing. Filtered in the store's own statement, like every other
   * filter, and combined with them by AND.
   */
  readableBy?: ReadableBy;
  jurisdictionId?: string;
  stage?: string | string[];
  state?: string | string[];
  colour?: string | string[];
  unit?: string;
  /** Cases with a running deadline due before this instant. */
  dueBefore?: string;
  identityKey?: string;
  matterKey?: string;
  /** Keyset pagination: cases whose id sorts after this one (results are in case-id order). */
  after?: string;
  /** @default 100 */
  limit?: number;
}

export interface ClaimOptions {
  /** Who holds the lease (a process id); a lease is renewed only by its owner. */
  owner: string;
  /** How long the lease lasts. */
  leaseMs: number;
  /** @default 100 */
  limit?: number;
}

/**
 * What a store can and cannot do; the conformance suite skips by name with the reason.
 *
 * Rows come back with `leaseOwner`/`leaseUntil` (and an outbox row's `lastError`/`receipt`)
 * `null` when unset. Instants compared by a store (`dueAt`, `nextAttemptAt`, leases, `now`,
 * query bounds) may be given with any offset; they are compared, and stored, as UTC.
 */
export interface StoreCapabilities {
  /** Several processes may share this store. */
  multiProcess: boolean;
  /** Survives a process crash. */
  durable: boolean;
}

/**
 * The copies a store keeps beside a case's documents, as stored: what its queries and claims
 * filter on. `verify` holds each against what the case's log derives, since a writer who edits a
 * copy (a `state` column, a readers row, a deadline's `due_at`) changes what queries return and
 * what `tick` claims without touching the documents.
 */
export interface StoredCaseColumns {
  /** The cases table's columns but the document, by name (`PROJECTION_COLUMNS`). */
  columns: Record<string, string | number | null>;
  /** The units of the case's rows in the readers table (`case_readers`). */
  readers: string[];
  /** The deadline rows' filter columns: status and due instant (ISO). */
  deadlines: { id: string; status: string; dueAt: string }[];
}

export interface CaseStore {
  readonly capabilities: StoreCapabilities;
  /**
   * The copies the store keeps beside the case's documents (undefined: no such case). A store
   * that keeps none (it filters its documents themselves) need not implement it; one that keeps
   * any must, or `verify` cannot see a copy edited behind the engine's back.
   */
  caseColumns?(caseId: string): Promise<StoredCaseColumns | undefined>;
  /**
   * Appends events with the new projection, deadlines, outbox rows and idempotency record in
   * one transaction. Throws `ConcurrencyError` when `expectedVersion` is not the stored one,
   * `IdempotencyConflictError` when the key was used for a different request.
   */
  append(batch: AppendBatch): Promise<AppendResult>;
  getIdempotency(key: string): Promise<IdempotencyRecord | undefined>;
  getCase(caseId: string): Promise<CaseProjection | undefined>;
  /** Events of a case in seq order, from `fromSeq` (inclusive, default 1). */
  events(caseId: string, fromSeq?: number): Promise<CaseEvent[]>;
  query(query: CaseQuery): Promise<CaseProjection[]>;
  /** Events of all cases with `from <= at < to`, ordered by time then case and seq. */
  eventsBetween(
    from: string,
    to: string,
    options?: { after?: { caseId: string; seq: number }; limit?: number },
  ): Promise<CaseEvent[]>;
  /** A case's deadline rows, in id order. */
  deadlines(caseId: string): Promise<DeadlineRow[]>;
  /**
   * Running deadlines with `dueAt <= now` whose lease is free or lapsed (`leaseUntil <= now`),
   * earliest due first, leased to `owner` until `now + leaseMs`. The lease ends when a batch
   * replaces the row.
   */
  claimDueDeadlines(now: string, options: ClaimOptions): Promise<DeadlineRow[]>;
  /** Open deadlines (running or paused) that are provisional, for recomputation; by case, then id. */
  provisionalDeadlines(): Promise<DeadlineRow[]>;
  /** Pending outbox rows with `nextAttemptAt <= now` whose lease is free or lapsed, earliest first. */
  claimOutbox(now: string, options: ClaimOptions): Promise<OutboxRow[]>;
  /** Marks a claimed row delivered. Throws `LeaseLostError` if `owner` no longer holds it. */
  ackOutbox(id: string, owner: string, receipt: JsonObject): Promise<void>;
  /**
   * Records a failed attempt (attempts + 1, `lastError`, lease released): retry at `retryAt`, or
   * dead-letter it (`retryAt` is then ignored). Throws `LeaseLostError` like `ackOutbox`.
   */
  failOutbox(
    id: string,
    owner: string,
    failure: { error: string; retryAt: string; dead: boolean },
  ): Promise<void>;
  /** Outbox rows in `createdAt`, then id, order. */
  outbox(filter?: { caseId?: string; status?: OutboxStatus }): Promise<OutboxRow[]>;
  /**
   * Stores a config text by its hash, so cases replay under their own version. The first put of a
   * hash wins; putting it again is a no-op.
   */
  putConfig(hash: string, config: JsonObject): Promise<void>;
  getConfig(hash: string): Promise<JsonObject | undefined>;
  /** Next value of a named sequence (document numbers per jurisdiction and year); never reused. */
  nextSequence(name: string): Promise<number>;
  close(): Promise<void>;
}
