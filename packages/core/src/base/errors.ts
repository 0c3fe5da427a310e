/**
 * Every failure xinfang reports is an `XinfangError` with a stable string `code`.
 * Callers and tests branch on `code`, never on the message text, which may be
 * reworded or translated.
 */

import type { ActorRef } from './actor.js';

/** A payload problem, located by JSON pointer into the payload. */
export interface PayloadProblem {
  pointer: string;
  message: string;
}

/** Where a refused command was aimed: the case, its state, the command and who sent it. */
export interface CommandLocation {
  caseId: string;
  state: string;
  command: string;
  actor: ActorRef;
}

/** One problem of a calendar file or table. */
export interface CalendarProblem {
  severity: 'error' | 'warning';
  /** @default 'CALENDAR_INVALID' */
  code?: DiagnosticCode;
  pointer: string;
  message: string;
  hint?: string;
}

/** All stable error codes, grouped by area. Add new codes here, never reuse one. */
export type ErrorCode =
  // config loading and validation
  | 'CONFIG_YAML_SYNTAX'
  | 'CONFIG_FILE_NOT_FOUND'
  /** A file the config names (`extends`, a template, a calendar) lies outside the allowed roots, is no regular file, or is too large. */
  | 'CONFIG_FILE_REFUSED'
  /** A map key every JavaScript object already has (`__proto__`, `constructor`, `prototype`). */
  | 'CONFIG_RESERVED_NAME'
  /** A JSON Schema the config embeds (the form's, a command's payload) is no valid schema, or holds an invalid `pattern`. */
  | 'CONFIG_BAD_SCHEMA'
  | 'CONFIG_SCHEMA'
  | 'CONFIG_UNKNOWN_KEY'
  | 'CONFIG_WRONG_TYPE'
  | 'CONFIG_MISSING_KEY'
  | 'CONFIG_BAD_VALUE'
  | 'CONFIG_DUPLICATE_ID'
  | 'CONFIG_UNKNOWN_REFERENCE'
  | 'CONFIG_UNKNOWN_STATE'
  | 'CONFIG_UNKNOWN_ROLE'
  | 'CONFIG_UNKNOWN_DEADLINE'
  | 'CONFIG_UNKNOWN_DOCUMENT'
  | 'CONFIG_UNKNOWN_UNIT'
  | 'CONFIG_UNKNOWN_GUARD'
  | 'CONFIG_UNKNOWN_GROUND'
  | 'CONFIG_UNKNOWN_ACTION'
  | 'CONFIG_UNKNOWN_CALENDAR'
  | 'CONFIG_EXTENDS_CYCLE'
  | 'CONFIG_EXTENDS_NOT_FOUND'
  | 'CONFIG_LENGTHENED_DEADLINE'
  /** A child shortens a period the parent marks `bound: floor` (the petitioner's 30 days, Reg. 35-36). */
  | 'CONFIG_SHORTENED_RIGHT'
  /** A child changes a period's `bound` (a duty's ceiling, a right's floor). */
  | 'CONFIG_CHANGED_BOUND'
  /**
   * A local day off falls on a national adjusted working day (调休上班): the State Council moved a
   * rest day there, and taking it back would end the jurisdiction's periods later than allowed.
   */
  | 'CONFIG_LOCAL_DAY_OFF_ON_WORKDAY'
  | 'CONFIG_REMOVED_STATUTORY_NOTICE'
  | 'CONFIG_REMOVED_STAGE'
  | 'CONFIG_REMOVED_STATUTORY_ITEM'
  | 'CONFIG_UNIT_CYCLE'
  /** A unit's `line` department is not one level above it, or is a government (Reg. 35). */
  | 'CONFIG_UNIT_LINE'
  /** A unit that issues handling opinions has no lawful review body, or its reviewer none to re-examine (Reg. 35-36). */
  | 'CONFIG_LADDER_INCOMPLETE'
  | 'CONFIG_TEMPLATE'
  | 'CONFIG_RULE'
  | 'CONFIG_RULE_OVERLAP'
  | 'CONFIG_INVALID'
  // migration plans (moving open cases to a new config version), checked at load like a config
  /** A plan's shape is wrong: an unknown key, a wrong type, a missing `from`/`to`, a bad rule name. */
  | 'PLAN_INVALID'
  /** A plan names a state that is not in its `from` (or `to`) config. */
  | 'PLAN_UNKNOWN_STATE'
  /** A plan names a deadline that is not in its `from` (or `to`) config. */
  | 'PLAN_UNKNOWN_DEADLINE'
  /** A plan owes a document its `to` config does not have. */
  | 'PLAN_UNKNOWN_DOCUMENT'
  /** A deadline rule would lengthen a duty or shorten a petitioner's window, or turn one into the other. */
  | 'PLAN_UNLAWFUL_DEADLINE'
  /** A plan's `from` or `to` hash is not the hash of the config it is checked against, or not a config the engine knows. */
  | 'PLAN_CONFIG_MISMATCH'
  // calendar and deadlines
  | 'CALENDAR_NOT_COVERED'
  | 'CALENDAR_UNKNOWN'
  | 'CALENDAR_BAD_DATE'
  | 'CALENDAR_INVALID'
  | 'DEADLINE_INVALID'
  | 'DEADLINE_EXTENSION_REFUSED'
  // engine
  | 'PETITION_INVALID'
  /** A petition's `receivedAt` lies after the day it is registered (in the future): periods count from it (Reg. 22-23). */
  | 'PETITION_RECEIVED_AFTER_REGISTRATION'
  | 'CASE_NOT_FOUND'
  | 'COMMAND_UNKNOWN'
  | 'COMMAND_NOT_ALLOWED_IN_STATE'
  | 'COMMAND_ROLE_FORBIDDEN'
  | 'COMMAND_UNIT_FORBIDDEN'
  | 'COMMAND_ACTOR_RECUSED'
  | 'COMMAND_PAYLOAD_INVALID'
  | 'COMMAND_GUARD_FAILED'
  /** A rule decision recorded on the case forbids the command (e.g. ACCEPT of a repeat, Reg. 36). */
  | 'COMMAND_RULE_REFUSED'
  | 'COMMAND_WINDOW_CLOSED'
  /** A review or re-examination asked of a body that is not one level up from the deciding unit (Reg. 35-36). */
  | 'COMMAND_REVIEW_BODY_UNLAWFUL'
  /** A hand-over to a body that is not at the acting body's level (not under the same government: 同级, Reg. 22). */
  | 'COMMAND_NOT_SAME_LEVEL'
  /** A transfer, assignment or designation of a matter whose procedure has ended (re-examined, or its windows lapsed). */
  | 'COMMAND_MATTER_TERMINATED'
  /** A command's dates out of order: a hearing before today, or one that ends before it begins. */
  | 'COMMAND_DATES_INVALID'
  /** ACCEPT of a matter that is not of Reg. 31(6): it goes to its own procedure (DIVERT, a suggestion's answer, an accusation's transfer). */
  | 'COMMAND_ROUTE_NOT_HANDLING'
  /** A step for one class of matter (Reg. 29-31) taken on a matter of another class; RECLASSIFY first if the class is wrong. */
  | 'COMMAND_MATTER_CLASS'
  /** A group visit of more than 5 representatives (Reg. 20) taken up before it chose at most 5. */
  | 'COMMAND_REPRESENTATIVES_NOT_CHOSEN'
  /** A step that brings bodies of given levels together (a joint reception, Reg. 18) naming a unit of another level, or none the registry holds. */
  | 'COMMAND_UNIT_LEVEL'
  /** A receipt (送达) dated before the document's issue or delivery, or after its channel's deemed date. */
  | 'RECEIPT_IMPLAUSIBLE'
  | 'CONCURRENCY_CONFLICT'
  | 'IDEMPOTENCY_CONFLICT'
  | 'JURISDICTION_UNKNOWN'
  | 'CONFIG_VERSION_UNKNOWN'
  | 'ACTOR_INVALID'
  /** `createEngine` was given no identity keys (`identityKeys`): petitioner identities would be stored in clear. */
  | 'ENGINE_KEY_MISSING'
  /** An identity key of `identityKeys` is unusable (an id with `:`, a short secret, a repeated id). */
  | 'ENGINE_KEY_INVALID'
  /** A viewer's query names a filter only the engine may use (`identityKey`). */
  | 'QUERY_FORBIDDEN'
  // integrity: what the log does not vouch for is refused
  /** A case's stored rows, columns or log differ from what its keyed events derive: the step is refused. */
  | 'INTEGRITY_VIOLATION'
  /** A stored config no longer hashes to the hash its cases pinned: commands on them are refused. */
  | 'STORED_CONFIG_TAMPERED'
  /** `tick(now)` was given an instant after the engine clock's now. */
  | 'TICK_AFTER_NOW'
  // a caller's input, refused before any work
  /** A petition, payload, actor or option larger than the engine's `inputLimits.maxBytes`. */
  | 'INPUT_TOO_LARGE'
  /** A value nested deeper than `inputLimits.maxDepth`. */
  | 'INPUT_TOO_DEEP'
  /** A value JSON cannot hold: a BigInt, a function, a symbol, a cycle, a non-finite number, a Map, a Date. */
  | 'INPUT_NOT_JSON'
  /** An argument of the wrong kind: an instant that is none (`tick('not a date')`), a bad limit. */
  | 'INPUT_INVALID'
  // storage and delivery
  | 'STORE_ERROR'
  | 'STORE_SCHEMA_NEWER'
  | 'STORE_INVALID_INPUT'
  | 'STORE_UNREACHABLE'
  | 'LEASE_LOST'
  | 'NOTIFY_FAILED'
  | 'NOTIFY_PERMANENT'
  /** A notifier's reply (a receiver's answer) is malformed: not a date, a wrong type, too large. */
  | 'RECEIPT_REPLY_INVALID'
  /** An outbox row's payload is not what its sealed document says, or the seal does not verify. */
  | 'NOTIFY_DOCUMENT_MISMATCH'
  // documents and seals
  | 'TEMPLATE_RENDER'
  | 'SEAL_INVALID'
  | 'SEAL_KEY_MISSING'
  /** A sealed-document file that is no strict JSON: a repeated key (two `"text"`), a syntax error, too deep. */
  | 'DOCUMENT_JSON_INVALID'
  /** A sealed-document file with a field outside the signed shape, a missing field, or one of the wrong type. */
  | 'DOCUMENT_SHAPE_INVALID'
  // rules
  | 'RULE_CONFLICT'
  | 'RULE_EVALUATION'
  | 'RULE_SET_UNKNOWN'
  // reports
  /** An index publication asked of a store none of whose jurisdictions declares `reporting.index.publish`. */
  | 'REPORT_NOT_PUBLISHED'
  /** A publication period that is not one of the jurisdiction's cadence (`2026-11` monthly, `2026-Q4`, `2026`). */
  | 'REPORT_PERIOD_INVALID'
  // scenarios and CLI
  | 'SCENARIO_INVALID'
  | 'CLI_USAGE';

/**
 * The codes a config or calendar diagnostic may carry, and so the codes of a `ConfigError`.
 * Every other code comes only from its own error class.
 */
export type DiagnosticCode =
  | Exclude<Extract<ErrorCode, `CONFIG_${string}`>, 'CONFIG_VERSION_UNKNOWN'>
  | Extract<ErrorCode, `PLAN_${string}`>
  | 'CALENDAR_INVALID'
  | 'CALENDAR_BAD_DATE';

/** Where a config or calendar load failed: its first error diagnostic (absent when it had none). */
export interface ConfigLocation {
  file?: string;
  line?: number;
  column?: number;
  pointer?: string;
}

/** What a refused command adds to its `CommandLocation`, by code. */
export interface TransitionExtras {
  COMMAND_UNKNOWN: { suggestion?: string };
  /** `allowed` lists the commands of the state when the state has none of this type. */
  COMMAND_NOT_ALLOWED_IN_STATE: { allowed?: string[] };
  COMMAND_ROLE_FORBIDDEN: { allowedRoles?: string[] };
  COMMAND_UNIT_FORBIDDEN:
    | { authority: string; requiredUnit: string | null; actorUnit: string | null }
    | (GuardRefusalDetails & { units: string[]; actorUnit: string | null });
  COMMAND_ACTOR_RECUSED: Record<never, never>;
  COMMAND_PAYLOAD_INVALID: { problems: PayloadProblem[] };
  /** No `guard` when the machine itself refused the step. */
  COMMAND_GUARD_FAILED: Partial<GuardRefusalDetails>;
  COMMAND_RULE_REFUSED: GuardRefusalDetails & {
    ruleSet: string;
    field: string;
    value: unknown;
    /** The rules that fired. */
    rules: string[];
    /** The command the rules tell the actor to send instead. */
    suggestion?: string;
    reason?: string;
  };
  COMMAND_WINDOW_CLOSED: { window: string };
  COMMAND_REVIEW_BODY_UNLAWFUL: GuardRefusalDetails & {
    /** The unit whose decision is to be reviewed or re-examined. */
    decidedBy: string | null;
    /** What the request named (`government`, `line`, a unit id), null for the default. */
    requested: string | null;
    /** The lawful bodies one level up: its government, its line department. */
    choices: string[];
  };
  COMMAND_NOT_SAME_LEVEL: GuardRefusalDetails & {
    /** The unit the step would hand the case to. */
    unit: string | null;
    /** The government the acting unit belongs to, and the one the named unit belongs to. */
    actorGovernment: string | null;
    unitGovernment: string | null;
  };
  COMMAND_MATTER_TERMINATED: GuardRefusalDetails & {
    ruleSet: string;
    /** The rules that found the matter ended. */
    rules: string[];
    /** The command the rules tell the actor to send instead. */
    suggestion?: string;
    reason?: string;
  };
  COMMAND_DATES_INVALID: GuardRefusalDetails & { today: string; from: string | null; through: string | null };
  COMMAND_ROUTE_NOT_HANDLING: MatterClassRefusal;
  COMMAND_MATTER_CLASS: MatterClassRefusal;
  COMMAND_REPRESENTATIVES_NOT_CHOSEN: GuardRefusalDetails & {
    /** The representatives the petition records. */
    representatives: number;
    /** The most the rules allow (Reg. 20: 5). */
    maxRepresentatives: number;
    /** The commands that lift the refusal, in order. */
    suggestion: string;
  };
  COMMAND_UNIT_LEVEL: GuardRefusalDetails & { units: string[]; levels: string[] };
  RECEIPT_IMPLAUSIBLE: ReceiptBounds & { receivedAt: string; reason: ReceiptRefusalReason };
  DEADLINE_EXTENSION_REFUSED: { deadline: string };
}

/** What a refusal by the class of the matter (Reg. 29-31) carries. */
export type MatterClassRefusal = GuardRefusalDetails & {
  /** The matter's class: `suggestion`, `accusation`, or an appeal's route (`litigation` ... `opinion`). */
  matterClass: string;
  /** Where the class came from: the classification rules, or a recorded reclassification. */
  classifiedBy: 'rules' | 'reclassification';
  /** The classes the command is for. */
  classes: string[];
  /** The command the config names for this class, when it names one. */
  suggestion?: string;
};

/** Why a receipt date was refused (`RECEIPT_IMPLAUSIBLE`). */
export type ReceiptRefusalReason =
  | 'before-issue'
  | 'before-delivery'
  | 'after-deemed'
  | 'after-today'
  | 'delivery-out-of-range'
  | 'unknown-document';

/** The dates a receipt of one document may name: civil dates in the jurisdiction's zone. */
export interface ReceiptBounds {
  /** The earliest: the document's issue, or its delivery on the claimed channel. */
  earliest: string;
  /** The latest: the channel's deemed date, else today. */
  latest: string;
  /** The document's outbox row, when one is known. */
  document?: string;
}

/** The codes a `TransitionError` (a command refused by the procedure) carries. */
export type TransitionCode = keyof TransitionExtras;

/** The details of a refused command: where it was aimed, and what its code adds. */
export type TransitionDetails<C extends TransitionCode = TransitionCode> = CommandLocation &
  TransitionExtras[C];

/** The guard that refused a command, with its parameters from the config. */
export interface GuardRefusalDetails {
  guard: string;
  params: Record<string, unknown>;
}

/** Which backend operation failed; each store fills what it knows. */
export interface StoreFailure {
  url?: string;
  schema?: string;
  /** The PostgreSQL SQLSTATE. */
  sqlState?: string;
  /** The SQLite result code name (`SQLITE_BUSY`, ...). */
  sqliteCode?: string;
  /** The store's file or database. */
  location?: string;
  /** The file of a file-backed store. */
  path?: string;
  /** The damaged line of that file. */
  line?: number;
  /** The process that holds the file's lock. */
  holder?: number;
}

/** The malformed input a store refused: the field and value, or the batch's case and seq. */
export interface StoreInputProblem {
  field?: string;
  value?: unknown;
  caseId?: string;
  seq?: number;
  expectedSeq?: number;
}

/** Why an extension of a computed deadline was refused: a missing record, too many, too long. */
export type ExtensionRefusal =
  | { index: number; field: 'approvedBy' | 'reason' }
  | { times: number; limit: number }
  | { days: number; limit: number };

/** A failed delivery: the channel and message, and the receiver's status when it gave one. */
export interface NotifyFailure {
  permanent: boolean;
  channel?: string;
  messageId?: string;
  status?: number;
}

/** Where a seal failed: the key, when one was named. */
export interface SealFailure {
  keyId?: string;
}

/** Where a template failed: the document, the template file, the position and the variable. */
export interface TemplateFailure {
  document?: string;
  template?: string;
  line?: number;
  column?: number;
  variable?: string;
}

// The diagnostic codes a direct check throws too are spelled out in `ErrorDetails` itself.
type ConfigCodeDetails = {
  [C in Exclude<
    DiagnosticCode,
    'CONFIG_FILE_NOT_FOUND' | 'CALENDAR_BAD_DATE' | 'CALENDAR_INVALID'
  >]: ConfigLocation;
};

/**
 * The shape of `details` for each code: what every place that throws that code passes. A code
 * thrown from two places (a load's diagnostic and a direct check) has the union of both.
 */
export interface ErrorDetails extends ConfigCodeDetails, TransitionDetailsByCode {
  CONFIG_FILE_NOT_FOUND: ConfigLocation | { cwd: string };
  CALENDAR_NOT_COVERED: { calendarId: string; year: number; date: string; from: number; to: number };
  CALENDAR_UNKNOWN: { calendarId: string; known: string[] };
  CALENDAR_BAD_DATE: { value: unknown; field: string } | ConfigLocation;
  CALENDAR_INVALID: { calendarId: string; problems: CalendarProblem[] } | ConfigLocation;
  DEADLINE_INVALID: { field: string; value?: unknown };
  DEADLINE_EXTENSION_REFUSED: ExtensionRefusal | TransitionDetails<'DEADLINE_EXTENSION_REFUSED'>;
  PETITION_INVALID: { jurisdiction: string; problems: PayloadProblem[] };
  PETITION_RECEIVED_AFTER_REGISTRATION: { jurisdiction: string; receivedAt: string; registeredOn: string };
  CASE_NOT_FOUND: { caseId: string };
  CONCURRENCY_CONFLICT: { caseId: string; expected: number; actual: number };
  IDEMPOTENCY_CONFLICT: { key: string; caseId: string; fingerprint: string; storedFingerprint: string };
  /** `asked` is null when several jurisdictions are loaded and none was named. */
  JURISDICTION_UNKNOWN: { asked: string | null; loaded: string[] };
  CONFIG_VERSION_UNKNOWN: { hash: string; caseId?: string };
  /** The actor as given, which may not even be an object. */
  ACTOR_INVALID: { actor: unknown };
  ENGINE_KEY_MISSING: Record<never, never>;
  ENGINE_KEY_INVALID: { keyId?: string };
  QUERY_FORBIDDEN: { field: string };
  INTEGRITY_VIOLATION: { caseId: string; problems: { code: string; message: string }[] };
  STORED_CONFIG_TAMPERED: { hash: string; actual: string; caseId?: string };
  TICK_AFTER_NOW: { now: string; clock: string };
  INPUT_TOO_LARGE: { field: string; limit: number };
  INPUT_TOO_DEEP: { field: string; limit: number };
  /** `found` names the kind of value (`bigint`, `a cycle`, `a Map`), never the value. */
  INPUT_NOT_JSON: { field: string; pointer: string; found: string };
  INPUT_INVALID: { field: string; expected: string; found: string };
  STORE_ERROR: StoreFailure;
  STORE_SCHEMA_NEWER: { found: number; supported: number; location?: string };
  STORE_INVALID_INPUT: StoreInputProblem;
  STORE_UNREACHABLE: { url: string; reason: string };
  LEASE_LOST: { id: string; owner: string; holder: string | null; status?: string };
  NOTIFY_FAILED: NotifyFailure;
  NOTIFY_PERMANENT: NotifyFailure;
  RECEIPT_REPLY_INVALID: { channel: string; messageId: string; field: string };
  NOTIFY_DOCUMENT_MISMATCH: NotifyFailure & { reason: string; fields?: string[] };
  TEMPLATE_RENDER: TemplateFailure;
  SEAL_INVALID: SealFailure;
  SEAL_KEY_MISSING: SealFailure;
  DOCUMENT_JSON_INVALID: { problem: 'syntax' | 'duplicate-key' | 'too-deep'; line: number; column: number };
  DOCUMENT_SHAPE_INVALID: { pointer: string; problem: 'unknown-field' | 'missing-field' | 'wrong-type' };
  RULE_CONFLICT: { ruleSet: string; rules: string[] };
  RULE_EVALUATION: { ruleSet: string };
  RULE_SET_UNKNOWN: { ruleSet: string; known: string[] };
  /** Scenario files report through diagnostics; no error carries this code yet. */
  REPORT_NOT_PUBLISHED: { jurisdictions: string[] };
  REPORT_PERIOD_INVALID: { period: string; cadence: string };
  SCENARIO_INVALID: Record<never, never>;
  /** The file the command could not use, when one is to blame. */
  CLI_USAGE: { path?: string; file?: string };
}

type TransitionDetailsByCode = {
  [C in Exclude<TransitionCode, 'DEADLINE_EXTENSION_REFUSED'>]: TransitionDetails<C>;
};

/** The constructor arguments after the message: `details` may be left out when every field is optional. */
export type DetailsArgs<C extends ErrorCode> =
  Record<never, never> extends ErrorDetails[C]
    ? [details?: ErrorDetails[C], options?: ErrorOptions]
    : [details: ErrorDetails[C], options?: ErrorOptions];

/**
 * The key of the brand every instance carries: the brand names of its class and each class it
 * extends. It is a registered symbol, so every copy of this module (an app's and a plugin's
 * node_modules, the ESM and the CJS build) reads the same key, and `instanceof` agrees across
 * copies where the prototype chains do not.
 */
const BRAND = Symbol.for('xinfang.error.brand');

/** A class's own brand name; a subclass without one is checked by its prototype chain only. */
function ownBrand(target: unknown): string | undefined {
  if (typeof target !== 'function' || !Object.hasOwn(target, 'brand')) return undefined;
  const brand = (target as { brand?: unknown }).brand;
  return typeof brand === 'string' ? brand : undefined;
}

function brandsOf(value: unknown): readonly string[] | undefined {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  const brands = (value as { [BRAND]?: unknown })[BRAND];
  return Array.isArray(brands) ? brands : undefined;
}

/** Whether `value` carries the brand of class `asked`, or has it on its prototype chain. */
function madeBy(asked: unknown, value: unknown): boolean {
  const brand = ownBrand(asked);
  if (brand !== undefined && brandsOf(value)?.includes(brand)) return true;
  return typeof asked === 'function' && Function.prototype[Symbol.hasInstance].call(asked, value);
}

/** The base of every error xinfang throws on purpose. */
export class XinfangError<C extends ErrorCode = ErrorCode> extends Error {
  /**
   * The name `instanceof` knows this class by in any copy of the package. Each exported
   * subclass sets its own; keep it when a class is renamed, or old copies stop agreeing.
   */
  static readonly brand: string = 'XinfangError';

  /** Whether `value` was made by this class (or a subclass) in any copy of the package. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class asked about, often a subclass
    return madeBy(this, value);
  }

  readonly code: C;
  /** Structured data that locates the failure (file/line, case id, state, command, ...). */
  readonly details: Readonly<ErrorDetails[C]>;

  constructor(code: C, message: string, ...[details, options]: DetailsArgs<C>) {
    super(message, options);
    // a bundler may rename a class that refers to itself (`_TransitionError`); the brand is as written
    this.name = ownBrand(new.target) ?? new.target.name;
    this.code = code;
    this.details = details ?? ({} as ErrorDetails[C]);
    const brands: string[] = [];
    for (let c: unknown = new.target; typeof c === 'function'; c = Object.getPrototypeOf(c)) {
      const brand = ownBrand(c);
      if (brand !== undefined) brands.push(brand);
    }
    Object.defineProperty(this, BRAND, { value: Object.freeze(brands) });
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, ...this.details };
  }
}

/**
 * True when `e` is an `XinfangError` from any copy of the package, optionally with the given
 * code; the code narrows `details` to that code's shape.
 */
export function isXinfangError<C extends ErrorCode = ErrorCode>(e: unknown, code?: C): e is XinfangError<C> {
  return e instanceof XinfangError && (code === undefined || e.code === code);
}
