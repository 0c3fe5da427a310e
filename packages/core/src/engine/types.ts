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
import type { MigrationPlan } from '../loader/plan.js';
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
import type { CaseCheckpoint, CheckpointVerification } from './checkpoint.js';
import type { IdentityKeys } from './identity-keys.js';
import type { IntegrityAlarm } from './integrity.js';
import type { RandomSource } from './query-codes.js';
import type { CaseView, EventView } from './redact.js';
import type { VerifyResult, VerifySweep } from './verify.js';

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
   * Where the random bytes of query codes come from (default: the operating system's source,
   * `crypto.randomBytes`). Tests pass a seeded source to print the same codes every run.
   */
  random?: RandomSource;
  /**
   * The integrity key (the shape of `identityKeys`; `identityKeyFile` reads one): every event the
   * engine writes carries an HMAC of its hash under it, and `checkpoint()` signs with it, so a
   * database writer who recomputes the hash chain still cannot make a log the engine accepts.
   * Keep it outside the database, like the identity secret; after rotating, keep the old key
   * under `previous` (it only checks). @default derived from `identityKeys` (HKDF, its own label)
   */
  integrityKeys?: IdentityKeys;
  /**
   * Told when the engine refuses what its log does not vouch for: `tick` refusing a case's
   * deadlines, `query` dropping a case the store returned, a stored config that no longer hashes
   * to its name. Errors it throws are ignored. Without it the refusals are still thrown or
   * returned, but nobody watching the database is told.
   */
  onIntegrityAlarm?: (alarm: IntegrityAlarm) => void;
  /**
   * A store written before keyed events: events dated before this instant may lack a MAC (and are
   * vouched for by the checkpoint taken when the store was upgraded). Every later event must carry
   * one. @default none: every event must be keyed
   */
  unkeyedBefore?: string;
  /**
   * How large (characters of JSON) and how deep a caller's petition, command, actor or options may
   * be; anything larger, deeper or not JSON is refused (`INPUT_TOO_LARGE`, `INPUT_TOO_DEEP`,
   * `INPUT_NOT_JSON`) before any work. @default { maxBytes: 262144, maxDepth: 32 }
   */
  inputLimits?: Partial<InputLimits>;
}

/** Options of `issueQueryCode`. */
export interface IssueQueryCodeOptions {
  /** The holder whose code is replaced (`query-code:<n>`); absent: a new holder (at most 5). */
  holder?: string;
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

/** Options of `migrate`. */
export interface MigrateOptions {
  /** Report what would change, write nothing. */
  dryRun?: boolean;
  /** At most this many cases are looked at in one call. @default 100 */
  limit?: number;
  /** Resume after this case id (the `next` of the previous call). */
  after?: string;
}

/** One case a plan moved (or, in a dry run, would move). */
export interface MigratedCase {
  caseId: string;
  state: { from: string; to: string };
  /** Each running period the move recounted or renamed: its due date before and after. */
  deadlines: {
    deadline: string;
    from: string;
    rule: 'keep' | 'restart' | 'recompute';
    dueBefore: string;
    dueAfter: string;
  }[];
  /** Documents newly owed under the new version. */
  documents: string[];
  /** Data fields renamed (`old -> new`). */
  fields: string[];
  /** The `config.migrated` event's sequence number (absent in a dry run). */
  seq?: number;
}

/** A case a plan could not move lawfully: it stays on its version. */
export interface LeftCase {
  caseId: string;
  /**
   * `STATE_UNMAPPED` (its state is not in the new version, or no route applies),
   * `DEADLINE_UNMAPPED` (a running period the new version lacks), `DEADLINE_LENGTHENED` (a duty
   * would end later), `WINDOW_SHORTENED` (a petitioner's window would end earlier), `REFUSED`
   * (the step is refused, e.g. a document owed to an accused unit), `INTEGRITY_VIOLATION` (the
   * case does not verify), `FIELD_TAKEN` (a field would be renamed onto one the case already has).
   */
  reason:
    | 'FIELD_TAKEN'
    | 'STATE_UNMAPPED'
    | 'DEADLINE_UNMAPPED'
    | 'DEADLINE_LENGTHENED'
    | 'WINDOW_SHORTENED'
    | 'REFUSED'
    | 'INTEGRITY_VIOLATION';
  message: string;
}

/** What one call of `migrate` did (or would do). */
export interface MigrateResult {
  /** The plan's hash, as its events name it. */
  plan: string;
  dryRun: boolean;
  /** Cases of the jurisdiction looked at. */
  examined: number;
  moved: MigratedCase[];
  left: LeftCase[];
  /** Cases already on the plan's new version (moved by an earlier run or another engine). */
  already: string[];
  /** Cases on another version, or completed: not the plan's to move. */
  skipped: string[];
  /** Pass as `after` to go on; absent when every case was looked at. */
  next?: string;
}

/** Options of `takeOver`. */
export interface TakeOverOptions {
  /** Go on after this case id (the `next` of the call before). */
  after?: string;
  /** Cases looked at per call. @default 100 (at most 1,000) */
  limit?: number;
  /** Recorded on each `TAKE_OVER` event. */
  note?: string;
}

/** What one call of `takeOver` did. */
export interface TakeOverResult {
  /** Cases the dissolved body held that were looked at (completed ones are passed by). */
  examined: number;
  /** Cases now held by the successor, each with its `TAKE_OVER` event. */
  moved: string[];
  /** Cases the command was refused on, with the refusal (a case on an older config version first needs `migrate`). */
  refused: { caseId: string; code: string; message: string }[];
  /** Cases the actor may not read (an accusation against the successor itself): a body above takes them over. */
  notTaken: number;
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
  /**
   * How many query codes to issue (Reg. 21; at most 5, one per representative of a group,
   * Reg. 20). Default: none for a petitioner with an account, else one per representative the
   * petition records (`group.representatives`, at most 5), else one.
   */
  queryCodes?: number;
}

/** A query code as issued: shown once, in the result of the command that issued it, never stored. */
export interface IssuedQueryCode {
  /** The actor id the holder acts under (`query-code:<n>`). */
  holder: string;
  /** The code, `XXXX-XXXX-XXXX-XXXX`: hand it to the holder with the notice that prints its `hint`. */
  code: string;
  /** Its last four characters, as notices print them. */
  hint: string;
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
  /**
   * Query codes issued by this command (`submit` of a petition by staff, `issueQueryCode`), in
   * clear, this once: the store keeps only their keyed hashes, and a retried request with the
   * same idempotency key does not return them again (issue new ones with `issueQueryCode`).
   */
  queryCodes?: IssuedQueryCode[];
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
  /**
   * Checks everything stored about a case against its keyed log: hashes, chain and MACs of the
   * events, the stored config (re-hashed), the projection, deadline rows, outbox rows and the
   * store's filter copies (`CaseStore.caseColumns`). Reads only.
   */
  verify(caseId: string): Promise<VerifyResult>;
  /**
   * `verify` over a page of the store's cases (case-id order, `limit` default 100), each case with
   * problems also raised as an alarm (source `verify`). Run it periodically over the whole store:
   * some edits (a deadline stopped so that it never fires) change nothing a command would look at.
   */
  verifyAll(options?: { after?: string; limit?: number }): Promise<VerifySweep>;
  /**
   * A keyed checkpoint of every case's head (with a count and Merkle root per jurisdiction),
   * signed with the integrity key. Keep it outside the database; `verifyCheckpoint` finds a case
   * rolled back, deleted or rewritten since, or forged with a date before it.
   */
  checkpoint(): Promise<CaseCheckpoint>;
  verifyCheckpoint(checkpoint: CaseCheckpoint): Promise<CheckpointVerification>;
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
  /**
   * Moves the open cases of a plan's `from` version to its `to` version (a plan from `loadPlan`;
   * both versions given to the engine or stored): each moved case gets one `config.migrated`
   * event, and every command, replay and `verify` after it runs under the new version. A case
   * the plan cannot move lawfully is left on its version and listed with the reason. One page
   * per call: call until `next` is absent. A case already moved is passed by, so a run may be
   * repeated after a crash, or run by several engines at once. `dryRun` reports the same and
   * writes nothing.
   */
  migrate(plan: MigrationPlan, options?: MigrateOptions): Promise<MigrateResult>;
  /**
   * Reg. 24: staff of a dissolved body's successor (`units.<from>.successor`) take over the open
   * cases `from` still holds, one page per call (call until `next` is absent). Each case gets a
   * `TAKE_OVER` event through the ordinary command path; a case the command is refused on is
   * listed with its refusal, and one the actor may not read is only counted. Refused at once
   * (INPUT_INVALID) when no loaded config names a successor for `from`, and (ACTOR_INVALID)
   * when the actor is not of it.
   */
  takeOver(from: string, actor: ActorRef, options?: TakeOverOptions): Promise<TakeOverResult>;
  /**
   * Issues a query code on a case registered without an account (Reg. 21), by a registrar or
   * acceptor of a unit that reads it: a new one for a holder who lost theirs (the old one stops
   * working), or one for a further representative of a group (Reg. 20; at most five). The code
   * is in the result's `queryCodes`, this once.
   */
  issueQueryCode(caseId: string, actor: ActorRef, options?: IssueQueryCodeOptions): Promise<CommandResult>;
}
