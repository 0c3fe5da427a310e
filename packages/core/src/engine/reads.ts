/**
 * The engine's reads: a case as a viewer may see it, its history, queries, the commands an
 * actor may send now, and the checks of a stored log (replay, verify). Nothing here writes.
 */

import { isPetitionerRole } from '../compiler/checks.js';
import type { CaseData } from '../compiler/types.js';
import { DEFAULT_LIMIT } from '../store/kit/input.js';
import type { ActorRef, CaseEvent, CaseProjection, CaseQuery } from '../store/types.js';
import { mayRead, scopedQuery } from './access.js';
import { actorRefusal, admit, commandsOffered } from './admit.js';
import { type CaseDocument, caseDocumentOf } from './case-document.js';
import { CaseTx } from './case-tx.js';
import { CaseNotFoundError } from './errors.js';
import { type CaseState, projectionOf, replayEvent } from './fold.js';
import { presentedActor } from './query-codes.js';
import { type CaseView, type EventView, redactEvent, redactProjection } from './redact.js';
import { type EngineRuntime, nowOf } from './runtime.js';
import type { CasePage } from './types.js';
import { compareProjections, type VerifyResult, verifyChain } from './verify.js';

/** What `mayRead` judges of a stored case. */
const readable = (p: CaseProjection) => ({ state: p.state, data: p.data as unknown as CaseData });

/**
 * Opens a case for `viewer` to read: CASE_NOT_FOUND, as for a missing case, when they may not
 * read it; ACTOR_INVALID for a viewer the config does not know (or one claiming the system role).
 */
async function openForReading(
  rt: EngineRuntime,
  caseId: string,
  asked: ActorRef,
): Promise<{ tx: CaseTx; viewer: ActorRef }> {
  const tx = await CaseTx.open(rt, caseId);
  const c = readable(tx.projection);
  // a petitioner presenting a query code reads as its holder
  const viewer = presentedActor(tx.compiled, rt.keys, caseId, c.data, asked);
  const badActor = actorRefusal(tx.compiled, viewer);
  if (badActor) throw badActor;
  if (!mayRead(tx.compiled, c, viewer)) throw new CaseNotFoundError(caseId);
  return { tx, viewer };
}

/** A case as `viewer` may see it. */
export async function getCase(rt: EngineRuntime, caseId: string, asked: ActorRef): Promise<CaseView> {
  const { tx, viewer } = await openForReading(rt, caseId, asked);
  return redactProjection(tx.compiled, tx.projection, viewer);
}

/** A case's events as `viewer` may see them. */
export async function caseHistory(rt: EngineRuntime, caseId: string, asked: ActorRef): Promise<EventView[]> {
  const { tx, viewer } = await openForReading(rt, caseId, asked);
  const { projection, compiled } = tx;
  const data = projection.data as unknown as CaseData;
  return (await rt.store.events(caseId)).map((e) => redactEvent(compiled, e, viewer, data.petition, data));
}

/**
 * One page of the cases a query finds among those `viewer` may read, each as they may see it.
 * The scope is part of the store's statement; `next`, when present, continues the listing
 * (pass it as `after`): a full page never hides that more exist.
 */
export async function queryCases(rt: EngineRuntime, q: CaseQuery, viewer: ActorRef): Promise<CasePage> {
  const scoped = scopedQuery(rt, q, viewer);
  const limit = scoped.limit ?? DEFAULT_LIMIT;
  const found = await rt.store.query({ ...scoped, limit });
  const cases: CaseView[] = [];
  for (const p of found) {
    const compiled = await rt.configs.forHash(p.configHash, p.caseId);
    // the store's predicate is by units; the engine's rule has the last word (an accused unit
    // reaching a case through a unit below it with `region` visibility reads nothing of it)
    if (!mayRead(compiled, readable(p), viewer)) continue;
    cases.push(redactProjection(compiled, p, viewer));
  }
  const last = found.at(-1);
  return { cases, ...(found.length === limit && last ? { next: last.caseId } : {}) };
}

/** The documents issued on a case, as `viewer` may read them: a petitioner those addressed to them. */
export async function caseDocuments(
  rt: EngineRuntime,
  caseId: string,
  asked: ActorRef,
): Promise<CaseDocument[]> {
  const { tx, viewer } = await openForReading(rt, caseId, asked);
  const { compiled, projection } = tx;
  // documents to a petitioner go to their account, or to `petitioner` when they have none
  const petitionerId = (projection.data as unknown as CaseData).petitionerId ?? 'petitioner';
  const own = isPetitionerRole(compiled.config, viewer.role);
  return (await rt.store.outbox({ caseId }))
    .filter((row) => row.kind === 'document')
    .filter((row) => !own || row.recipient === petitionerId)
    .map(caseDocumentOf);
}

/**
 * The commands `actor` may send to a case now, judged as `send` judges them (without a payload:
 * checks that read one are left to `send`).
 */
export async function commandsAllowed(rt: EngineRuntime, caseId: string, asked: ActorRef): Promise<string[]> {
  const tx = await CaseTx.open(rt, caseId);
  const actor = presentedActor(tx.compiled, rt.keys, caseId, readable(tx.projection).data, asked);
  // an actor the config knows but who may not read the case learns nothing of it
  if (!actorRefusal(tx.compiled, actor) && !mayRead(tx.compiled, readable(tx.projection), actor)) {
    throw new CaseNotFoundError(caseId);
  }
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
