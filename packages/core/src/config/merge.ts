import type { Diagnostic } from '../base/diagnostics.js';
import type { Locale } from './messages.js';
import { makeDiagnostic, type Path, type Position, type YamlSource } from './yaml-source.js';

/** Where a node of the resolved config was written: the file and the path inside it. */
export interface Origin {
  source: YamlSource;
  path: string[];
}

/**
 * A value annotated with its origin, so that after `extends` is merged every node still
 * knows which file (and where in it) wrote it: diagnostics point at that line, and template
 * paths resolve against that file's directory.
 */
export type Tree =
  | { kind: 'map'; origin: Origin; entries: Map<string, Tree> }
  | { kind: 'list'; origin: Origin; items: Tree[] }
  | { kind: 'leaf'; origin: Origin; value: unknown };

/** An inherited entry a child dropped with `$remove: true`. */
export interface Removal {
  /** Path of the dropped entry in the resolved config. */
  path: string[];
  /** The child's `$remove` entry. */
  origin: Origin;
}

const REMOVE = '$remove';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A JSON-pointer segment (RFC 6901), without the cost of two replaceAll on plain names. */
export function escapeSegment(s: string): string {
  return s.includes('~') || s.includes('/') ? s.replaceAll('~', '~0').replaceAll('/', '~1') : s;
}

/** Annotates a parsed value with its origin. */
export function toTree(value: unknown, source: YamlSource, path: string[] = []): Tree {
  const origin = { source, path };
  if (Array.isArray(value)) {
    return { kind: 'list', origin, items: value.map((v, i) => toTree(v, source, [...path, String(i)])) };
  }
  if (isPlainObject(value)) {
    const entries = new Map<string, Tree>();
    for (const [k, v] of Object.entries(value)) entries.set(k, toTree(v, source, [...path, k]));
    return { kind: 'map', origin, entries };
  }
  return { kind: 'leaf', origin, value };
}

/** The plain value of a tree, and the origin of every node keyed by its resolved path. */
export function fromTree(tree: Tree): { value: unknown; origins: Map<string, Origin> } {
  const origins = new Map<string, Origin>();
  const walk = (t: Tree, path: string): unknown => {
    origins.set(path, t.origin);
    if (t.kind === 'leaf') return t.value;
    if (t.kind === 'list') return t.items.map((item, i) => walk(item, `${path}/${i}`));
    const out: Record<string, unknown> = {};
    for (const [k, v] of t.entries) {
      const child = walk(v, `${path}/${escapeSegment(k)}`);
      // `__proto__` as a YAML key must stay data, not become the object's prototype
      if (k === '__proto__') {
        Object.defineProperty(out, k, { value: child, enumerable: true, writable: true, configurable: true });
      } else out[k] = child;
    }
    return out;
  };
  return { value: walk(tree, ''), origins };
}

function isNamedList(t: Tree): t is Extract<Tree, { kind: 'list' }> {
  return (
    t.kind === 'list' &&
    t.items.length > 0 &&
    t.items.every((i) => {
      if (i.kind !== 'map') return false;
      const id = i.entries.get('id');
      return id?.kind === 'leaf' && typeof id.value === 'string';
    })
  );
}

function idOf(t: Tree): string | undefined {
  if (t.kind !== 'map') return undefined;
  const id = t.entries.get('id');
  return id?.kind === 'leaf' && typeof id.value === 'string' ? id.value : undefined;
}

function originPosition(o: Origin, at: 'key' | 'value'): Position {
  return o.source.locate(o.path, at);
}

/**
 * Merges a child file's tree over its resolved parent: maps merge by key recursively; lists
 * of items with `id` merge by id (a same-id item's keys replace the parent item's keys, new
 * items append); any other value replaces the parent's. `$remove: true` drops an inherited
 * map entry or named item. Problems with the directives are pushed to `diagnostics`.
 */
export function mergeTrees(
  parent: Tree | undefined,
  child: Tree,
  ctx: { removals: Removal[]; diagnostics: Diagnostic[]; locale: Locale },
  resolvedPath: string[] = [],
): Tree {
  if (parent?.kind === 'map' && child.kind === 'map') {
    const entries = new Map(parent.entries);
    for (const [k, c] of child.entries) {
      const path = [...resolvedPath, k];
      if (removalOf(c, k, ctx)) {
        if (entries.delete(k)) ctx.removals.push({ path, origin: c.origin });
        else warnNothingRemoved(c, k, ctx);
        continue;
      }
      entries.set(k, mergeTrees(entries.get(k), c, ctx, path));
    }
    return { kind: 'map', origin: child.origin, entries };
  }
  if (parent && isNamedList(parent) && child.kind === 'list' && isNamedList(child)) {
    const items = [...parent.items];
    for (const c of child.items) {
      const id = idOf(c) ?? '';
      const at = items.findIndex((p) => idOf(p) === id);
      const path = [...resolvedPath, String(at < 0 ? items.length : at)];
      if (removalOf(c, id, ctx, true)) {
        if (at >= 0) {
          items.splice(at, 1);
          ctx.removals.push({ path, origin: c.origin });
        } else warnNothingRemoved(c, id, ctx);
        continue;
      }
      const p = items[at];
      if (at >= 0 && p?.kind === 'map' && c.kind === 'map') {
        // a same-id item replaces the keys it writes: a rule's conditions are one whole,
        // and merging two condition trees key by key would make a third nobody wrote
        items[at] = { kind: 'map', origin: c.origin, entries: new Map([...p.entries, ...c.entries]) };
      } else {
        items.push(mergeTrees(undefined, c, ctx, path));
      }
    }
    return { kind: 'list', origin: child.origin, items };
  }
  return stripRemovals(child, ctx);
}

/** A child-only subtree: nothing is inherited there, so every `$remove` in it is moot. */
function stripRemovals(
  t: Tree,
  ctx: { removals: Removal[]; diagnostics: Diagnostic[]; locale: Locale },
): Tree {
  if (t.kind === 'map') {
    const entries = new Map<string, Tree>();
    for (const [k, c] of t.entries) {
      if (removalOf(c, k, ctx)) warnNothingRemoved(c, k, ctx);
      else entries.set(k, stripRemovals(c, ctx));
    }
    return { kind: 'map', origin: t.origin, entries };
  }
  if (t.kind === 'list') {
    const items: Tree[] = [];
    for (const c of t.items) {
      if (idOf(c) !== undefined && removalOf(c, idOf(c) ?? '', ctx, true))
        warnNothingRemoved(c, idOf(c) ?? '', ctx);
      else items.push(stripRemovals(c, ctx));
    }
    return { kind: 'list', origin: t.origin, items };
  }
  return t;
}

/**
 * True when `t` is a removal entry. A `$remove` that is not `true` is reported and
 * ignored (the entry then merges as usual); a removal that also defines content is
 * reported and still removes.
 */
function removalOf(
  t: Tree,
  key: string,
  ctx: { diagnostics: Diagnostic[]; locale: Locale },
  named = false,
): boolean {
  if (t.kind !== 'map') return false;
  const r = t.entries.get(REMOVE);
  if (!r) return false;
  if (r.kind !== 'leaf' || r.value !== true) {
    ctx.diagnostics.push(makeDiagnostic('removeNotTrue', ctx.locale, {}, originPosition(r.origin, 'value')));
    t.entries.delete(REMOVE);
    return false;
  }
  const extra = [...t.entries.keys()].filter((k) => k !== REMOVE && !(named && k === 'id'));
  if (extra.length > 0) {
    const first = t.entries.get(extra[0] ?? '');
    ctx.diagnostics.push(
      makeDiagnostic(
        'removeWithContent',
        ctx.locale,
        { key },
        originPosition(first?.origin ?? t.origin, 'key'),
      ),
    );
  }
  return true;
}

function warnNothingRemoved(t: Tree, key: string, ctx: { diagnostics: Diagnostic[]; locale: Locale }): void {
  const r = t.kind === 'map' ? (t.entries.get(REMOVE) ?? t) : t;
  ctx.diagnostics.push(
    makeDiagnostic('removeNothing', ctx.locale, { key }, originPosition(r.origin, 'key'), {
      severity: 'warning',
    }),
  );
}

/** Locates a resolved path through the origins: the deepest ancestor that has one. */
export function locateResolved(origins: Map<string, Origin>, path: Path, at: 'key' | 'value'): Position {
  for (let n = path.length; n >= 0; n--) {
    let key = '';
    for (let i = 0; i < n; i++) key += `/${escapeSegment(path[i] ?? '')}`;
    const o = origins.get(key);
    if (o) return o.source.locate([...o.path, ...path.slice(n)], at);
  }
  // unreachable: the root always has an origin; kept total for safety
  return { file: '', line: 1, column: 1, pointer: '' };
}
