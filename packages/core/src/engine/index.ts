/** The engine: commands and clock ticks -> hash-chained events, deadlines, documents owed. */

export type { Clock } from '../base/clock.js';
export { ManualClock, systemClock } from '../base/clock.js';
export type { CaseDocument } from './case-document.js';
export type { CaseCheckpoint, CaseHead, CheckpointProblem, CheckpointVerification } from './checkpoint.js';
export { CASE_CHECKPOINT_FORMAT } from './checkpoint.js';
export { createEngine } from './engine.js';
export type { CommandLocation } from './errors.js';
export {
  ActorInvalidError,
  CaseNotFoundError,
  ConfigVersionUnknownError,
  JurisdictionUnknownError,
  PetitionInvalidError,
  PetitionReceivedAtError,
  QueryForbiddenError,
  TransitionError,
} from './errors.js';
export type { CaseState, DeadlineRecord } from './fold.js';
export { DEADLINE_EXPIRED, DEADLINE_MOVED, IDENTITY_REKEYED, QUERY_CODE_ISSUED, SUBMITTED } from './fold.js';
export { eventHash } from './hash.js';
export { identityKeyFile, retireIdentityKeys, rotateIdentityKeyFile } from './identity-key-file.js';
export type { IdentityKeySecret, IdentityKeys } from './identity-keys.js';
export { ephemeralIdentityKeys, IdentityKeyError, KEYED_PREFIX, keyIdOf } from './identity-keys.js';
export type { IntegrityAlarm, IntegrityFinding } from './integrity.js';
export { IntegrityError, StoredConfigTamperedError, TickAfterNowError } from './integrity.js';
export type { MigratedDeadline } from './migration-fold.js';
export { CONFIG_MIGRATED } from './migration-fold.js';
export type { RandomSource } from './query-codes.js';
export { RECEIPT_CHANNEL } from './receipt-bounds.js';
export type { CaseView, EventView } from './redact.js';
export type {
  CasePage,
  Command,
  CommandResult,
  DecideFacts,
  DecideHook,
  DecideTrigger,
  Engine,
  EngineOptions,
  FiredDeadline,
  IssuedQueryCode,
  IssueQueryCodeOptions,
  LeftCase,
  MigratedCase,
  MigrateOptions,
  MigrateResult,
  MovedDeadline,
  ReceiptOutcome,
  RekeyOptions,
  RekeyResult,
  SendOptions,
  SubmitOptions,
  TakeOverOptions,
  TakeOverResult,
} from './types.js';
export type { VerifyProblem, VerifyResult, VerifySweep } from './verify.js';
