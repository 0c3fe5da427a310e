/**
 * The unit registry as the compiler and engine read it: parent chains, levels, and the
 * authority rules of Reg. 22-24 and 35-36 (who may act on a case, for which unit).
 */

import { own } from '../base/json.js';
import type { Authority, JurisdictionConfig, LadderDef, UnitDef } from '../config/types.js';
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
  /**
   * The bodies one level up that may review a decision of `unit` (Reg. 35-36): its own
   * people's government (本级人民政府; for a government, the government one level up) and its
   * competent department one level up (`line`, 上一级主管部门). Either may be missing.
   */
  ladder(unit: string): LadderChoices;
  /**
   * The body that reviews (or re-examines) a decision of `unit`: `requested` when it names one
   * of the lawful choices (`government`, `line`, or the unit's id), else the config's default
   * choice, else the other. Undefined when `requested` names no lawful body or there is none.
   */
  ladderBody(unit: string, requested?: string): string | undefined;
  /** Whether the unit issues handling opinions (Reg. 32): `opinions`, else its kind is in `ladder.issuers`. */
  issuesOpinions(unit: string): boolean;
  /** The government a unit belongs to: itself when it is one, else its parent (同级). */
  government(unit: string): string | undefined;
  /**
   * The joint petition-work meeting (kind `joint-meeting`) of the unit's own government, or of the
   * nearest government above that has one (Reg. 39).
   */
  jointMeeting(unit: string): string | undefined;
}

/** The lawful review (or re-examination) bodies of one unit's decision. */
export interface LadderChoices {
  government?: string;
  line?: string;
}

/** Without a `ladder` block: review by the government, opinions issued by governments and departments. */
const DEFAULT_LADDER: LadderDef = {
  default: 'government',
  issuers: ['government', 'department'],
  basis: 'reg-2022 art. 35-36',
};

function ladderOf(
  units: Record<string, UnitDef>,
  ancestors: (unit: string) => string[],
  unit: string,
): LadderChoices {
  const own_ = own(units, unit);
  if (!own_) return {};
  const level = LEVELS.indexOf(own_.level);
  // a government answers to the government one level up; any other body to its own government
  const wanted = own_.kind === 'government' ? level - 1 : level;
  const government = ancestors(unit).find((a) => {
    const u = own(units, a);
    return u?.kind === 'government' && LEVELS.indexOf(u.level) === wanted;
  });
  const lineUnit = own_.line === undefined ? undefined : own(units, own_.line);
  const line =
    lineUnit && own_.kind !== 'government' && LEVELS.indexOf(lineUnit.level) === level - 1
      ? own_.line
      : undefined;
  return { ...(government ? { government } : {}), ...(line ? { line } : {}) };
}

/** Each government's joint petition-work meeting (Reg. 39), the first the registry declares. */
function jointMeetingsByGovernment(units: Record<string, UnitDef>): Map<string, string> {
  const meetingOf = new Map<string, string>();
  for (const [id, u] of Object.entries(units))
    if (u.kind === 'joint-meeting' && u.parent !== undefined && !meetingOf.has(u.parent))
      meetingOf.set(u.parent, id);
  return meetingOf;
}

/**
 * The joint meeting of the unit's own government, or of the nearest government above with one.
 * Every read judges who may act in the case's state, so this is asked on each: a lookup.
 */
function jointMeetingOf(
  units: Record<string, UnitDef>,
  ancestors: (unit: string) => string[],
  meetingOf: ReadonlyMap<string, string>,
  unit: string,
): string | undefined {
  if (!own(units, unit)) return undefined;
  const government = [unit, ...ancestors(unit)].find(
    (a) => meetingOf.has(a) && own(units, a)?.kind === 'government',
  );
  return government === undefined ? undefined : meetingOf.get(government);
}

/** Builds the registry view of `config.units`; parent cycles are cut, not followed forever. */
export function unitRegistry(
  config: Pick<JurisdictionConfig, 'units'> & { ladder?: LadderDef },
): UnitRegistry {
  const units = config.units ?? {};
  const ladderDef = config.ladder ?? DEFAULT_LADDER;
  const levelIndex = (u: UnitDef | undefined) => (u ? LEVELS.indexOf(u.level) : -1);
  const ancestorCache = new Map<string, string[]>();
  const meetingOf = jointMeetingsByGovernment(units);

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
    ladder: (unit) => ladderOf(units, ancestors, unit),
    government: (unit) => (own(units, unit)?.kind === 'government' ? unit : own(units, unit)?.parent),
    jointMeeting: (unit) => jointMeetingOf(units, ancestors, meetingOf, unit),
    ladderBody(unit, requested) {
      const choices = ladderOf(units, ancestors, unit);
      if (requested !== undefined) {
        if (requested === 'government' || requested === 'line') return choices[requested];
        return requested === choices.government || requested === choices.line ? requested : undefined;
      }
      const other = ladderDef.default === 'government' ? 'line' : 'government';
      return choices[ladderDef.default] ?? choices[other];
    },
    issuesOpinions(unit) {
      const u = own(units, unit);
      if (!u) return false;
      return u.opinions ?? ladderDef.issuers.includes(u.kind);
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
    case 'superior-of-opinion':
      return ladderStep(registry, data, 'opinion', 'reviewRequest');
    case 'superior-of-review':
      return ladderStep(registry, data, 'review', 'reexaminationRequest');
    case 'superior-of-responsible':
      return registry.superior(data.responsibleUnit);
    case 'successor-of-responsible':
      return registry.get(data.responsibleUnit)?.successor;
    case 'joint-meeting-of-responsible':
      return registry.jointMeeting(data.responsibleUnit);
    case 'addressee-of-suggestion': {
      const to = data.decisions.suggestion?.to;
      return typeof to === 'string' ? to : data.responsibleUnit;
    }
  }
}

/**
 * The body one level up from the unit that took decision `of` (Reg. 35-36): the one the
 * petitioner's request (`request`, recorded by `recordLadderBody`) named, else the default.
 */
function ladderStep(registry: UnitRegistry, data: CaseData, of: string, request: string): string | undefined {
  const chosen = data.decisions[request]?.body;
  if (typeof chosen === 'string') return chosen;
  const unit = data.decisions[of]?.unit;
  return typeof unit === 'string' ? registry.ladderBody(unit) : undefined;
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
