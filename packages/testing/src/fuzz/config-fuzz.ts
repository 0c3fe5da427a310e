/**
 * The config fuzzer: fast-check mutations of real configs (national and a province) — deleted
 * keys, wrong types, huge numbers, unicode and reserved names, duplicated lines (repeated keys),
 * deep nesting, long strings — loaded as `validate` loads them. Every problem must come back as a
 * diagnostic with a code and a position, never as an exception; a mutated config that still loads
 * is compiled and, when a petition is given, run once, and every error there must be coded too.
 */

import {
  type Calendar,
  createEngine,
  createMemoryStore,
  type Diagnostic,
  ephemeralIdentityKeys,
  type JurisdictionConfig,
  ManualClock,
  parseConfigText,
} from '@xinfang/core';
import { compileConfig } from '@xinfang/core/tooling';
import fc from 'fast-check';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { FuzzProbe } from './probe.js';
import { type FuzzReport, judge, newReport } from './report.js';
import { describeRecipe, ODD_NAMES, type OddRecipe, oddRecipe, oddValue } from './values.js';

/** A config to mutate: its file (where `extends` and templates resolve) and its text. */
export interface FuzzedConfig {
  file: string;
  text: string;
  /** A petition to submit on each mutation of it that still loads, with who registers it ({@link probeFor}). */
  probe?: FuzzProbe;
}

/** Options of {@link fuzzConfigs}. */
export interface ConfigFuzzOptions {
  /** The configs mutated (each input picks one). */
  configs: readonly FuzzedConfig[];
  /** Inputs to try. */
  runs: number;
  /** @default 17 */
  seed?: number;
  /** Calendars by id, so the loader does not read them for each input. */
  calendars?: ReadonlyMap<string, Calendar>;
  /** Roots the loader may read besides each config's project (`allowedRoots`). */
  allowedRoots?: readonly string[];
  /** Called after each input (a progress bar). */
  onInput?: (done: number) => void;
}

/** One edit of a YAML document. `at` picks a node by index (modulo the nodes it has). */
type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'set'; at: number; value: OddRecipe }
  | { kind: 'rename'; at: number; name: string }
  | { kind: 'duplicate-line'; at: number };

/** Recipes a YAML file can spell (no BigInt, functions or cycles) and of bounded size. */
const yamlRecipe = oddRecipe(false).filter((r) =>
  ['name', 'long', 'deep', 'number', 'json'].includes(r.kind),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: yamlRecipe }),
  fc.record({
    kind: fc.constant('rename' as const),
    at: fc.nat(),
    name: fc.oneof(fc.constantFrom(...ODD_NAMES), fc.string({ maxLength: 12, unit: 'binary' })),
  }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
);

/** Every node's path in a parsed document, with whether it is a map entry (so it can be renamed). */
function pathsOf(root: unknown): { path: (string | number)[]; inMap: boolean }[] {
  const out: { path: (string | number)[]; inMap: boolean }[] = [];
  const stack: { node: unknown; path: (string | number)[] }[] = [{ node: root, path: [] }];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { node, path } = top;
    if (isMap(node)) {
      for (const p of node.items) {
        const key = isScalar(p.key) ? String(p.key.value) : String(p.key);
        out.push({ path: [...path, key], inMap: true });
        stack.push({ node: p.value, path: [...path, key] });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        out.push({ path: [...path, i], inMap: false });
        stack.push({ node: item, path: [...path, i] });
      });
    }
  }
  return out;
}

/** The text of a config after the mutations, or undefined when YAML cannot write it. */
function mutate(base: FuzzedConfig, mutations: Mutation[]): string | undefined {
  const doc = parseDocument(base.text, { uniqueKeys: false });
  let lineEdits: number[] = [];
  for (const m of mutations) {
    const spots = pathsOf(doc.contents);
    const spot = spots[m.at % Math.max(1, spots.length)];
    if (!spot) continue;
    if (m.kind === 'delete') doc.deleteIn(spot.path);
    else if (m.kind === 'set') doc.setIn(spot.path, oddValue(m.value));
    else if (m.kind === 'rename' && spot.inMap) {
      const value = doc.getIn(spot.path, true);
      doc.deleteIn(spot.path);
      doc.setIn([...spot.path.slice(0, -1), m.name], value);
    } else if (m.kind === 'duplicate-line') lineEdits = [...lineEdits, m.at];
  }
  let text: string;
  try {
    text = doc.toString({ lineWidth: 0 });
  } catch {
    return undefined;
  }
  if (lineEdits.length === 0) return text;
  const lines = text.split('\n');
  for (const at of lineEdits) lines.splice(at % lines.length, 0, lines[at % lines.length] ?? '');
  return lines.join('\n');
}

function describe(m: Mutation): string {
  return m.kind === 'set'
    ? `set #${m.at} to ${describeRecipe(m.value)}`
    : `${m.kind} #${m.at}${m.kind === 'rename' ? ` as ${JSON.stringify(m.name)}` : ''}`;
}

/** A diagnostic's defect, if it has one: every problem must carry a code and a position. */
function badDiagnostic(d: Diagnostic): string | undefined {
  if (typeof d.code !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(d.code))
    return `a diagnostic without a code: ${d.message}`;
  if (!(Number.isInteger(d.line) && d.line >= 1 && Number.isInteger(d.column) && d.column >= 1)) {
    return `${d.code} without a position`;
  }
  if (typeof d.message !== 'string' || d.message === '') return `${d.code} without a message`;
  return undefined;
}

/** Compiles a config that loaded, and submits the probe petition; every error must be coded. */
async function runLoaded(
  config: JurisdictionConfig,
  hash: string,
  probe: FuzzProbe | undefined,
  options: ConfigFuzzOptions,
): Promise<number> {
  compileConfig(config, hash);
  if (!probe) return 1;
  const engine = createEngine({
    configs: [config],
    calendars: [...(options.calendars?.values() ?? [])],
    store: createMemoryStore(),
    clock: new ManualClock(probe.at),
    identityKeys: ephemeralIdentityKeys(),
  });
  await engine.submit(probe.petition, probe.actor);
  await engine.tick();
  return 3;
}

/** Runs the config fuzzer; the report lists every uncoded failure. */
export async function fuzzConfigs(options: ConfigFuzzOptions): Promise<FuzzReport> {
  const seed = options.seed ?? 17;
  const report = newReport('config', seed);
  const inputs = fc.sample(
    fc.record({ which: fc.nat(), mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }) }),
    { numRuns: options.runs, seed },
  );
  for (const [i, { which, mutations }] of inputs.entries()) {
    const base = options.configs[which % options.configs.length] as FuzzedConfig;
    const what = `${base.file}: ${mutations.map(describe).join('; ')}`;
    report.inputs++;
    const text = mutate(base, mutations);
    if (text !== undefined) {
      try {
        report.operations++;
        const r = parseConfigText(text, base.file, {
          ...(options.calendars ? { calendars: options.calendars } : {}),
          ...(options.allowedRoots ? { allowedRoots: options.allowedRoots } : {}),
        });
        for (const d of r.diagnostics) {
          const bad = badDiagnostic(d);
          if (bad) report.failures.push({ input: i, what, error: bad });
          else if (d.severity === 'error') report.refusals[d.code] = (report.refusals[d.code] ?? 0) + 1;
        }
        if (r.value && r.hash) report.operations += await runLoaded(r.value, r.hash, base.probe, options);
      } catch (e) {
        judge(report, i, what, e);
      }
    }
    options.onInput?.(i + 1);
  }
  return report;
}
