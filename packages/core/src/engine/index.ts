/** The engine: commands and clock ticks -> hash-chained events, deadlines, documents owed. */

export type { Clock } from '../base/clock.js';
export { ManualClock, systemClock } from '../base/clock.js';
export { createEngine } from './engine.js';
export type { CommandLocation } from './errors.js';
export {
  ActorInvalidError,
  CaseNotFoundError,
  ConfigVersionUnknownError,
  JurisdictionUnknownError,
  PetitionInvalidError,
  TransitionError,
} from './errors.js';
export type { CaseState, DeadlineRecord } from './fold.js';
export { DEADLINE_EXPIRED, DEADLINE_MOVED, SUBMITTED } from './fold.js';
export { eventHash } from './hash.js';
export { RECEIPT_CHANNEL } from './receipt.js';
export type { CaseView, EventView } from './redact.js';
export type {
  Command,
  CommandResult,
  DecideFacts,
  DecideHook,
  DecideTrigger,
  Engine,
  EngineOptions,
  FiredDeadline,
  MovedDeadline,
  ReceiptOutcome,
  SendOptions,
  SubmitOptions,
} from './types.js';
export type { VerifyProblem, VerifyResult } from './verify.js';
