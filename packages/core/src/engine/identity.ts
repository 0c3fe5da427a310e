/** Normalised keys of a petition: who petitions (identity) and about what (matter). */

import { getPath } from '../compiler/json.js';
import type { RegistrationForm } from '../config/types.js';
import type { JsonObject } from '../store/types.js';

function norm(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const s = String(v).trim().toUpperCase();
  return s === '' ? undefined : s;
}

/**
 * The first `form.identity` key list whose fields are all present, values trimmed and
 * upper-cased, joined with `|`. Undefined for an anonymous petition or when no list applies.
 */
export function identityKeyOf(form: RegistrationForm, petition: JsonObject): string | undefined {
  if (getPath(petition, 'petitioner.anonymous') === true) return undefined;
  for (const fields of form.identity ?? []) {
    const values = fields.map((f) => norm(getPath(petition, f)));
    if (values.every((v) => v !== undefined)) return values.join('|');
  }
  return undefined;
}

/** The matter key from `form.matterKey` fields (absent fields count as empty). */
export function matterKeyOf(form: RegistrationForm, petition: JsonObject): string | undefined {
  const fields = form.matterKey ?? [];
  if (fields.length === 0) return undefined;
  return fields.map((f) => norm(getPath(petition, f)) ?? '').join('|');
}

/**
 * Whether the petitioner can be written to (Reg. 23: no notice is owed when the name or
 * address is unclear): not anonymous, and an address or a phone is given.
 */
export function identityKnownOf(petition: JsonObject): boolean {
  if (getPath(petition, 'petitioner.anonymous') === true) return false;
  const has = (p: string) => norm(getPath(petition, p)) !== undefined;
  return has('petitioner.name') && (has('petitioner.address') || has('petitioner.phone'));
}
