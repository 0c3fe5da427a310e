/**
 * Every refusal as `application/problem+json` (RFC 9457). The `type` is stable per code:
 * `urn:xinfang:problem:<CODE>` for the engine's codes and the service's own; clients branch on
 * it (or on `code`, the same name), never on `detail`, which says what to do and may be reworded.
 *
 * The engine refuses before it writes anything, so whatever the status, a refused request left
 * the case as it was.
 */

import { type ErrorCode, isXinfangError } from '@xinfang/core';

/** The service's own refusals, beside the engine's codes. */
export type HttpErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_REQUEST'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'PRECONDITION_INVALID'
  | 'SEAL_VERIFY_UNAVAILABLE'
  | 'REPORTS_UNAVAILABLE'
  | 'CSRF_INVALID'
  | 'QUERY_CODE_INVALID'
  | 'SHUTTING_DOWN'
  | 'NOT_READY'
  | 'INTERNAL';

/** The `type` URI of a code. */
export const problemType = (code: string): string => `urn:xinfang:problem:${code}`;

/**
 * The status of each engine refusal:
 * - 400: the request itself is wrong (a petition not meeting the form, a payload not meeting the
 *   command's schema, a command the procedure does not have, input too large or not JSON);
 * - 403: this actor may not do this (role, unit, recusal, an actor the config does not know);
 * - 404: no such case, or one this viewer may not read (the engine answers both alike);
 * - 409: the case is not where the client thought: another version (`If-Match`) or a state where
 *   the command does not apply; reload and decide again;
 * - 412: `CONCURRENCY_CONFLICT` when the client pinned the version with `If-Match` (RFC 9110:
 *   the precondition failed); without `If-Match` the engine retries a lost race itself;
 * - 422: the command fits the case but the procedure refuses it (guard, rule, closed window,
 *   extension beyond its limit, an idempotency key reused for another request);
 * - 503: the store failed; the same request may be retried.
 * Anything else is a 500 whose detail hides the internals.
 */
export const STATUS_OF: Readonly<Partial<Record<ErrorCode, number>>> = {
  PETITION_INVALID: 400,
  COMMAND_PAYLOAD_INVALID: 400,
  COMMAND_UNKNOWN: 400,
  JURISDICTION_UNKNOWN: 400,
  INPUT_TOO_LARGE: 413,
  INPUT_TOO_DEEP: 400,
  INPUT_NOT_JSON: 400,
  INPUT_INVALID: 400,
  QUERY_FORBIDDEN: 400,
  RECEIPT_IMPLAUSIBLE: 422,
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
  COMMAND_MATTER_TERMINATED: 422,
  COMMAND_NOT_SAME_LEVEL: 422,
  COMMAND_DATES_INVALID: 422,
  COMMAND_ROUTE_NOT_HANDLING: 422,
  COMMAND_MATTER_CLASS: 422,
  COMMAND_REPRESENTATIVES_NOT_CHOSEN: 422,
  COMMAND_UNIT_LEVEL: 422,
  DEADLINE_EXTENSION_REFUSED: 422,
  RULE_CONFLICT: 422,
  IDEMPOTENCY_CONFLICT: 422,
  STORE_ERROR: 503,
  STORE_UNREACHABLE: 503,
  LEASE_LOST: 503,
};

/** A refusal the service itself makes (not the engine). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: HttpErrorCode | ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** An RFC 9457 problem body, with the code and the engine's details as extension members. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  details?: unknown;
}

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  412: 'Precondition Failed',
  501: 'Not Implemented',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function problem(status: number, code: string, detail: string, details?: unknown): Problem {
  return {
    type: problemType(code),
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(details !== undefined ? { details } : {}),
  };
}

/** fastify's own errors (a body not JSON, too large, a schema failure) under the service's codes. */
function fastifyProblem(e: { statusCode?: number; code?: string; message: string; validation?: unknown }) {
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return problem(413, 'PAYLOAD_TOO_LARGE', e.message);
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return problem(415, 'UNSUPPORTED_MEDIA_TYPE', e.message);
  if (e.validation !== undefined) return problem(400, 'BAD_REQUEST', e.message, e.validation);
  return problem(400, 'BAD_REQUEST', e.message);
}

/** The problem a thrown error answers with; unexpected errors are reported without their internals. */
export function problemOf(e: unknown): Problem {
  if (e instanceof HttpError) return problem(e.status, e.code, e.message, e.details);
  if (isXinfangError(e)) {
    const status = STATUS_OF[e.code] ?? 500;
    if (status === 500) return problem(500, 'INTERNAL', 'the service failed; the error is in its log');
    return problem(status, e.code, e.message, e.details);
  }
  const f = e as { statusCode?: number; code?: string; message?: string } | null;
  if (f && typeof f.statusCode === 'number' && f.statusCode >= 400 && f.statusCode < 500) {
    return fastifyProblem(f as { statusCode: number; message: string });
  }
  return problem(500, 'INTERNAL', 'the service failed; the error is in its log');
}
