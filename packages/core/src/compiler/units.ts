/**
 * The unit registry as the compiler and engine read it: parent chains, levels, and the
 * authority rules of Reg. 22-24 and 35-36 (who may act on a case, for which unit).
 */

import { own } from '../base/json.js';
import type { Authority, JurisdictionConfig, UnitDef } from '../config/types.js';
import { LEVELS } from '../config/types.js';
import type { ActorRef } from '../store/types.js';
import type { CaseData } from './types.js';

/** Read-only view of a config's units with the lookups authority needs. */
export interface UnitRegistry {
  has(unit: string): boolean;
  get(unit: string): UnitDef | undefined;
  /** The unit's ancestors, nearest first (its parent, its parent's parent, ...). */
  ancestors(unit: string): string[];
  /**
   * The body one level up: the nearest ancestor whose level is above the unit's own level
   * (a county department -> the city government: the county government is the same level).
   */
  superior(unit: string): string | undefined;
  /** The nearest unit that is an ancestor of every unit in `units` (or undefined). */
  commonSuperior(units: string[]): string | undefined;
}

/** Builds the registry view of `config.units`; parent cycles are cut, not followed forever. */
export function unitRegistry(config: Pick<JurisdictionConfig, 'units'>): UnitRegistry {
  const units = config.units ?? {};
  const levelIndex = (u: UnitDef | undefined) => (u ? LEVELS.indexOf(u.level) : -1);
  const ancestorCache = new Map<string, string[]>();

  const ancestors = (unit: string): string[] => {
    const cached = ancestorCache.get(unit);
    if (cached) return cached;
    const chain: string[] = [];
    const seen = new Set([unit]);
    let p = own(units, unit)?.parent;
    while (p !== undefined && !seen.has(p) && own(units, p)) {
      chain.push(p);
      seen.add(p);
      p = own(units, p)?.parent;
    }
    ancestorCache.set(unit, chain);
    return chain;
  };

  return {
    has: (unit) => Object.hasOwn(units, unit),
    get: (unit) => (Object.hasOwn(units, unit) ? units[unit] : undefined),
    ancestors,
    superior(unit) {
      const level = levelIndex(own(units, unit));
      if (level < 0) return undefined;
      return ancestors(unit).find((a) => levelIndex(own(units, a)) === level - 1);
    },
    commonSuperior(list) {
      if (list.length === 0) return undefined;
      const [first, ...rest] = list as [string, ...string[]];
      const others = rest.map((u) => new Set(ancestors(u)));
      return ancestors(first).find((a) => !list.includes(a) && others.every((s) => s.has(a)));
    },
  };
}

/** The unit an authority names for this case, or undefined when there is none (yet). */
export function authorityUnit(
  registry: UnitRegistry,
  data: CaseData,
  authority: Exclude<Authority, 'any'>,
): string | undefined {
  switch (authority) {
    case 'responsible':
      return data.responsibleUnit;
    case 'registering':
      return data.registeringUnit;
    case 'transferrer':
      return data.assignedBy?.unit;
    case 'superior-of-opinion': {
      const unit = data.decisions.opinion?.unit;
      return typeof unit === 'string' ? registry.superior(unit) : undefined;
    }
    case 'superior-of-review': {
      const unit = data.decisions.review?.unit;
      return typeof unit === 'string' ? registry.superior(unit) : undefined;
    }
    case 'superior-of-responsible':
      return registry.superior(data.responsibleUnit);
  }
}

/**
 * Whether `unit` supervises cases for which `responsible` is responsible: it is the body one
 * level up, or the petition bureau under that body, since supervision is petition bureaus' work
 * (Reg. 38-40).
 */
export function supervises(registry: UnitRegistry, unit: string, responsible: string): boolean {
  const superior = registry.superior(responsible);
  if (superior === undefined) return false;
  if (unit === superior) return true;
  const own = registry.get(unit);
  return own?.kind === 'petition-bureau' && own.parent === superior;
}

/**
 * Whether `actor` acts for the unit the authority names. `any` admits every actor (staff of a
 * registered unit, or a petitioner acting for themselves). Supervision one level up
 * (`superior-of-responsible`) is petition bureaus' work (Reg. 38-40), so the petition bureau
 * under the superior body holds it as well as the body itself.
 */
export function holdsAuthority(
  registry: UnitRegistry,
  data: CaseData,
  actor: ActorRef,
  authority: Authority = 'any',
): boolean {
  if (authority === 'any') return true;
  if (actor.unit === undefined) return false;
  if (authority === 'superior-of-responsible') return supervises(registry, actor.unit, data.responsibleUnit);
  const unit = authorityUnit(registry, data, authority);
  return unit !== undefined && actor.unit === unit;
}
