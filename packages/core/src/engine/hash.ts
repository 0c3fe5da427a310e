/** Hashes of the event chain and of requests (RFC 8785 canonical JSON, SHA-256 hex). */

import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { CaseEvent } from '../store/types.js';

/** SHA-256 hex of the canonical JSON of a value. */
export function sha256Canonical(value: unknown): string {
  const json = canonicalize(value);
  if (json === undefined) throw new TypeError('not JSON-serialisable');
  return createHash('sha256').update(json, 'utf8').digest('hex');
}

/**
 * The hash an event must carry: over everything in it but `hash` itself and its `mac` (which is
 * taken over the hash).
 */
export function eventHash(event: Omit<CaseEvent, 'hash'> | CaseEvent): string {
  const { hash: _, mac: __, ...rest } = event as CaseEvent;
  return sha256Canonical(rest);
}
