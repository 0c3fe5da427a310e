/**
 * Checks and normalisation every `CaseStore` applies the same way, so that the in-memory store,
 * SQLite and PostgreSQL refuse the same batches with the same codes. A store calls
 * `prepareAppend` before opening its transaction, then `checkIdempotency` and
 * `checkExpectedVersion` inside it.
 */

import { ConcurrencyError, IdempotencyConflictError, StoreInputError } from '../errors.js';
import type {
  AppendBatch,
  CaseEvent,
  DeadlineRow,
  DeadlineStatus,
  IdempotencyRecord,
  OutboxRow,
  OutboxStatus,
} from '../types.js';
import { normaliseInstant } from './input.js';

const DEADLINE_STATUSES: ReadonlySet<DeadlineStatus> = new Set(['running', 'paused', 'stopped', 'fired']);
const OUTBOX_STATUSES: ReadonlySet<OutboxStatus> = new Set(['pending', 'delivered', 'dead']);

/** A batch that passed the checks that need no stored state, with its rows normalised. */
export interface PreparedBatch {
  batch: AppendBatch;
  /** Normalised `at` of each event, for time ordering; the events themselves are stored untouched. */
  eventAt: string[];
  /** Deadline rows with `dueAt` normalised and the lease cleared. */
  deadlines: DeadlineRow[];
  /** Outbox rows with instants normalised, optional fields null, and the lease cleared. */
  outbox: OutboxRow[];
}

/** Throws the `StoreInputError` that refuses `batch`, naming its case. */
export function refuseBatch(
  batch: AppendBatch,
  message: string,
  details: Record<string, unknown> = {},
): never {
  throw new StoreInputError(`refused batch for case ${batch.caseId}: ${message}`, {
    caseId: batch.caseId,
    ...details,
  });
}

/**
 * Checks what can be checked without the stored state: seqs continue gaplessly from
 * `expectedVersion + 1`, every event and row belongs to the batch's case, the projection's
 * version is the last seq, instants parse. Throws `StoreInputError`; nothing has been written.
 */
export function prepareAppend(batch: AppendBatch): PreparedBatch {
  if (typeof batch.caseId !== 'string' || batch.caseId === '') refuseBatch(batch, 'caseId is empty');
  if (!Number.isInteger(batch.expectedVersion) || batch.expectedVersion < 0) {
    refuseBatch(batch, `expectedVersion must be a non-negative integer, got ${batch.expectedVersion}`);
  }
  const eventAt = prepareEvents(batch);
  const deadlines = prepareDeadlines(batch);
  const outbox = prepareOutbox(batch);
  const { idempotency } = batch;
  if (idempotency) {
    if (typeof idempotency.key !== 'string' || idempotency.key === '')
      refuseBatch(batch, 'idempotency key is empty');
    if (idempotency.caseId !== batch.caseId) {
      refuseBatch(batch, `idempotency record names case ${idempotency.caseId}`);
    }
  }
  return { batch, eventAt, deadlines, outbox };
}

/**
 * Checks the events continue the case gaplessly and the projection ends where they do; the
 * normalised `at` of each event.
 */
function prepareEvents(batch: AppendBatch): string[] {
  const events: CaseEvent[] = batch.events ?? [];
  // A case exists from its first event on. An existing case may take a batch of rows alone
  // (a stale deadline row brought in line), which changes nothing the log must replay.
  if (batch.expectedVersion === 0 && events.length === 0)
    refuseBatch(batch, 'a new case needs its first event');
  const eventAt = events.map((event, i) => {
    const expected = batch.expectedVersion + 1 + i;
    if (event.caseId !== batch.caseId) refuseBatch(batch, `event ${i} belongs to case ${event.caseId}`);
    if (event.seq !== expected) {
      refuseBatch(batch, `event ${i} has seq ${event.seq}, expected ${expected} (seqs are gapless)`, {
        seq: event.seq,
        expectedSeq: expected,
      });
    }
    return normaliseInstant(event.at, `events[${i}].at`);
  });

  const { projection } = batch;
  if (!projection || projection.caseId !== batch.caseId)
    refuseBatch(batch, 'the projection is of another case');
  const version = batch.expectedVersion + events.length;
  if (projection.version !== version) {
    refuseBatch(batch, `the projection has version ${projection.version}, but the batch ends at ${version}`);
  }
  // Readers decide who may read the case: a malformed list must not be half stored, or read as
  // absent (which falls back to the case's units).
  const { readers } = projection;
  if (readers !== undefined && !(Array.isArray(readers) && readers.every((u) => typeof u === 'string'))) {
    refuseBatch(batch, `the projection's readers must be a list of unit ids, got ${JSON.stringify(readers)}`);
  }
  return eventAt;
}

/** The batch's deadline rows checked, with `dueAt` normalised and the lease cleared. */
function prepareDeadlines(batch: AppendBatch): DeadlineRow[] {
  const ids = new Set<string>();
  return (batch.deadlines ?? []).map((row, i): DeadlineRow => {
    if (typeof row.id !== 'string' || row.id === '') refuseBatch(batch, `deadlines[${i}] has no id`);
    if (row.caseId !== batch.caseId) refuseBatch(batch, `deadline ${row.id} belongs to case ${row.caseId}`);
    if (ids.has(row.id)) refuseBatch(batch, `deadline ${row.id} appears twice`);
    if (!DEADLINE_STATUSES.has(row.status)) refuseBatch(batch, `deadline ${row.id} has status ${row.status}`);
    ids.add(row.id);
    return {
      ...row,
      dueAt: normaliseInstant(row.dueAt, `deadline ${row.id} dueAt`),
      leaseOwner: null,
      leaseUntil: null,
    };
  });
}

/** The batch's outbox rows checked, with instants normalised, optional fields null, no lease. */
function prepareOutbox(batch: AppendBatch): OutboxRow[] {
  const ids = new Set<string>();
  return (batch.outbox ?? []).map((row, i): OutboxRow => {
    if (typeof row.id !== 'string' || row.id === '') refuseBatch(batch, `outbox[${i}] has no id`);
    if (row.caseId !== batch.caseId) refuseBatch(batch, `outbox row ${row.id} belongs to case ${row.caseId}`);
    if (ids.has(row.id)) refuseBatch(batch, `outbox row ${row.id} appears twice`);
    if (!OUTBOX_STATUSES.has(row.status)) refuseBatch(batch, `outbox row ${row.id} has status ${row.status}`);
    ids.add(row.id);
    return {
      ...row,
      attempts: row.attempts ?? 0,
      nextAttemptAt: normaliseInstant(row.nextAttemptAt, `outbox row ${row.id} nextAttemptAt`),
      createdAt: normaliseInstant(row.createdAt, `outbox row ${row.id} createdAt`),
      lastError: row.lastError ?? null,
      receipt: row.receipt ?? null,
      leaseOwner: null,
      leaseUntil: null,
    };
  });
}

/**
 * Decides what a batch's idempotency key means given the record stored under it: `'new'` (no
 * record: go on), `'duplicate'` (same request: return the stored result, write nothing), or
 * throws `IdempotencyConflictError` (same key, different request).
 */
export function checkIdempotency(
  given: IdempotencyRecord | undefined,
  stored: IdempotencyRecord | undefined,
): 'new' | 'duplicate' {
  if (!given || !stored) return 'new';
  if (stored.fingerprint !== given.fingerprint) {
    throw new IdempotencyConflictError({
      key: given.key,
      caseId: stored.caseId,
      fingerprint: given.fingerprint,
      storedFingerprint: stored.fingerprint,
    });
  }
  return 'duplicate';
}

/** Throws `ConcurrencyError` unless the case is at the version the writer read (0: no such case). */
export function checkExpectedVersion(batch: AppendBatch, actual: number): void {
  if (actual !== batch.expectedVersion) {
    throw new ConcurrencyError({ caseId: batch.caseId, expected: batch.expectedVersion, actual });
  }
}
