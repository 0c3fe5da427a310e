/**
 * The process as a graph: states, and every alternative of every event as an edge. Guards are
 * ignored (they read one case's facts), so every edge counts as possible: what the searches
 * here find is what the config allows at most. The diagrams, the static checks and the check
 * driver's way to a goal all search this one graph.
 *
 * Searches are breadth first in config order (states, then events, then alternatives), so a
 * shortest path is the same one every caller sees.
 */

import { guardsOf, transitionEntries } from '../config/transitions.js';
import type { JurisdictionConfig, TransitionDef } from '../config/types.js';

/** One edge: an alternative of one state's command or clock event. */
export interface GraphEdge {
  from: string;
  /** The event type: a command, or `<deadline>.expired`. */
  type: string;
  /** Position among the event's alternatives in `from`. */
  index: number;
  /** How many alternatives the event has in `from`. */
  alternatives: number;
  /** The config writes the event's transitions as a list (even of one). */
  listed: boolean;
  /** Target state; `from` for a transition that stays. */
  to: string;
  /** No `to`: the case stays where it is (no exit, no entry). */
  stays: boolean;
  /** Roles that may send the event. */
  roles: readonly string[];
  /** Guard types, in order. */
  guards: readonly string[];
  /** The deadline whose expiry takes this edge; undefined for a command. */
  expiry: string | undefined;
  def: TransitionDef;
}

/** Shortest paths from one state: each state found, with the edges that lead there first. */
export type Paths = ReadonlyMap<string, readonly GraphEdge[]>;

/** The process graph of a config and the searches over it. */
export interface ReachabilityGraph {
  initial: string;
  /** State ids, in config order. */
  states: readonly string[];
  /** Every edge, in config order. */
  edges: readonly GraphEdge[];
  /** The edges out of a state, in config order. */
  from(state: string): readonly GraphEdge[];
  /** The edges into a state from another one, in config order. */
  into(state: string): readonly GraphEdge[];
  /** Shortest paths from `start` to every state reachable from it (`start` itself: no edges). */
  pathsFrom(start: string): Paths;
  /** Shortest paths from the initial state: the states a case can reach. */
  reachable(): Paths;
  /** The shortest path from `start` (the initial state by default) to `goal`, if any. */
  pathTo(goal: string, start?: string): readonly GraphEdge[] | undefined;
  /** The states from which some state that satisfies `goal` can be reached, those included. */
  reaching(goal: (state: string) => boolean): ReadonlySet<string>;
}

/** The edges of the graph, in config order, and by the state each leaves and enters. */
interface Edges {
  edges: GraphEdge[];
  out: Map<string, GraphEdge[]>;
  /** Edges into a state from another one (a transition that stays is not one). */
  into: Map<string, GraphEdge[]>;
}

/** The process graph of a config. */
export function reachabilityGraph(config: JurisdictionConfig): ReachabilityGraph {
  const { initial } = config.process;
  const states = Object.keys(config.process.states);
  const { edges, out, into } = collectEdges(config);
  // the driver asks from the state a case is in at every step: each start is searched once
  const searched = new Map<string, Paths>();
  const pathsFrom = (start: string): Paths => {
    const hit = searched.get(start);
    if (hit) return hit;
    const found = shortestPaths(out, start);
    searched.set(start, found);
    return found;
  };
  return {
    initial,
    states,
    edges,
    from: (state) => out.get(state) ?? [],
    into: (state) => into.get(state) ?? [],
    pathsFrom,
    reachable: () => pathsFrom(initial),
    pathTo: (goal, start = initial) => pathsFrom(start).get(goal),
    reaching: (goal) => statesReaching(states.filter(goal), into),
  };
}

/** Every alternative of every event of every state as an edge, in config order. */
function collectEdges(config: JurisdictionConfig): Edges {
  const edges: GraphEdge[] = [];
  const out = new Map<string, GraphEdge[]>();
  const into = new Map<string, GraphEdge[]>();
  for (const [from, s] of Object.entries(config.process.states)) {
    for (const entry of transitionEntries(s)) {
      for (const [index, def] of entry.alternatives.entries()) {
        const edge: GraphEdge = {
          from,
          type: entry.type,
          index,
          alternatives: entry.alternatives.length,
          listed: entry.listed,
          to: def.to ?? from,
          stays: def.to === undefined,
          roles: def.roles,
          guards: guardsOf(def).map((g) => g.type),
          expiry: entry.expiry,
          def,
        };
        edges.push(edge);
        out.set(from, [...(out.get(from) ?? []), edge]);
        if (edge.to !== from) into.set(edge.to, [...(into.get(edge.to) ?? []), edge]);
      }
    }
  }
  return { edges, out, into };
}

/** Breadth first from `start` along the edges out of each state. */
function shortestPaths(out: ReadonlyMap<string, readonly GraphEdge[]>, start: string): Paths {
  const found = new Map<string, readonly GraphEdge[]>([[start, []]]);
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const at = queue[i] as string;
    const path = found.get(at) ?? [];
    for (const e of out.get(at) ?? []) {
      if (found.has(e.to)) continue;
      found.set(e.to, [...path, e]);
      queue.push(e.to);
    }
  }
  return found;
}

/** The goals and every state with a way to one: backwards from the goals along the edges into each state. */
function statesReaching(
  goals: readonly string[],
  into: ReadonlyMap<string, readonly GraphEdge[]>,
): Set<string> {
  const found = new Set(goals);
  const queue = [...found];
  for (let i = 0; i < queue.length; i++) {
    for (const e of into.get(queue[i] as string) ?? []) {
      if (found.has(e.from)) continue;
      found.add(e.from);
      queue.push(e.from);
    }
  }
  return found;
}
