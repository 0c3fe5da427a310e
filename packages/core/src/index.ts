/**
 * `@xinfang/core`: what an embedder of the procedure uses. Load a jurisdiction's config and
 * calendar, run cases through the engine over a `CaseStore`, issue and seal documents, read the
 * board, deliver the outbox, and tell the errors apart by code.
 *
 * Everything else has its own entry, so this list stays short and every name on it is meant:
 * - `@xinfang/core/store-kit`: for `CaseStore` adapter authors;
 * - `@xinfang/core/reporting`: metrics, annual report, hot spots, a case's timeline;
 * - `@xinfang/core/graph`: the process as a diagram, the legal-basis map;
 * - `@xinfang/core/scenario`: scenario files and their runner;
 * - `@xinfang/core/tooling`: compiler and config internals for xinfang's own CLI and checker.
 * `test/public-api/` lists each entry's names; a name added or removed here is an edit there too.
 */

// ── Clock ─────────────────────────────────────────────────────────────────────────────────────
export type { Clock } from './base/clock.js';
export { ManualClock, systemClock } from './base/clock.js';

// ── Errors: one base class with a typed `code` and `details`, a subclass per failure ──────────
export type {
  CalendarProblem,
  CommandLocation,
  ConfigLocation,
  DiagnosticCode,
  ErrorCode,
  ErrorDetails,
  ExtensionRefusal,
  GuardRefusalDetails,
  NotifyFailure,
  PayloadProblem,
  ReceiptBounds,
  ReceiptRefusalReason,
  SealFailure,
  StoreFailure,
  StoreInputProblem,
  TemplateFailure,
  TransitionCode,
  TransitionDetails,
} from './base/errors.js';
export { isXinfangError, XinfangError } from './base/errors.js';
export type { InputCode, InputLimits } from './base/input.js';
export { DEFAULT_INPUT_LIMITS, InputError } from './base/input.js';
// ── Calendar: working days, civil dates in the jurisdiction's zone, statutory deadlines ───────
export type {
  CalendarData,
  DayInfo,
  DayReason,
  DeadlineExtension,
  DeadlineMove,
  DeadlinePause,
  DeadlineRequest,
  DeadlineResult,
  NamedDay,
  OpenDeadline,
  TraceStep,
} from './calendar/index.js';
export {
  addCivilDays,
  Calendar,
  CalendarCoverageError,
  CalendarDataError,
  CalendarDateError,
  civilDate,
  computeDeadline,
  DeadlineRequestError,
  ExtensionRefusedError,
  explainDeadline,
  findCalendar,
  instantAt,
  isCivilDate,
  loadCalendarDir,
  loadCalendarFile,
  localCalendar,
  parseCalendar,
  parseInstant,
  UnknownCalendarError,
} from './calendar/index.js';
// ── Config: loading a jurisdiction, its diagnostics, and the shape of what was loaded ─────────
export type { Diagnostic, Locale } from './config/index.js';
export { ConfigError, formatDiagnostic } from './config/index.js';
export type * from './config/types.js';
export { COMPLETED_STAGES, LEVELS, METRIC_IDS, STAGES } from './config/types.js';
// ── Delivery: the outbox's dispatcher and the `Notifier` contract ─────────────────────────────
export type {
  BackoffOptions,
  DeliveryReceipt,
  Dispatcher,
  DispatcherOptions,
  DispatchOutcome,
  DispatchReport,
  Notifier,
  NotifierMessage,
  NotifyCode,
  ReceiptDate,
  ReceiptRecorder,
  RefusedClaim,
} from './delivery/index.js';
export { createDispatcher, isPermanent, NotifyError, ReceiptReplyError } from './delivery/index.js';
// ── Documents and seals ───────────────────────────────────────────────────────────────────────
export type {
  DocumentFileCode,
  DocumentIssuer,
  DocumentIssuerOptions,
  DocumentRecord,
  Ed25519SealerOptions,
  IssuedDocument,
  IssueInput,
  KeyInput,
  RenderedDocument,
  Seal,
  SealedDocument,
  Sealer,
  SealProblem,
  SealVerification,
  TemplatePaths,
  VerifyKey,
} from './documents/index.js';
export {
  createDocumentIssuer,
  createEd25519Sealer,
  DocumentFileError,
  parseSealedDocument,
  SealError,
  sealDocument,
  TemplateError,
  textToHtml,
  verifyDocument,
} from './documents/index.js';
// ── Engine: commands and clock ticks in, hash-chained events and deadlines out ────────────────
export type {
  CaseCheckpoint,
  CaseDocument,
  CaseHead,
  CasePage,
  CaseState,
  CaseView,
  CheckpointProblem,
  CheckpointVerification,
  Command,
  CommandResult,
  DeadlineRecord,
  DecideFacts,
  DecideHook,
  DecideTrigger,
  Engine,
  EngineOptions,
  EventView,
  FiredDeadline,
  IdentityKeySecret,
  IdentityKeys,
  IntegrityAlarm,
  IntegrityFinding,
  IssuedQueryCode,
  IssueQueryCodeOptions,
  LeftCase,
  MigratedCase,
  MigratedDeadline,
  MigrateOptions,
  MigrateResult,
  MovedDeadline,
  RandomSource,
  ReceiptOutcome,
  RekeyOptions,
  RekeyResult,
  SendOptions,
  SubmitOptions,
  TakeOverOptions,
  TakeOverResult,
  VerifyProblem,
  VerifyResult,
  VerifySweep,
} from './engine/index.js';
export {
  ActorInvalidError,
  CASE_CHECKPOINT_FORMAT,
  CaseNotFoundError,
  CONFIG_MIGRATED,
  ConfigVersionUnknownError,
  createEngine,
  DEADLINE_EXPIRED,
  DEADLINE_MOVED,
  ephemeralIdentityKeys,
  IDENTITY_REKEYED,
  IdentityKeyError,
  IntegrityError,
  identityKeyFile,
  JurisdictionUnknownError,
  KEYED_PREFIX,
  keyIdOf,
  PetitionInvalidError,
  PetitionReceivedAtError,
  QUERY_CODE_ISSUED,
  QueryForbiddenError,
  RECEIPT_CHANNEL,
  retireIdentityKeys,
  rotateIdentityKeyFile,
  StoredConfigTamperedError,
  SUBMITTED,
  TickAfterNowError,
  TransitionError,
} from './engine/index.js';
export type {
  ConfigSource,
  DeadlineRule,
  LoadedConfig,
  LoadOptions,
  LoadResult,
  MigrationPlan,
  PlanCondition,
  PlanContext,
  PlanDeadline,
  PlanLoadResult,
  StateRoute,
} from './loader/index.js';
export {
  loadConfig,
  loadConfigOrThrow,
  loadPlan,
  loadPlanOrThrow,
  parseConfigText,
  parsePlanText,
  planHash,
  planVersions,
} from './loader/index.js';
// What a `decide` hook receives and returns.
export type { Decision, FiredRule, Outcome, RuleFacts } from './rules/index.js';
export { RuleConflictError, RuleEvaluationError, UnknownRuleSetError } from './rules/index.js';
// ── Board and status: a case's colour, the board's columns, the stage board, the supervision queue ─
export type {
  Board,
  BoardColumn,
  BoardQuery,
  BoardReader,
  CaseRegister,
  ColourCounts,
  ColourInput,
  ColourVerdict,
  OwedStep,
  RegisterEntry,
  RegisterEvent,
  RegisterSection,
  SectionMark,
  StageBoard,
  StageBoardCase,
  StageBoardOptions,
  StageBoardPage,
  StageBoardPageOptions,
  SupervisionQueueOptions,
} from './status/index.js';
export {
  boardOf,
  colourOf,
  isCompletedStage,
  owedSteps,
  registerOf,
  stageBoard,
  stageBoardCase,
  stageBoardPage,
  supervisionQueue,
} from './status/index.js';
export {
  ConcurrencyError,
  createMemoryStore,
  IdempotencyConflictError,
  LeaseLostError,
  StoreError,
  StoreInputError,
  StoreSchemaNewerError,
} from './store/index.js';
// ── Stores: the `CaseStore` contract and the in-memory store (adapters: `/store-kit`) ─────────
export type * from './store/types.js';
