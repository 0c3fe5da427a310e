/**
 * Keyed checkpoints of the whole store: every case's head (version and hash) at an instant, a
 * count and a Merkle root per jurisdiction, all under an HMAC of the engine's integrity key.
 *
 * Event MACs find an edited, re-hashed or forged log without a checkpoint; what they cannot find
 * is a log that is a true earlier state of itself (a rollback: the newest events and rows deleted,
 * the old projection put back) or a case removed whole. A checkpoint kept outside the database
 * finds both: a case it lists that is gone, shorter, or has another hash at the listed version,
 * and a case dated before it that it does not list.
 */

import { canonicalBytes } from '../documents/seal.js';
import type { CaseStore } from '../store/types.js';
import { sha256Canonical } from './hash.js';
import type { IntegrityKeyring } from './integrity-keys.js';

/** Format tag of an engine checkpoint (inside the MAC). */
export const CASE_CHECKPOINT_FORMAT = 'xinfang.case-checkpoint.v1' as const;
const CHECKPOINT_MAC = 'xinfang.case-checkpoint.v1';
const PAGE = 500;

/** One case's head when the checkpoint was taken. */
export interface CaseHead {
  caseId: string;
  jurisdictionId: string;
  version: number;
  headHash: string;
  createdAt: string;
}

/** A keyed checkpoint: keep it outside the database (see docs/security.md). */
export interface CaseCheckpoint {
  format: typeof CASE_CHECKPOINT_FORMAT;
  /** The engine clock's instant when it was taken. */
  at: string;
  /** Per jurisdiction: how many cases, and the Merkle root of their heads in case-id order. */
  jurisdictions: Record<string, { count: number; root: string }>;
  /** Every case's head, by case id. */
  entries: CaseHead[];
  /** HMAC of everything above under the integrity key (`ik:<keyId>:...`). */
  mac: string;
}

/** One thing a checkpoint found. */
export interface CheckpointProblem {
  code:
    | 'FORMAT'
    | 'SIGNATURE'
    | 'KEY_UNKNOWN'
    | 'ROOT'
    | 'CASE_MISSING'
    | 'LOG_TRUNCATED'
    | 'LOG_REWRITTEN'
    | 'CASE_UNKNOWN';
  caseId?: string;
  message: string;
}

/** What `verifyCheckpoint` found: ok when nothing. */
export interface CheckpointVerification {
  ok: boolean;
  problems: CheckpointProblem[];
}

/** Every case's head, in case-id order, page by page. */
async function heads(store: CaseStore): Promise<CaseHead[]> {
  const out: CaseHead[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await store.query({ limit: PAGE, ...(after ? { after } : {}) });
    for (const p of page) {
      const { caseId, jurisdictionId, version, headHash, createdAt } = p;
      out.push({ caseId, jurisdictionId, version, headHash, createdAt });
    }
    if (page.length < PAGE) return out;
    after = page.at(-1)?.caseId;
  }
}

/** The Merkle root (SHA-256, an odd node carried up) of heads in the order given. */
export function merkleRoot(entries: readonly CaseHead[]): string {
  let level = entries.map((e) => sha256Canonical([e.caseId, e.version, e.headHash]));
  if (level.length === 0) return sha256Canonical([]);
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const [a, b] = [level[i] as string, level[i + 1]];
      next.push(b === undefined ? a : sha256Canonical([a, b]));
    }
    level = next;
  }
  return level[0] as string;
}

function summaries(entries: readonly CaseHead[]): CaseCheckpoint['jurisdictions'] {
  const by = new Map<string, CaseHead[]>();
  for (const e of entries) by.set(e.jurisdictionId, [...(by.get(e.jurisdictionId) ?? []), e]);
  return Object.fromEntries(
    [...by.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([id, list]) => [id, { count: list.length, root: merkleRoot(list) }]),
  );
}

const macText = (body: Omit<CaseCheckpoint, 'mac'>) => Buffer.from(canonicalBytes(body)).toString('utf8');

/** Takes a keyed checkpoint of every case in the store, at `at` (the engine clock's now). */
export async function takeCheckpoint(
  rt: { store: CaseStore; integrity: IntegrityKeyring },
  at: string,
): Promise<CaseCheckpoint> {
  const entries = (await heads(rt.store)).sort((a, b) =>
    a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0,
  );
  const body = { format: CASE_CHECKPOINT_FORMAT, at, jurisdictions: summaries(entries), entries };
  return { ...body, mac: rt.integrity.mac(CHECKPOINT_MAC, macText(body)) };
}

/** Checks a checkpoint's MAC and roots, then the store against it. */
export async function verifyCaseCheckpoint(
  rt: { store: CaseStore; integrity: IntegrityKeyring },
  cp: CaseCheckpoint,
): Promise<CheckpointVerification> {
  if (cp?.format !== CASE_CHECKPOINT_FORMAT || !Array.isArray(cp.entries) || typeof cp.at !== 'string') {
    return {
      ok: false,
      problems: [{ code: 'FORMAT', message: `not a checkpoint (expected ${CASE_CHECKPOINT_FORMAT})` }],
    };
  }
  const { mac, ...body } = cp;
  const problems: CheckpointProblem[] = [];
  const signed = rt.integrity.check(CHECKPOINT_MAC, macText(body), mac);
  if (signed === 'unknown-key')
    problems.push({
      code: 'KEY_UNKNOWN',
      message: 'the checkpoint is keyed with a key the engine was not given',
    });
  else if (signed !== 'ok')
    problems.push({
      code: 'SIGNATURE',
      message: 'the checkpoint MAC does not match: it was edited or made without the key',
    });
  if (sha256Canonical(summaries(cp.entries)) !== sha256Canonical(cp.jurisdictions)) {
    problems.push({
      code: 'ROOT',
      message: 'the per-jurisdiction counts and roots do not match the listed heads',
    });
  }
  problems.push(...(await listedProblems(rt.store, cp.entries)), ...(await unlistedProblems(rt.store, cp)));
  return { ok: problems.length === 0, problems };
}

/** Each listed case against the store: gone, shorter, or rewritten at the listed version. */
async function listedProblems(store: CaseStore, entries: readonly CaseHead[]): Promise<CheckpointProblem[]> {
  const problems: CheckpointProblem[] = [];
  for (const e of entries) {
    const { caseId } = e;
    const now = await store.getCase(caseId);
    if (!now) {
      problems.push({
        code: 'CASE_MISSING',
        caseId,
        message: `${caseId} was at version ${e.version} and is gone`,
      });
      continue;
    }
    if (now.version < e.version) {
      problems.push({
        code: 'LOG_TRUNCATED',
        caseId,
        message: `${caseId} was at version ${e.version} and is now at ${now.version}: it was rolled back`,
      });
      continue;
    }
    const hash = now.version === e.version ? now.headHash : (await store.events(caseId, e.version))[0]?.hash;
    if (hash !== e.headHash) {
      problems.push({
        code: 'LOG_REWRITTEN',
        caseId,
        message: `${caseId} has another hash at version ${e.version} than the checkpoint recorded: its log was rewritten`,
      });
    }
  }
  return problems;
}

/**
 * Cases the store holds that were created before the checkpoint but are not listed in it (one
 * created at its very instant may have come after it, so only strictly earlier ones count).
 */
async function unlistedProblems(store: CaseStore, cp: CaseCheckpoint): Promise<CheckpointProblem[]> {
  const listed = new Set(cp.entries.map((e) => e.caseId));
  const at = Date.parse(cp.at);
  return (await heads(store))
    .filter((h) => !listed.has(h.caseId) && Date.parse(h.createdAt) < at)
    .map((h) => ({
      code: 'CASE_UNKNOWN' as const,
      caseId: h.caseId,
      message: `${h.caseId} is dated ${h.createdAt}, before the checkpoint, but the checkpoint does not list it: it was forged`,
    }));
}
