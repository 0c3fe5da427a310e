/**
 * @xinfang/testing — what every store and notifier must pass, and the fixtures to build on.
 * Needs vitest (a peer dependency): the suites register `describe` blocks.
 */

export type { StoreUnderTest } from './store-conformance.js';
export { storeConformance } from './store-conformance.js';
export type { MakeBatchOptions } from './store-fixtures.js';
export {
  FIXTURE_EPOCH,
  hashEvent,
  largePayload,
  makeBatch,
  makeDeadline,
  makeEvent,
  makeEvents,
  makeIdempotency,
  makeOutboxRow,
  makeProjection,
  minutesAfter,
  nextBatch,
  seedCase,
} from './store-fixtures.js';
