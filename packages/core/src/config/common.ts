/**
 * `process.common`: groups of commands many states accept (supervision, rating, leader
 * reception), written once. After `extends` is resolved the loader copies each group's `on`
 * into every state it selects, so the compiler, scenarios, static checks and graphs see plain
 * states, and a child config can still change one group (or one state's copy) by key.
 *
 * The copies keep the origin of the group's nodes: a mistake inside a group is reported at
 * its line in the group, once (the loader drops the identical reports of the other copies).
 */

import type { Diagnostic } from '../base/diagnostics.js';
import { mergeTrees, type Tree } from './merge.js';
import type { Locale } from './messages.js';
import { makeDiagnostic } from './yaml-source.js';

type MapTree = Extract<Tree, { kind: 'map' }>;

const asMap = (t: Tree | undefined): MapTree | undefined => (t?.kind === 'map' ? t : undefined);

/** A list of strings, or undefined when the value has another shape (the schema reports it). */
function stringList(t: Tree | undefined): string[] | undefined {
  if (t?.kind !== 'list') return undefined;
  const out: string[] = [];
  for (const item of t.items) {
    if (item.kind !== 'leaf' || typeof item.value !== 'string') return undefined;
    out.push(item.value);
  }
  return out;
}

/** What one group selects: its commands, and which states get them. */
interface Group {
  id: string;
  tree: MapTree;
  on: MapTree;
  stages?: string[];
  except: string[];
}

function groupOf(id: string, tree: Tree): Group | undefined {
  const g = asMap(tree);
  const on = asMap(g?.entries.get('on'));
  if (!g || !on) return undefined;
  const stagesNode = g.entries.get('stages');
  const exceptNode = g.entries.get('except');
  const stages = stringList(stagesNode);
  const except = stringList(exceptNode);
  // a malformed selection is the schema's error; copying the group anywhere would add noise
  if ((stagesNode && !stages) || (exceptNode && !except)) return undefined;
  return { id, tree: g, on, ...(stages ? { stages } : {}), except: except ?? [] };
}

function selects(group: Group, stateId: string, state: MapTree): boolean {
  if (group.except.includes(stateId)) return false;
  if (!group.stages) return true;
  const stage = state.entries.get('stage');
  return stage?.kind === 'leaf' && typeof stage.value === 'string' && group.stages.includes(stage.value);
}

/** What {@link expandCommon} gives: the tree with the groups copied in, and what it noticed. */
export interface Expansion {
  tree: Tree;
  /** Warnings: a group that selects no state (its commands would never be checked or run). */
  diagnostics: Diagnostic[];
}

/**
 * Copies every `process.common` group into the states it selects. A state that writes the same
 * event keeps its own keys over the group's (maps merge by key; a list of alternatives, on
 * either side, is the state's own choice and wins whole). The `common` block itself stays in
 * the tree, so the schema checks it where it is written; the loader drops it from the loaded
 * config. Never throws: shapes the schema refuses are left as they are.
 */
export function expandCommon(tree: Tree, locale: Locale = 'en'): Expansion {
  const diagnostics: Diagnostic[] = [];
  const root = asMap(tree);
  const process = asMap(root?.entries.get('process'));
  const common = asMap(process?.entries.get('common'));
  const states = asMap(process?.entries.get('states'));
  if (!root || !process || !common || !states) return { tree, diagnostics };

  const groups: Group[] = [];
  for (const [id, t] of common.entries) {
    const group = groupOf(id, t);
    if (group) groups.push(group);
  }
  // merging a state's own copy over the group's cannot meet a `$remove` (the extends merge
  // already consumed them), so its bookkeeping is not needed
  const scratch = { removals: [], diagnostics: [], locale };
  const entries = new Map(states.entries);
  const used = new Set<string>();
  for (const [stateId, t] of states.entries) {
    const state = asMap(t);
    if (!state) continue;
    const ownOn = state.entries.get('on');
    if (ownOn !== undefined && ownOn.kind !== 'map') continue;
    const on = new Map(ownOn?.entries ?? []);
    let changed = false;
    for (const group of groups) {
      if (!selects(group, stateId, state)) continue;
      used.add(group.id);
      for (const [event, def] of group.on.entries) {
        const own = on.get(event);
        on.set(event, own ? mergeTrees(def, own, scratch) : def);
        changed = true;
      }
    }
    if (!changed) continue;
    const onTree: Tree = { kind: 'map', origin: ownOn?.origin ?? state.origin, entries: on };
    entries.set(stateId, { ...state, entries: new Map(state.entries).set('on', onTree) });
  }
  for (const group of groups) {
    if (used.has(group.id) || group.on.entries.size === 0) continue;
    const at = group.tree.origin;
    diagnostics.push(
      makeDiagnostic('commonSelectsNothing', locale, { group: group.id }, at.source.locate(at.path, 'key'), {
        severity: 'warning',
      }),
    );
  }
  const nextProcess: Tree = {
    ...process,
    entries: new Map(process.entries).set('states', { ...states, entries }),
  };
  return { tree: { ...root, entries: new Map(root.entries).set('process', nextProcess) }, diagnostics };
}

/** The loaded config's value without the `common` block the loader consumed. */
export function dropCommon(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  const process = (value as Record<string, unknown>).process;
  if (typeof process === 'object' && process !== null && 'common' in process) {
    delete (process as Record<string, unknown>).common;
  }
}
