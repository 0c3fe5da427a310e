/**
 * @xinfang/core — the public face. Each concept lives in its own folder; this file names
 * what leaves the package.
 */

export type * from './config/types.js';
export { COMPLETED_STAGES, LEVELS, STAGES } from './config/types.js';
export type { Clock } from './engine/clock.js';
export { ManualClock, systemClock } from './engine/clock.js';
export type { ErrorCode } from './errors.js';
export { isXinfangError, XinfangError } from './errors.js';
export type * from './store/types.js';

// store
export type { PreparedBatch } from './store/index.js';
export {
  ConcurrencyError,
  checkExpectedVersion,
  checkIdempotency,
  createMemoryStore,
  DEFAULT_LIMIT,
  IdempotencyConflictError,
  LeaseLostError,
  normaliseInstant,
  prepareAppend,
  prepareClaim,
  refuseBatch,
  resolveLimit,
  StoreError,
  StoreInputError,
  StoreSchemaNewerError,
} from './store/index.js';
