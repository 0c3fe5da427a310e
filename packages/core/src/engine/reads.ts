/**
 * The engine's reads: a case as a viewer may see it, its history, queries, the commands an
 * actor may send now, and the replay of a stored log (`verify-case.ts` checks it). Nothing here writes.
 */

import { isPetitionerRole } from '../compiler/checks.js';
import type { CompiledConfig } from '../compiler/compile.js';
import type { CaseData } from '../compiler/types.js';
import { DEFAULT_LIMIT } from '../store/kit/input.js';
import { type CaseQueryPlan, planQuery } from '../store/kit/query.js';
import { selectCases } from '../store/kit/select.js';
import type { ActorRef, CaseEvent, CaseProjection, CaseQuery } from '../store/types.js';
import { mayRead, scopedQuery } from './access.js';
import { actorRefusal, admit, commandsOffered } from './admit.js';
import { type CaseDocument, caseDocumentOf } from './case-document.js';
import { CaseTx } from './case-tx.js';
import { CaseNotFoundError } from './errors.js';
import { type CaseState, hashAfter, projectionOf, replayEvent } from './fold.js';
import { type IntegrityFinding, StoredConfigTamperedError } from './integrity.js';
import { forgedProjection, projectionVouched, withProjectionMac } from './projection-mac.js';
import { presentedActor } from './query-codes.js';
import { readersOf } from './readers.js';
import { type CaseView, type EventView, redactEvent, redactProjection } from './redact.js';
import { type EngineRuntime, nowOf } from './runtime.js';
import type { CasePage } from './types.js';

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
  // the overdue filter is the deadline rows' (verify checks them), not the document's
  const planned = planQuery({ ...scoped, limit });
  const plan = {
    ...planned,
    predicates: planned.predicates.filter((x) => x.kind !== 'runningDeadlineBefore'),
  };
  const cases: CaseView[] = [];
  for (const p of found) {
    const compiled = await compiledOrNone(rt, p);
    if (!compiled || !vouchedMatch(rt, compiled, plan, p)) continue;
    // the store's predicate is by units; the engine's rule has the last word (an accused unit
    // reaching a case through a unit below it with `region` visibility reads nothing of it)
    if (!mayRead(compiled, readable(p), viewer)) continue;
    cases.push(redactProjection(compiled, p, viewer));
  }
  const last = found.at(-1);
  return { cases, ...(found.length === limit && last ? { next: last.caseId } : {}) };
}

/**
 * The config a listed case pinned; none when its stored config was edited (the registry refused it
 * and raised the alarm): the other cases of the page are still listed.
 */
async function compiledOrNone(rt: EngineRuntime, p: CaseProjection): Promise<CompiledConfig | undefined> {
  try {
    return await rt.configs.forHash(p.configHash, p.caseId);
  } catch (e) {
    if (e instanceof StoredConfigTamperedError) return undefined;
    throw e;
  }
}

/**
 * Whether a case the store returned meets the query by its own document, with readers recomputed
 * from its data: the store filters on copies (a `state` column, the readers table, the petitioner
 * column) that a database writer can edit without touching the document. A case the copies let
 * through but the document does not is dropped, and the alarm raised.
 */
function vouchedMatch(
  rt: EngineRuntime,
  compiled: CompiledConfig,
  plan: CaseQueryPlan,
  p: CaseProjection,
): boolean {
  const readers = readersOf(compiled, p.state, p.data as unknown as CaseData);
  const problems: IntegrityFinding[] = [];
  if (!projectionVouched(rt.integrity, p, rt.unkeyedBefore)) problems.push(forgedProjection(p.caseId));
  if (selectCases(plan, [{ ...p, readers }], []).length === 0) {
    problems.push({
      code: 'QUERY_MISMATCH',
      message: `the store returned ${p.caseId} for a query its document does not meet: its filter columns or readers rows were edited`,
    });
  }
  if (p.readers !== undefined && [...p.readers].sort().join() !== readers.join()) {
    problems.push({
      code: 'READERS_MISMATCH',
      message: `${p.caseId}'s stored readers (${p.readers.join(', ')}) are not those of its data (${readers.join(', ')})`,
    });
  }
  if (problems.length === 0) return true;
  rt.alarm({ source: 'query', caseId: p.caseId, problems });
  return false;
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

/** The projection a case's stored events fold to, under the config its first event pinned (and each version a `config.migrated` event moved it to). */
export async function replayCase(rt: EngineRuntime, caseId: string): Promise<CaseProjection> {
  const events = await rt.store.events(caseId);
  const first = events[0];
  if (!first) throw new CaseNotFoundError(caseId);
  let compiled = await rt.configs.forHash(first.configHash, caseId);
  let state: CaseState | undefined;
  for (const e of events) {
    state = replayEvent(compiled, state, e);
    const next = hashAfter(compiled.hash, e);
    if (next !== compiled.hash) compiled = await rt.configs.forHash(next, caseId);
  }
  return withProjectionMac(
    rt.integrity,
    projectionOf(compiled, state as CaseState, events.at(-1) as CaseEvent),
  );
}
