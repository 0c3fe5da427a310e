/**
 * Checks a case's log: every hash, the chain, gaps, a cut-off tail, each event's MAC under the
 * integrity key, and the replayed projection. The rows and copies derived from the log are
 * checked in `verify-rows.ts`; `verify-case.ts` runs them all.
 */

import { toJson } from '../base/json.js';
import type { CaseEvent, CaseProjection } from '../store/types.js';
import { eventHash } from './hash.js';
import { EVENT_MAC, type IntegrityKeyring } from './integrity-keys.js';

/**
 * One thing wrong with a case as stored. The log: `EVENT_CHANGED`, `CHAIN_BROKEN`,
 * `EVENT_MISSING`, `EVENTS_CUT_OFF`, `EVENT_FORGED` (its MAC does not match: re-hashed or forged
 * without the key), `EVENT_UNKEYED` (no MAC where one is due), `KEY_UNKNOWN` (a MAC under a key
 * the engine was not given). What derives from it: `PROJECTION_MISMATCH`, `PROJECTION_FORGED`
 * (the stored projection does not match its MAC, which every read checks), `REPLAY_FAILED`,
 * `CONFIG_TAMPERED` (the stored config no longer hashes to its pinned hash), `DEADLINE_MISMATCH`,
 * `DEADLINE_MISSING`, `DEADLINE_UNKNOWN`, `OUTBOX_MISMATCH`, `OUTBOX_MISSING`, `OUTBOX_UNKNOWN`,
 * `COLUMN_MISMATCH` (a store's filter column), `READERS_MISMATCH` (the readers rows).
 */
export interface VerifyProblem {
  seq: number;
  code:
    | 'EVENT_CHANGED'
    | 'CHAIN_BROKEN'
    | 'EVENT_MISSING'
    | 'EVENTS_CUT_OFF'
    | 'EVENT_FORGED'
    | 'EVENT_UNKEYED'
    | 'KEY_UNKNOWN'
    | 'PROJECTION_MISMATCH'
    | 'PROJECTION_FORGED'
    | 'REPLAY_FAILED'
    | 'CONFIG_TAMPERED'
    | 'DEADLINE_MISMATCH'
    | 'DEADLINE_MISSING'
    | 'DEADLINE_UNKNOWN'
    | 'OUTBOX_MISMATCH'
    | 'OUTBOX_MISSING'
    | 'OUTBOX_UNKNOWN'
    | 'COLUMN_MISMATCH'
    | 'READERS_MISMATCH';
  message: string;
}

/**
 * Checks each event's MAC. An event without one is accepted only in a store written before
 * keyed events: dated before `unkeyedBefore`, and with no keyed event before it (a writer who
 * strips MACs off a keyed case, or dates a forged case early, is still found).
 */
export function verifyKeys(
  events: readonly CaseEvent[],
  keys: IntegrityKeyring,
  unkeyedBefore: number | undefined,
): VerifyProblem[] {
  const problems: VerifyProblem[] = [];
  let keyed = false;
  for (const e of events) {
    if (e.mac === undefined) {
      const legacy = !keyed && unkeyedBefore !== undefined && Date.parse(e.at) < unkeyedBefore;
      if (!legacy) {
        problems.push({
          seq: e.seq,
          code: 'EVENT_UNKEYED',
          message: `event ${e.seq} carries no MAC of the integrity key`,
        });
      }
      continue;
    }
    keyed = true;
    const found = keys.check(EVENT_MAC, e.hash, e.mac);
    if (found === 'ok') continue;
    problems.push(
      found === 'unknown-key'
        ? {
            seq: e.seq,
            code: 'KEY_UNKNOWN',
            message: `event ${e.seq} is keyed with a key the engine was not given (add it to integrityKeys.previous)`,
          }
        : {
            seq: e.seq,
            code: 'EVENT_FORGED',
            message: `event ${e.seq}'s MAC does not match its hash: it was re-hashed or written without the key`,
          },
    );
  }
  return problems;
}

/** What a sweep of `verify` over the store found (`engine.verifyAll`). */
export interface VerifySweep {
  /** Cases verified in this call. */
  checked: number;
  /** The cases with problems (each also raised as an alarm, source `verify`). */
  failed: { caseId: string; problems: VerifyProblem[] }[];
  /** Pass as `after` to go on; absent when every case was verified. */
  next?: string;
}

/** What `verify` found: ok when there is no problem. */
export interface VerifyResult {
  ok: boolean;
  problems: VerifyProblem[];
}

/** Checks the chain of stored events against the stored projection (no replay). */
export function verifyChain(
  caseId: string,
  events: CaseEvent[],
  projection: CaseProjection | undefined,
): VerifyProblem[] {
  const problems: VerifyProblem[] = [];
  let prevHash = '';
  let expected = 1;
  for (const e of events) {
    if (e.seq !== expected) {
      problems.push({
        seq: expected,
        code: 'EVENT_MISSING',
        message: `event ${expected} is missing (next stored is ${e.seq})`,
      });
      expected = e.seq;
    }
    if (e.caseId !== caseId)
      problems.push({ seq: e.seq, code: 'EVENT_CHANGED', message: `event ${e.seq} names case ${e.caseId}` });
    const hash = eventHash(e);
    if (hash !== e.hash)
      problems.push({
        seq: e.seq,
        code: 'EVENT_CHANGED',
        message: `event ${e.seq} does not match its hash: it was changed`,
      });
    if (e.prevHash !== prevHash) {
      problems.push({
        seq: e.seq,
        code: 'CHAIN_BROKEN',
        message: `event ${e.seq} does not follow the hash of event ${e.seq - 1}`,
      });
    }
    prevHash = e.hash;
    expected = e.seq + 1;
  }
  if (projection) {
    const last = events.at(-1);
    if (projection.version > (last?.seq ?? 0)) {
      problems.push({
        seq: (last?.seq ?? 0) + 1,
        code: 'EVENTS_CUT_OFF',
        message: `the case is at version ${projection.version} but its log ends at ${last?.seq ?? 0}`,
      });
    } else if (projection.headHash !== (last?.hash ?? '')) {
      problems.push({
        seq: last?.seq ?? 0,
        code: 'CHAIN_BROKEN',
        message: 'the case head hash is not the hash of its last event',
      });
    }
  }
  return problems;
}

/** Names the fields where a replayed projection differs from the stored one. */
export function compareProjections(stored: CaseProjection, replayed: CaseProjection): VerifyProblem[] {
  const a = toJson(stored) as unknown as Record<string, unknown>;
  const b = toJson(replayed) as unknown as Record<string, unknown>;
  // a projection written before readers existed has none: they are derived (state, data,
  // config) and recomputed by every access check, so their absence is no mismatch; present, they
  // must be the replayed ones
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((k) => k !== 'readers' || stored.readers !== undefined)
    // the content is compared itself; the MAC is checked on its own (`verify-case.ts`)
    .filter((k) => k !== 'mac')
    .sort();
  const differ = keys.filter((k) => JSON.stringify(sorted(a[k])) !== JSON.stringify(sorted(b[k])));
  if (differ.length === 0) return [];
  return [
    {
      seq: stored.version,
      code: 'PROJECTION_MISMATCH',
      message: `the stored case differs from its replayed log in: ${differ.join(', ')}`,
    },
  ];
}

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}
