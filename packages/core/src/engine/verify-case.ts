/**
 * `verify`: everything stored about a case held against its keyed log. The log itself (hashes,
 * chain, MACs), the stored config its events pinned (re-hashed), and everything derived from the
 * log: the projection, the deadline rows, the outbox rows, and the store's filter copies.
 */

import { configHash } from '../config/hash.js';
import type { JurisdictionConfig } from '../config/types.js';
import type { CaseEvent, CaseProjection } from '../store/types.js';
import { deriveCase } from './derive.js';
import { CaseNotFoundError } from './errors.js';
import { StoredConfigTamperedError } from './integrity.js';
import { forgedProjection, projectionVouched } from './projection-mac.js';
import type { EngineRuntime } from './runtime.js';
import {
  compareProjections,
  type VerifyProblem,
  type VerifyResult,
  type VerifySweep,
  verifyChain,
  verifyKeys,
} from './verify.js';
import { compareColumns, compareDeadlines, compareOutbox } from './verify-rows.js';

/** Checks everything stored about a case against its log; ok when nothing is wrong. */
export async function verifyCase(rt: EngineRuntime, caseId: string): Promise<VerifyResult> {
  const { problems } = await caseProblems(rt, caseId);
  return { ok: problems.length === 0, problems };
}

/**
 * Verifies a page of the store's cases in case-id order: the periodic sweep that finds what no
 * command would (a deadline stopped so that it never fires). A case deleted whole is not listed:
 * the checkpoint finds it.
 */
export async function verifyCases(
  rt: EngineRuntime,
  options: { after?: string; limit?: number } = {},
): Promise<VerifySweep> {
  const limit = options.limit ?? 100;
  const page = await rt.store.query({
    limit,
    ...(options.after !== undefined ? { after: options.after } : {}),
  });
  const failed: VerifySweep['failed'] = [];
  const configs: ConfigChecks = new Map();
  for (const { caseId } of page) {
    const { problems } = await caseProblems(rt, caseId, configs);
    if (problems.length === 0) continue;
    failed.push({ caseId, problems });
    rt.alarm({ source: 'verify', caseId, problems });
  }
  const last = page.at(-1);
  return { checked: page.length, failed, ...(page.length === limit && last ? { next: last.caseId } : {}) };
}

/** What `verify` finds, and the version of the projection it checked. */
export async function caseProblems(
  rt: EngineRuntime,
  caseId: string,
  configs: ConfigChecks = new Map(),
): Promise<{ problems: VerifyProblem[]; version: number }> {
  const { store } = rt;
  const [events, projection] = await Promise.all([store.events(caseId), store.getCase(caseId)]);
  if (events.length === 0 && !projection) throw new CaseNotFoundError(caseId);
  const problems = [
    ...verifyChain(caseId, events, projection),
    ...verifyKeys(events, rt.integrity, rt.unkeyedBefore),
  ];
  const hashes = new Set([
    ...events.map((e) => e.configHash),
    ...(projection ? [projection.configHash] : []),
  ]);
  for (const hash of hashes) {
    const found = configs.get(hash) ?? storedConfigProblems(rt, hash);
    configs.set(hash, found);
    problems.push(...(await found));
  }
  if (projection && !projectionVouched(rt.integrity, projection, rt.unkeyedBefore)) {
    problems.push({ seq: projection.version, ...forgedProjection(caseId) });
  }
  if (projection && events.length > 0) problems.push(...(await derivedProblems(rt, events, projection)));
  return { problems, version: projection?.version ?? 0 };
}

/**
 * Stored configs already re-hashed in one pass (a sweep, a tick), by hash: a config is the size
 * of a book and shared by thousands of cases, so one pass reads and hashes it once.
 */
export type ConfigChecks = Map<string, Promise<VerifyProblem[]>>;

/** A stored config that no longer hashes to the hash its cases pinned. */
async function storedConfigProblems(rt: EngineRuntime, hash: string): Promise<VerifyProblem[]> {
  const stored = await rt.store.getConfig(hash);
  if (!stored) return [];
  const actual = configHash(stored as unknown as JurisdictionConfig);
  if (actual === hash) return [];
  return [
    {
      seq: 0,
      code: 'CONFIG_TAMPERED',
      message: `the stored config ${hash} now hashes to ${actual}: it was edited in the database`,
    },
  ];
}

/** The projection, deadline rows, outbox rows and filter copies against what the log derives. */
async function derivedProblems(
  rt: EngineRuntime,
  events: CaseEvent[],
  projection: CaseProjection,
): Promise<VerifyProblem[]> {
  const { store } = rt;
  const caseId = projection.caseId;
  let derived: Awaited<ReturnType<typeof deriveCase>>;
  try {
    const compiled = await rt.configs.forHash((events[0] as CaseEvent).configHash, caseId);
    derived = await deriveCase(rt, compiled, events);
  } catch (e) {
    // a tampered stored config is reported above; the log cannot be replayed on it
    if (e instanceof StoredConfigTamperedError) return [];
    return [
      {
        seq: events.length,
        code: 'REPLAY_FAILED',
        message: `the log does not replay: ${(e as Error).message}`,
      },
    ];
  }
  const [rows, outbox, columns] = await Promise.all([
    store.deadlines(caseId),
    store.outbox({ caseId }),
    store.caseColumns?.(caseId),
  ]);
  return [
    ...compareProjections(projection, derived.projection),
    ...compareDeadlines(projection.version, rows, derived.rows),
    ...compareOutbox(events, outbox, derived.outbox),
    ...(columns
      ? compareColumns(columns, derived.projection, derived.rows, projection.readers === undefined)
      : []),
  ];
}
