/**
 * The errors every `CaseStore` throws. Stores map their backend's failures onto these, so the
 * engine and the conformance suite branch on the same codes whatever the backend.
 */

import { XinfangError } from '../errors.js';

/** `append` was given an `expectedVersion` that is not the case's stored version. Nothing was written. */
export class ConcurrencyError extends XinfangError {
  constructor(details: { caseId: string; expected: number; actual: number }) {
    super(
      'CONCURRENCY_CONFLICT',
      `case ${details.caseId} is at version ${details.actual}, not ${details.expected}: ` +
        'it was changed by someone else; reload it and retry the command',
      details,
    );
  }
}

/** An idempotency key was reused for a different request. Nothing was written. */
export class IdempotencyConflictError extends XinfangError {
  constructor(details: { key: string; caseId: string; fingerprint: string; storedFingerprint: string }) {
    super(
      'IDEMPOTENCY_CONFLICT',
      `idempotency key ${JSON.stringify(details.key)} was already used for a different request ` +
        `(on case ${details.caseId}); use a new key for a new request`,
      details,
    );
  }
}

/** An outbox row is not (or no longer) leased to the caller: another worker may own it now. */
export class LeaseLostError extends XinfangError {
  constructor(details: { id: string; owner: string; holder: string | null; status?: string }) {
    super(
      'LEASE_LOST',
      details.holder === null
        ? `outbox row ${details.id} is not leased to ${details.owner}` +
            (details.status ? ` (it is ${details.status})` : ' (no such row, or its lease was released)')
        : `outbox row ${details.id} is leased to ${details.holder}, not ${details.owner}: ` +
            'the lease lapsed and another worker claimed it',
      details,
    );
  }
}

/** The backend failed (I/O, locking, a closed store). The operation may be retried. */
export class StoreError extends XinfangError {
  constructor(message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super('STORE_ERROR', message, details, options);
  }
}

/** The stored schema was written by a newer version of the store than this one. */
export class StoreSchemaNewerError extends XinfangError {
  constructor(details: { found: number; supported: number; location?: string }) {
    super(
      'STORE_SCHEMA_NEWER',
      `the store${details.location ? ` at ${details.location}` : ''} has schema version ${details.found}, ` +
        `but this version of xinfang knows only up to ${details.supported}: upgrade xinfang`,
      details,
    );
  }
}

/**
 * A caller handed the store something malformed (a batch whose seqs have a gap, an unparseable
 * instant, a row of another case). Refused before anything is written.
 */
export class StoreInputError extends XinfangError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('STORE_INVALID_INPUT', message, details);
  }
}
