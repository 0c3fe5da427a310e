/** What a claim of due rows (deadlines, outbox) checks before a store looks at its rows. */

import { StoreInputError } from '../errors.js';
import type { ClaimOptions } from '../types.js';
import { normaliseInstant, resolveLimit } from './input.js';

/** A claim's inputs, checked: the instant normalised, and the instant its lease ends. */
export interface PreparedClaim {
  now: string;
  leaseUntil: string;
  owner: string;
  limit: number;
}

/**
 * Normalises a claim's `now` and computes the lease's end. Throws `StoreInputError` for an
 * unparseable `now`, an empty owner, a lease that is not a positive number of milliseconds or a
 * bad `limit`.
 */
export function prepareClaim(now: string, options: ClaimOptions): PreparedClaim {
  const at = normaliseInstant(now, 'now');
  if (typeof options.owner !== 'string' || options.owner === '') {
    throw new StoreInputError('a claim needs an owner', { field: 'owner' });
  }
  if (!Number.isFinite(options.leaseMs) || options.leaseMs <= 0) {
    throw new StoreInputError(`leaseMs must be a positive number, got ${options.leaseMs}`, {
      field: 'leaseMs',
      value: options.leaseMs,
    });
  }
  return {
    now: at,
    leaseUntil: new Date(Date.parse(at) + options.leaseMs).toISOString(),
    owner: options.owner,
    limit: resolveLimit(options.limit),
  };
}
