/**
 * `@xinfang/core/store-kit`: what a `CaseStore` adapter shares with every other store. Batch and
 * claim preparation, the columns a case row persists, what each `CaseQuery` filter means, the
 * store errors and the contract's types. An adapter keeps only its own storage code (its SQL).
 */

// The errors a store throws, and their base, so an adapter can tell its own from a backend's.
export type { ErrorCode } from './base/errors.js';
export { XinfangError } from './base/errors.js';
export {
  ConcurrencyError,
  IdempotencyConflictError,
  LeaseLostError,
  StoreError,
  StoreInputError,
  StoreSchemaNewerError,
} from './store/errors.js';
export type { PreparedBatch } from './store/kit/batch.js';
export { checkExpectedVersion, checkIdempotency, prepareAppend, refuseBatch } from './store/kit/batch.js';
export type { PreparedClaim } from './store/kit/claim.js';
export { prepareClaim } from './store/kit/claim.js';
export type {
  ColumnFilter,
  ColumnKind,
  ColumnValue,
  ProjectionColumn,
  SideColumn,
  SideTable,
} from './store/kit/columns.js';
export {
  CASE_ID_COLUMN,
  caseReaders,
  FILTER_COLUMNS,
  PETITIONER_ID_COLUMN,
  PROJECTION_COLUMNS,
  PROJECTION_DOCUMENT_COLUMN,
  projectionRow,
  READERS_TABLE,
} from './store/kit/columns.js';
export { DEFAULT_LIMIT, normaliseInstant, resolveLimit } from './store/kit/input.js';
export type { CasePredicate, CaseQueryPlan, FilterColumn, ReadablePredicate } from './store/kit/query.js';
export { deadlinePredicate, MAX_READABLE_UNITS, planQuery } from './store/kit/query.js';
export { selectCases } from './store/kit/select.js';
export type * from './store/types.js';
