/**
 * `submit`: a petition registered (Reg. 17-22). The petition is checked against the
 * jurisdiction's form, the submit rule sets decide (a repeat, a notice owed), and only then is a
 * case number drawn and the case's first event written, so a refusal consumes no number.
 */

import { compact, toJson } from '../base/json.js';
import { civilDate } from '../calendar/index.js';
import { isPetitionerRole } from '../compiler/checks.js';
import type { CompiledConfig } from '../compiler/compile.js';
import type { CaseInput } from '../compiler/types.js';
import { identityKey as identityKeyOf, matterKey as matterKeyOf, noticeOwed } from '../rules/index.js';
import type { ActorRef, JsonObject } from '../store/types.js';
import { actorRefusal } from './admit.js';
import { CaseTx, resultOf } from './case-tx.js';
import { PetitionInvalidError, TransitionError } from './errors.js';
import { initialStep, SUBMITTED } from './fold.js';
import { claimOf, replayed } from './idempotency.js';
import type { IdentityKeyring } from './identity-keys.js';
import { runRuleStep } from './rule-step.js';
import { ruleSetsAt } from './rules.js';
import { type EngineRuntime, nowOf } from './runtime.js';
import type { CommandResult, SubmitOptions } from './types.js';

/** The roles that register petitions on others' behalf (a petitioner registers only their own, online). */
const REGISTRAR_ROLES = ['registrar'];

/** Registers a petition as a new case. */
export async function submitPetition(
  rt: EngineRuntime,
  petition: Record<string, unknown>,
  actor: ActorRef,
  opts: SubmitOptions = {},
): Promise<CommandResult> {
  const compiled = rt.configs.choose(opts.jurisdiction);
  const jid = compiled.config.jurisdiction.id;
  refuseSubmitter(compiled, actor, petition);
  const claim = claimOf(opts.idempotencyKey, actor, {
    op: 'submit',
    jurisdiction: jid,
    petition,
    actor,
    petitionerId: opts.petitionerId ?? null,
  });
  const again = await replayed(rt.store, claim);
  if (again) return again;
  const registration = registrationOf(compiled, petition, actor, opts, rt.keys);
  // rules run before the case number is drawn: a refusal (RULE_CONFLICT) writes nothing
  const at = nowOf(rt);
  const { facts, decisions } = await runRuleStep(rt, compiled, {
    trigger: { kind: 'submit', type: SUBMITTED },
    ids: ruleSetsAt(compiled.config, 'submit', []),
    at,
    petition: registration.petition,
    seen: { petition: registration.petition },
  });
  await rt.configs.persist(compiled);
  const year = civilDate(at, compiled.config.jurisdiction.timezone).slice(0, 4);
  const seq = await rt.store.nextSequence(`case:${jid}:${year}`);
  const caseId = rt.formatCaseId({ jurisdiction: jid, year, seq });
  const recorded = decisions as unknown as Record<string, JsonObject> | undefined;
  const input: CaseInput = {
    ...registration,
    caseId,
    identityKnown: noticeOwed(facts, decisions),
    actor,
    at,
    ...(recorded ? { decisions: recorded } : {}),
  };
  const payload: JsonObject = compact({
    petition: input.petition,
    registeringUnit: input.registeringUnit,
    identityKnown: input.identityKnown,
    identityKey: input.identityKey,
    matterKey: input.matterKey,
    petitionerId: input.petitionerId,
    decisions: recorded as JsonObject | undefined,
  });
  const tx = CaseTx.create(rt, compiled, caseId);
  await tx.step(initialStep(compiled, input), { type: SUBMITTED, at, actor, payload });
  return resultOf(await tx.commit(claim));
}

/** Refuses an actor who may not register this petition: staff other than registrars, a petitioner offline. */
function refuseSubmitter(compiled: CompiledConfig, actor: ActorRef, petition: Record<string, unknown>): void {
  const badActor = actorRefusal(compiled, actor);
  if (badActor) throw badActor;
  const petitionerRole = isPetitionerRole(compiled.config, actor.role);
  if (petitionerRole ? petition?.channel === 'online' : REGISTRAR_ROLES.includes(actor.role)) return;
  throw new TransitionError(
    'COMMAND_ROLE_FORBIDDEN',
    petitionerRole
      ? 'a petitioner registers a petition only online; other channels are registered by staff'
      : `petitions are registered by ${REGISTRAR_ROLES.join(', ')}, not ${actor.role}`,
    { caseId: '(new)', state: '(none)', command: SUBMITTED, actor },
  );
}

/** What a valid petition registers: the clean petition, its keys, its units and its petitioner. */
type Registration = Pick<
  CaseInput,
  'petition' | 'registeringUnit' | 'identityKey' | 'matterKey' | 'petitionerId'
>;

/**
 * Checks the petition against the form and the registry (every problem at once), and keys it:
 * the identity key is kept only in its keyed form.
 */
function registrationOf(
  compiled: CompiledConfig,
  petition: Record<string, unknown>,
  actor: ActorRef,
  opts: SubmitOptions,
  keys: IdentityKeyring,
): Registration {
  const { config } = compiled;
  const problems = compiled.petitionProblems(petition);
  const receiving = petition?.receivingUnit;
  if (typeof receiving === 'string' && !compiled.units.has(receiving)) {
    problems.push({
      pointer: '/receivingUnit',
      message: 'names no unit of the registry (give the id of a registered unit)',
    });
  }
  if (problems.length > 0) throw new PetitionInvalidError(problems, config.jurisdiction.id);
  const petitionerRole = isPetitionerRole(config, actor.role);
  const clean = toJson(petition) as JsonObject;
  const identityKey = keys.keyOf(identityKeyOf(config, clean));
  const matterKey = matterKeyOf(config, clean);
  const petitionerId = opts.petitionerId ?? (petitionerRole ? actor.id : undefined);
  return {
    petition: clean,
    registeringUnit: petitionerRole ? String(receiving) : (actor.unit as string),
    ...(identityKey !== undefined ? { identityKey } : {}),
    ...(matterKey !== undefined ? { matterKey } : {}),
    ...(petitionerId !== undefined ? { petitionerId } : {}),
  };
}
