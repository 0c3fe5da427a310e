/** Small helpers over plain JSON values, shared by guards, actions and the engine. */

/** A JSON value: what events, payloads and projections are made of. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A JSON object. */
export type JsonObject = { [key: string]: Json };

/** The value at a dotted path (`petitioner.name`; `accused.0` for a list's first item), or undefined. */
export function getPath(value: unknown, path: string): unknown {
  let v: unknown = value;
  for (const key of path.split('.')) {
    if (Array.isArray(v)) {
      v = /^(0|[1-9][0-9]*)$/.test(key) ? v[Number(key)] : undefined;
      continue;
    }
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/**
 * A copy of `value` with `replacement` at a dotted path that exists (see `getPath`); the
 * original is not changed. A path that leads nowhere leaves the copy as it was.
 */
export function setPath<T extends Json>(value: T, path: string, replacement: Json): T {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  const next = (child: Json) =>
    rest.length === 0 ? replacement : setPath(child, rest.join('.'), replacement);
  if (Array.isArray(value)) {
    const i = Number(head);
    if (!/^(0|[1-9][0-9]*)$/.test(head) || i >= value.length) return value;
    return value.map((x, j) => (j === i ? next(x) : x)) as T;
  }
  if (value === null || typeof value !== 'object' || !Object.hasOwn(value, head)) return value;
  return { ...value, [head]: next((value as JsonObject)[head] as Json) } as T;
}

/**
 * The member `key` of a config map, only when the map itself has it: `roles['toString']` would
 * otherwise find Object's own function and take a caller's forged name for a configured one.
 */
export function own<T>(map: Readonly<Record<string, T>> | undefined, key: unknown): T | undefined {
  return map !== undefined && typeof key === 'string' && Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Structural equality of JSON values (key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.hasOwn(b as object, k) && jsonEqual((a as JsonObject)[k], (b as JsonObject)[k]))
  );
}

/** A JSON copy without `undefined` members: what any store would give back. */
export function toJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Drops `undefined` members of a flat object literal, so JSON built from optional fields stays exact. */
export function compact<T extends Record<string, Json | undefined>>(o: T): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}
