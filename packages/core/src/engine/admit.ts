/**
 * Whether a command may run: the one judgement `send` and `allowedCommands` share, so the list
 * of commands offered to a person and the commands accepted from them can never disagree.
 *
 * Order (the first failure is reported): the actor (a role of the config, staff at a unit of the
 * registry), the command's existence, expiries (the clock's alone), the state (final, or no
 * transition for the command), then the rule step's decisions, and the alternatives of the
 * state (recusal, role, the petitioner's own case, unit authority, payload, extension limits,
 * window, named guards: `compiler/checks.ts`, which the machine's guards also run on replay).
 */

import { own } from '../base/json.js';
import { closest } from '../base/suggest.js';
import { unresolvedReferences } from '../compiler/accusation.js';
import { checkCommand, DECLARE_INTEREST } from '../compiler/checks.js';
import type { CompiledConfig } from '../compiler/compile.js';
import type { MachineEvent } from '../compiler/types.js';
import { isExpiry } from '../config/expiry.js';
import { guardsOf } from '../config/transitions.js';
import type { TransitionDef } from '../config/types.js';
import type { ActorRef, JsonObject } from '../store/types.js';
import { mayRead } from './access.js';
import { ActorInvalidError, CaseNotFoundError, TransitionError } from './errors.js';
import type { CaseState } from './fold.js';
import { HOLDER_PREFIX, holderIdRefused } from './query-codes.js';

/** A command as judged: its type as sent (not yet known to be a string), payload, actor, instant. */
export interface CommandRequest {
  type: unknown;
  payload: JsonObject;
  actor: ActorRef;
  at: string;
}

/** Options of `admit`. */
export interface AdmitOptions {
  /**
   * The command comes from the engine itself (the clock, a notifier's receipt, a calendar
   * move). Only then may the actor hold a system role: through the public API nobody can
   * claim to be the system.
   */
  internal?: boolean;
  /**
   * Judge without a payload (which commands could this actor send now?): payload checks and
   * guards that read the payload are skipped.
   */
  probe?: boolean;
  /**
   * Makes the rule step's decisions, called once the command is known to exist in the state; the
   * guards read them. A rule conflict it throws is the command's refusal.
   */
  decisions?: (type: string) => Promise<Record<string, JsonObject> | undefined>;
}

/** The verdict: the machine event to run and the alternative taken, or the refusal to throw. */
export type Admission =
  | { ok: true; event: MachineEvent; def: TransitionDef; index: number }
  | { ok: false; error: ActorInvalidError | CaseNotFoundError | TransitionError };

/**
 * Why an actor cannot act under this config at all, or undefined when it can. A system role is
 * the engine's own: an actor from outside (`internal` false) may never hold it.
 */
export function actorRefusal(
  compiled: CompiledConfig,
  actor: ActorRef,
  internal = false,
): ActorInvalidError | undefined {
  if (!actor || typeof actor.id !== 'string' || actor.id === '' || typeof actor.role !== 'string') {
    return new ActorInvalidError('an actor needs an id and a role', actor);
  }
  if (holderIdRefused(actor)) {
    return new ActorInvalidError(
      `actor ids beginning ${HOLDER_PREFIX} belong to query-code holders: present the code as queryCode instead`,
      actor,
    );
  }
  const role = own(compiled.config.roles, actor.role);
  if (!role) {
    return new ActorInvalidError(
      `role ${actor.role} is not a role of ${compiled.config.jurisdiction.id} (roles: ${Object.keys(compiled.config.roles).join(', ')})`,
      actor,
    );
  }
  if (role.system && !internal) {
    return new ActorInvalidError(
      `role ${actor.role} is the engine's own (the clock, receipts from notifiers, calendar moves): a person acts as staff or as a petitioner`,
      actor,
    );
  }
  if (!role.petitioner && !role.system && (actor.unit === undefined || !compiled.units.has(actor.unit))) {
    return new ActorInvalidError(
      `staff actor ${actor.id} must act for a unit of the registry (got ${actor.unit ?? 'none'})`,
      actor,
    );
  }
  return undefined;
}

/** The commands a person could send in a state: its transitions (expiries aside) and DECLARE_INTEREST. */
export function commandsOffered(compiled: CompiledConfig, state: string): string[] {
  const on = compiled.config.process.states[state]?.on ?? {};
  return [...Object.keys(on).filter((t) => !isExpiry(t)), DECLARE_INTEREST];
}

/** Judges a command on a case in state `from`. Never writes; throws only what `decisions` throws. */
export async function admit(
  compiled: CompiledConfig,
  caseId: string,
  from: CaseState,
  request: CommandRequest,
  options: AdmitOptions = {},
): Promise<Admission> {
  const { type, actor } = request;
  const where = { caseId, state: from.state, command: String(type), actor };
  const refuse = (code: ConstructorParameters<typeof TransitionError>[0], message: string, details = {}) =>
    ({ ok: false, error: new TransitionError(code, message, where, details) }) as const;

  const badActor = actorRefusal(compiled, actor, options.internal === true);
  if (badActor) return { ok: false, error: badActor };
  // a command on a case the actor may not read is refused as if the case did not exist
  if (
    options.internal !== true &&
    !mayRead(compiled, { state: from.state, data: from.context.data }, actor)
  ) {
    return { ok: false, error: new CaseNotFoundError(caseId) };
  }
  if (typeof type !== 'string' || (!compiled.commands.has(type) && !isExpiry(type))) {
    const guess = typeof type === 'string' ? closest(type, compiled.commands) : undefined;
    return refuse('COMMAND_UNKNOWN', `unknown command${guess ? `; did you mean ${guess}?` : ''}`, {
      ...(guess ? { suggestion: guess } : {}),
    });
  }
  if (isExpiry(type)) {
    return refuse('COMMAND_ROLE_FORBIDDEN', 'expiry comes only from the clock (tick), never as a command');
  }
  const stateDef = compiled.config.process.states[from.state];
  if (stateDef?.final || (type !== DECLARE_INTEREST && compiled.transitions(from.state, type).length === 0)) {
    const allowed = stateDef?.final
      ? []
      : commandsOffered(compiled, from.state).filter((t) => t !== DECLARE_INTEREST);
    return refuse(
      'COMMAND_NOT_ALLOWED_IN_STATE',
      `not allowed in state ${from.state}; allowed here: ${allowed.join(', ') || 'none'}`,
      { allowed },
    );
  }
  const decisions = options.decisions ? await options.decisions(type) : undefined;
  const event: MachineEvent = {
    type,
    payload: request.payload,
    actor,
    at: request.at,
    ...(decisions ? { decisions } : {}),
  };
  const verdict = checkCommand(compiled, from.state, from.context, event, { probe: options.probe === true });
  if (!verdict.ok) return { ok: false, error: TransitionError.refused(where, verdict.refusal) };
  const unresolved = unresolvedRefusal(compiled, from, verdict.def);
  if (unresolved) return refuse('COMMAND_GUARD_FAILED', unresolved.message, unresolved.details);
  return { ok: true, event, def: verdict.def, index: verdict.index };
}

/** Why an alternative that hands the case on or accepts it must wait: references still to resolve. */
function unresolvedRefusal(compiled: CompiledConfig, from: CaseState, def: TransitionDef) {
  if (!handsOver(compiled, from.state, def)) return undefined;
  const open = unresolvedReferences(compiled.config, compiled.units, from.context.data.petition);
  if (open.length === 0) return undefined;
  return {
    message: `the petition names ${open.map((r) => r.path).join(', ')} in words the registry does not know: resolve ${open.length > 1 ? 'them' : 'it'} first (RESOLVE_REFERENCE), then hand the case on or accept it (reg-2022 art. 22, 30)`,
    details: { guard: 'referencesResolved', params: {}, unresolved: open.map((r) => r.path) },
  };
}

/**
 * Whether an alternative hands the case to a unit or accepts it: it sets the responsible unit,
 * or it leads into handling. Neither may happen while the petition names a unit or an accused
 * person the registry does not know: the accused could not be kept from the case (Reg. 30).
 * Judged when a command is sent, not on replay, so cases written before stay as they were.
 */
function handsOver(compiled: CompiledConfig, state: string, def: TransitionDef): boolean {
  if ((def.actions ?? []).some((a) => a.type === 'setResponsibleUnit')) return true;
  // a body that receives an accusation takes it up itself (Reg. 30): it must be known not to be
  // the accused before it does
  const receivesAccusation = guardsOf(def).some(
    (g) =>
      g.type === 'matterClass' &&
      Array.isArray(g.params?.classes) &&
      (g.params.classes as unknown[]).includes('accusation'),
  );
  if (receivesAccusation) return true;
  return (
    def.to !== undefined && compiled.stageOf(def.to) === 'handling' && compiled.stageOf(state) !== 'handling'
  );
}
