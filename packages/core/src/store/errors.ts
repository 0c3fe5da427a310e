/**
 * The errors every `CaseStore` throws. Stores map their backend's failures onto these, so the
 * engine and the conformance suite branch on the same codes whatever the backend.
 */

import {
  type ErrorDetails,
  type StoreFailure,
  type StoreInputProblem,
  XinfangError,
} from '../base/errors.js';

/** `append` was given an `expectedVersion` that is not the case's stored version. Nothing was written. */
export class ConcurrencyError extends XinfangError<'CONCURRENCY_CONFLICT'> {
  static override readonly brand: string = 'ConcurrencyError';

  constructor(details: ErrorDetails['CONCURRENCY_CONFLICT']) {
    super(
      'CONCURRENCY_CONFLICT',
      `case ${details.caseId} is at version ${details.actual}, not ${details.expected}: ` +
        'it was changed by someone else; reload it and retry the command',
      details,
    );
  }
}

/** An idempotency key was reused for a different request. Nothing was written. */
export class IdempotencyConflictError extends XinfangError<'IDEMPOTENCY_CONFLICT'> {
  static override readonly brand: string = 'IdempotencyConflictError';

  constructor(details: ErrorDetails['IDEMPOTENCY_CONFLICT']) {
    super(
      'IDEMPOTENCY_CONFLICT',
      `idempotency key ${JSON.stringify(details.key)} was already used for a different request ` +
        `(on case ${details.caseId}); use a new key for a new request`,
      details,
    );
  }
}

/** An outbox row is not (or no longer) leased to the caller: another worker may own it now. */
export class LeaseLostError extends XinfangError<'LEASE_LOST'> {
  static override readonly brand: string = 'LeaseLostError';

  constructor(details: ErrorDetails['LEASE_LOST']) {
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

/**
 * The backend failed (I/O, locking, a closed store). The operation may be retried. A backend's
 * subclass may say more with its own code (`STORE_UNREACHABLE`).
 */
export class StoreError extends XinfangError<'STORE_ERROR' | 'STORE_UNREACHABLE'> {
  static override readonly brand: string = 'StoreError';

  constructor(message: string, details: StoreFailure = {}, options?: ErrorOptions) {
    super('STORE_ERROR', message, details, options);
  }
}

/** The stored schema was written by a newer version of the store than this one. */
export class StoreSchemaNewerError extends XinfangError<'STORE_SCHEMA_NEWER'> {
  static override readonly brand: string = 'StoreSchemaNewerError';

  constructor(details: ErrorDetails['STORE_SCHEMA_NEWER']) {
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
export class StoreInputError extends XinfangError<'STORE_INVALID_INPUT'> {
  static override readonly brand: string = 'StoreInputError';

  constructor(message: string, details: StoreInputProblem = {}) {
    super('STORE_INVALID_INPUT', message, details);
  }
}
