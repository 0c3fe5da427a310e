/**
 * Normalised petitioner identity and matter key, as the registration form defines them
 * (`form.identity`, `form.matterKey`). The store is queried by these keys to find a
 * petitioner's earlier cases on the same matter (Reg. 19, 36), so they must be stable:
 * the same person typing the same thing twice, with different spacing or full-width
 * digits, must get the same key.
 */

import type { JurisdictionConfig } from '../config/types.js';

/** Value at a dotted path (`petitioner.idNumber`) of a plain object. */
export function valueAt(value: unknown, path: string): unknown {
  let cur: unknown = value;
  for (const seg of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/**
 * One field's value for a key: NFKC (full-width digits and letters become ASCII), trimmed,
 * inner whitespace collapsed, upper-cased (`x` and `X` end an ID number alike). Undefined
 * for a missing or empty field.
 */
export function normaliseKeyPart(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
  const s = String(value).normalize('NFKC').trim().replace(/\s+/g, ' ').toUpperCase();
  return s === '' ? undefined : s;
}

/**
 * The petitioner's normalised identity: the first key list of `form.identity` whose fields
 * are all present (national: the ID number, else name + phone). Undefined when none is
 * complete, or the petition is marked anonymous (`petitioner.anonymous`): such a petition has
 * no earlier cases to look up. The key
 * names the fields it was made from, so an ID-number key never equals a name+phone key.
 */
export function identityKey(config: JurisdictionConfig, petition: unknown): string | undefined {
  // an anonymous petitioner is nobody in particular, even with a phone number
  if (valueAt(petition, 'petitioner.anonymous') === true) return undefined;
  for (const fields of config.form?.identity ?? []) {
    if (fields.length === 0) continue;
    const parts = fields.map((f) => normaliseKeyPart(valueAt(petition, f)));
    if (parts.every((p) => p !== undefined)) return `${fields.join('+')}:${JSON.stringify(parts)}`;
  }
  return undefined;
}

/**
 * The matter key: the normalised values of `form.matterKey`'s fields ("same matter, same
 * facts and reasons", Reg. 36), a missing field counting as empty. Undefined when the form
 * defines no matter key or every field is missing.
 */
export function matterKey(config: JurisdictionConfig, petition: unknown): string | undefined {
  const fields = config.form?.matterKey ?? [];
  const parts = fields.map((f) => normaliseKeyPart(valueAt(petition, f)) ?? '');
  if (parts.every((p) => p === '')) return undefined;
  return JSON.stringify(parts);
}
