/**
 * Personal information and accusation material (Reg. 30). Fields the registration form marks
 * `personal` are shown only to roles in `visibleTo.personal`; `accusation` fields only to roles
 * in `visibleTo.accusation`, and never to the accused unit or person, whatever their role. A
 * petitioner sees personal fields only of their own case. Redacted fields are removed and listed.
 */

import { getPath, own } from '../base/json.js';
import {
  accusedOf,
  hasAccusation,
  isAccusedActor,
  personsAt,
  referenceFields,
} from '../compiler/accusation.js';
import { ownsCase } from '../compiler/checks.js';
import type { CompiledConfig } from '../compiler/compile.js';
import type { CaseContext } from '../compiler/types.js';
import type { JurisdictionConfig } from '../config/types.js';
import { pathSegments } from '../rules/path.js';
import type { ActorRef, CaseEvent, CaseProjection, Json, JsonObject } from '../store/types.js';

/** A projection as a viewer may see it; `redacted` lists the paths removed (under `data.petition`). */
export type CaseView = CaseProjection & { redacted: string[] };

/** An event as a viewer may see it. */
export type EventView = CaseEvent & { redacted: string[] };

/** What redaction reads of a compiled config: the config and its unit registry. */
type Readers = Pick<CompiledConfig, 'config' | 'units'>;

/** The case fields that say who owns it. */
type Owner = Pick<CaseContext['data'], 'petitionerId' | 'identityKey' | 'queryCodes'>;

interface Visibility {
  personal: boolean;
  accusation: boolean;
}

/** What `viewer` may see of a case whose petition is `petition`. */
export function visibilityFor(
  compiled: Readers,
  viewer: ActorRef,
  petition: JsonObject,
  owner: Owner,
): Visibility {
  const { config } = compiled;
  const role = own(config.roles, viewer.role);
  const owned = !role?.petitioner || ownsCase({ data: owner } as CaseContext, viewer.id);
  const personal = owned && (config.form.visibleTo?.personal ?? []).includes(viewer.role);
  // the engine never lets the accused read the case at all (`access.ts`); this is the second
  // lock, for a view made some other way. A person known only by name is matched by name too:
  // names are not unique, so this may hide the material from a namesake, never show it to the
  // accused.
  const isAccused =
    isAccusedActor(accusedOf(config, compiled.units, petition), viewer) ||
    (viewer.name !== undefined &&
      hasAccusation(config, petition) &&
      referenceFields(config).accusedPersons.some((f) =>
        personsAt(petition, f).some(({ person }) => person.name === viewer.name),
      ));
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
export function redactProjection(compiled: Readers, p: CaseProjection, viewer: ActorRef): CaseView {
  const { config } = compiled;
  const data = p.data as JsonObject & { petition?: JsonObject };
  const petition = data.petition ?? {};
  const v = visibilityFor(compiled, viewer, petition, data as unknown as Owner);
  const [redactedPetition, removed] = redactPetition(config, petition, v);
  const rules = isObject(data.rules) ? redactDecisions(config, data.rules, v, 'rules', removed) : data.rules;
  const resolutions = Array.isArray(data.resolutions)
    ? hideResolutions(config, v, data.resolutions, removed)
    : undefined;
  // the MAC is the engine's check on its store, not part of the case
  const { mac: _, ...stored } = p;
  const view: CaseView = {
    ...stored,
    data: {
      ...data,
      ...(resolutions ? { resolutions } : {}),
      petition: redactedPetition,
      ...(rules !== undefined ? { rules } : {}),
      ...(Array.isArray(data.queryCodes) ? { queryCodes: withoutHashes(data.queryCodes) } : {}),
    },
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

/** Whether a petition path is (inside) a field `v` hides. */
function hiddenPath(config: JurisdictionConfig, v: Visibility, path: unknown): boolean {
  if (typeof path !== 'string') return false;
  return hiddenFields(config, v).some((h) => path === h || path.startsWith(`${h}.`));
}

/** Resolutions of references (`RESOLVE_REFERENCE`) less those of hidden fields: an accused person's name and staff id. */
function hideResolutions(config: JurisdictionConfig, v: Visibility, list: Json[], removed: string[]): Json[] {
  const kept = list.filter((r) => !(isObject(r) && hiddenPath(config, v, r.path)));
  if (kept.length < list.length) removed.push('resolutions');
  return kept;
}

/** Query codes as a view shows them: holder and hint; the keyed hash is no reader's business. */
function withoutHashes(codes: Json[]): Json[] {
  return codes.map((q) => (isObject(q) ? { holder: q.holder ?? null, hint: q.hint ?? null } : q));
}

/** An event as `viewer` may see it; the case's owner fields decide the petitioner's own view. */
export function redactEvent(
  compiled: Readers,
  e: CaseEvent,
  viewer: ActorRef,
  petition: JsonObject,
  owner: Owner,
): EventView {
  const { config } = compiled;
  const v = visibilityFor(compiled, viewer, petition, owner);
  const payload = e.payload as JsonObject & { petition?: JsonObject };
  const [redactedPetition, removed] = payload.petition
    ? redactPetition(config, payload.petition, v)
    : [undefined, [] as string[]];
  const out: JsonObject = { ...payload, ...(redactedPetition ? { petition: redactedPetition } : {}) };
  if (Array.isArray(payload.queryCodes)) out.queryCodes = withoutHashes(payload.queryCodes);
  // a command that resolved a hidden field (an accused person's staff id) keeps only its path
  if (isObject(payload.command) && hiddenPath(config, v, payload.command.path)) {
    out.command = { path: payload.command.path ?? null };
    removed.push('command');
  }
  if (isObject(payload.queryCode)) out.queryCode = withoutHashes([payload.queryCode])[0] ?? null;
  if (isObject(payload.decisions))
    out.decisions = redactDecisions(config, payload.decisions, v, 'decisions', removed);
  if (!v.personal && out.identityKey !== undefined) {
    delete out.identityKey;
    // an `identity.rekeyed` event's link to the old key says as much as the key
    delete out.previousIdentityKey;
    removed.push('identityKey');
  }
  const { mac: _, ...event } = e;
  return { ...event, payload: out, redacted: removed };
}
