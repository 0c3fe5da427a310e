/** The storage seam: the contract, its errors, the helpers every store shares, and the in-memory store. */

export type { PreparedBatch } from './batch.js';
export {
  checkExpectedVersion,
  checkIdempotency,
  DEFAULT_LIMIT,
  normaliseInstant,
  prepareAppend,
  prepareClaim,
  refuseBatch,
  resolveLimit,
} from './batch.js';
export {
  ConcurrencyError,
  IdempotencyConflictError,
  LeaseLostError,
  StoreError,
  StoreInputError,
  StoreSchemaNewerError,
} from './errors.js';
export { createMemoryStore } from './memory.js';
export type * from './types.js';
