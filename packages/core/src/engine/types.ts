/**
 * The engine's public types: its options, its API and what its commands return. The code that
 * carries each command lives beside this file, one file per command (`submit.ts`, `send.ts`,
 * `tick.ts`, `receipt.ts`, `calendar.ts`) and one for reads (`reads.ts`).
 */

import type { Clock } from '../base/clock.js';
import type { InputLimits } from '../base/input.js';
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
import type { CaseDocument } from './case-document.js';
import type { IdentityKeys } from './identity-keys.js';
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
  /**
   * The store's identity key secrets (required). The petitioner's normalised identity (the ID
   * number, else name and phone) is stored only as an HMAC under `current`
   * (`hk:<id>:<MAC>`): in the `SUBMITTED` event, the case data and the store's index. Earlier
   * cases (Reg. 19, 36) are found under `current`, each of `previous`, and the clear key of a
   * case written before keyed keys, until `rekeyIdentities` moves them to `current`.
   *
   * One secret per store, kept with it: another secret finds none of the store's earlier cases.
   * Absent: `createEngine` throws `ENGINE_KEY_MISSING`. A store that lives one run may pass
   * `ephemeralIdentityKeys()`.
   */
  identityKeys: IdentityKeys;
  /**
   * How large (characters of JSON) and how deep a caller's petition, command, actor or options may
   * be; anything larger, deeper or not JSON is refused (`INPUT_TOO_LARGE`, `INPUT_TOO_DEEP`,
   * `INPUT_NOT_JSON`) before any work. @default { maxBytes: 262144, maxDepth: 32 }
   */
  inputLimits?: Partial<InputLimits>;
}

/** Options of `rekeyIdentities`. */
export interface RekeyOptions {
  /** At most this many cases are looked at in one call. @default 100 */
  limit?: number;
  /** Resume after this case id (the `next` of the previous call). */
  after?: string;
}

/** What `rekeyIdentities` did. */
export interface RekeyResult {
  /** Cases that got an `identity.rekeyed` event, with the key id they were moved from (null: clear). */
  rekeyed: { caseId: string; seq: number; from: string | null }[];
  /** Cases whose key was made with a secret the engine was not given (add it to `previous`). */
  unknownKey: { caseId: string; keyId: string }[];
  /** Cases whose stored key does not match their petition under its own secret: left alone. */
  mismatched: string[];
  /** Cases looked at (re-keyed or not). */
  examined: number;
  /** Pass as `after` to go on; absent when every case was looked at. */
  next?: string;
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

/** A page of `query`: the cases, and the cursor of the next page when there may be one. */
export interface CasePage {
  cases: CaseView[];
  /** Pass as `after` to read on; absent on the last page. */
  next?: string;
}

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
  /**
   * One page of the cases `viewer` may read that match `q` (filtered in the store's statement);
   * `next` continues the listing. `q.readableBy` and `q.identityKey` are the engine's own (`QUERY_FORBIDDEN`).
   */
  query(q: CaseQuery, viewer: ActorRef): Promise<CasePage>;
  /** The documents issued on a case, as `viewer` may read them (a petitioner: those addressed to them). */
  documents(caseId: string, viewer: ActorRef): Promise<CaseDocument[]>;
  replay(caseId: string): Promise<CaseProjection>;
  verify(caseId: string): Promise<VerifyResult>;
  allowedCommands(caseId: string, actor: ActorRef): Promise<string[]>;
  applyCalendar(calendar: Calendar): Promise<MovedDeadline[]>;
  /**
   * Moves cases whose identity key is in clear (written before keyed keys) or made with a
   * `previous` secret to the `current` one: each gets an `identity.rekeyed` event (its chain is
   * extended, never rewritten) linking the old key to the new, and the store's index moves
   * with it. A case already under `current` is skipped, so a call may be repeated or resumed
   * with `after`; call until `next` is absent.
   */
  rekeyIdentities(options?: RekeyOptions): Promise<RekeyResult>;
}
