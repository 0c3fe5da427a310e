/**
 * Who may read a case (Reg. 30, 46; the Personal Information Protection Law). Reads are scoped
 * by the engine, not by each embedder: a petitioner reads only their own cases; staff read the
 * cases their unit is involved in:
 *
 * - it registered the case, is or was responsible for it, moved it (transfer, assignment,
 *   designation), or recorded a decision on it (an opinion, a review, a re-examination);
 * - it holds the authority of a step of the case's current state (the body that reviews, once
 *   review is requested; the body above that supervises);
 * - it is the responsible unit's line up to the body one level up, or a petition bureau under
 *   one of those (supervision, Reg. 38-40; designation among bodies, Reg. 24).
 *
 * An accused unit of an accusation (`compiler/accusation.ts`) is never a reader, whatever else holds (Reg. 30: material
 * is not passed to the accused). A config may widen a role's reach (`visibility`): `region`
 * reads the cases of every unit below the viewer's own.
 */

import { accusedOf } from '../compiler/accusation.js';
import type { CompiledConfig } from '../compiler/compile.js';
import type { CaseData } from '../compiler/types.js';
import { authorityUnit, type UnitRegistry } from '../compiler/units.js';
import { transitionEntries } from '../config/transitions.js';
import type { ActorRef } from '../store/types.js';

/** The responsible unit's line up to the body one level up, with the petition bureaus under each. */
function lineAbove(units: UnitRegistry, unitIds: readonly string[], responsible: string): string[] {
  const superior = units.superior(responsible);
  const line: string[] = [];
  for (const a of units.ancestors(responsible)) {
    line.push(a);
    if (a === superior) break;
  }
  const bureaus = unitIds.filter((u) => {
    const def = units.get(u);
    return def?.kind === 'petition-bureau' && def.parent !== undefined && line.includes(def.parent);
  });
  return [...line, ...bureaus];
}

/** The units whose staff may read a case in `state` with `data`, sorted. */
export function readersOf(compiled: CompiledConfig, state: string, data: CaseData): string[] {
  const { units } = compiled;
  const out = new Set<string>([data.registeringUnit, data.responsibleUnit]);
  for (const t of data.transfers) {
    for (const key of ['from', 'to']) if (typeof t[key] === 'string') out.add(t[key] as string);
  }
  if (data.assignedBy) out.add(data.assignedBy.unit);
  for (const d of Object.values(data.decisions)) if (typeof d.unit === 'string') out.add(d.unit);
  for (const entry of transitionEntries(compiled.config.process.states[state])) {
    for (const def of entry.alternatives) {
      if (def.authority === undefined || def.authority === 'any') continue;
      const unit = authorityUnit(units, data, def.authority);
      if (unit !== undefined) out.add(unit);
    }
  }
  for (const u of lineAbove(units, Object.keys(compiled.config.units), data.responsibleUnit)) out.add(u);
  for (const accused of accusedOf(compiled.config, units, data.petition).units) out.delete(accused);
  return [...out].filter((u) => units.has(u)).sort();
}

/**
 * The units a staff viewer reads for: their own; with `region` visibility also every unit below
 * it, where a petition bureau's region is its government's (the bureau does petition work for
 * the government it sits under).
 */
export function viewerUnits(compiled: CompiledConfig, viewer: ActorRef): string[] {
  const { units } = compiled;
  if (viewer.unit === undefined || !units.has(viewer.unit)) return [];
  const scope = compiled.config.visibility?.[viewer.role]?.scope ?? 'involved';
  if (scope !== 'region') return [viewer.unit];
  const own = units.get(viewer.unit);
  const top = own?.kind === 'petition-bureau' && own.parent !== undefined ? own.parent : viewer.unit;
  const below = Object.keys(compiled.config.units).filter((u) => units.ancestors(u).includes(top));
  return [...new Set([viewer.unit, top, ...below])];
}
