/**
 * A case's steps as the metrics read them: for each stored event, the state it left and the
 * state it led to, whether the case was red afterwards, and the deadline records it made.
 *
 * Events do not store the state they led to. Running the machine over every event of every case
 * would make a report over a year's cases slow, so the target is read from the config (the
 * transition of that event type in that state); only where the config leaves it to a guard
 * (alternatives with different targets), or where the result disagrees with the stored
 * projection, is the case replayed through its compiled machine.
 */

import { DECLARE_INTEREST } from '../compiler/checks.js';
import { compileConfig } from '../compiler/compile.js';
import { expiryEvent } from '../config/expiry.js';
import type { JurisdictionConfig } from '../config/types.js';
import {
  type CaseState,
  DEADLINE_EXPIRED,
  DEADLINE_MOVED,
  type DeadlineRecord,
  IDENTITY_REKEYED,
  QUERY_CODE_ISSUED,
  recordsOf,
  replayEvent,
  SUBMITTED,
} from '../engine/fold.js';
import { CONFIG_MIGRATED } from '../engine/migration-fold.js';
import { isCompletedStage } from '../status/colour.js';
import type { ActorRef, CaseEvent, CaseProjection, JsonObject } from '../store/types.js';
import { type ConfigView, configView } from './view.js';

/** One event seen as a step of the procedure. */
export interface CaseStep {
  seq: number;
  at: string;
  /** Event type (`ACCEPT`, `deadline.expired`, ...). */
  type: string;
  actor: ActorRef;
  /** The command's payload (`{}` for system events). */
  command: JsonObject;
  /** The whole event payload (a clock event keeps its facts here). */
  payload: JsonObject;
  records: DeadlineRecord[];
  /** State before the step (undefined for the registration). */
  from: string | undefined;
  to: string;
  /** Stages of `from` and `to`. */
  fromStage: string | undefined;
  toStage: string;
  /** Whether the case was red after the step. */
  red: boolean;
}

type Inferred = { to: string; entered: boolean; stops: readonly string[] } | undefined;

/** The state a stored event led to, read from the config; undefined when a guard decided. */
function inferTarget(view: ConfigView, state: string, event: CaseEvent): Inferred {
  if (
    event.type === DEADLINE_MOVED ||
    event.type === IDENTITY_REKEYED ||
    event.type === QUERY_CODE_ISSUED ||
    event.type === DECLARE_INTEREST
  )
    return { to: state, entered: false, stops: [] };
  // a move to another config version: the plan's state, recorded in the event
  if (event.type === CONFIG_MIGRATED) {
    const to = String((event.payload.state as JsonObject | undefined)?.to ?? state);
    return { to, entered: to !== state, stops: [] };
  }
  const type = event.type === DEADLINE_EXPIRED ? expiryEvent(String(event.payload.deadline)) : event.type;
  const alternatives = view.transitions(state, type);
  // an expiry no state handles is recorded by the machine's root: the case stays where it is
  if (alternatives.length === 0)
    return event.type === DEADLINE_EXPIRED ? { to: state, entered: false, stops: [] } : undefined;
  const targets = new Set(alternatives.map((a) => a.to));
  if (targets.size !== 1) return undefined;
  const [to] = targets;
  const stops = [...new Set(alternatives.flatMap((a) => a.stops ?? []))];
  return to === undefined ? { to: state, entered: false, stops } : { to, entered: true, stops };
}

/**
 * The open red reasons after a step, by deadline, as the machine keeps them: a duty that runs
 * out in an open case turns it red (in a completed case it is a violation only); a duty done
 * late in a completed case closes its reason; entering a completed stage closes them all.
 */
function redAfter(
  view: ConfigView,
  open: Set<string>,
  from: string | undefined,
  next: NonNullable<Inferred>,
  records: readonly DeadlineRecord[],
): void {
  const fromCompleted = from !== undefined && isCompletedStage(view.stageOf(from) ?? '');
  for (const r of records) {
    if (r.op === 'fire' && !fromCompleted && view.config.deadlines[r.deadline]?.kind === 'duty')
      open.add(r.deadline);
  }
  if (fromCompleted) for (const d of next.stops) open.delete(d);
  if (next.entered && isCompletedStage(view.stageOf(next.to) ?? '')) open.clear();
}

function step(
  view: ConfigView,
  event: CaseEvent,
  from: string | undefined,
  to: string,
  red: boolean,
): CaseStep {
  const command = event.payload.command;
  return {
    seq: event.seq,
    at: event.at,
    type: event.type,
    actor: event.actor,
    command: command && typeof command === 'object' && !Array.isArray(command) ? command : {},
    payload: event.payload,
    records: recordsOf(event),
    from,
    to,
    fromStage: from === undefined ? undefined : view.stageOf(from),
    toStage: view.stageOf(to) ?? 'registration',
    red,
  };
}

/**
 * The view of the version each event was made under (a moved case's log spans two), and that
 * version's hash (the one it is compiled under).
 */
type ViewOf = (event: CaseEvent) => { view: ConfigView; hash: string };

function inferSteps(viewOf: ViewOf, events: readonly CaseEvent[]): CaseStep[] | undefined {
  const steps: CaseStep[] = [];
  let state: string | undefined;
  const open = new Set<string>();
  for (const event of events) {
    const { view } = viewOf(event);
    let next: Inferred;
    if (event.type === SUBMITTED || state === undefined)
      next = { to: view.config.process.initial, entered: true, stops: [] };
    else next = inferTarget(view, state, event);
    if (!next) return undefined;
    redAfter(view, open, state, next, recordsOf(event));
    steps.push(step(view, event, state, next.to, open.size > 0));
    state = next.to;
  }
  return steps;
}

function replaySteps(viewOf: ViewOf, events: readonly CaseEvent[]): CaseStep[] {
  const steps: CaseStep[] = [];
  let state: CaseState | undefined;
  for (const event of events) {
    const { view, hash } = viewOf(event);
    const from = state?.state;
    state = replayEvent(compileConfig(view.config, hash), state, event);
    steps.push(step(view, event, from, state.state, state.context.red.length > 0));
  }
  return steps;
}

/** Options of {@link caseSteps}. */
export interface CaseStepsOptions {
  /**
   * The config versions a moved case was on before, by hash (`store.getConfig`): its events
   * before the move are read under the version they were made under. Absent, or a version not
   * found: they are read under `config`, as far as it reads them.
   */
  versions?: (hash: string) => JurisdictionConfig | undefined;
}

/**
 * The steps of a case from its whole log, under `config`, the config it pinned. The result
 * agrees with the stored projection at the last event (state and red); a log the config alone
 * cannot read is replayed through the compiled machine.
 *
 * A case moved to another version (`config.migrated`) shows its steps before the move under the
 * new version's names: each state the move renamed (the plan's renames the event records, and
 * the case's own state then) is named as the new version names it, so a report counts the
 * history of one procedure, not two.
 */
export function caseSteps(
  config: JurisdictionConfig,
  projection: CaseProjection,
  events: readonly CaseEvent[],
  options: CaseStepsOptions = {},
): CaseStep[] {
  const current = { view: configView(config), hash: projection.configHash };
  const viewOf: ViewOf = (event) => {
    const version =
      event.configHash === projection.configHash ? undefined : options.versions?.(event.configHash);
    // compiled under its own hash only when it is that version: a compilation is cached by hash
    return version ? { view: configView(version), hash: event.configHash } : current;
  };
  const inferred = inferSteps(viewOf, events);
  const last = inferred?.at(-1);
  const steps =
    inferred && last && last.to === projection.state && last.red === (projection.colour === 'red')
      ? inferred
      : replaySteps(viewOf, events);
  return events.some((e) => e.type === CONFIG_MIGRATED) ? renamedSteps(viewOf, events, steps) : steps;
}

/**
 * The steps up to each move with the states it renamed under their new names (and the stages
 * the new version gives them). A renamed state is one the new version no longer has: the plan's
 * renames the event records, and the state the case itself was moved out of. A state both
 * versions have keeps its name, even when the move took the case elsewhere.
 */
function renamedSteps(viewOf: ViewOf, events: readonly CaseEvent[], steps: CaseStep[]): CaseStep[] {
  const out = [...steps];
  for (let i = out.length - 1; i >= 0; i--) {
    const moved = out[i] as CaseStep;
    if (moved.type !== CONFIG_MIGRATED) continue;
    const after = viewOf(events[i] as CaseEvent).view;
    const names = new Map<string, string>(renamesOf(moved.payload));
    if (moved.from !== undefined) names.set(moved.from, moved.to);
    for (const [a, b] of names)
      if (after.stageOf(a) !== undefined || after.stageOf(b) === undefined) names.delete(a);
    const rename = (state: string | undefined, stage: string | undefined) => {
      const to = state === undefined ? undefined : names.get(state);
      return to === undefined ? { state, stage } : { state: to, stage: after.stageOf(to) ?? stage };
    };
    for (let k = 0; k <= i; k++) {
      const s = out[k] as CaseStep;
      const from = rename(s.from, s.fromStage);
      const to = k === i ? { state: s.to, stage: s.toStage } : rename(s.to, s.toStage);
      out[k] = {
        ...s,
        from: from.state,
        fromStage: from.stage,
        to: to.state as string,
        toStage: to.stage ?? s.toStage,
      };
    }
  }
  return out;
}

/** The plan's state renames a `config.migrated` event records (`[old, new]`). */
function renamesOf(payload: JsonObject): [string, string][] {
  const list = payload.renamedStates;
  if (!Array.isArray(list)) return [];
  return list.flatMap((pair) =>
    Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string'
      ? [[pair[0], pair[1]] as [string, string]]
      : [],
  );
}
