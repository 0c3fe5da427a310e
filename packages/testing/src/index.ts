/**
 * @xinfang/testing — what every store and notifier must pass, and the fixtures to build on.
 * Needs vitest (a peer dependency): the suites register `describe` blocks.
 */

export type { AccessMatrixOptions } from './access-matrix.js';
export { accessMatrix } from './access-matrix.js';
export type { NotifierUnderTest, ReceivedMessage } from './notifier-conformance.js';
export { notifierConformance, sampleMessage } from './notifier-conformance.js';
export type { OutageDrillOptions, OutageDrillResult } from './outage.js';
export { outageDrill } from './outage.js';
export { refusalCode, samplePetition } from './sample-petition.js';
export { stageBoardSuite } from './stage-board.js';
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
  preReaderCases,
  seedCase,
} from './store-fixtures.js';
export type { RawSql, TamperOptions, TamperStoreUnderTest } from './tamper.js';
export { tamperSuite } from './tamper.js';
export type { ProxyMode, TcpProxy } from './tcp-proxy.js';
export { startTcpProxy } from './tcp-proxy.js';
