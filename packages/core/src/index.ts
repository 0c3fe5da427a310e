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
export type * from './store/types.js';

// engine
export type {
  ActionArgs,
  ActionImpl,
  AssignedBy,
  CaseContext,
  CaseData,
  CaseInput,
  CaseMachine,
  CheckEnv,
  CheckOptions,
  CompiledConfig,
  DeadlineState,
  Effect,
  GuardArgs,
  GuardImpl,
  MachineEvent,
  PayloadProblem,
  Refusal,
  UnitRegistry,
} from './compiler/index.js';
export {
  CONFIG_ACTIONS,
  checkCommand,
  clearCompileCache,
  compileConfig,
  DECLARE_INTEREST,
  GUARDS,
  initialContext,
  isPetitionerRole,
  KNOWN_ACTIONS,
  KNOWN_GUARDS,
  ownsCase,
  unitRegistry,
} from './compiler/index.js';
export type {
  CaseState,
  CaseView,
  Command,
  CommandLocation,
  CommandResult,
  DeadlineRecord,
  DecideFacts,
  DecideHook,
  DecideTrigger,
  Engine,
  EngineOptions,
  EventView,
  FiredDeadline,
  MovedDeadline,
  SendOptions,
  SubmitOptions,
  VerifyProblem,
  VerifyResult,
} from './engine/index.js';
export {
  ActorInvalidError,
  CaseNotFoundError,
  ConfigVersionUnknownError,
  createEngine,
  DEADLINE_EXPIRED,
  DEADLINE_MOVED,
  eventHash,
  identityKeyOf,
  identityKnownOf,
  JurisdictionUnknownError,
  matterKeyOf,
  PetitionInvalidError,
  SUBMITTED,
  TransitionError,
} from './engine/index.js';
export type { ColourInput, ColourVerdict } from './status/index.js';
export { colourOf, DEADLINE_MISSED, isCompletedStage, missedDeadlineReason } from './status/index.js';
