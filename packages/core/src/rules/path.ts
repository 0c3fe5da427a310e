/**
 * The JSONPath subset rule conditions use (`$.a.b`, `$['a b']`, `$.list[0]`, `$.list[*].x`),
 * resolved by xinfang rather than by json-rules-engine's default (jsonpath-plus): a missing
 * field reads as `null`, the way a YAML author writes "absent", so `notEqual: null` means
 * "is given". With the default a missing field is `undefined`, and `undefined !== null`
 * made `{ path: $.accused, operator: notEqual, value: null }` true for every petition.
 */

/** A path step: a property name, an index, or `*` (every element). */
export type Segment = string | number | '*';

const STEP = /\.([A-Za-z_$][\w$-]*)|\[(\d+|\*)\]|\['([^']+)'\]|\["([^"]+)"\]/y;

/** Steps of a path in the subset, or undefined for anything richer (filters, recursion, slices). */
export function pathSegments(path: string): Segment[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const out: Segment[] = [];
  let i = 1;
  while (i < path.length) {
    STEP.lastIndex = i;
    const m = STEP.exec(path);
    if (!m) return undefined;
    const name = m[1] ?? m[3] ?? m[4];
    out.push(name !== undefined ? name : m[2] === '*' ? '*' : Number(m[2]));
    i = STEP.lastIndex;
  }
  return out;
}

const parsed = new Map<string, Segment[] | undefined>();

function step(value: unknown, seg: Segment): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  if (typeof seg === 'number') return Array.isArray(value) ? value[seg] : undefined;
  if (Array.isArray(value)) return undefined;
  return Object.hasOwn(value, seg) ? (value as Record<string, unknown>)[seg] : undefined;
}

function resolve(value: unknown, segs: readonly Segment[], from: number): unknown {
  let cur = value;
  for (let i = from; i < segs.length; i++) {
    const seg = segs[i] as Segment;
    if (seg === '*') {
      if (!Array.isArray(cur)) return null;
      return cur.map((v) => resolve(v, segs, i + 1)).filter((v) => v !== null);
    }
    cur = step(cur, seg);
    if (cur === undefined) return null;
  }
  return cur === undefined ? null : cur;
}

/**
 * json-rules-engine `pathResolver`: the value at `path`, `null` when any step is missing; a
 * `[*]` step gives the list of the found values. A path outside the subset (refused at load
 * by `checkRuleSets`) reads as `null`.
 */
export function resolvePath(value: unknown, path: string): unknown {
  let segs = parsed.get(path);
  if (segs === undefined && !parsed.has(path)) {
    segs = pathSegments(path);
    parsed.set(path, segs);
  }
  return segs ? resolve(value, segs, 0) : null;
}
