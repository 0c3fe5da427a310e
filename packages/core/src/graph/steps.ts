import { reachabilityGraph } from '../compiler/reachability.js';
import type { Id, JurisdictionConfig, TransitionDef } from '../config/types.js';

/** One transition of the process as a diagram or a map of articles shows it. */
export interface ProcessStep {
  /** The state it leaves. */
  state: Id;
  /** The command or clock event that takes it. */
  event: string;
  /** Index among an event's guarded alternatives; absent when the event has one transition. */
  alternative?: number;
  def: TransitionDef;
  /** The state it leads to; absent when the command keeps the case where it is (EXTEND). */
  to?: Id;
  /** Sent by the clock: a deadline's expiry, or a command only system roles may send. */
  clock: boolean;
}

/**
 * Every transition of every state, in the order the config declares them. Diagrams are drawn
 * of configs that need not compile (a draft, a test's odd names), so the graph is built here
 * rather than taken from a compiled config.
 */
export function processSteps(config: JurisdictionConfig): ProcessStep[] {
  return reachabilityGraph(config).edges.map((e) => ({
    state: e.from,
    event: e.type,
    alternative: e.listed ? e.index : undefined,
    def: e.def,
    to: e.def.to,
    clock:
      e.expiry !== undefined ||
      (e.roles.length > 0 && e.roles.every((r) => config.roles[r]?.system === true)),
  }));
}
