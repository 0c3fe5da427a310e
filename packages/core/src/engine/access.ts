/**
 * Whether a viewer may read a case, and what a query may return to them. Every read of the
 * engine asks here: `get`, `history`, `documents`, `allowedCommands`, `send` (a command on a
 * case the actor may not read is CASE_NOT_FOUND, indistinguishable from a missing case) and
 * `query` (the scope travels into the store's statement as `readableBy`).
 */

import { own } from '../base/json.js';
import { accusedOf, isAccusedActor } from '../compiler/accusation.js';
import { isPetitionerRole, ownsCase } from '../compiler/checks.js';
import type { CompiledConfig } from '../compiler/compile.js';
import type { CaseContext, CaseData } from '../compiler/types.js';
import type { ActorRef, CaseQuery } from '../store/types.js';
import { QueryForbiddenError } from './errors.js';
import { readersOf, viewerUnits } from './readers.js';
import type { EngineRuntime } from './runtime.js';

/**
 * Whether `viewer` may read the case: its petitioner (by account), or staff of a unit among its
 * readers. Readers are computed afresh from the case's state and data, not taken from the
 * stored row, so a projection written before readers existed is judged the same way.
 */
export function mayRead(
  compiled: CompiledConfig,
  c: { state: string; data: CaseData },
  viewer: ActorRef,
): boolean {
  const { data } = c;
  if (isPetitionerRole(compiled.config, viewer.role)) {
    return ownsCase({ data } as CaseContext, viewer.id);
  }
  const role = own(compiled.config.roles, viewer.role);
  if (!role || role.system) return false;
  // an accused unit's staff, and an accused person, read no accusation against them, not even
  // through the units below that a `region` reach would add (Reg. 30)
  if (isAccusedActor(accusedOf(compiled.config, compiled.units, data.petition), viewer)) return false;
  const readers = new Set(readersOf(compiled, c.state, data));
  return viewerUnits(compiled, viewer).some((u) => readers.has(u));
}

/**
 * The query a viewer's `query` runs: theirs, narrowed to what they may read. A petitioner's is
 * their own cases; staff's the cases one of their units reads (a role with `region` visibility
 * reads for the units below its own too). An unknown role or unit reads nothing.
 */
export function scopedQuery(rt: EngineRuntime, q: CaseQuery, viewer: ActorRef): CaseQuery {
  // the scope is the engine's to set: a viewer passing one would widen or probe it
  if (q.readableBy !== undefined) throw new QueryForbiddenError('readableBy');
  if (viewer?.queryCode !== undefined) {
    throw new QueryForbiddenError(
      'queryCode',
      'a query code opens the one case it was given for: read it with get, history or documents and the case id',
    );
  }
  const configs = rt.configs.latestConfigs();
  const petitioner = configs.some((c) => isPetitionerRole(c.config, viewer.role));
  const units = petitioner
    ? []
    : [
        ...new Set(
          configs.filter((c) => own(c.config.roles, viewer.role)).flatMap((c) => viewerUnits(c, viewer)),
        ),
      ];
  return {
    ...q,
    readableBy: { units, ...(petitioner ? { petitionerId: viewer.id } : {}) },
  };
}
