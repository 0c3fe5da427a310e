/**
 * Who a petition accuses, and which of the units and persons it names are not yet known to the
 * registry (Reg. 22, 30). Reg. 30 is a property of the data, not of a string: a unit in a
 * petition is a registry id (the form takes an id, a registered name or an alias and stores
 * the id); text that names no unit is kept as it was written, *unresolved*, and the case may not
 * be handed on or accepted until staff resolve it (`RESOLVE_REFERENCE`). An accused person is
 * `{ name, staffId?, unit? }`: a staff id makes them known to the engine (they never read the
 * case), a name alone is unresolved until staff give the staff id or record that the person is
 * no staff member here (`external`).
 *
 * Accusation material goes neither to the accused unit nor to the unit of an accused staff
 * member (decided in docs/decisions.md: a complaint against a bureau's head sent to that bureau
 * reaches the head).
 */

import { getPath } from '../base/json.js';
import type { JurisdictionConfig } from '../config/types.js';
import type { ActorRef, JsonObject } from '../store/types.js';
import type { UnitRegistry } from './units.js';

/** The form fields that name units and accused persons, with the national defaults. */
export interface ReferenceFields {
  /** Petition fields that name a unit in free text (resolved against the registry). */
  units: string[];
  /** Of those (or others), the fields naming the unit an accusation accuses. */
  accusedUnits: string[];
  /** Petition fields naming accused persons (a name, or `{ name, staffId?, unit? }`, or a list). */
  accusedPersons: string[];
}

/** An accused person as the petition records them. */
export interface AccusedPerson {
  name?: string;
  staffId?: string;
  unit?: string;
  /** Staff found the person is no staff member of a registered unit. */
  external?: boolean;
}

/** What a petition accuses, when it carries accusation material. */
export interface Accused {
  /** Registry ids of the accused units and of accused staff members' units. */
  units: string[];
  /** Staff ids of accused persons. */
  staffIds: string[];
}

/** A unit or person named in free text that staff must still resolve. */
export interface UnresolvedReference {
  /** The petition field (for a person in a list, `field.index`). */
  path: string;
  kind: 'unit' | 'person';
}

/** The reference fields of a config (`form.references`), with the national defaults. */
export function referenceFields(config: Pick<JurisdictionConfig, 'form'>): ReferenceFields {
  const r = config.form.references;
  return {
    units: r?.units ?? ['respondentUnit'],
    accusedUnits: r?.accusedUnits ?? ['respondentUnit'],
    accusedPersons: r?.accusedPersons ?? ['accused'],
  };
}

/** Whether the petition carries accusation material (any of the form's accusation fields). */
export function hasAccusation(config: Pick<JurisdictionConfig, 'form'>, petition: unknown): boolean {
  // a petition that says it is an accusation is one, whichever of its fields hold the material
  // and whatever the config lists under `form.accusation` (Reg. 30)
  if (getPath(petition, 'kind') === 'accusation') return true;
  return (config.form.accusation ?? []).some((f) => {
    const v = getPath(petition, f);
    return v !== undefined && v !== null && v !== '';
  });
}

/** The accused persons a field holds: one person (a name or an object) or a list of them. */
export function personsAt(petition: unknown, field: string): { path: string; person: AccusedPerson }[] {
  const v = getPath(petition, field);
  const list = Array.isArray(v) ? v : v === undefined || v === null || v === '' ? [] : [v];
  return list.map((p, i) => ({
    path: Array.isArray(v) ? `${field}.${i}` : field,
    person: typeof p === 'string' ? { name: p } : ((p ?? {}) as AccusedPerson),
  }));
}

/** Who the petition accuses (empty when it carries no accusation material). */
export function accusedOf(
  config: Pick<JurisdictionConfig, 'form'>,
  units: UnitRegistry,
  petition: unknown,
): Accused {
  if (!hasAccusation(config, petition)) return { units: [], staffIds: [] };
  const fields = referenceFields(config);
  const out = new Set<string>();
  for (const f of fields.accusedUnits) {
    const v = getPath(petition, f);
    if (typeof v === 'string' && units.has(v)) out.add(v);
  }
  const staffIds: string[] = [];
  for (const f of fields.accusedPersons) {
    for (const { person } of personsAt(petition, f)) {
      if (typeof person.staffId === 'string') staffIds.push(person.staffId);
      if (typeof person.unit === 'string' && units.has(person.unit)) out.add(person.unit);
    }
  }
  return { units: [...out].sort(), staffIds };
}

/** Whether `actor` is accused by the petition: staff of an accused unit, or an accused person. */
export function isAccusedActor(accused: Accused, actor: Pick<ActorRef, 'id' | 'unit'>): boolean {
  return (
    (actor.unit !== undefined && accused.units.includes(actor.unit)) || accused.staffIds.includes(actor.id)
  );
}

/**
 * The references staff must resolve before the case is handed on or accepted: unit fields whose
 * text names no registered unit, and accused persons known only by name.
 */
export function unresolvedReferences(
  config: Pick<JurisdictionConfig, 'form'>,
  units: UnitRegistry,
  petition: unknown,
): UnresolvedReference[] {
  const fields = referenceFields(config);
  const out: UnresolvedReference[] = [];
  for (const f of new Set([...fields.units, ...fields.accusedUnits])) {
    const v = getPath(petition, f);
    if (typeof v === 'string' && v !== '' && !units.has(v)) out.push({ path: f, kind: 'unit' });
  }
  if (!hasAccusation(config, petition)) return out;
  for (const f of fields.accusedPersons) {
    for (const { path, person } of personsAt(petition, f)) {
      if (typeof person.staffId === 'string' || person.external === true) continue;
      out.push({ path, kind: 'person' });
    }
  }
  return out;
}

/** Text as a registry lookup compares it: Unicode-normalised, trimmed, inner spaces dropped. */
export function normaliseName(text: string): string {
  return text.normalize('NFKC').trim().replace(/\s+/gu, '').toLowerCase();
}

/**
 * The registry id `text` names: a unit's id, its registered name or one of its aliases, compared
 * after normalisation (`normaliseName`). Undefined when it names none, or more than one.
 */
export function resolveUnitName(config: Pick<JurisdictionConfig, 'units'>, text: string): string | undefined {
  const wanted = normaliseName(text);
  if (wanted === '') return undefined;
  const hits = Object.entries(config.units).filter(
    ([id, def]) =>
      normaliseName(id) === wanted ||
      normaliseName(def.name) === wanted ||
      (def.aliases ?? []).some((a) => normaliseName(a) === wanted),
  );
  return hits.length === 1 ? hits[0]?.[0] : undefined;
}

/**
 * Registry units whose id, name or an alias shares the most characters with `text` (at most
 * `limit`, best first): the suggestions staff choose from when resolving free text.
 */
export function suggestUnits(config: Pick<JurisdictionConfig, 'units'>, text: string, limit = 5): string[] {
  // bounded work: a long text is cut before comparing (a field may hold anything)
  const wanted = new Set(normaliseName(text.slice(0, 64)));
  if (wanted.size === 0) return [];
  const score = (s: string) => {
    const chars = new Set(normaliseName(s));
    let common = 0;
    for (const c of wanted) if (chars.has(c)) common++;
    return common / Math.max(wanted.size, chars.size);
  };
  return Object.entries(config.units)
    .map(([id, def]) => ({ id, s: Math.max(score(id), score(def.name), ...(def.aliases ?? []).map(score)) }))
    .filter((x) => x.s > 0.3)
    .sort((a, b) => b.s - a.s || a.id.localeCompare(b.id))
    .slice(0, limit)
    .map((x) => x.id);
}

/**
 * The unit a case should sit with instead of `unit` when `unit` is accused: the nearest body
 * above it that is not accused, the petition bureau under that body first (it does the petition
 * work). `unit` itself when it is not accused, or when no body above it is known.
 */
export function awayFromAccused(
  config: Pick<JurisdictionConfig, 'units'>,
  units: UnitRegistry,
  accused: readonly string[],
  unit: string,
): string {
  if (!accused.includes(unit)) return unit;
  for (const above of units.ancestors(unit)) {
    const bureau = Object.entries(config.units).find(
      ([, u]) => u.kind === 'petition-bureau' && u.parent === above,
    )?.[0];
    for (const candidate of [bureau, above]) {
      if (candidate !== undefined && !accused.includes(candidate)) return candidate;
    }
  }
  return unit;
}

/** The petition with each unit field's text replaced by the registry id it names, where it names one. */
export function withResolvedUnits(
  config: Pick<JurisdictionConfig, 'form' | 'units'>,
  petition: JsonObject,
): JsonObject {
  const fields = referenceFields(config);
  let out = petition;
  for (const f of new Set([...fields.units, ...fields.accusedUnits])) {
    if (f.includes('.')) continue; // nested unit fields are resolved by staff, not rewritten here
    const v = out[f];
    if (typeof v !== 'string' || Object.hasOwn(config.units, v)) continue;
    const id = resolveUnitName(config, v);
    if (id !== undefined) out = { ...out, [f]: id };
  }
  return out;
}
