/**
 * What a province changes in the national baseline, as a flat list a test can compare with
 * the list of differences the province intends. Both configs are compared resolved (after
 * `extends` and `process.common`), so whatever the province inherits unchanged — including
 * what national gains later — is no difference, and an override nobody meant is one.
 */

import { isDeepStrictEqual } from 'node:util';

/**
 * One difference: `+ <pointer>` added by the province, `- <pointer>` removed, `~ <pointer>`
 * changed. Pointers are JSON pointers into the resolved config, except that items of a rule
 * list are addressed by their `id` (`/ruleSets/acceptance/rules/group-representatives`): lists
 * of rules merge by id, so their position says nothing.
 */
export type Difference = string;

type Rec = Record<string, unknown>;

const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A list whose items all carry a string `id` (rule lists): compared item by item, by id. */
function isNamedList(v: unknown): v is Rec[] {
  return Array.isArray(v) && v.length > 0 && v.every((i) => isRec(i) && typeof i.id === 'string');
}

const segment = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');

function walk(base: unknown, other: unknown, path: string, out: Difference[]): void {
  if (isDeepStrictEqual(base, other)) return;
  if (base === undefined) {
    out.push(`+ ${path}`);
    return;
  }
  if (other === undefined) {
    out.push(`- ${path}`);
    return;
  }
  if (isNamedList(base) && isNamedList(other)) {
    const byId = (list: Rec[]) => new Map(list.map((i) => [String(i.id), i]));
    const a = byId(base);
    const b = byId(other);
    for (const id of new Set([...a.keys(), ...b.keys()]))
      walk(a.get(id), b.get(id), `${path}/${segment(id)}`, out);
    // the same rules in another order decide differently under hit policy `first`
    const common = (list: Rec[], keep: Map<string, Rec>) =>
      list.map((i) => String(i.id)).filter((id) => keep.has(id));
    if (!isDeepStrictEqual(common(base, b), common(other, a))) out.push(`~ ${path} (order)`);
    return;
  }
  if (isRec(base) && isRec(other)) {
    for (const key of new Set([...Object.keys(base), ...Object.keys(other)])) {
      walk(base[key], other[key], `${path}/${segment(key)}`, out);
    }
    return;
  }
  out.push(`~ ${path}`);
}

/**
 * Every difference between two resolved configs, sorted. A subtree only one side has is one
 * difference (its root); a changed scalar or list is one difference at its own pointer.
 */
export function configDiff(base: unknown, other: unknown): Difference[] {
  const out: Difference[] = [];
  walk(base, other, '', out);
  return out.sort();
}

/** The differences under a pointer prefix (`/units`), and the rest. */
export function partition(diff: readonly Difference[], prefix: string): [Difference[], Difference[]] {
  const under = (d: Difference) => {
    const pointer = d.slice(2);
    return pointer === prefix || pointer.startsWith(`${prefix}/`);
  };
  return [diff.filter(under), diff.filter((d) => !under(d))];
}
