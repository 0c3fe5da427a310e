/**
 * The input checks every store applies to instants and page sizes, so that a malformed value is
 * refused with the same code (`STORE_INVALID_INPUT`) whatever the backend.
 */

import { StoreInputError } from '../errors.js';

/** The page size when a query or claim gives no `limit`. */
export const DEFAULT_LIMIT = 100;

/**
 * Returns `value` as `YYYY-MM-DDTHH:mm:ss.sssZ`, the one form in which instants compare correctly
 * as strings (`2026-09-18T10:00:00+08:00` and `2026-09-18T02:00:00Z` are the same instant but do
 * not sort together). Throws `StoreInputError` for anything `Date` cannot parse.
 */
export function normaliseInstant(value: unknown, field: string): string {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new StoreInputError(`${field} must be an ISO-8601 instant, got ${JSON.stringify(value)}`, {
      field,
      value,
    });
  }
  return new Date(ms).toISOString();
}

/** A page size: `limit` if it is a non-negative integer, `DEFAULT_LIMIT` if absent. */
export function resolveLimit(limit: number | undefined, field = 'limit'): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new StoreInputError(`${field} must be a non-negative integer, got ${limit}`, {
      field,
      value: limit,
    });
  }
  return limit;
}
