/**
 * Every refusal becomes an HTTP status with a JSON body `{ code, message, details }`. Clients
 * branch on `code` (stable); `message` says what to do and may be reworded.
 *
 * The engine refuses before it writes anything, so whatever the status, a refused request left
 * the case as it was.
 */

import { type ErrorCode, isXinfangError } from '@xinfang/core';

/** The service's own refusals, beside xinfang's codes. */
export type ServiceErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_REQUEST'
  | 'PAYLOAD_TOO_LARGE'
  | 'INTERNAL';

/**
 * The status of each engine refusal. The line drawn here:
 * - 400: the request itself is wrong (a petition not meeting the registration form, a payload
 *   not meeting the command's schema, a command the procedure does not have);
 * - 403: this user may not do this (role, unit, recusal, or a user who maps to no actor);
 * - 404: no such case;
 * - 409: the case is not where the client thought: another version (`If-Match`) or a state
 *   where the command does not apply; reload and decide again;
 * - 422: the command fits the case, but a condition of the procedure refuses it (a guard, a
 *   rule decision, a closed window, an extension beyond its limit, an idempotency key reused
 *   for a different request);
 * - 503: the store failed; the same request may be retried.
 * Anything else is a 500.
 */
export const STATUS_OF: Readonly<Partial<Record<ErrorCode, number>>> = {
  PETITION_INVALID: 400,
  COMMAND_PAYLOAD_INVALID: 400,
  COMMAND_UNKNOWN: 400,
  JURISDICTION_UNKNOWN: 400,
  COMMAND_ROLE_FORBIDDEN: 403,
  COMMAND_UNIT_FORBIDDEN: 403,
  COMMAND_ACTOR_RECUSED: 403,
  ACTOR_INVALID: 403,
  CASE_NOT_FOUND: 404,
  CONCURRENCY_CONFLICT: 409,
  COMMAND_NOT_ALLOWED_IN_STATE: 409,
  COMMAND_GUARD_FAILED: 422,
  COMMAND_RULE_REFUSED: 422,
  COMMAND_WINDOW_CLOSED: 422,
  DEADLINE_EXTENSION_REFUSED: 422,
  RULE_CONFLICT: 422,
  IDEMPOTENCY_CONFLICT: 422,
  STORE_ERROR: 503,
  STORE_UNREACHABLE: 503,
};

/** A refusal the service itself makes (not the engine). */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: ServiceErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The HTTP answer to a thrown error. Unexpected errors are reported without their internals. */
export function errorResponse(e: unknown): { status: number; body: Record<string, unknown> } {
  if (e instanceof ServiceError) return { status: e.status, body: { code: e.code, message: e.message } };
  if (isXinfangError(e)) {
    return {
      status: STATUS_OF[e.code] ?? 500,
      body: { code: e.code, message: e.message, details: e.details },
    };
  }
  return {
    status: 500,
    body: { code: 'INTERNAL', message: 'the service failed; the error is in its log' },
  };
}
