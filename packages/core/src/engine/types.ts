/**
 * The engine's public types: its options, its API and what its commands return. The code that
 * carries each command lives beside this file, one file per command (`submit.ts`, `send.ts`,
 * `tick.ts`, `receipt.ts`, `calendar.ts`) and one for reads (`reads.ts`).
 */

import type { Clock } from '../base/clock.js';
import type { Calendar } from '../calendar/index.js';
import type { JurisdictionConfig } from '../config/types.js';
import type { DocumentIssuer } from '../documents/issue.js';
import type { ReceiptDate } from '../documents/receipt.js';
import type { Decision, RuleFacts } from '../rules/types.js';
import type {
  ActorRef,
  CaseEvent,
  CaseProjection,
  CaseQuery,
  CaseStore,
  JsonObject,
  OutboxRow,
} from '../store/types.js';
import type { CaseView, EventView } from './redact.js';
import type { VerifyResult } from './verify.js';

/** Where a rule step runs and which rule sets apply there (what the `decide` hook is told). */
export interface DecideTrigger {
  kind: 'submit' | 'send';
  /** `SUBMITTED` or the command's event type. */
  type: string;
  ruleSets: string[];
  jurisdiction: string;
  /** Send only: a new case draws its number after its rules ran, so a refusal consumes none. */
  caseId?: string;
  /** Send only: the state the command was sent in. */
  state?: string;
}

/** What the `decide` hook sees of a step. */
export interface DecideFacts {
  petition: JsonObject;
  /** The command's payload (send). */
  payload?: JsonObject;
  /** The case data before the step (send). */
  data?: JsonObject;
  /** The facts the config's rules were evaluated on (`FACT_NAMES`, and earlier sets' outcomes). */
  facts: RuleFacts;
  /** The decisions of the config's rule sets for this step, before the hook. */
  decisions: Record<string, Decision>;
}

/**
 * Decisions by rule-set id that replace or add to the config's own for the step: a `Decision`,
 * or a bare outcome (recorded as a decision with no fired rule). Undefined keeps the config's.
 */
export type DecideHook = (
  trigger: DecideTrigger,
  facts: DecideFacts,
) =>
  | Promise<Record<string, Decision | JsonObject> | undefined>
  | Record<string, Decision | JsonObject>
  | undefined;

/** Options of `createEngine`. */
export interface EngineOptions {
  /** Resolved configs; several jurisdictions and versions may be loaded. New cases use the last of each id. */
  configs: JurisdictionConfig[];
  store: CaseStore;
  clock: Clock;
  /** Calendars by id (`loadCalendarDir`), or a list. Each config's `jurisdiction.calendar` must be here. */
  calendars: ReadonlyMap<string, Calendar> | Calendar[];
  /** Called after each successful append, once per event. Errors it throws are ignored. */
  onEvent?: (event: CaseEvent, projection: CaseProjection) => void;
  /**
   * Overrides or extends the config's rule decisions. The engine evaluates the config's rule
   * sets itself (json-rules-engine) before each step they apply to; this hook, when given, is
   * called after them at those steps only, and its decisions win.
   */
  decide?: DecideHook;
  /** Lease owner for deadline claims (a process id). @default 'xinfang-engine' */
  owner?: string;
  /** Lease length for deadline claims. @default 60000 */
  leaseMs?: number;
  /** Case id of a new case. @default `XF-<year>-<seq, 6 digits>` (with the jurisdiction when several are loaded) */
  formatCaseId?: (info: { jurisdiction: string; year: string; seq: number }) => string;
  /**
   * Issues (renders, numbers, seals) each document a step owes before the step is appended; the
   * document's outbox row then carries the sealed text, and the event pins its number and content
   * hash. Absent: document rows carry only what to issue, for the embedder to render.
   *
   * A number is drawn before the append: a step retried after a concurrent write draws a new one,
   * leaving a gap in the sequence (numbers are never reused).
   */
  documents?: DocumentIssuer;
}

/** Options of `submit`. */
export interface SubmitOptions {
  /** Jurisdiction id (needed when several are loaded). */
  jurisdiction?: string;
  /** A retry with the same key returns the first result and writes nothing. */
  idempotencyKey?: string;
  /** The petitioner's own account id, when staff register for a known account. */
  petitionerId?: string;
}

/** Options of `send`. */
export interface SendOptions {
  idempotencyKey?: string;
  /** Refuse (ConcurrencyError) unless the case is at this version. */
  expectedVersion?: number;
}

/** A command as sent. */
export interface Command {
  type: string;
  /** Plain JSON: it is stored in the event. */
  payload?: Record<string, unknown>;
}

/** What `submit` and `send` return (and what a repeated idempotency key returns again). */
export interface CommandResult {
  caseId: string;
  version: number;
  state: string;
  stage: string;
  colour: string;
  /** The unit responsible after the command (a transfer moves it), when the case has one. */
  responsibleUnit?: string;
}

/** A deadline `tick` found expired. */
export interface FiredDeadline {
  caseId: string;
  deadlineId: string;
  row: string;
  kind: 'duty' | 'window';
  seq: number;
  state: string;
}

/** A due date a new calendar version moved (or confirmed, clearing the provisional mark). */
export interface MovedDeadline {
  caseId: string;
  deadlineId: string;
  row: string;
  from: { dueDate: string; provisional: boolean };
  to: { dueDate: string; provisional: boolean };
  seq: number;
}

/**
 * What `recordReceipt` did: `recorded` the `RECEIPT` command; `scheduled` a pending receipt for a
 * deemed date still ahead; `awaiting-proof` (the channel has no rule and the receiver proved no
 * date); `not-owed` (the document starts no window, or the case has moved on or has its receipt).
 */
export type ReceiptOutcome = 'recorded' | 'scheduled' | 'awaiting-proof' | 'not-owed';

/** The engine's API. */
export interface Engine {
  /**
   * Records the receipt (送达) of a delivered document whose receipt starts a window (Reg.
   * 35-36: the handling and review opinions), as the system actor. A receipt dated in the future
   * (post: deemed 7 days after posting) is kept as a pending outbox row on channel
   * `RECEIPT_CHANNEL` (`receipt.ts`), due on that date, which the dispatcher hands back here: durable, never
   * an in-memory timer. Repeats (at-least-once delivery) record once.
   */
  recordReceipt(
    document: Pick<OutboxRow, 'id' | 'caseId' | 'seq' | 'payload'>,
    receipt: ReceiptDate,
  ): Promise<ReceiptOutcome>;
  submit(petition: Record<string, unknown>, actor: ActorRef, options?: SubmitOptions): Promise<CommandResult>;
  send(caseId: string, command: Command, actor: ActorRef, options?: SendOptions): Promise<CommandResult>;
  tick(now?: Date | string, options?: { limit?: number }): Promise<FiredDeadline[]>;
  get(caseId: string, viewer: ActorRef): Promise<CaseView>;
  history(caseId: string, viewer: ActorRef): Promise<EventView[]>;
  query(q: CaseQuery, viewer: ActorRef): Promise<CaseView[]>;
  replay(caseId: string): Promise<CaseProjection>;
  verify(caseId: string): Promise<VerifyResult>;
  allowedCommands(caseId: string, actor: ActorRef): Promise<string[]>;
  applyCalendar(calendar: Calendar): Promise<MovedDeadline[]>;
}
