/**
 * The projection's MAC. The engine reads a case's stored projection on every command and read
 * (`CaseTx.open`, `query`) without replaying its log; a database writer who edits the document
 * (its state, its data, its readers) would be believed until the next `verify`. So every
 * projection the engine writes carries an HMAC of its canonical form under the integrity key, and
 * every read checks it: an edited projection is refused (`INTEGRITY_VIOLATION`) and the alarm
 * raised. `verify` does more (it replays the log); this is the check cheap enough for every read.
 */

import canonicalize from 'canonicalize';
import type { CaseProjection } from '../store/types.js';
import type { IntegrityKeyring } from './integrity-keys.js';

const PROJECTION_MAC = 'xinfang.projection.v1';

function text(p: CaseProjection): string {
  const { mac: _, ...rest } = p;
  return canonicalize(rest) ?? '';
}

/** The projection with its MAC. */
export function withProjectionMac(keys: IntegrityKeyring, p: CaseProjection): CaseProjection {
  return { ...p, mac: keys.mac(PROJECTION_MAC, text(p)) };
}

/**
 * Whether a stored projection is the one the engine wrote. One without a MAC passes only in a
 * store written before keyed projections (created before `unkeyedBefore`).
 */
export function projectionVouched(
  keys: IntegrityKeyring,
  p: CaseProjection,
  unkeyedBefore: number | undefined,
): boolean {
  if (p.mac === undefined) return unkeyedBefore !== undefined && Date.parse(p.createdAt) < unkeyedBefore;
  return keys.check(PROJECTION_MAC, text(p), p.mac) === 'ok';
}

/** The finding of a projection that fails its MAC, as reads, queries and verify report it. */
export function forgedProjection(caseId: string): { code: 'PROJECTION_FORGED'; message: string } {
  return {
    code: 'PROJECTION_FORGED',
    message: `the stored case ${caseId} does not match its MAC: it was edited in the database, so no command or read of it is taken`,
  };
}
