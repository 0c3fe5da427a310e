/**
 * The hostile values both fuzzers draw from: what an attacker or a careless caller passes where
 * a name, a number or a JSON value belongs. Large values are made lazily from a small recipe, so
 * a generated input is cheap to describe and to shrink.
 */

import fc from 'fast-check';

/** Names that find something on every JavaScript object, or that are odd as names. */
export const ODD_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '',
  ' ',
  '$remove',
  '../../etc/passwd',
  '办理',
  '🙂',
  'a\u0000b',
  '\u202e',
] as const;

/** A recipe for a value a JSON field should never hold, or one at the edge of the limits. */
export type OddRecipe =
  | { kind: 'name'; name: string }
  | { kind: 'long'; length: number }
  | { kind: 'deep'; depth: number }
  | { kind: 'number'; value: number }
  | { kind: 'bigint' }
  | { kind: 'cycle' }
  | { kind: 'function' }
  | { kind: 'symbol' }
  | { kind: 'map' }
  | { kind: 'date' }
  | { kind: 'undefined' }
  | { kind: 'json'; value: unknown };

/** Recipes; `large` allows values of megabytes (the command fuzzer's size limits). */
export function oddRecipe(large = true): fc.Arbitrary<OddRecipe> {
  return fc.oneof(
    fc.constantFrom(...ODD_NAMES).map((name) => ({ kind: 'name' as const, name })),
    fc
      .constantFrom(100, 1_000, 70_000, ...(large ? [300_000, 10_000_000] : []))
      .map((length) => ({ kind: 'long' as const, length })),
    fc
      .constantFrom(10, 33, 65, 500, ...(large ? [100_000] : []))
      .map((depth) => ({ kind: 'deep' as const, depth })),
    fc
      .constantFrom(
        -1,
        0,
        1e308,
        -1e308,
        2 ** 53 + 1,
        0.1,
        Number.NaN,
        Number.POSITIVE_INFINITY,
        99_999_999_999,
      )
      .map((value) => ({ kind: 'number' as const, value })),
    fc
      .constantFrom('bigint', 'cycle', 'function', 'symbol', 'map', 'date', 'undefined')
      .map((kind) => ({ kind }) as OddRecipe),
    fc.jsonValue({ maxDepth: 3 }).map((value) => ({ kind: 'json' as const, value })),
  );
}

/** A value nested `depth` levels, built without recursion. */
export function nestedValue(depth: number, leaf: unknown = 1): unknown {
  let v: unknown = leaf;
  for (let i = 1; i < depth; i++) v = i % 2 === 0 ? [v] : { a: v };
  return v;
}

/** The value a recipe stands for. */
export function oddValue(r: OddRecipe): unknown {
  switch (r.kind) {
    case 'name':
      return r.name;
    case 'long':
      return 'x'.repeat(r.length);
    case 'deep':
      return nestedValue(r.depth);
    case 'number':
      return r.value;
    case 'bigint':
      return 10n;
    case 'cycle': {
      const o: Record<string, unknown> = { a: 1 };
      o.self = o;
      return o;
    }
    case 'function':
      return () => 1;
    case 'symbol':
      return Symbol('fuzz');
    case 'map':
      return new Map([['a', 1]]);
    case 'date':
      return new Date(0);
    case 'undefined':
      return undefined;
    case 'json':
      return r.value;
  }
}

/** A short description of a recipe, for a failure report (never the value itself). */
export function describeRecipe(r: OddRecipe): string {
  switch (r.kind) {
    case 'name':
      return `name ${JSON.stringify(r.name)}`;
    case 'long':
      return `string of ${r.length}`;
    case 'deep':
      return `nested ${r.depth}`;
    case 'number':
      return `number ${r.value}`;
    case 'json':
      return `json ${JSON.stringify(r.value)?.slice(0, 60)}`;
    default:
      return r.kind;
  }
}
