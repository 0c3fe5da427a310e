/**
 * Builds the XState machine of a config. Design:
 *
 * - Context = `{ data, red, violations, effects }` (see `types.ts`): the case data plus the
 *   colour's reasons and the effects of the current step.
 * - Every action is a parameterised `assign` (pure): XState's `transition()` applies `assign`s
 *   itself and returns other actions unexecuted, so the machine's whole result is the snapshot.
 * - Each transition's guard is `allowed { state, index }`, which runs the same checks the engine
 *   runs before a step (`checks.ts`): role, unit authority, payload, window, named guards.
 * - A transition with `to` re-enters its target (`reenter: true`), so a designation to another
 *   unit (`transferred -> transferred`) opens fresh acceptance and objection periods.
 * - Deadline expiry arrives as `<deadlineId>.expired`. A state may handle it (a window that
 *   closes the case); the root handles every one anyway, marking the period fired (and the case
 *   red for duty deadlines), so an expiry nobody handles is still recorded.
 * - No `after`: statutory periods are rows in the store, fired by the engine's `tick`.
 * - End states are XState `final` only when the config says `final: true`.
 */

import { assign, setup } from 'xstate';
import { expiryEvent, expiryOf } from '../config/expiry.js';
import { isCompletedStage } from '../config/stages.js';
import type { TransitionTable } from '../config/transitions.js';
import type { JurisdictionConfig, StateDef, TransitionDef } from '../config/types.js';
import { CONFIG_ACTIONS, INTERNAL_ACTIONS } from './actions/index.js';
import type { ActionImpl } from './actions/types.js';
import { type CheckEnv, checkAlternative, checkCommand, DECLARE_INTEREST } from './checks.js';
import type { CaseContext, CaseInput, MachineEvent } from './types.js';

type ActionRef = { type: string; params?: Record<string, unknown> };

/**
 * `completed`: the transition is taken in a state of a completed stage, where a duty that runs
 * out (a supervised body's overdue reply) is kept as a violation and the case stays blue.
 */
function transitionActions(
  config: JurisdictionConfig,
  type: string,
  def: TransitionDef,
  completed: boolean,
): ActionRef[] {
  const refs: ActionRef[] = [{ type: 'recordRuleDecisions' }];
  const deadline = expiryOf(type);
  if (deadline !== undefined && config.deadlines[deadline])
    refs.push({ type: 'deadlineFired', params: { deadline, completed } });
  for (const a of def.actions ?? []) refs.push({ type: a.type, params: a.params ?? {} });
  for (const d of def.stops ?? []) refs.push({ type: 'stopDeadline', params: { deadline: d } });
  if (def.extends !== undefined) refs.push({ type: 'extendDeadline', params: { deadline: def.extends } });
  for (const d of def.starts ?? [])
    refs.push({ type: 'startDeadline', params: { deadline: d, fromCommand: true } });
  for (const doc of def.issues ?? []) refs.push({ type: 'issueDocument', params: { document: doc } });
  const notice = def.extends === undefined ? undefined : config.deadlines[def.extends]?.extension?.notice;
  if (notice !== undefined) refs.push({ type: 'issueDocument', params: { document: notice } });
  return refs;
}

function entryActions(config: JurisdictionConfig, id: string, s: StateDef): ActionRef[] {
  const refs: ActionRef[] = [];
  for (const [d, def] of Object.entries(config.deadlines)) {
    if (def.pausedBy?.includes(id)) refs.push({ type: 'pauseDeadline', params: { deadline: d } });
  }
  for (const d of s.stops ?? []) refs.push({ type: 'stopDeadline', params: { deadline: d } });
  for (const d of s.starts ?? [])
    refs.push({ type: 'startDeadline', params: { deadline: d, onEntry: true } });
  for (const doc of s.issues ?? []) refs.push({ type: 'issueDocument', params: { document: doc } });
  if (isCompletedStage(s.stage)) refs.push({ type: 'completeCase' });
  return refs;
}

function exitActions(config: JurisdictionConfig, id: string): ActionRef[] {
  return Object.entries(config.deadlines)
    .filter(([, def]) => def.pausedBy?.includes(id))
    .map(([d]) => ({ type: 'resumeDeadline', params: { deadline: d } }));
}

/** The initial context of a case from its registration. */
export function initialContext(input: CaseInput): CaseContext {
  return {
    data: {
      caseId: input.caseId,
      submittedAt: input.at,
      petition: input.petition,
      ...(input.identityKey !== undefined ? { identityKey: input.identityKey } : {}),
      ...(input.matterKey !== undefined ? { matterKey: input.matterKey } : {}),
      registeringUnit: input.registeringUnit,
      responsibleUnit: input.responsibleUnit ?? input.registeringUnit,
      ...(input.petitionerId !== undefined ? { petitionerId: input.petitionerId } : {}),
      ...(input.queryCodes !== undefined ? { queryCodes: input.queryCodes } : {}),
      identityKnown: input.identityKnown,
      transfers:
        input.responsibleUnit !== undefined && input.responsibleUnit !== input.registeringUnit
          ? [{ from: input.registeringUnit, to: input.responsibleUnit, mode: 'accused', at: input.at }]
          : [],
      decisions: {},
      receipts: [],
      recused: [],
      deadlines: {},
      rules: { ...(input.decisions ?? {}) },
    },
    red: [],
    violations: [],
    effects: [],
  };
}

/** The action implementations as XState `assign`s, by name. */
function machineActions(env: CheckEnv): Record<string, unknown> {
  const { config } = env;
  const wrap = (impl: ActionImpl) =>
    assign(
      (
        { context, event }: { context: CaseContext; event: MachineEvent },
        params: Record<string, unknown> | undefined,
      ) => impl.apply({ context, event, config, units: env.units }, params ?? {}),
    );
  return Object.fromEntries(
    Object.entries({ ...CONFIG_ACTIONS, ...INTERNAL_ACTIONS }).map(([name, impl]) => [name, wrap(impl)]),
  );
}

/** The state node of `id`: its entry and exit actions and each event's guarded alternatives. */
function stateNode(config: JurisdictionConfig, table: TransitionTable, id: string, s: StateDef): object {
  const on: Record<string, object[]> = {};
  for (const { type, alternatives } of table.states.get(id)?.values() ?? []) {
    on[type] = alternatives.map((def, index) => ({
      ...(def.to !== undefined ? { target: def.to, reenter: true } : {}),
      guard: { type: 'allowed', params: { state: id, index } },
      actions: transitionActions(config, type, def, isCompletedStage(s.stage)),
    }));
  }
  // a duty that runs out once the case is complete (a supervised body's overdue reply) is
  // kept as a violation; the case stays blue (see deadlineFired). Appended last, so it also
  // catches an expiry whose own guarded transitions here all refuse it.
  if (isCompletedStage(s.stage)) {
    for (const d of Object.keys(config.deadlines)) {
      const fallback = { actions: [{ type: 'deadlineFired', params: { deadline: d, completed: true } }] };
      on[expiryEvent(d)] = [...(on[expiryEvent(d)] ?? []), fallback];
    }
  }
  return {
    entry: entryActions(config, id, s),
    exit: exitActions(config, id),
    on,
    ...(s.final ? { type: 'final' } : {}),
  };
}

/** What the root handles in every state: a declared interest, and every deadline's expiry. */
function rootHandlers(config: JurisdictionConfig): Record<string, object> {
  const rootOn: Record<string, object> = {
    [DECLARE_INTEREST]: { guard: 'builtinAllowed', actions: [{ type: 'declareInterest' }] },
  };
  for (const d of Object.keys(config.deadlines)) {
    rootOn[expiryEvent(d)] = { actions: [{ type: 'deadlineFired', params: { deadline: d } }] };
  }
  return rootOn;
}

/**
 * Builds the machine; `env` gives it the config, the unit registry and the payload validators,
 * `table` each state's events with their alternatives.
 */
export function buildMachine(env: CheckEnv, table: TransitionTable) {
  const { config } = env;
  const actions = machineActions(env);
  const states: Record<string, object> = {};
  for (const [id, s] of Object.entries(config.process.states)) states[id] = stateNode(config, table, id, s);

  return setup({
    types: {} as { context: CaseContext; events: MachineEvent; input: CaseInput },
    guards: {
      allowed: ({ context, event }, params: { state: string; index: number }) => {
        const def = env.transitions(params.state, event.type)[params.index];
        return (
          def !== undefined &&
          checkAlternative(env, params.state, params.index, def, context, event) === undefined
        );
      },
      builtinAllowed: ({ context, event }) => checkCommand(env, '', context, event).ok,
    },
    // Actions are built from a name table: XState's per-action parameter types cannot be
    // spelled for a table of configurable names.
    // biome-ignore lint/suspicious/noExplicitAny: see above
    actions: actions as any,
  }).createMachine({
    id: config.jurisdiction.id,
    context: ({ input }) => initialContext(input),
    initial: config.process.initial,
    on: rootHandlers(config),
    // biome-ignore lint/suspicious/noExplicitAny: the state tree is built from config data.
    states: states as any,
  });
}

/** The machine type the compiler produces. */
export type CaseMachine = ReturnType<typeof buildMachine>;
