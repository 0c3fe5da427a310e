/**
 * Personal information and accusation material (Reg. 30). Fields the registration form marks
 * `personal` are shown only to roles in `visibleTo.personal`; `accusation` fields only to roles
 * in `visibleTo.accusation`, and never to the accused unit or person, whatever their role. A
 * petitioner sees personal fields only of their own case. Redacted fields are removed and listed.
 */

import { ownsCase } from '../compiler/checks.js';
import { getPath } from '../compiler/json.js';
import type { CaseContext } from '../compiler/types.js';
import type { JurisdictionConfig } from '../config/types.js';
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
  const role = config.roles[viewer.role];
  const own = !role?.petitioner || ownsCase({ data: owner } as CaseContext, viewer.id);
  const personal = own && (config.form.visibleTo?.personal ?? []).includes(viewer.role);
  const accusedUnit = getPath(petition, 'respondentUnit');
  const accusedPerson = getPath(petition, 'accused');
  const unitName = viewer.unit === undefined ? undefined : config.units[viewer.unit]?.name;
  const isAccused =
    (accusedUnit !== undefined && (accusedUnit === viewer.unit || accusedUnit === unitName)) ||
    (accusedPerson !== undefined && (accusedPerson === viewer.id || accusedPerson === viewer.name));
  const accusation = own && !isAccused && (config.form.visibleTo?.accusation ?? []).includes(viewer.role);
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

/** The petition with hidden fields removed, and the list of removed paths. */
export function redactPetition(
  config: JurisdictionConfig,
  petition: JsonObject,
  v: Visibility,
): [JsonObject, string[]] {
  const hidden = [
    ...(v.personal ? [] : (config.form.personal ?? [])),
    ...(v.accusation ? [] : (config.form.accusation ?? [])),
  ];
  let out = petition;
  const removed: string[] = [];
  for (const path of hidden) {
    if (getPath(out, path) === undefined) continue;
    out = without(out, path);
    removed.push(path);
  }
  return [out, removed];
}

/** A projection as `viewer` may see it. */
export function redactProjection(config: JurisdictionConfig, p: CaseProjection, viewer: ActorRef): CaseView {
  const data = p.data as JsonObject & { petition?: JsonObject; petitionerId?: string; identityKey?: string };
  const petition = data.petition ?? {};
  const v = visibilityFor(config, viewer, petition, data);
  const [redactedPetition, removed] = redactPetition(config, petition, v);
  const view: CaseView = { ...p, data: { ...data, petition: redactedPetition }, redacted: removed };
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
  if (!payload.petition) return { ...e, redacted: [] };
  const [redactedPetition, removed] = redactPetition(config, payload.petition, v);
  const out: JsonObject = { ...payload, petition: redactedPetition };
  if (!v.personal && out.identityKey !== undefined) {
    delete out.identityKey;
    removed.push('identityKey');
  }
  return { ...e, payload: out, redacted: removed };
}
