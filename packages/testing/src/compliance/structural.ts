/**
 * Structural runs: besides the random runs, the check drives every transition of the config,
 * and every back edge (a transition into a state the case already passed through on its way
 * there) twice, so a loop back into `accepted` or a fallback from a simplified procedure is
 * exercised whatever the seed. They are planned from the config alone (no seed), so their
 * verdict is the same at every seed.
 *
 * A run is a tour: from where the case is, on to the nearest edge not yet taken, take it, and
 * so on until no such edge can be reached; then to an end of the procedure. Edges a run could
 * not take (a guard the payload did not meet, a petition of the wrong kind) are planned again
 * with a petition of another shape.
 */

import type { Calendar, JurisdictionConfig } from '@xinfang/core';
import type { CompiledConfig, GraphEdge } from '@xinfang/core/tooling';
import fc from 'fast-check';
import { petitionArbitrary } from './arbitraries.js';
import type { Trace } from './driver.js';
import type { CheckScenario, CheckStep } from './scenario.js';
import { statutoryMatterClass } from './statute.js';

/** One edge of the process graph and what the structural runs did with it. */
export interface StructuralEdge {
  from: string;
  type: string;
  to: string;
  /** A transition into a state already on the way to `from` (or `from` itself). */
  back: boolean;
  /** Times the structural runs took it. */
  taken: number;
}

export interface StructuralResult {
  edges: StructuralEdge[];
  traces: Trace[];
}

/** At most this many edges planned into one run, so a counterexample stays readable. */
const TAKES_PER_RUN = 24;

/**
 * Petitions of different shapes: the first found for each combination of the form's enums and
 * flags (`most` of them), then the first of each class of matter (Reg. 29-31) none of those is:
 * each class has its own procedure, so its own edges. `classes` counts the second kind.
 */
export function structuralPetitions(
  config: JurisdictionConfig,
  most = 6,
): { petitions: Record<string, unknown>[]; classes: number } {
  const samples = fc.sample(petitionArbitrary(config), { seed: 20_220_501, numRuns: 400 });
  const props = Object.entries(
    (config.form.schema.properties ?? {}) as Record<string, Record<string, unknown>>,
  );
  const shaping = [
    ...props.filter(([, s]) => Array.isArray(s.enum) || s.type === 'boolean').map(([k]) => k),
    ...(config.form.accusation ?? []),
    // the bodies it names decide who handles and reviews it
    'receivingUnit',
    'respondentUnit',
  ];
  const shapeOf = (p: Record<string, unknown>) =>
    JSON.stringify(shaping.map((k) => (typeof p[k] === 'string' ? p[k] : p[k] !== undefined && p[k] !== '')));
  const seen = new Set<string>();
  const out: Record<string, unknown>[] = [];
  for (const p of samples) {
    const shape = shapeOf(p);
    if (seen.has(shape)) continue;
    seen.add(shape);
    out.push(p);
    if (out.length >= most) break;
  }
  const classes = new Set(out.map(statutoryMatterClass));
  const more = samples.filter((p) => {
    const c = statutoryMatterClass(p);
    if (classes.has(c)) return false;
    classes.add(c);
    return true;
  });
  return { petitions: [...out, ...more], classes: more.length };
}

/** The first working day of March in the calendar's first year: a plain day to start on. */
function startDay(calendar: Calendar): string {
  for (let d = 1; d <= 31; d++) {
    const date = `${calendar.years.from}-03-${String(d).padStart(2, '0')}`;
    if (calendar.covers(date) && calendar.dayInfo(date).working) return date;
  }
  return `${calendar.years.from}-03-02`;
}

const keyOf = (e: GraphEdge) => `${e.from}|${e.type}|${e.index}`;

/**
 * On to the end (termination), then, days later, the same matter again (another day, channel
 * and spacing) driven toward handling: a repeat after termination must not be accepted
 * (Reg. 36 ¶3).
 */
function repeat(end: string, handling: string | undefined): CheckStep[] {
  return [
    { kind: 'reach', goal: end },
    { kind: 'advance', to: 'days', n: 3 },
    { kind: 'resubmit', vary: 7 },
    ...(handling !== undefined ? [{ kind: 'reach' as const, goal: handling }] : []),
  ];
}

/** Tours through the edges still wanted, nearest first; each run starts at the initial state. */
function plan(
  compiled: CompiledConfig,
  wanted: Map<string, number>,
  end: string,
  handling: string | undefined,
): CheckStep[][] {
  const { graph } = compiled;
  const left = new Map(wanted);
  const runs: CheckStep[][] = [];
  while (left.size > 0) {
    const steps: CheckStep[] = [];
    let state = graph.initial;
    for (let takes = 0; takes < TAKES_PER_RUN; takes++) {
      const paths = graph.pathsFrom(state);
      let next: GraphEdge | undefined;
      for (const e of graph.edges) {
        if (!left.has(keyOf(e)) || !paths.has(e.from)) continue;
        if (!next || (paths.get(e.from)?.length ?? 0) < (paths.get(next.from)?.length ?? 0)) next = e;
      }
      if (!next) break;
      const times = left.get(keyOf(next)) ?? 1;
      left.delete(keyOf(next));
      for (let i = 0; i < times; i++) {
        steps.push(
          { kind: 'reach', goal: next.from },
          { kind: 'take', from: next.from, type: next.type, index: next.index },
        );
      }
      state = next.stays ? next.from : next.to;
    }
    // edges no tour from the initial state reaches are not planned at all
    if (steps.length === 0) break;
    runs.push([...steps, ...repeat(end, handling)]);
  }
  // and one run straight to the end and back with the same matter
  if (runs.length > 0) runs.unshift(repeat(end, handling));
  return runs;
}

/** How often each edge was taken by a `take` step of the trace. */
function countTakes(trace: Trace, edges: readonly GraphEdge[], counts: Map<string, number>): void {
  const takes = new Set(trace.scenario.steps.flatMap((s, i) => (s.kind === 'take' ? [i] : [])));
  for (const t of trace.entries) {
    if (!takes.has(t.step) || t.outcome !== 'ok') continue;
    for (const e of edges) {
      const hit =
        e.expiry !== undefined
          ? t.kind === 'advance' && (t.fired ?? []).some((f) => f.endsWith(`/${e.expiry} -> ${e.to}`))
          : t.command === e.type && t.from === e.from && t.to === e.to;
      if (hit) counts.set(keyOf(e), (counts.get(keyOf(e)) ?? 0) + 1);
    }
  }
}

/**
 * Drives every edge of the config's graph (back edges twice), trying petitions of each shape
 * in turn for the edges not yet taken. `run` is the check's driver for this config.
 */
export async function runStructural(
  compiled: CompiledConfig,
  calendar: Calendar,
  run: (s: CheckScenario) => Promise<Trace>,
  options: { petitions?: number } = {},
): Promise<StructuralResult> {
  const { config, graph } = compiled;
  const states = Object.keys(config.process.states);
  const end =
    states.find((s) => config.process.states[s]?.stage === 'terminated') ??
    states.find((s) => config.process.states[s]?.stage === 'closed') ??
    graph.initial;
  const goal = Math.max(0, states.indexOf(end));
  const handling = states.find((s) => config.process.states[s]?.stage === 'handling');
  const reachable = graph.reachable();
  const need = new Map<string, number>();
  const back = new Set<string>();
  for (const e of graph.edges) {
    const way = reachable.get(e.from);
    if (!way) continue;
    const visited = new Set([graph.initial, e.from, ...way.map((w) => w.to)]);
    const isBack = !e.stays && visited.has(e.to);
    if (isBack) back.add(keyOf(e));
    need.set(keyOf(e), isBack ? 2 : 1);
  }
  const counts = new Map<string, number>();
  const traces: Trace[] = [];
  const start = startDay(calendar);
  // a petition of another shape is tried while that helps: two rounds in a row that take no
  // new edge end it (what is left needs what no generated payload gives, e.g. a free reception day);
  // a petition of a class of matter not tried yet is tried whatever the rounds before it took
  let idle = 0;
  const { petitions, classes } = structuralPetitions(config, options.petitions ?? 6);
  for (const [i, petition] of petitions.entries()) {
    const wanted = new Map([...need].filter(([k, n]) => (counts.get(k) ?? 0) < n));
    const newClass = i >= petitions.length - classes;
    if (wanted.size === 0 || (idle >= 2 && !newClass)) continue;
    const before = [...counts.values()].reduce((a, b) => a + b, 0);
    for (const steps of plan(compiled, wanted, end, handling)) {
      // received the day it is registered (a petition received later than that is refused)
      const received = 'receivedAt' in petition ? { ...petition, receivedAt: start } : petition;
      const trace = await run({ start, minute: 600, petition: received, submitter: 'staff', goal, steps });
      countTakes(trace, graph.edges, counts);
      traces.push(trace);
    }
    idle = [...counts.values()].reduce((a, b) => a + b, 0) > before ? 0 : idle + 1;
  }
  const edges = graph.edges
    .filter((e) => need.has(keyOf(e)))
    .map((e) => ({
      from: e.from,
      type: e.type,
      to: e.to,
      back: back.has(keyOf(e)),
      taken: counts.get(keyOf(e)) ?? 0,
    }));
  return { edges, traces };
}
