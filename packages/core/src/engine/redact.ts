/**
 * Personal information and accusation material (Reg. 30). Fields the registration form marks
 * `personal` are shown only to roles in `visibleTo.personal`; `accusation` fields only to roles
 * in `visibleTo.accusation`, and never to the accused unit or person, whatever their role. A
 * petitioner sees personal fields only of their own case. Redacted fields are removed and listed.
 */

import { getPath, own } from '../base/json.js';
import { ownsCase } from '../compiler/checks.js';
import type { CaseContext } from '../compiler/types.js';
import type { JurisdictionConfig } from '../config/types.js';
import { pathSegments } from '../rules/path.js';
import type { ActorRef, CaseEvent, CaseProjection, JsonObject } from '../store/types.js';

/** A projection as a viewer may see it; `redacted` lists the paths removed (under `data.petition`). */
export type CaseView = CaseProjection & { redacted: string[] };

/** An event as a viewer may see it. */
export type EventView = CaseEvent & { redacted: string[] };

interface Visibility {
  personal: boolean;
  accusation: boolean;
}

/** What `viewer` may see of a case whose petition is `petition`. */
export function visibilityFor(
  config: JurisdictionConfig,
  viewer: ActorRef,
  petition: JsonObject,
  owner: Pick<CaseContext['data'], 'petitionerId' | 'identityKey'>,
): Visibility {
  const role = own(config.roles, viewer.role);
  const owned = !role?.petitioner || ownsCase({ data: owner } as CaseContext, viewer.id);
  const personal = owned && (config.form.visibleTo?.personal ?? []).includes(viewer.role);
  const accusedUnit = getPath(petition, 'respondentUnit');
  const accusedPerson = getPath(petition, 'accused');
  const unitName = viewer.unit === undefined ? undefined : own(config.units, viewer.unit)?.name;
  const isAccused =
    (accusedUnit !== undefined && (accusedUnit === viewer.unit || accusedUnit === unitName)) ||
    (accusedPerson !== undefined && (accusedPerson === viewer.id || accusedPerson === viewer.name));
  const accusation = owned && !isAccused && (config.form.visibleTo?.accusation ?? []).includes(viewer.role);
  return { personal, accusation };
}

function without(value: JsonObject, path: string): JsonObject {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  if (!Object.hasOwn(value, head)) return value;
  if (rest.length === 0) {
    const { [head]: _, ...others } = value;
    return others;
  }
  const child = value[head];
  if (child === null || typeof child !== 'object' || Array.isArray(child)) return value;
  return { ...value, [head]: without(child, rest.join('.')) };
}

/** The petition fields `v` hides. */
function hiddenFields(config: JurisdictionConfig, v: Visibility): string[] {
  return [
    ...(v.personal ? [] : (config.form.personal ?? [])),
    ...(v.accusation ? [] : (config.form.accusation ?? [])),
  ];
}

/** The petition with hidden fields removed, and the list of removed paths. */
export function redactPetition(
  config: JurisdictionConfig,
  petition: JsonObject,
  v: Visibility,
): [JsonObject, string[]] {
  const hidden = hiddenFields(config, v);
  let out = petition;
  const removed: string[] = [];
  for (const path of hidden) {
    if (getPath(out, path) === undefined) continue;
    out = without(out, path);
    removed.push(path);
  }
  return [out, removed];
}

/** Whether a rule's `{ fact, path }` reads a hidden field (or the identity key, made of personal fields). */
function readsHidden(fact: unknown, path: unknown, hidden: readonly string[], v: Visibility): boolean {
  if (fact === 'identityKey') return !v.personal;
  if (fact !== 'petition') return false;
  const segs = typeof path === 'string' ? pathSegments(path) : [];
  if (!segs) return hidden.length > 0;
  const names: string[] = [];
  for (const s of segs) {
    if (typeof s !== 'string' || s === '*') break;
    names.push(s);
  }
  const at = names.join('.');
  // the whole petition, the field itself, a part of it, or an object holding it
  return hidden.some((h) => at === '' || at === h || at.startsWith(`${h}.`) || h.startsWith(`${at}.`));
}

const isObject = (x: unknown): x is JsonObject => x !== null && typeof x === 'object' && !Array.isArray(x);

/**
 * Rule decisions (`data.rules`, an event's `decisions`) as a viewer may see them: a condition
 * that read a hidden field keeps its rule, operator and result but not the values; an outcome
 * key the config fills from a hidden field is dropped. Classification reads the accused
 * person's name, which must not reach the accused (Reg. 30).
 */
function redactDecisions(
  config: JurisdictionConfig,
  decisions: JsonObject,
  v: Visibility,
  prefix: string,
  removed: string[],
): JsonObject {
  const hidden = hiddenFields(config, v);
  if (hidden.length === 0 && v.personal) return decisions;
  const out: JsonObject = {};
  for (const [id, d] of Object.entries(decisions)) {
    if (!isObject(d)) {
      out[id] = d;
      continue;
    }
    const set = config.ruleSets?.[id];
    const outcomes = [...(set?.rules ?? []).map((r) => r.outcome), set?.default ?? {}];
    const keys = new Set(
      outcomes.flatMap((o) =>
        Object.entries(o ?? {})
          .filter(([, ref]) => isObject(ref) && readsHidden(ref.fact, ref.path, hidden, v))
          .map(([k]) => k),
      ),
    );
    let touched = keys.size > 0;
    const strip = (o: unknown): unknown => {
      if (Array.isArray(o)) return o.map(strip);
      if (!isObject(o) || keys.size === 0) return o;
      return Object.fromEntries(Object.entries(o).filter(([k]) => !keys.has(k)));
    };
    const fired = (Array.isArray(d.fired) ? d.fired : []).map((f) => {
      if (!isObject(f)) return f;
      const conditions = (Array.isArray(f.conditions) ? f.conditions : []).map((c) => {
        if (!isObject(c) || !readsHidden(c.fact, c.path, hidden, v)) return c;
        touched = true;
        const { value: _v, factValue: _f, ...rest } = c;
        return { ...rest, redacted: true };
      });
      return { ...f, outcome: strip(f.outcome), conditions } as JsonObject;
    });
    out[id] = { ...d, outcome: strip(d.outcome), merged: strip(d.merged), fired } as JsonObject;
    if (touched) removed.push(`${prefix}.${id}`);
  }
  return out;
}

/** A projection as `viewer` may see it. */
export function redactProjection(config: JurisdictionConfig, p: CaseProjection, viewer: ActorRef): CaseView {
  const data = p.data as JsonObject & { petition?: JsonObject; petitionerId?: string; identityKey?: string };
  const petition = data.petition ?? {};
  const v = visibilityFor(config, viewer, petition, data);
  const [redactedPetition, removed] = redactPetition(config, petition, v);
  const rules = isObject(data.rules) ? redactDecisions(config, data.rules, v, 'rules', removed) : data.rules;
  const view: CaseView = {
    ...p,
    data: { ...data, petition: redactedPetition, ...(rules !== undefined ? { rules } : {}) },
    redacted: removed,
  };
  if (!v.personal) {
    // the identity key is made of personal fields (ID number, name and phone)
    delete view.identityKey;
    delete (view.data as JsonObject).identityKey;
    if (p.identityKey !== undefined) view.redacted.push('identityKey');
  }
  return view;
}

/** An event as `viewer` may see it; the case's owner fields decide the petitioner's own view. */
export function redactEvent(
  config: JurisdictionConfig,
  e: CaseEvent,
  viewer: ActorRef,
  petition: JsonObject,
  owner: Pick<CaseContext['data'], 'petitionerId' | 'identityKey'>,
): EventView {
  const v = visibilityFor(config, viewer, petition, owner);
  const payload = e.payload as JsonObject & { petition?: JsonObject };
  const [redactedPetition, removed] = payload.petition
    ? redactPetition(config, payload.petition, v)
    : [undefined, [] as string[]];
  const out: JsonObject = { ...payload, ...(redactedPetition ? { petition: redactedPetition } : {}) };
  if (isObject(payload.decisions))
    out.decisions = redactDecisions(config, payload.decisions, v, 'decisions', removed);
  if (!v.personal && out.identityKey !== undefined) {
    delete out.identityKey;
    // an `identity.rekeyed` event's link to the old key says as much as the key
    delete out.previousIdentityKey;
    removed.push('identityKey');
  }
  return { ...e, payload: out, redacted: removed };
}
