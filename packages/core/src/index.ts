/**
 * @xinfang/core — the public face. Each concept lives in its own folder; this file names
 * what leaves the package.
 */

// calendar
export type {
  CalendarData,
  CalendarProblem,
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
  CALENDAR_SCHEMA,
  Calendar,
  CalendarCoverageError,
  CalendarDataError,
  CalendarDateError,
  checkCalendarData,
  civilDate,
  computeDeadline,
  DEFAULT_CUTOFF,
  DEFAULT_TIMEZONE,
  DeadlineRequestError,
  ExtensionRefusedError,
  explainDeadline,
  findCalendar,
  instantAt,
  isCivilDate,
  isTimezone,
  loadCalendarDir,
  loadCalendarFile,
  parseCalendar,
  recalculate,
  UnknownCalendarError,
  workingDaysBetween,
} from './calendar/index.js';
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
  GuardRefusal,
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
// config
export type {
  ConfigSource,
  Diagnostic,
  LoadedConfig,
  LoadOptions,
  LoadResult,
  Locale,
  Locate,
  MessageId,
  Path,
  Position,
  SchemaParseResult,
  Witness,
  YamlSource,
} from './config/index.js';
export {
  ConfigError,
  closest,
  configHash,
  editDistance,
  formatDiagnostic,
  JURISDICTION_SCHEMA_ID,
  jurisdictionSchema,
  loadConfig,
  loadConfigOrThrow,
  MESSAGES,
  parseConfigText,
  parseYamlSource,
  parseYamlWithSchema,
  toPointer,
  validateWithSchema,
} from './config/index.js';
export type * from './config/types.js';
export { COMPLETED_STAGES, LEVELS, STAGES } from './config/types.js';
export type { Clock } from './engine/clock.js';
export { ManualClock, systemClock } from './engine/clock.js';
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
  JurisdictionUnknownError,
  PetitionInvalidError,
  SUBMITTED,
  TransitionError,
} from './engine/index.js';
export type { ErrorCode } from './errors.js';
export { isXinfangError, XinfangError } from './errors.js';
// rules
export type {
  Bodies,
  CheckRuleSetsOptions,
  ConditionTrace,
  DateContext,
  Decision,
  EvaluateOptions,
  FactsInput,
  FiredRule,
  LocatePointer,
  Outcome,
  PriorCaseFact,
  RuleFacts,
} from './rules/index.js';
export {
  BUILTIN_OPERATORS,
  bodiesFor,
  buildFacts,
  checkRuleSets,
  clearRuleEngineCache,
  commonSuperior,
  competentUnits,
  DATE_OPERATORS,
  dateOperators,
  evaluateNamedRuleSets,
  evaluateRuleSet,
  evaluateRuleSets,
  FACT_NAMES,
  identityKey,
  KNOWN_OPERATORS,
  knownFacts,
  matterKey,
  noticeOwed,
  pathSegments,
  RuleConflictError,
  RuleEvaluationError,
  resolvePath,
  ruleOrder,
  superiorOf,
  territoryOf,
  UnknownRuleSetError,
} from './rules/index.js';
// scenario
export type {
  RunScenarioOptions,
  Scenario,
  ScenarioActor,
  ScenarioExpectation,
  ScenarioFailure,
  ScenarioResult,
  ScenarioSource,
  ScenarioStep,
} from './scenario/index.js';
export { loadScenarioFile, parseScenario, runScenario, scenarioSchema } from './scenario/index.js';
export type { ColourInput, ColourVerdict } from './status/index.js';
export { colourOf, DEADLINE_MISSED, isCompletedStage, missedDeadlineReason } from './status/index.js';
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
