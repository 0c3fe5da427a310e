/**
 * `submit`: a petition registered (Reg. 17-22). The petition is checked against the
 * jurisdiction's form, the submit rule sets decide (a repeat, a notice owed), and only then is a
 * case number drawn and the case's first event written, so a refusal consumes no number.
 */

import { compact, toJson } from '../base/json.js';
import { civilDate } from '../calendar/index.js';
import { isPetitionerRole } from '../compiler/checks.js';
import type { CaseInput } from '../compiler/types.js';
import { identityKey as identityKeyOf, matterKey as matterKeyOf, noticeOwed } from '../rules/index.js';
import type { ActorRef, JsonObject } from '../store/types.js';
import { actorRefusal } from './admit.js';
import { CaseTx, resultOf } from './case-tx.js';
import { PetitionInvalidError, TransitionError } from './errors.js';
import { initialStep, SUBMITTED } from './fold.js';
import { claimOf, replayed } from './idempotency.js';
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
  const { config } = compiled;
  const jid = config.jurisdiction.id;
  const badActor = actorRefusal(compiled, actor);
  if (badActor) throw badActor;
  const petitionerRole = isPetitionerRole(config, actor.role);
  if (petitionerRole ? petition?.channel !== 'online' : !REGISTRAR_ROLES.includes(actor.role)) {
    throw new TransitionError(
      'COMMAND_ROLE_FORBIDDEN',
      petitionerRole
        ? 'a petitioner registers a petition only online; other channels are registered by staff'
        : `petitions are registered by ${REGISTRAR_ROLES.join(', ')}, not ${actor.role}`,
      { caseId: '(new)', state: '(none)', command: SUBMITTED, actor },
    );
  }
  const claim = claimOf(opts.idempotencyKey, {
    op: 'submit',
    jurisdiction: jid,
    petition,
    actor,
    petitionerId: opts.petitionerId ?? null,
  });
  const again = await replayed(rt.store, claim);
  if (again) return again;

  const problems = compiled.petitionProblems(petition);
  const receiving = petition?.receivingUnit;
  if (typeof receiving === 'string' && !compiled.units.has(receiving)) {
    problems.push({ pointer: '/receivingUnit', message: `${receiving} is not a unit of the registry` });
  }
  if (problems.length > 0) throw new PetitionInvalidError(problems, jid);
  const registeringUnit = petitionerRole ? String(receiving) : (actor.unit as string);

  const at = nowOf(rt);
  const clean = toJson(petition) as JsonObject;
  const identityKey = identityKeyOf(config, clean);
  const matterKey = matterKeyOf(config, clean);
  const petitionerId = opts.petitionerId ?? (petitionerRole ? actor.id : undefined);
  // rules run before the case number is drawn: a refusal (RULE_CONFLICT) writes nothing
  const { facts, decisions } = await runRuleStep(rt, compiled, {
    trigger: { kind: 'submit', type: SUBMITTED },
    ids: ruleSetsAt(config, 'submit', []),
    at,
    petition: clean,
    identityKey,
    seen: { petition: clean },
  });

  await rt.configs.persist(compiled);
  const year = civilDate(at, config.jurisdiction.timezone).slice(0, 4);
  const seq = await rt.store.nextSequence(`case:${jid}:${year}`);
  const caseId = rt.formatCaseId({ jurisdiction: jid, year, seq });
  const identityKnown = noticeOwed(facts, decisions);
  const recorded = decisions as unknown as Record<string, JsonObject> | undefined;
  const input: CaseInput = {
    caseId,
    petition: clean,
    registeringUnit,
    identityKnown,
    actor,
    at,
    ...(identityKey !== undefined ? { identityKey } : {}),
    ...(matterKey !== undefined ? { matterKey } : {}),
    ...(petitionerId !== undefined ? { petitionerId } : {}),
    ...(recorded ? { decisions: recorded } : {}),
  };
  const payload: JsonObject = compact({
    petition: clean,
    registeringUnit,
    identityKnown,
    identityKey,
    matterKey,
    petitionerId,
    decisions: recorded as JsonObject | undefined,
  });
  const tx = CaseTx.create(rt, compiled, caseId);
  await tx.step(initialStep(compiled, input), { type: SUBMITTED, at, actor, payload });
  return resultOf(await tx.commit(claim));
}
