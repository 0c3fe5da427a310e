/**
 * Static checks on a jurisdiction's procedure: properties of its process graph that hold for
 * every case, shown from the config and its compiled machine without running one. `xinfang
 * check` prints each with its basis beside the statutory invariants.
 *
 * Guards are ignored: they read facts of one case (its units, rule decisions, payload) that no
 * static look can know, so every transition counts as possible. That over-approximates the
 * paths real cases take, which keeps the "on every path" checks sound: what holds on more paths
 * holds on the real ones. Two conditions are not guards of a case's facts but of its clock, and
 * the deadline analysis honours them: `<id>.expired` arrives only while deadline `<id>` runs,
 * and a command with `within: <id>` is taken only while that window runs.
 *
 * One mistake, one finding: each invariant reports what the others do not already explain, so
 * an auditor fixes one thing per line. A state no case can reach is `states-reachable`'s alone
 * (the checks that follow cases look only at cases that can exist); a state that cannot leave is
 * `states-can-leave`'s alone (`completion-reachable` reports loops with no way out); transitions
 * out of a final state are `path-coverage`'s alone.
 *
 * A final state ends every path here, as the config contract says (`final`: no later step may
 * leave it) and as a running XState actor behaves. Note that XState's pure `transition()`, which
 * the engine folds with, does take a final state's transitions and keeps the snapshot `done`:
 * a config must not rely on either, and `path-coverage` reports such transitions.
 */

import { COMPLETED_STAGES, type JurisdictionConfig, type StateDef } from '@xinfang/core';
import {
  compileConfig,
  expiryEvent,
  type GraphEdge,
  type ReachabilityGraph,
  reachabilityGraph,
} from '@xinfang/core/tooling';
import { assign, setup } from 'xstate';
import { getAdjacencyMap, getShortestPaths, toDirectedGraph } from 'xstate/graph';

export interface StaticFinding {
  message: string;
  /** The state the finding is about. */
  state?: string;
  /** The transition, as `from -EVENT-> to`. */
  transition?: string;
  /** Events from the initial state that lead to what the finding shows. */
  path?: string[];
}

export interface StaticInvariant {
  /** Kebab-case and stable: reports and fixtures name invariants by it. */
  id: string;
  /** One line, English. */
  title: string;
  /** The article(s), or `design (xinfang)` for a soundness rule rather than law. */
  basis: string;
  /** Empty: the invariant holds. */
  check(config: JurisdictionConfig): StaticFinding[];
}

/** A transition of the config and the shortest way a case takes it, if any. */
export interface TransitionCoverage {
  from: string;
  event: string;
  index: number;
  to: string;
  label: string;
  /** Events from the initial state, ending with this transition's own; absent when no path takes it. */
  path?: string[];
  /** Why no path takes it (absent when one does). */
  uncovered?: string;
  /**
   * The kind of reason: its state is not reached; it waits on a deadline that never runs there;
   * its state is final; the compiled machine lacks it or sends the case elsewhere.
   */
  cause?: 'unreached' | 'clock' | 'final' | 'not-compiled' | 'other-target';
}

/** What XState's graph traversal of the compiled machine reaches. */
export interface PathCoverage {
  initial: string;
  /** The shortest event sequence from the initial state to each state a path reaches. */
  paths: Record<string, string[]>;
  /** Every transition of the config, in config order. */
  transitions: TransitionCoverage[];
  /** States of the config no path reaches, in config order. */
  uncoveredStates: string[];
  /** Transitions of the config no path takes. */
  uncoveredTransitions: TransitionCoverage[];
}

// ---------------------------------------------------------------------------------------------
// The config's transition graph

/**
 * One transition of the config: an alternative of one state's command or clock event, an edge
 * of the process graph (target `from` for a transition that stays).
 */
type ConfigTransition = GraphEdge;

/**
 * The config's process graph. A frozen config (a loaded one) cannot change, so its compiled
 * config's graph serves every invariant; one that is not frozen may be edited in place (a test's
 * variant), so its graph is built each time.
 */
function graphOf(config: JurisdictionConfig): ReachabilityGraph {
  return Object.isFrozen(config) ? compileConfig(config).graph : reachabilityGraph(config);
}

function eventLabel(event: string, index: number, alternatives: number): string {
  return alternatives > 1 ? `${event}[${index}]` : event;
}

/** The event as a path names it: `EVENT`, or `EVENT[i]` when the state lists alternatives. */
function stepOf(e: ConfigTransition): string {
  return eventLabel(e.type, e.index, e.alternatives);
}

/** `from -EVENT-> to`. */
function labelOf(e: ConfigTransition): string {
  return `${e.from} -${stepOf(e)}-> ${e.to}`;
}

function isCompleted(s: StateDef | undefined): boolean {
  return s !== undefined && (COMPLETED_STAGES as readonly string[]).includes(s.stage);
}

/** Whether a state ends the procedure: final, or in a completed stage. */
function ends(config: JurisdictionConfig, id: string): boolean {
  const s = config.process.states[id];
  return s?.final === true || isCompleted(s);
}

function stateName(config: JurisdictionConfig, id: string): string {
  const stage = config.process.states[id]?.stage;
  return stage === undefined ? `"${id}"` : `"${id}" (stage ${stage})`;
}

/** `registered -ACCEPT-> accepted -OPINION-> opinion-issued`, for messages. */
function pathText(start: string, steps: readonly { event: string; to: string }[]): string {
  return steps.reduce((text, s) => `${text} -${s.event}-> ${s.to}`, start);
}

function leaves(e: ConfigTransition): boolean {
  return !e.stays && e.to !== e.from;
}

/** Whether a state can leave on its own transitions, or need not (final, completed). */
function canLeaveOrNeedNot(
  config: JurisdictionConfig,
  id: string,
  edges: readonly ConfigTransition[],
): boolean {
  return ends(config, id) || edges.some(leaves);
}

// ---------------------------------------------------------------------------------------------
// Which deadlines run along the paths

/**
 * The open deadlines of a case (`compiler/actions/deadlines.ts`): running, or paused by the
 * state the case is in. A period that fired and one that was stopped, or never started, are
 * alike to every deadline action (starting opens a new period; stopping, pausing, resuming and
 * firing do nothing), so neither is kept: what a fired duty leaves behind is the case's red
 * flag, which the walk keeps apart. Keeping fired periods would multiply the situations by
 * every combination of periods missed on earlier rounds (a reopened case) for no difference.
 */
type DeadlineStatus = 'running' | 'paused';
type Deadlines = ReadonlyMap<string, DeadlineStatus>;

/**
 * Starting a deadline that is open does nothing (re-entering a state after a hearing keeps its
 * period); stopping ends an open period.
 */
function startAll(
  config: JurisdictionConfig,
  ids: readonly string[] | undefined,
  d: Map<string, DeadlineStatus>,
) {
  for (const id of ids ?? []) {
    const now = d.get(id);
    if (config.deadlines[id] && now !== 'running' && now !== 'paused') d.set(id, 'running');
  }
}

function stopAll(ids: readonly string[] | undefined, d: Map<string, DeadlineStatus>) {
  for (const id of ids ?? []) {
    const now = d.get(id);
    if (now === 'running' || now === 'paused') d.delete(id);
  }
}

/** Entry of a state: pauses (its `pausedBy` deadlines), then its stops, then its starts. */
function enter(config: JurisdictionConfig, state: string, d: Map<string, DeadlineStatus>) {
  for (const [id, def] of Object.entries(config.deadlines)) {
    if (def.pausedBy?.includes(state) && d.get(id) === 'running') d.set(id, 'paused');
  }
  const s = config.process.states[state];
  stopAll(s?.stops, d);
  startAll(config, s?.starts, d);
}

/** Exit of a state: what it paused runs again. */
function exit(config: JurisdictionConfig, state: string, d: Map<string, DeadlineStatus>) {
  for (const [id, def] of Object.entries(config.deadlines)) {
    if (def.pausedBy?.includes(state) && d.get(id) === 'paused') d.set(id, 'running');
  }
}

/** The deadlines of a case just registered: what entering the initial state starts. */
function initialDeadlines(config: JurisdictionConfig): Deadlines {
  const d = new Map<string, DeadlineStatus>();
  enter(config, config.process.initial, d);
  return d;
}

/** The deadline a transition waits on: its own expiry, or the window of `within`. */
function awaited(config: JurisdictionConfig, e: ConfigTransition): string | undefined {
  return e.expiry !== undefined && config.deadlines[e.expiry] ? e.expiry : e.def.within;
}

/** Whether the clock lets a case take the transition now (guards of the case aside). */
function clockAllows(config: JurisdictionConfig, e: ConfigTransition, d: Deadlines): boolean {
  const needs = awaited(config, e);
  return needs === undefined || d.get(needs) === 'running';
}

/**
 * The open deadlines after a case takes `e`, in the machine's order: exit of the source (unless
 * the transition stays), the transition's own actions (an expiry closes its period, then stops,
 * then starts), entry of the target.
 */
function afterTransition(config: JurisdictionConfig, e: ConfigTransition, before: Deadlines): Deadlines {
  const d = new Map(before);
  if (!e.stays) exit(config, e.from, d);
  if (e.expiry !== undefined && config.deadlines[e.expiry]) d.delete(e.expiry);
  stopAll(e.def.stops, d);
  startAll(config, e.def.starts, d);
  if (!e.stays) enter(config, e.to, d);
  return d;
}

/**
 * The running deadlines whose expiry may leave the case where it is: the state has no
 * `<id>.expired` alternative the clock surely takes (one with nothing else to check), so the
 * expiry may fall to the machine's root, which marks the period fired and moves nothing.
 */
function expiriesThatStay(own: readonly ConfigTransition[], d: Deadlines): string[] {
  const sure = (id: string) =>
    own.some(
      (e) =>
        e.expiry === id &&
        e.def.roles.includes('system') &&
        e.def.guard === undefined &&
        e.def.within === undefined &&
        e.def.extends === undefined,
    );
  return [...d].filter(([id, status]) => status === 'running' && !sure(id)).map(([id]) => id);
}

function afterExpiry(before: Deadlines, id: string): Deadlines {
  const d = new Map(before);
  d.delete(id);
  return d;
}

/** Whether the case is red after `e`: a duty's expiry turns it red; completing clears red. */
function redAfter(config: JurisdictionConfig, e: ConfigTransition, red: boolean): boolean {
  const fired = red || (e.expiry !== undefined && config.deadlines[e.expiry]?.kind === 'duty');
  return e.stays ? fired : fired && !isCompleted(config.process.states[e.to]);
}

function deadlinesKey(d: Deadlines): string {
  return [...d]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, s]) => `${id}:${s}`)
    .join(',');
}

/**
 * A case is watched while some deadline runs, or while it is red: a missed duty turns the case
 * red and it stays red until the case completes (`status/colour.ts`), so supervision sees it. A
 * paused deadline does not watch (its clock stands still), nor a window that ran out (the
 * petitioner's right lapsed; nobody owes anything).
 */
function watched(at: Situation): boolean {
  return at.red || [...at.deadlines.values()].includes('running');
}

/** A step of a path: the event as paths name it, and the state it led to. */
interface PathStep {
  event: string;
  to: string;
}

/** Where a case can be: its state, its open deadlines, and whether a missed duty made it red. */
interface Situation {
  state: string;
  deadlines: Deadlines;
  red: boolean;
  /** The shortest way here from registration. */
  path: PathStep[];
}

/** What following every path with its deadlines gives. */
interface DeadlineWalk {
  /** Every situation a case can be in, breadth first (the first at a state has its shortest path). */
  situations: Situation[];
  /** Labels of the transitions some path takes. */
  taken: Set<string>;
}

/**
 * Follows every path from registration, tracking each deadline's status: the config's
 * transitions (guards ignored, the clock's conditions kept) and, in every state, the expiry of
 * each running deadline. Statuses are few, so the search ends. A path ends at a final state.
 */
function walkDeadlines(config: JurisdictionConfig): DeadlineWalk {
  const graph = graphOf(config);
  const initial = config.process.initial;
  const situations: Situation[] = [];
  const seen = new Set<string>();
  const taken = new Set<string>();
  const reach = (at: Situation) => {
    const key = `${at.state}|${at.red}|${deadlinesKey(at.deadlines)}`;
    if (seen.has(key)) return;
    seen.add(key);
    situations.push(at);
  };
  reach({ state: initial, deadlines: initialDeadlines(config), red: false, path: [] });
  for (let i = 0; i < situations.length; i++) {
    const at = situations[i] as Situation;
    if (config.process.states[at.state]?.final === true) continue;
    const own = graph.from(at.state);
    for (const e of own) {
      if (!clockAllows(config, e, at.deadlines)) continue;
      taken.add(labelOf(e));
      reach({
        state: e.to,
        deadlines: afterTransition(config, e, at.deadlines),
        red: redAfter(config, e, at.red),
        path: [...at.path, { event: stepOf(e), to: e.to }],
      });
    }
    for (const id of expiriesThatStay(own, at.deadlines)) {
      reach({
        state: at.state,
        deadlines: afterExpiry(at.deadlines, id),
        red: at.red || config.deadlines[id]?.kind === 'duty',
        path: [...at.path, { event: expiryEvent(id), to: at.state }],
      });
    }
  }
  return { situations, taken };
}

// ---------------------------------------------------------------------------------------------
// Path coverage with XState's graph utilities

/**
 * An event of the traversal: the command's type and which alternative it stands for; -1 for an
 * expiry that falls to the machine's root.
 */
interface CoverageEvent {
  type: string;
  alternative: number;
}

/** The traversal's context: deadline statuses, sorted by id (so equal cases serialize equally). */
interface CoverageContext {
  deadlines: [string, DeadlineStatus][];
}

function toContext(d: Deadlines): CoverageContext {
  return { deadlines: [...d].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) };
}

/** One transition as the compiled machine holds it. */
interface CompiledEdge {
  from: string;
  event: string;
  index: number;
  to: string;
}

function guardIndex(guard: unknown): number | undefined {
  if (typeof guard !== 'object' || guard === null) return undefined;
  const params = (guard as { params?: unknown }).params;
  if (typeof params !== 'object' || params === null) return undefined;
  const index = (params as { index?: unknown }).index;
  return typeof index === 'number' ? index : undefined;
}

/**
 * The transitions of the compiled machine, read from its state nodes with `toDirectedGraph`.
 * The compiler gives each alternative the guard `allowed { state, index }`, which names the
 * alternative of the config it came from. The root's own handlers (every deadline's expiry,
 * DECLARE_INTEREST) record things without moving the case; the traversal models the expiries.
 */
function compiledEdges(config: JurisdictionConfig): { edges: CompiledEdge[]; finals: Set<string> } {
  const graph = toDirectedGraph(compileConfig(config).machine);
  const edges: CompiledEdge[] = [];
  const finals = new Set<string>();
  for (const node of graph.children) {
    const from = node.stateNode.key;
    if (node.stateNode.type === 'final') finals.add(from);
    const position = new Map<string, number>();
    for (const edge of node.edges) {
      const event = edge.transition.eventType;
      const seen = position.get(event) ?? 0;
      position.set(event, seen + 1);
      edges.push({ from, event, index: guardIndex(edge.transition.guard) ?? seen, to: edge.target.key });
    }
  }
  return { edges, finals };
}

const key3 = (from: string, event: string, index: number) => `${from}\u0000${event}\u0000${index}`;

/**
 * A machine with the compiled machine's states and transitions and none of its guards. Those
 * read the case (actor, payload, units, rule decisions), which a traversal cannot make up for
 * every step, so with them nearly every event would be refused. Instead each alternative is
 * picked by the event (`alternative`), and the context carries the deadline statuses, so the
 * traversal offers an expiry or a `within` command only while its deadline runs: its paths are
 * ones a case can take, as far as the clock is concerned. Final states stay final, and the
 * traversal offers no event to a done snapshot.
 */
function traversalMachine(
  config: JurisdictionConfig,
  edges: CompiledEdge[],
  finals: Set<string>,
  byKey: Map<string, ConfigTransition>,
) {
  type Args = { context: CoverageContext; event: CoverageEvent };
  const states: Record<string, { type?: 'final'; on: Record<string, object[]> }> = {};
  for (const id of Object.keys(config.process.states)) {
    states[id] = { ...(finals.has(id) ? { type: 'final' as const } : {}), on: {} };
  }
  for (const e of edges) {
    const node = states[e.from];
    const t = byKey.get(key3(e.from, e.event, e.index));
    if (!node) continue;
    const list = node.on[e.event] ?? [];
    list.push({
      ...(e.to !== e.from ? { target: e.to } : {}),
      guard: ({ event }: Args) => event.alternative === e.index,
      ...(t
        ? {
            actions: assign(({ context }: Args) =>
              toContext(afterTransition(config, t, new Map(context.deadlines))),
            ),
          }
        : {}),
    });
    node.on[e.event] = list;
  }
  const root: Record<string, object> = {};
  for (const id of Object.keys(config.deadlines)) {
    root[expiryEvent(id)] = {
      guard: ({ event }: Args) => event.alternative === -1,
      actions: assign(({ context }: Args) => toContext(afterExpiry(new Map(context.deadlines), id))),
    };
  }
  return setup({ types: {} as { context: CoverageContext; events: CoverageEvent } }).createMachine({
    id: 'coverage',
    context: toContext(initialDeadlines(config)),
    initial: config.process.initial,
    // biome-ignore lint/suspicious/noExplicitAny: the handlers are built from config data.
    on: root as any,
    // biome-ignore lint/suspicious/noExplicitAny: the state tree is built from config data.
    states: states as any,
  });
}

/**
 * The shortest event sequence from the initial state to every state of the compiled machine,
 * and every transition of the config with the shortest path that takes it, found with XState's
 * graph utilities (`toDirectedGraph`, `getShortestPaths`, `getAdjacencyMap`) on the compiled
 * machine's structure; see `traversalMachine` for why its guards are left out.
 */
export function pathCoverage(config: JurisdictionConfig): PathCoverage {
  // the check asks twice (the invariant, then the report); a frozen config cannot change
  const known = Object.isFrozen(config) ? coverageMemo.get(config) : undefined;
  if (known) return known;
  const coverage = computePathCoverage(config);
  if (Object.isFrozen(config)) coverageMemo.set(config, coverage);
  return coverage;
}

const coverageMemo = new WeakMap<object, PathCoverage>();

function computePathCoverage(config: JurisdictionConfig): PathCoverage {
  const initial = config.process.initial;
  const graph = graphOf(config);
  const transitionsOfConfig = graph.edges;
  const byKey = new Map(transitionsOfConfig.map((t) => [key3(t.from, t.type, t.index), t]));
  const { edges, finals } = compiledEdges(config);
  const compiled = new Set(edges.map((e) => key3(e.from, e.event, e.index)));
  const machine = traversalMachine(config, edges, finals, byKey);
  const alternatives = new Map<string, number>();
  for (const e of edges) {
    const k = `${e.from}\u0000${e.event}`;
    alternatives.set(k, (alternatives.get(k) ?? 0) + 1);
  }
  const stepName = (from: string, event: CoverageEvent) =>
    event.alternative < 0
      ? event.type
      : eventLabel(event.type, event.alternative, alternatives.get(`${from}\u0000${event.type}`) ?? 1);
  type Snap = { value: unknown; context: CoverageContext; status: string };
  const serialize = (s: Snap) => JSON.stringify([s.value, s.context.deadlines]);
  const options = {
    events: (s: Snap): CoverageEvent[] => {
      // A final state ends every path: the config says no later step may leave it. (XState's
      // pure `transition()` would still take its transitions and keep the snapshot `done`.)
      if (s.status !== 'active') return [];
      const d = new Map(s.context.deadlines);
      const offered = edges
        .filter((e) => e.from === s.value)
        .filter((e) => {
          const t = byKey.get(key3(e.from, e.event, e.index));
          return t === undefined || clockAllows(config, t, d);
        })
        .map((e) => ({ type: e.event, alternative: e.index }));
      const stay = expiriesThatStay(graph.from(String(s.value)), d).map((id) => ({
        type: expiryEvent(id),
        alternative: -1,
      }));
      return [...offered, ...stay];
    },
    serializeState: serialize,
  };

  // Shortest path to each snapshot (state and deadlines), then to each state.
  const toSnapshot = new Map<string, string[]>();
  const paths: Record<string, string[]> = {};
  for (const p of getShortestPaths(machine, options)) {
    // steps[0] is the initial snapshot (`xstate.init`); each later step is an event and the
    // snapshot it led to
    const events = p.steps
      .slice(1)
      .map((s, i) => stepName(String(p.steps[i]?.state.value), s.event as CoverageEvent));
    toSnapshot.set(serialize(p.state), events);
    const state = String(p.state.value);
    const best = paths[state];
    if (best === undefined || events.length < best.length) paths[state] = events;
  }

  // What each offered transition did, from every snapshot the traversal met.
  const taken = new Map<string, { path: string[]; to: string }[]>();
  for (const { state, transitions } of Object.values(getAdjacencyMap(machine, options))) {
    const from = String(state.value);
    // keyed by serialized event (a branded string), which `Object.values` cannot see through
    const steps = Object.values(transitions) as { event: CoverageEvent; state: Snap }[];
    for (const { event, state: next } of steps) {
      if (event.alternative < 0) continue;
      const k = key3(from, event.type, event.alternative);
      const path = [...(toSnapshot.get(serialize(state)) ?? []), stepName(from, event)];
      taken.set(k, [...(taken.get(k) ?? []), { path, to: String(next.value) }]);
    }
  }

  const transitions = transitionsOfConfig.map((t): TransitionCoverage => {
    const base = { from: t.from, event: t.type, index: t.index, to: t.to, label: labelOf(t) };
    const k = key3(t.from, t.type, t.index);
    const results = taken.get(k) ?? [];
    const hits = results.filter((r) => r.to === t.to).sort((a, b) => a.path.length - b.path.length);
    if (hits[0]) return { ...base, path: hits[0].path };
    if (!compiled.has(k))
      return { ...base, cause: 'not-compiled', uncovered: 'the compiled machine has no such transition' };
    if (paths[t.from] === undefined)
      return { ...base, cause: 'unreached', uncovered: `no path reaches "${t.from}"` };
    if (finals.has(t.from)) {
      return { ...base, cause: 'final', uncovered: `"${t.from}" is final: no later step may leave it` };
    }
    if (results[0]) {
      return {
        ...base,
        cause: 'other-target',
        uncovered: `the compiled machine goes to "${results[0].to}", not "${t.to}"`,
      };
    }
    return {
      ...base,
      cause: 'clock',
      uncovered: `it waits on ${awaited(config, t)}, which never runs while a case is in "${t.from}"`,
    };
  });
  return {
    initial,
    paths,
    transitions,
    uncoveredStates: Object.keys(config.process.states).filter((id) => paths[id] === undefined),
    uncoveredTransitions: transitions.filter((t) => t.path === undefined),
  };
}

// ---------------------------------------------------------------------------------------------
// The invariants

const statesReachable: StaticInvariant = {
  id: 'states-reachable',
  title: 'every state can be reached from the initial state',
  basis: 'design (xinfang): a state no case can reach is a step of the procedure that never happens',
  check(config) {
    const graph = graphOf(config);
    const found = graph.reachable();
    const findings: StaticFinding[] = [];
    for (const id of graph.states) {
      if (found.has(id)) continue;
      const into = graph.into(id);
      const why =
        into.length === 0
          ? 'no transition leads to it'
          : `only transitions of states that are themselves unreachable lead to it (${into.map(labelOf).join('; ')})`;
      findings.push({
        state: id,
        message: `state ${stateName(config, id)} cannot be reached from the initial state "${config.process.initial}": ${why}. Add a transition to it from a state a case can reach, or remove it.`,
      });
    }
    return findings;
  },
};

const statesCanLeave: StaticInvariant = {
  id: 'states-can-leave',
  title: 'every state that is neither final nor in a completed stage has a transition to another state',
  basis: 'reg-2022 art. 22-36: every matter is carried through to a conclusion',
  check(config) {
    const graph = graphOf(config);
    const findings: StaticFinding[] = [];
    for (const id of graph.states) {
      const own = graph.from(id);
      if (canLeaveOrNeedNot(config, id, own)) continue;
      const what =
        own.length === 0
          ? 'it has no transitions at all'
          : `its only transitions (${[...new Set(own.map((e) => e.type))].join(', ')}) stay in it`;
      findings.push({
        state: id,
        message: `state ${stateName(config, id)} cannot be left: ${what}, so a case there could never move on. Give it a transition to another state, mark it final, or put it in a completed stage (${COMPLETED_STAGES.join(', ')}).`,
      });
    }
    return findings;
  },
};

const statesOweDeadline: StaticInvariant = {
  id: 'states-owe-deadline',
  title:
    'every state neither final nor completed runs a deadline while a case is in it, or says in noDeadline why the law sets none',
  basis: 'reg-2022 art. 22-23, 34-36: each step of the procedure has its period',
  check(config) {
    const findings: StaticFinding[] = [];
    const reported = new Set<string>();
    // Every path is followed, so a state passes only if no case can be in it unwatched: a
    // deadline it starts on entry, one every transition into it starts, or a duty still running
    // from before are all the same fact seen on each path. Unreachable states are not visited:
    // they are `states-reachable`'s finding.
    for (const at of walkDeadlines(config).situations) {
      const s = config.process.states[at.state];
      if (!s || ends(config, at.state) || reported.has(at.state)) continue;
      if (s.noDeadline !== undefined && s.noDeadline.trim() !== '') continue;
      if (watched(at)) continue;
      reported.add(at.state);
      const reason =
        s.noDeadline === undefined ? 'gives no "noDeadline" reason' : 'gives an empty "noDeadline" reason';
      findings.push({
        state: at.state,
        path: at.path.map((p) => p.event),
        message: `state ${stateName(config, at.state)} owes no deadline: a case can be there with no deadline running and no missed duty deadline (${pathText(config.process.initial, at.path)}), and it ${reason}. Start the deadline the law sets for this step (on entering it, or on the transitions into it), or say in "noDeadline" why there is none.`,
      });
    }
    return findings;
  },
};

/**
 * Duties the config itself starts once a case is complete, or by the step that completes it:
 * obligations meant to outlive the procedure (a supervised body's reply, a report on adopting
 * a suggestion, Reg. 40). Every other duty belongs to a step of the open procedure.
 */
function dutiesAfterCompletion(config: JurisdictionConfig): Set<string> {
  const out = new Set<string>();
  for (const [id, s] of Object.entries(config.process.states)) {
    if (ends(config, id)) for (const d of s.starts ?? []) out.add(d);
  }
  for (const e of graphOf(config).edges) {
    if (ends(config, e.from) || ends(config, e.to)) for (const d of e.def.starts ?? []) out.add(d);
  }
  return out;
}

const dutyDeadlinesStopped: StaticInvariant = {
  id: 'duty-deadlines-stopped',
  title: 'every duty deadline of the open procedure is stopped by the step that completes a case',
  basis:
    "design (xinfang): a step's duty running on after completion would fire and turn a completed case red for a step nobody owes",
  check(config) {
    const findings: StaticFinding[] = [];
    const reported = new Set<string>();
    const outliving = dutiesAfterCompletion(config);
    // A procedure duty is never started in a completed state (else it would be `outliving`),
    // so one open there was carried in from before completion.
    for (const at of walkDeadlines(config).situations) {
      if (!ends(config, at.state)) continue;
      for (const id of at.deadlines.keys()) {
        const def = config.deadlines[id];
        if (def?.kind !== 'duty' || outliving.has(id)) continue;
        const key = `${at.state}\u0000${id}`;
        if (reported.has(key)) continue;
        reported.add(key);
        findings.push({
          state: at.state,
          path: at.path.map((p) => p.event),
          message: `duty deadline "${id}" (${def.basis}) is still running when a case reaches ${stateName(config, at.state)} (${pathText(config.process.initial, at.path)}): it would later fire and turn the completed case red for a step nobody owes any more. Stop it (stops: [${id}]) on the transitions into "${at.state}" or on entering it.`,
        });
      }
    }
    return findings;
  },
};

const deadlineTransitionsLive: StaticInvariant = {
  id: 'deadline-transitions-live',
  title:
    'every transition that waits on a deadline (its expiry, or `within` a window) is in a state where that deadline can be running',
  basis: 'reg-2022 art. 23, 35-36 (objection, review and re-examination windows); design (xinfang)',
  check(config) {
    const walk = walkDeadlines(config);
    const visited = new Set(walk.situations.map((s) => s.state));
    const graph = graphOf(config);
    const findings: StaticFinding[] = [];
    for (const e of graph.edges) {
      const expiring = e.expiry;
      const needs = awaited(config, e) ?? expiring;
      // Transitions of states no case reaches, or of final states (never taken at all), are
      // other invariants' findings.
      const label = labelOf(e);
      if (needs === undefined || walk.taken.has(label) || !visited.has(e.from)) continue;
      if (config.process.states[e.from]?.final === true) continue;
      const how = expiring !== undefined ? `fires when ${needs} runs out` : `is allowed only within ${needs}`;
      const why = config.deadlines[needs]
        ? `no case is ever in "${e.from}" while ${needs} is running`
        : `no deadline "${needs}" is configured`;
      const behind = [...graph.pathsFrom(e.to).keys()].filter((id) => !visited.has(id));
      const lost =
        behind.length > 0 ? ` No case reaches ${behind.map((id) => `"${id}"`).join(', ')} either.` : '';
      const at = walk.situations.find((s) => s.state === e.from);
      findings.push({
        state: e.from,
        transition: label,
        ...(at ? { path: at.path.map((p) => p.event) } : {}),
        message: `transition ${label} can never be taken: it ${how}, but ${why}.${lost} Start ${needs} on the way into "${e.from}" or by one of its commands, or drop the condition.`,
      });
    }
    return findings;
  },
};

const completionReachable: StaticInvariant = {
  id: 'completion-reachable',
  title: 'from every state a case can reach a completed stage',
  basis:
    'reg-2022 art. 22-37: every matter is concluded (handled, diverted, not accepted, closed or terminated)',
  check(config) {
    const graph = graphOf(config);
    const reachable = graph.reachable();
    const concluding = graph.reaching((a) => ends(config, a));
    const findings: StaticFinding[] = [];
    for (const id of graph.states) {
      if (!reachable.has(id) || concluding.has(id)) continue;
      const ahead = [...graph.pathsFrom(id).keys()];
      // A state that cannot leave traps whatever leads only to it: that is its own finding.
      if (ahead.some((a) => !canLeaveOrNeedNot(config, a, graph.from(a)))) continue;
      const loop = ahead.filter((a) => a !== id);
      findings.push({
        state: id,
        path: (reachable.get(id) ?? []).map(stepOf),
        message: `from state ${stateName(config, id)} a case can never reach a completed stage: every way out leads back among ${[id, ...loop].map((a) => `"${a}"`).join(', ')}, a loop with no exit. Add a transition from one of them to a state that concludes the matter.`,
      });
    }
    return findings;
  },
};

const pathCoverageInvariant: StaticInvariant = {
  id: 'path-coverage',
  title: 'every transition of a state the compiled machine reaches is taken by one of its paths',
  basis: 'design (xinfang): the machine that runs cases is the procedure the config describes',
  check(config) {
    const coverage = pathCoverage(config);
    const graph = graphOf(config);
    const lostBehind = (targets: string[]) => {
      const behind = new Set<string>();
      for (const to of targets) {
        for (const id of graph.pathsFrom(to).keys()) if (coverage.paths[id] === undefined) behind.add(id);
      }
      return behind.size > 0
        ? ` No path reaches ${[...behind].map((id) => `"${id}"`).join(', ')} either.`
        : '';
    };
    const findings: StaticFinding[] = [];
    // Only the first transitions lost on each way are reported: what lies behind them is lost
    // with them, and the message names those states. Transitions of states no path reaches
    // (`states-reachable`) and transitions whose deadline never runs there
    // (`deadline-transitions-live`) are other invariants' findings.
    const finalLost = new Map<string, TransitionCoverage[]>();
    for (const t of coverage.uncoveredTransitions) {
      if (t.cause === 'unreached' || t.cause === 'clock') continue;
      if (t.cause === 'final') {
        finalLost.set(t.from, [...(finalLost.get(t.from) ?? []), t]);
        continue;
      }
      findings.push({
        state: t.from,
        transition: t.label,
        ...(coverage.paths[t.from] ? { path: coverage.paths[t.from] } : {}),
        message: `transition ${t.label} is taken by no path of the compiled machine: ${t.uncovered}.${lostBehind([t.to])} The compiled machine differs from the config here: that is a fault of the compiler; report it.`,
      });
    }
    // A final state loses all its transitions at once: one mistake, one finding.
    for (const [from, lost] of finalLost) {
      findings.push({
        state: from,
        ...(coverage.paths[from] ? { path: coverage.paths[from] } : {}),
        message: `state ${stateName(config, from)} is final, so no path of the compiled machine goes on from it, yet it has transitions (${lost.map((t) => t.event).join(', ')}): XState marks a case done on reaching a final state, and a case that left it anyway would stay marked done.${lostBehind(lost.map((t) => t.to))} Remove "final" from "${from}" (an end state that a later step may leave is not final), or remove those transitions.`,
      });
    }
    return findings;
  },
};

/** The static invariants, in the order `xinfang check` prints them. */
export const STATIC_INVARIANTS: readonly StaticInvariant[] = [
  statesReachable,
  statesCanLeave,
  completionReachable,
  statesOweDeadline,
  dutyDeadlinesStopped,
  deadlineTransitionsLive,
  pathCoverageInvariant,
];
