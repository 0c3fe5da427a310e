/**
 * The engine's reads: a case as a viewer may see it, its history, queries, the commands an
 * actor may send now, and the checks of a stored log (replay, verify). Nothing here writes.
 */

import type { CaseData } from '../compiler/types.js';
import type { ActorRef, CaseEvent, CaseProjection, CaseQuery } from '../store/types.js';
import { admit, commandsOffered } from './admit.js';
import { CaseTx } from './case-tx.js';
import { CaseNotFoundError } from './errors.js';
import { type CaseState, projectionOf, replayEvent } from './fold.js';
import { type CaseView, type EventView, redactEvent, redactProjection } from './redact.js';
import { type EngineRuntime, nowOf } from './runtime.js';
import { compareProjections, type VerifyResult, verifyChain } from './verify.js';

/** A case as `viewer` may see it. */
export async function getCase(rt: EngineRuntime, caseId: string, viewer: ActorRef): Promise<CaseView> {
  const { projection, compiled } = await CaseTx.open(rt, caseId);
  return redactProjection(compiled.config, projection, viewer);
}

/** A case's events as `viewer` may see them. */
export async function caseHistory(rt: EngineRuntime, caseId: string, viewer: ActorRef): Promise<EventView[]> {
  const { projection, compiled } = await CaseTx.open(rt, caseId);
  const data = projection.data as unknown as CaseData;
  return (await rt.store.events(caseId)).map((e) =>
    redactEvent(compiled.config, e, viewer, data.petition, data),
  );
}

/** The cases a query finds, each as `viewer` may see it. */
export async function queryCases(rt: EngineRuntime, q: CaseQuery, viewer: ActorRef): Promise<CaseView[]> {
  const out: CaseView[] = [];
  for (const p of await rt.store.query(q)) {
    out.push(redactProjection((await rt.configs.forHash(p.configHash, p.caseId)).config, p, viewer));
  }
  return out;
}

/**
 * The commands `actor` may send to a case now, judged as `send` judges them (without a payload:
 * checks that read one are left to `send`).
 */
export async function commandsAllowed(rt: EngineRuntime, caseId: string, actor: ActorRef): Promise<string[]> {
  const tx = await CaseTx.open(rt, caseId);
  const from = tx.state as CaseState;
  const at = nowOf(rt);
  const allowed: string[] = [];
  for (const type of commandsOffered(tx.compiled, from.state)) {
    const verdict = await admit(tx.compiled, caseId, from, { type, payload: {}, actor, at }, { probe: true });
    if (verdict.ok) allowed.push(type);
  }
  return allowed;
}

/** The projection a case's stored events fold to, under the config its first event pinned. */
export async function replayCase(rt: EngineRuntime, caseId: string): Promise<CaseProjection> {
  const events = await rt.store.events(caseId);
  const first = events[0];
  if (!first) throw new CaseNotFoundError(caseId);
  const compiled = await rt.configs.forHash(first.configHash, caseId);
  let state: CaseState | undefined;
  for (const e of events) state = replayEvent(compiled, state, e);
  return projectionOf(compiled, state as CaseState, events.at(-1) as CaseEvent);
}

/** Checks a case's stored log: hashes, chain, gaps, and the replayed projection against the stored one. */
export async function verifyCase(rt: EngineRuntime, caseId: string): Promise<VerifyResult> {
  const [events, projection] = await Promise.all([rt.store.events(caseId), rt.store.getCase(caseId)]);
  if (events.length === 0 && !projection) throw new CaseNotFoundError(caseId);
  const problems = verifyChain(caseId, events, projection);
  if (projection && events.length > 0) {
    try {
      problems.push(...compareProjections(projection, await replayCase(rt, caseId)));
    } catch (e) {
      problems.push({
        seq: events.length,
        code: 'REPLAY_FAILED',
        message: `the log does not replay: ${(e as Error).message}`,
      });
    }
  }
  return { ok: problems.length === 0, problems };
}
