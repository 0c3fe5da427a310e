/**
 * Whether a command may be taken, and if not, why. One function serves both sides: the engine
 * calls it before a step to refuse with a precise coded error, and the compiled machine calls it
 * as the guard of each transition, so a replayed event meets the very same rules.
 *
 * Order of checks (the first failure is reported): role, the petitioner's own case, unit
 * authority, payload, extension limits, window, named guards. Recusal and the command's
 * existence are checked before, by the engine and `checkCommand`.
 */

import type { ErrorCode, PayloadProblem } from '../base/errors.js';
import { own } from '../base/json.js';
import { civilDate } from '../calendar/zone.js';
import { isExpiry } from '../config/expiry.js';
import { guardsOf } from '../config/transitions.js';
import type { JurisdictionConfig, TransitionDef } from '../config/types.js';
import type { JsonObject } from '../store/types.js';
import { GUARDS } from './guards/index.js';
import type { CaseContext, MachineEvent } from './types.js';
import { authorityUnit, holdsAuthority, type UnitRegistry } from './units.js';

/** A built-in command every state accepts from staff: the actor declares an interest (Reg. 28). */
export const DECLARE_INTEREST = 'DECLARE_INTEREST';

/** Why a command is refused: the error code and what to tell the person. */
export interface Refusal {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export type { PayloadProblem };

/** What checking needs of a compiled config. */
export interface CheckEnv {
  config: JurisdictionConfig;
  units: UnitRegistry;
  /** The transitions of `state` for `type` (a list of guarded alternatives). */
  transitions(state: string, type: string): readonly TransitionDef[];
  /** JSON Schema problems of a payload for alternative `index` of `state`/`type`. */
  payloadProblems(state: string, type: string, index: number, payload: JsonObject): PayloadProblem[];
}

/** `probe`: no payload yet (which commands could this actor send now?); payload checks are skipped. */
export interface CheckOptions {
  probe?: boolean;
}

/** Whether the role is the config's petitioner role. */
export function isPetitionerRole(config: JurisdictionConfig, role: string): boolean {
  return own(config.roles, role)?.petitioner === true;
}

/**
 * Whether the petitioner actor is the petitioner of this case: by the account id the case was
 * registered for, or as the holder of one of its query codes (a petitioner without an account;
 * the engine gives that holder's id only to whoever presented the code, `engine/query-codes.ts`).
 * Never by identity key: a key is made of an ID number, which is no proof of being that person
 * (and a keyed key is no actor id).
 */
export function ownsCase(context: Pick<CaseContext, 'data'>, actorId: string): boolean {
  const { petitionerId, queryCodes } = context.data;
  if (petitionerId !== undefined && actorId === petitionerId) return true;
  return (queryCodes ?? []).some((q) => q.holder === actorId);
}

const RANK = ['role', 'owner', 'unit', 'payload', 'extension', 'window', 'guard'] as const;

function refuse(
  stage: (typeof RANK)[number],
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
): Failure {
  return { stage: RANK.indexOf(stage), refusal: { code, message, ...(details ? { details } : {}) } };
}

function unitLabel(env: CheckEnv, unit: string | undefined): string {
  if (unit === undefined) return 'none';
  const name = env.units.get(unit)?.name;
  return name ? `${unit} (${name})` : unit;
}

/** A refused alternative: the stage it failed at (see `RANK`) and the refusal. */
type Failure = { stage: number; refusal: Refusal };

/** One alternative being checked against one command, with what every stage reads. */
interface Attempt {
  env: CheckEnv;
  state: string;
  /** The alternative's index among the state's transitions for the command. */
  index: number;
  def: TransitionDef;
  context: CaseContext;
  event: MachineEvent;
  /** No payload yet: the payload checks are skipped, payload-reading guards only asked if possible. */
  probe: boolean;
}

function extraPayloadProblems({ env, def, context, event }: Attempt): PayloadProblem[] {
  const problems: PayloadProblem[] = [];
  const p = event.payload;
  for (const action of def.actions ?? []) {
    if (action.type === 'setResponsibleUnit') {
      const field = String(action.params?.from ?? 'unit');
      const unit = p[field];
      if (typeof unit === 'string' && !env.units.has(unit)) {
        problems.push({
          pointer: `/${field}`,
          message: 'names no unit of the registry (give the id of a registered unit)',
        });
      } else if (unit === context.data.responsibleUnit) {
        problems.push({ pointer: `/${field}`, message: 'names the unit already responsible for the case' });
      }
    }
    if (action.type === 'recordReceipt' && typeof p.receivedAt === 'string') {
      const today = civilDate(event.at, env.config.jurisdiction.timezone);
      if (p.receivedAt > today) {
        problems.push({
          pointer: '/receivedAt',
          message: `is after today (${today}): a receipt cannot be recorded ahead of the day`,
        });
      }
    }
  }
  for (const id of def.starts ?? []) {
    const dl = env.config.deadlines[id];
    if (dl?.settable && typeof p.days === 'number' && p.days > dl.days) {
      problems.push({
        pointer: '/days',
        message: `${p.days} days exceeds the statutory ${dl.days} days of ${id} (${dl.basis}); a shorter period may be set, never a longer one`,
      });
    }
  }
  return problems;
}

/** The clock alone sends expiries; anyone else must hold one of the alternative's roles. */
function roleRefusal({ def, event }: Attempt): Failure | undefined {
  const { actor } = event;
  if (isExpiry(event.type) && actor.role !== 'system') {
    return refuse(
      'role',
      'COMMAND_ROLE_FORBIDDEN',
      `${event.type} comes only from the clock (tick), not from ${actor.role}`,
    );
  }
  if (!def.roles.includes(actor.role)) {
    return refuse(
      'role',
      'COMMAND_ROLE_FORBIDDEN',
      `${event.type} may be sent by ${def.roles.join(', ')}, not ${actor.role}`,
      {
        allowedRoles: def.roles,
      },
    );
  }
  return undefined;
}

/** A petitioner acts only on their own case. */
function ownerRefusal({ env, context, event }: Attempt): Failure | undefined {
  const { actor } = event;
  if (isPetitionerRole(env.config, actor.role) && !ownsCase(context, actor.id)) {
    return refuse(
      'owner',
      'COMMAND_ROLE_FORBIDDEN',
      `petitioner ${actor.id} is not the petitioner of this case`,
    );
  }
  return undefined;
}

/** Staff act for the unit the alternative's authority names (petitioners and the clock need none). */
function unitRefusal({ env, def, context, event }: Attempt): Failure | undefined {
  const { actor } = event;
  const authority = def.authority ?? 'any';
  if (
    !isPetitionerRole(env.config, actor.role) &&
    actor.role !== 'system' &&
    !holdsAuthority(env.units, context.data, actor, authority)
  ) {
    const unit = authority === 'any' ? undefined : authorityUnit(env.units, context.data, authority);
    return refuse(
      'unit',
      'COMMAND_UNIT_FORBIDDEN',
      `${event.type} here is for the ${authority} unit, ${unitLabel(env, unit)}; ${actor.id} acts for ${unitLabel(env, actor.unit)}`,
      { authority, requiredUnit: unit ?? null, actorUnit: actor.unit ?? null },
    );
  }
  return undefined;
}

/** The payload fits the alternative's schema, then what the schema cannot say. */
function payloadRefusal(a: Attempt): Failure | undefined {
  const { env, event } = a;
  // An expiry's payload is the engine's own record of the row, not a person's input.
  if (a.probe || isExpiry(event.type)) return undefined;
  const problems = [...env.payloadProblems(a.state, event.type, a.index, event.payload)];
  if (problems.length === 0) problems.push(...extraPayloadProblems(a));
  if (problems.length === 0) return undefined;
  return refuse(
    'payload',
    'COMMAND_PAYLOAD_INVALID',
    `${event.type} payload: ${problems.map((p) => `${p.pointer || '/'} ${p.message}`).join('; ')}`,
    { problems },
  );
}

/** An extension is approved by an allowed role, of a running period, within its count and days. */
function extensionRefusal({ def, env, context, event, probe }: Attempt): Failure | undefined {
  const id = def.extends;
  if (id === undefined) return undefined;
  const dl = env.config.deadlines[id];
  const ext = dl?.extension;
  const code: ErrorCode = 'DEADLINE_EXTENSION_REFUSED';
  if (!dl || !ext) return refuse('extension', code, `deadline ${id} may not be extended`, { deadline: id });
  if (!ext.approvedBy.includes(event.actor.role)) {
    return refuse(
      'extension',
      code,
      `an extension of ${id} is approved by ${ext.approvedBy.join(', ')}, not ${event.actor.role} (${ext.basis})`,
      {
        deadline: id,
      },
    );
  }
  const d = context.data.deadlines[id];
  if (!d || (d.status !== 'running' && d.status !== 'paused')) {
    return refuse(
      'extension',
      code,
      `deadline ${id} is not running (${d?.status ?? 'never started'}): only a running period can be extended`,
      {
        deadline: id,
      },
    );
  }
  if (d.extensions >= ext.times) {
    return refuse(
      'extension',
      code,
      `deadline ${id} was already extended ${d.extensions} time(s); at most ${ext.times} (${ext.basis})`,
      {
        deadline: id,
      },
    );
  }
  const days = event.payload.days;
  if (!probe && typeof days === 'number' && days > ext.maxDays) {
    return refuse(
      'extension',
      code,
      `an extension of ${id} may add at most ${ext.maxDays} days, not ${days} (${ext.basis})`,
      {
        deadline: id,
      },
    );
  }
  return undefined;
}

/** A command allowed only `within` a deadline comes while that deadline runs and is not past due. */
function windowRefusal({ env, def, context, event }: Attempt): Failure | undefined {
  if (def.within === undefined) return undefined;
  const w = context.data.deadlines[def.within];
  const open =
    w?.status === 'running' && (w.dueAt === undefined || Date.parse(event.at) < Date.parse(w.dueAt));
  if (open) return undefined;
  // a request before any receipt was recorded is itself the receipt (`receiptByRequest`): the
  // window opens on the request's day, so it cannot have closed
  if (
    w === undefined &&
    (def.actions ?? []).some((a) => a.type === 'receiptByRequest' && a.params?.window === def.within)
  )
    return undefined;
  const why = !w ? 'has not started' : w.status === 'running' ? `ended on ${w.dueDate}` : `is ${w.status}`;
  const basis = env.config.deadlines[def.within]?.basis;
  return refuse(
    'window',
    'COMMAND_WINDOW_CLOSED',
    `${event.type} is allowed only within ${def.within}, which ${why}${basis ? ` (${basis})` : ''}`,
    {
      window: def.within,
    },
  );
}

/** Each named guard holds (a probe asks a payload-reading guard only whether it could). */
function guardRefusal({ env, def, context, event, probe }: Attempt): Failure | undefined {
  for (const g of guardsOf(def)) {
    const impl = GUARDS[g.type];
    if (!impl) return refuse('guard', 'COMMAND_GUARD_FAILED', `unknown guard ${g.type}`, { guard: g.type });
    const args = { context, event, config: env.config, units: env.units };
    const holds =
      probe && impl.readsPayload
        ? (impl.possible?.(args, g.params ?? {}) ?? true)
        : impl.check(args, g.params ?? {});
    if (holds) continue;
    const own = impl.explain?.(args, g.params ?? {});
    if (own) {
      return refuse('guard', own.code ?? 'COMMAND_GUARD_FAILED', own.message, {
        guard: g.type,
        params: g.params ?? {},
        ...own.details,
      });
    }
    return refuse(
      'guard',
      'COMMAND_GUARD_FAILED',
      `${event.type} refused: guard ${g.type}${g.params ? ` ${JSON.stringify(g.params)}` : ''} does not hold`,
      {
        guard: g.type,
        params: g.params ?? {},
      },
    );
  }
  return undefined;
}

/** The stages in the order of `RANK`: the first that refuses decides. */
const STAGE_CHECKS: readonly ((a: Attempt) => Failure | undefined)[] = [
  roleRefusal,
  ownerRefusal,
  unitRefusal,
  payloadRefusal,
  extensionRefusal,
  windowRefusal,
  guardRefusal,
];

/**
 * Checks one alternative. Returns undefined when it may be taken, else the stage it failed at
 * (for choosing which alternative's refusal to report) and the refusal.
 */
export function checkAlternative(
  env: CheckEnv,
  state: string,
  index: number,
  def: TransitionDef,
  context: CaseContext,
  event: MachineEvent,
  options: CheckOptions = {},
): { stage: number; refusal: Refusal } | undefined {
  const attempt: Attempt = { env, state, index, def, context, event, probe: options.probe === true };
  for (const check of STAGE_CHECKS) {
    const failed = check(attempt);
    if (failed) return failed;
  }
  return undefined;
}

/**
 * Checks a command against the alternatives of the current state. Returns the index of the
 * alternative taken, or the refusal of the alternative that got furthest.
 */
export function checkCommand(
  env: CheckEnv,
  state: string,
  context: CaseContext,
  event: MachineEvent,
  options: CheckOptions = {},
): { ok: true; index: number; def: TransitionDef } | { ok: false; refusal: Refusal } {
  if (context.data.recused.includes(event.actor.id)) {
    return {
      ok: false,
      refusal: {
        code: 'COMMAND_ACTOR_RECUSED',
        message: `${event.actor.id} declared an interest in this case and may not act on it (reg-2022 art. 28)`,
      },
    };
  }
  if (event.type === DECLARE_INTEREST) {
    const role = own(env.config.roles, event.actor.role);
    if (!role || role.petitioner || role.system) {
      return {
        ok: false,
        refusal: {
          code: 'COMMAND_ROLE_FORBIDDEN',
          message: `${DECLARE_INTEREST} is for staff, not ${event.actor.role}`,
        },
      };
    }
    return { ok: true, index: 0, def: { roles: [event.actor.role] } };
  }
  const alternatives = env.transitions(state, event.type);
  let worst: { stage: number; refusal: Refusal } | undefined;
  for (const [index, def] of alternatives.entries()) {
    const failed = checkAlternative(env, state, index, def, context, event, options);
    if (!failed) return { ok: true, index, def };
    if (!worst || failed.stage > worst.stage) worst = failed;
  }
  return {
    ok: false,
    refusal: worst?.refusal ?? {
      code: 'COMMAND_NOT_ALLOWED_IN_STATE',
      message: `${event.type} is not allowed in ${state}`,
    },
  };
}
