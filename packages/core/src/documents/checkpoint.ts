/**
 * Signed checkpoints of every case's head hash. Each event already carries the hash of the one
 * before it, so a log edited in place breaks its chain; but someone with database access can
 * rewrite a whole chain. A checkpoint signed with a key the database never held pins each case's
 * head at a version, so a rewritten log shows a different hash at that version.
 */

import type { CaseStore } from '../store/types.js';
import {
  checkSeal,
  makeSeal,
  type Seal,
  type Sealer,
  type SealProblem,
  type SealVerification,
  type VerifyKey,
} from './seal.js';

/** Format tag of a checkpoint (part of the signed bytes). */
export const CHECKPOINT_FORMAT = 'xinfang.checkpoint.v1';

/** One case's head at checkpoint time. */
export interface CheckpointEntry {
  caseId: string;
  version: number;
  headHash: string;
}

/** A signed list of case heads. */
export interface SignedCheckpoint {
  format: typeof CHECKPOINT_FORMAT;
  /** When it was taken (from the caller's clock), if given. */
  at?: string;
  /** By case id. */
  entries: CheckpointEntry[];
  seal: Seal;
}

type Source = Pick<CaseStore, 'query'> | readonly CheckpointEntry[];

/** Every case's head in a store, page by page, in case-id order. */
async function headsOf(source: Source): Promise<CheckpointEntry[]> {
  if (Array.isArray(source)) return [...(source as CheckpointEntry[])];
  const store = source as Pick<CaseStore, 'query'>;
  const out: CheckpointEntry[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await store.query({ limit: 500, ...(after ? { after } : {}) });
    for (const p of page) out.push({ caseId: p.caseId, version: p.version, headHash: p.headHash });
    if (page.length < 500) return out;
    after = page.at(-1)?.caseId;
  }
}

/** Signs the heads of every case in `source` (a store, or a list of heads). */
export async function signCheckpoint(
  source: Source,
  sealer: Sealer,
  options: { at?: string } = {},
): Promise<SignedCheckpoint> {
  const entries = (await headsOf(source))
    .map(({ caseId, version, headHash }) => ({ caseId, version, headHash }))
    .sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0));
  const body = { ...(options.at ? { at: options.at } : {}), entries };
  return { format: CHECKPOINT_FORMAT, ...body, seal: await makeSeal(CHECKPOINT_FORMAT, body, sealer) };
}

/**
 * Verifies a checkpoint's seal, then compares it with the log now: a case gone, a log shorter
 * than its checkpointed version, or a different hash at that version means the log was
 * rewritten. With a store, a case that has moved on is checked at the checkpoint's version
 * (`events(caseId, version)`); with a list of heads, only cases still at that version are.
 */
export async function verifyCheckpoint(
  checkpoint: SignedCheckpoint,
  current: Pick<CaseStore, 'getCase' | 'events'> | readonly CheckpointEntry[],
  key: VerifyKey,
): Promise<SealVerification> {
  const problems: SealProblem[] = [];
  if (checkpoint?.format !== CHECKPOINT_FORMAT || !Array.isArray(checkpoint.entries)) {
    return {
      ok: false,
      problems: [{ code: 'FORMAT', message: `not a checkpoint (expected ${CHECKPOINT_FORMAT})` }],
    };
  }
  const body = { ...(checkpoint.at ? { at: checkpoint.at } : {}), entries: checkpoint.entries };
  await checkSeal(CHECKPOINT_FORMAT, body, checkpoint.seal, key, problems);
  const list = Array.isArray(current)
    ? new Map((current as CheckpointEntry[]).map((e) => [e.caseId, e]))
    : undefined;
  const store = list ? undefined : (current as Pick<CaseStore, 'getCase' | 'events'>);
  for (const e of checkpoint.entries) {
    const now = list ? list.get(e.caseId) : await store?.getCase(e.caseId);
    const caseId = e.caseId;
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
        message: `${caseId} was at version ${e.version} and is now at ${now.version}`,
      });
      continue;
    }
    let hash: string | undefined = now.version === e.version ? now.headHash : undefined;
    if (hash === undefined && store) hash = (await store.events(caseId, e.version))[0]?.hash;
    if (hash !== undefined && hash !== e.headHash) {
      problems.push({
        code: 'LOG_REWRITTEN',
        caseId,
        message: `${caseId} has a different hash at version ${e.version} than the checkpoint recorded: its log was rewritten`,
      });
    }
  }
  return { ok: problems.length === 0, problems };
}
