import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, isSeq, type Node, parseDocument, Scalar } from 'yaml';
import { MESSAGES } from '../../src/config/index.js';
import { parseConfigText } from '../../src/loader/index.js';

// Random mutations of the national config: whatever an author's slip does to it, the loader
// answers with coded diagnostics that point into the file, and never throws.
const national = join(import.meta.dirname, '../../../../configs/national.yaml');
// until the national config exists, the fixture parent stands in for it
const file = existsSync(national)
  ? national
  : join(import.meta.dirname, '../fixtures/valid/national-mini.yaml');
const text = readFileSync(file, 'utf8');
const base = parseDocument(text, { uniqueKeys: false });
const runs = Number(process.env.XINFANG_PROPERTY_RUNS ?? 100);

type Seg = string | number;
interface Spot {
  path: Seg[];
  node: unknown;
  inMap: boolean;
}

/** Every node of the document, with its path and whether it is a map entry. */
function spots(): Spot[] {
  const out: Spot[] = [];
  const walk = (node: unknown, path: Seg[], inMap: boolean) => {
    if (path.length > 0) out.push({ path, node, inMap });
    if (isMap(node)) {
      for (const p of node.items)
        walk(p.value, [...path, isScalar(p.key) ? String(p.key.value) : String(p.key)], true);
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        walk(item, [...path, i], false);
      });
    }
  };
  walk(base.contents, [], false);
  return out;
}

const all = spots();
const codes = new Set<string>(Object.values(MESSAGES).map((m) => m.code));

const oddValue = fc.oneof(
  fc.integer({ min: -5, max: 100_000 }),
  fc.double({ noNaN: false }),
  fc.string({ maxLength: 12 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.integer(), { maxKeys: 2 }),
);

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('retype' as const), at: fc.nat(), value: oddValue }),
  fc.record({
    kind: fc.constant('rename' as const),
    at: fc.nat(),
    name: fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('$remove', 'extends', 'id', '__proto__', 'days'),
    ),
  }),
  fc.record({
    kind: fc.constant('number' as const),
    at: fc.nat(),
    value: fc.oneof(fc.integer({ min: -10, max: 10_000_000 }), fc.double(), fc.constant(0)),
  }),
  fc.record({
    kind: fc.constant('line' as const),
    at: fc.nat(),
    what: fc.constantFrom('drop', 'dup', 'indent'),
  }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function apply(m: Mutation): string {
  if (m.kind === 'line') {
    const lines = text.split('\n');
    const i = m.at % lines.length;
    const line = lines[i] ?? '';
    if (m.what === 'drop') lines.splice(i, 1);
    else if (m.what === 'dup') lines.splice(i, 0, line);
    else lines[i] = ` ${line}`;
    return lines.join('\n');
  }
  const doc = base.clone();
  const numbers = all.filter((s) => isScalar(s.node) && typeof (s.node as Scalar).value === 'number');
  const pool = m.kind === 'number' ? numbers : m.kind === 'rename' ? all.filter((s) => s.inMap) : all;
  const spot = pool[m.at % pool.length];
  if (!spot) return text;
  if (m.kind === 'delete') doc.deleteIn(spot.path);
  else if (m.kind === 'retype' || m.kind === 'number') doc.setIn(spot.path, m.value);
  else {
    const parent = doc.getIn(spot.path.slice(0, -1), true) as Node;
    if (isMap(parent)) {
      const pair = parent.items.find(
        (p) => isScalar(p.key) && String(p.key.value) === String(spot.path.at(-1)),
      );
      if (pair) pair.key = new Scalar(m.name);
    }
  }
  return doc.toString();
}

describe('mutations of the national config', () => {
  it(
    `give coded, located diagnostics and never throw (${runs} runs)`,
    () => {
      fc.assert(
        fc.property(mutation, (m) => {
          const mutated = apply(m);
          const r = parseConfigText(mutated, file);
          for (const d of r.diagnostics) {
            expect(codes.has(d.code), `${d.code} is a loader code`).toBe(true);
            expect(d.line).toBeGreaterThanOrEqual(1);
            expect(d.column).toBeGreaterThanOrEqual(1);
            // a key may hold any character, a line break included (a mapping used as a key is read
            // as its text): a pointer is empty or starts with a slash, whatever follows
            expect(d.pointer).toMatch(/^(\/.*)?$/s);
            expect(d.message.length).toBeGreaterThan(0);
          }
          // a valid result has no error; an invalid one has at least one
          expect(r.value === undefined).toBe(r.diagnostics.some((d) => d.severity === 'error'));
        }),
        { numRuns: runs },
      );
      // each run parses and checks the whole national config: allow for slow machines
    },
    30_000 + runs * 1_000,
  );
});
