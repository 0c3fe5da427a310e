/**
 * Routing over the unit registry: which body is competent for a petition (territorial and
 * level-by-level responsibility, subject matter, the body complained about), and who decides
 * when several are (Reg. 22-24). Superiors and common superiors follow the compiler's
 * registry view, so routing and the authority checks of the machine agree on "one level up".
 */

import { type UnitRegistry, unitRegistry } from '../compiler/units.js';
import type { JurisdictionConfig, UnitDef } from '../config/types.js';
import { valueAt } from './keys.js';

function unitsOf(config: JurisdictionConfig): Record<string, UnitDef> {
  return config.units ?? {};
}

function known(config: JurisdictionConfig, id: unknown): id is string {
  return typeof id === 'string' && Object.hasOwn(unitsOf(config), id);
}

interface Index {
  registry: UnitRegistry;
  /** Each unit's region: its own, else the nearest ancestor's (a department inherits its government's). */
  region: Map<string, string | undefined>;
}

// routing runs on every submit: index a config's registry once (configs are immutable once loaded)
const indexes = new WeakMap<JurisdictionConfig, Index>();

function indexOf(config: JurisdictionConfig): Index {
  let index = indexes.get(config);
  if (index) return index;
  const registry = unitRegistry(config);
  const units = unitsOf(config);
  const region = new Map<string, string | undefined>();
  for (const id of Object.keys(units)) {
    region.set(
      id,
      [id, ...registry.ancestors(id)].map((u) => units[u]?.region).find((r) => r !== undefined),
    );
  }
  index = { registry, region };
  indexes.set(config, index);
  return index;
}

/**
 * The territories a unit answers within, nearest first: its region, then each distinct
 * region up its parent chain (county, city, province, nation). Level-by-level responsibility
 * (分级负责) looks for a competent body in this order.
 */
export function territoryOf(config: JurisdictionConfig, unitId: string): string[] {
  if (!known(config, unitId)) return [];
  const out: string[] = [];
  for (const u of [unitId, ...indexOf(config).registry.ancestors(unitId)]) {
    const region = unitsOf(config)[u]?.region;
    if (region !== undefined && !out.includes(region)) out.push(region);
  }
  return out;
}

/** Units of the registry in `region` (own or inherited) that satisfy `test`, sorted by id. */
function inRegion(config: JurisdictionConfig, region: string, test: (u: UnitDef) => boolean): string[] {
  return Object.entries(unitsOf(config))
    .filter(([id, u]) => test(u) && indexOf(config).region.get(id) === region)
    .map(([id]) => id)
    .sort();
}

/**
 * The unit whose territory the matter belongs to: the body complained about when the
 * registry knows it (`respondentUnit`), else the body that received the petition.
 */
export function anchorUnit(config: JurisdictionConfig, petition: unknown): string | undefined {
  const respondent = valueAt(petition, 'respondentUnit');
  if (known(config, respondent)) return respondent;
  const receiving = valueAt(petition, 'receivingUnit');
  return known(config, receiving) ? receiving : undefined;
}

/**
 * The bodies competent for the petition's subject (`subject` against each unit's
 * `competence`): the body complained about, if it is itself competent; else the competent
 * units of the anchor's territory, then of each territory above it (属地管理、分级负责). Several
 * results mean Reg. 24 applies: they agree, else their {@link commonSuperior} decides.
 * Empty when nobody in the registry is competent (the receiving body then tells the
 * petitioner where to go, Reg. 23).
 */
export function competentUnits(config: JurisdictionConfig, petition: unknown): string[] {
  const subject = valueAt(petition, 'subject');
  if (typeof subject !== 'string') return [];
  const competent = (u: UnitDef) => u.competence?.includes(subject) === true;
  const respondent = valueAt(petition, 'respondentUnit');
  if (known(config, respondent) && competent(unitsOf(config)[respondent] as UnitDef)) return [respondent];
  const anchor = anchorUnit(config, petition);
  if (anchor === undefined) {
    return Object.entries(unitsOf(config))
      .filter(([, u]) => competent(u))
      .map(([id]) => id)
      .sort();
  }
  for (const region of territoryOf(config, anchor)) {
    const found = inRegion(config, region, competent);
    if (found.length > 0) return found;
  }
  return [];
}

/**
 * The nearest unit of `kind` in the anchor unit's territory or above it: the discipline
 * body for accusations, the political-legal committee for litigation-related matters
 * (Reg. 22). Undefined when the registry has none.
 */
export function nearestOfKind(
  config: JurisdictionConfig,
  anchor: string,
  kind: UnitDef['kind'],
): string | undefined {
  for (const region of territoryOf(config, anchor)) {
    const found = inRegion(config, region, (u) => u.kind === kind);
    if (found[0] !== undefined) return found[0];
  }
  return undefined;
}

/** The government a unit belongs to: itself when it is one, else its parent. */
function governmentOf(config: JurisdictionConfig, unitId: string): string | undefined {
  const unit = config.units[unitId];
  return unit?.kind === 'government' ? unitId : unit?.parent;
}

/**
 * The unit of `kind` under the same government as `unitId` (同级: a city petition bureau's
 * political-legal committee is the city's). Undefined when there is none.
 */
export function sameLevelOfKind(
  config: JurisdictionConfig,
  unitId: string,
  kind: UnitDef['kind'],
): string | undefined {
  const government = governmentOf(config, unitId);
  if (government === undefined) return undefined;
  return Object.keys(config.units).find(
    (id) => config.units[id]?.kind === kind && governmentOf(config, id) === government,
  );
}

/**
 * The nearest common superior of two or more units (Reg. 24: several competent bodies that
 * cannot agree; their common superior decides). Undefined when they share none.
 */
export function commonSuperior(config: JurisdictionConfig, unitIds: readonly string[]): string | undefined {
  if (unitIds.length === 0 || !unitIds.every((u) => known(config, u))) return undefined;
  return indexOf(config).registry.commonSuperior([...new Set(unitIds)]);
}

/**
 * The body `levels` government levels above `unitId` (a county department's superior is the
 * city government: the county government is the same level). Undefined past the top.
 * @param levels @default 1
 */
export function superiorOf(config: JurisdictionConfig, unitId: string, levels = 1): string | undefined {
  const { registry } = indexOf(config);
  let cur: string | undefined = unitId;
  for (let i = 0; i < levels && cur !== undefined; i++) cur = registry.superior(cur);
  return cur;
}

/** The bodies routing rules choose among, as the `bodies` fact gives them (null: none). */
export interface Bodies {
  /** The body that received the petition, if the registry knows it. */
  receiving: string | null;
  /** The unit whose territory the matter belongs to ({@link anchorUnit}). */
  anchor: string | null;
  competent: string[];
  competentCount: number;
  /** Common superior of the competent bodies when there are several (Reg. 24). */
  commonSuperior: string | null;
  discipline: string | null;
  politicalLegal: string | null;
  /**
   * The political-legal committee at the receiving body's own level (under the same government):
   * Reg. 22 "转同级政法机关". Null when the receiving body is unknown or its government has none.
   */
  sameLevelPoliticalLegal: string | null;
  /** One level above the receiving body (Reg. 19: "a higher body"). */
  superior: string | null;
}

/** The {@link Bodies} for a petition. */
export function bodiesFor(config: JurisdictionConfig, petition: unknown): Bodies {
  const receiving = valueAt(petition, 'receivingUnit');
  const anchor = anchorUnit(config, petition);
  const competent = competentUnits(config, petition);
  return {
    receiving: known(config, receiving) ? receiving : null,
    anchor: anchor ?? null,
    competent,
    competentCount: competent.length,
    commonSuperior: competent.length > 1 ? (commonSuperior(config, competent) ?? null) : null,
    discipline: anchor === undefined ? null : (nearestOfKind(config, anchor, 'discipline') ?? null),
    politicalLegal: anchor === undefined ? null : (nearestOfKind(config, anchor, 'political-legal') ?? null),
    sameLevelPoliticalLegal: known(config, receiving)
      ? (sameLevelOfKind(config, receiving, 'political-legal') ?? null)
      : null,
    superior: known(config, receiving) ? (superiorOf(config, receiving) ?? null) : null,
  };
}
