/**
 * What the metrics read of a config, built once per config object: the transition table, the
 * stage of each state, the unit registry, who owes each deadline, and which deadline a rating
 * runs in. Lighter than compiling the config (no payload validators, no machine): a report reads
 * thousands of cases under a handful of configs, and compiles one only to replay a case.
 */

import { type UnitRegistry, unitRegistry } from '../compiler/units.js';
import { transitionTable } from '../config/transitions.js';
import type { Authority, JurisdictionConfig, TransitionDef } from '../config/types.js';
import { COMMANDS, DEFAULT_RATING_WINDOW } from './vocabulary.js';

export interface ConfigView {
  config: JurisdictionConfig;
  units: UnitRegistry;
  /** The alternatives of `type` in `state` (empty when the state has no such command). */
  transitions(state: string, type: string): readonly TransitionDef[];
  stageOf(state: string): string | undefined;
  /** Per state, per deadline: the authority of the first step there that ends it for a body. */
  owners: ReadonlyMap<string, ReadonlyMap<string, Exclude<Authority, 'any'>>>;
  /** Per deadline: the same, over every state. */
  anyState: ReadonlyMap<string, Exclude<Authority, 'any'>>;
  /** The deadlines a `RATE` runs within (`within:`), else the default rating window. */
  ratingWindows: ReadonlySet<string>;
}

const views = new WeakMap<JurisdictionConfig, ConfigView>();

/** The view of a config (cached per config object: loaded configs are not mutated). */
export function configView(config: JurisdictionConfig): ConfigView {
  const hit = views.get(config);
  if (hit) return hit;
  const { states } = config.process;
  const table = transitionTable(config);
  const owners = new Map<string, Map<string, Exclude<Authority, 'any'>>>();
  const anyState = new Map<string, Exclude<Authority, 'any'>>();
  const ratingWindows = new Set<string>();
  for (const [id, events] of table.states) {
    const here = new Map<string, Exclude<Authority, 'any'>>();
    for (const { type, alternatives } of events.values()) {
      for (const def of alternatives) {
        if (type === COMMANDS.rate && def.within) ratingWindows.add(def.within);
        const authority = def.authority ?? 'any';
        if (authority === 'any') continue;
        const ends = [...(def.stops ?? []), ...((def.to && states[def.to]?.stops) || [])];
        for (const d of ends) {
          if (!here.has(d)) here.set(d, authority);
          if (!anyState.has(d)) anyState.set(d, authority);
        }
      }
    }
    owners.set(id, here);
  }
  if (ratingWindows.size === 0) ratingWindows.add(DEFAULT_RATING_WINDOW);
  const view: ConfigView = {
    config,
    units: unitRegistry(config),
    transitions: (state, type) => table.alternatives(state, type),
    stageOf: (state) => states[state]?.stage,
    owners,
    anyState,
    ratingWindows,
  };
  views.set(config, view);
  return view;
}
