/**
 * A state's transitions as every reader takes them. A config may write one transition for an
 * event or a list of guarded alternatives, one guard or a list of guards; the config object
 * keeps the form its author wrote (its hash and stored copies are of that form), and readers
 * ask here for lists instead of testing the form themselves.
 */

import { expiryOf } from './expiry.js';
import type { GuardRef, JurisdictionConfig, StateDef, TransitionDef } from './types.js';

/** One event a state handles. */
export interface TransitionEntry {
  /** The event type: a command, or `<deadline>.expired`. */
  type: string;
  /** The alternatives, in the order they are tried. */
  alternatives: readonly TransitionDef[];
  /**
   * The config writes a list here (even of one): diagrams tell its alternatives apart by
   * their guards, where a single transition needs no such label.
   */
  listed: boolean;
  /** The deadline whose expiry this event is; undefined for a command. */
  expiry: string | undefined;
}

/** The alternatives of one `on` entry, in the order they are tried (none for no entry). */
export function alternativesOf(
  entry: TransitionDef | readonly TransitionDef[] | undefined,
): readonly TransitionDef[] {
  if (entry === undefined) return [];
  return isList(entry) ? entry : [entry];
}

function isList(entry: TransitionDef | readonly TransitionDef[]): entry is readonly TransitionDef[] {
  return Array.isArray(entry);
}

/** The events a state handles, in the order the config declares them. */
export function transitionEntries(state: StateDef | undefined): TransitionEntry[] {
  return Object.entries(state?.on ?? {}).map(([type, entry]) => ({
    type,
    alternatives: alternativesOf(entry),
    listed: isList(entry),
    expiry: expiryOf(type),
  }));
}

/** The guards of a transition, all of which must hold, in order. */
export function guardsOf(def: TransitionDef): readonly GuardRef[] {
  const g = def.guard;
  if (g === undefined) return [];
  return Array.isArray(g) ? g : [g];
}

/** Every state's transitions, looked up by state and event type. */
export interface TransitionTable {
  /** State id -> event type -> entry, both in config order. */
  readonly states: ReadonlyMap<string, ReadonlyMap<string, TransitionEntry>>;
  /** The entry of `type` in `state`, if the state handles it. */
  entry(state: string, type: string): TransitionEntry | undefined;
  /** The alternatives of `type` in `state` (none when the state does not handle it). */
  alternatives(state: string, type: string): readonly TransitionDef[];
}

/** The transition table of a config, built once by whoever holds on to it (the compiler). */
export function transitionTable(config: JurisdictionConfig): TransitionTable {
  const states = new Map<string, ReadonlyMap<string, TransitionEntry>>();
  for (const [id, s] of Object.entries(config.process.states)) {
    states.set(id, new Map(transitionEntries(s).map((e) => [e.type, e])));
  }
  const entry = (state: string, type: string) => states.get(state)?.get(type);
  return {
    states,
    entry,
    alternatives: (state, type) => entry(state, type)?.alternatives ?? [],
  };
}
