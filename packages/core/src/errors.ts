/**
 * Every failure xinfang reports is an `XinfangError` with a stable string `code`.
 * Callers and tests branch on `code`, never on the message text, which may be
 * reworded or translated.
 */

/** All stable error codes, grouped by area. Add new codes here, never reuse one. */
export type ErrorCode =
  // config loading and validation
  | 'CONFIG_YAML_SYNTAX'
  | 'CONFIG_FILE_NOT_FOUND'
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
  | 'CONFIG_UNKNOWN_ACTION'
  | 'CONFIG_UNKNOWN_CALENDAR'
  | 'CONFIG_EXTENDS_CYCLE'
  | 'CONFIG_EXTENDS_NOT_FOUND'
  | 'CONFIG_LENGTHENED_DEADLINE'
  | 'CONFIG_REMOVED_STATUTORY_NOTICE'
  | 'CONFIG_REMOVED_STAGE'
  | 'CONFIG_REMOVED_STATUTORY_ITEM'
  | 'CONFIG_UNIT_CYCLE'
  | 'CONFIG_TEMPLATE'
  | 'CONFIG_RULE'
  | 'CONFIG_RULE_OVERLAP'
  | 'CONFIG_INVALID'
  // calendar and deadlines
  | 'CALENDAR_NOT_COVERED'
  | 'CALENDAR_UNKNOWN'
  | 'CALENDAR_BAD_DATE'
  | 'CALENDAR_INVALID'
  | 'DEADLINE_INVALID'
  | 'DEADLINE_EXTENSION_REFUSED'
  // engine
  | 'PETITION_INVALID'
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
  | 'CONCURRENCY_CONFLICT'
  | 'IDEMPOTENCY_CONFLICT'
  | 'JURISDICTION_UNKNOWN'
  | 'CONFIG_VERSION_UNKNOWN'
  | 'ACTOR_INVALID'
  // storage and delivery
  | 'STORE_ERROR'
  | 'STORE_SCHEMA_NEWER'
  | 'STORE_INVALID_INPUT'
  | 'STORE_UNREACHABLE'
  | 'LEASE_LOST'
  | 'NOTIFY_FAILED'
  | 'NOTIFY_PERMANENT'
  // documents and seals
  | 'TEMPLATE_RENDER'
  | 'SEAL_INVALID'
  | 'SEAL_KEY_MISSING'
  // rules
  | 'RULE_CONFLICT'
  | 'RULE_EVALUATION'
  | 'RULE_SET_UNKNOWN'
  // scenarios and CLI
  | 'SCENARIO_INVALID'
  | 'CLI_USAGE';

/** The base of every error xinfang throws on purpose. */
export class XinfangError extends Error {
  readonly code: ErrorCode;
  /** Structured data that locates the failure (file/line, case id, state, command, ...). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: ErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, ...this.details };
  }
}

/** True when `e` is an `XinfangError`, optionally with the given code. */
export function isXinfangError(e: unknown, code?: ErrorCode): e is XinfangError {
  return e instanceof XinfangError && (code === undefined || e.code === code);
}
