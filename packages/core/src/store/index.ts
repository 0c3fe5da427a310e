/** The storage seam: the contract, its errors, the helpers every store shares, and the in-memory store. */

export {
  ConcurrencyError,
  IdempotencyConflictError,
  LeaseLostError,
  StoreError,
  StoreInputError,
  StoreSchemaNewerError,
} from './errors.js';
export type { PreparedBatch } from './kit/batch.js';
export { checkExpectedVersion, checkIdempotency, prepareAppend, refuseBatch } from './kit/batch.js';
export { prepareClaim } from './kit/claim.js';
export { DEFAULT_LIMIT, normaliseInstant, resolveLimit } from './kit/input.js';
export { createMemoryStore } from './memory.js';
export type * from './types.js';
