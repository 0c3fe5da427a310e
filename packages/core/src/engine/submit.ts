/**
 * `submit`: a petition registered (Reg. 17-22). The petition is checked against the
 * jurisdiction's form, the submit rule sets decide (a repeat, a notice owed), and only then is a
 * case number drawn and the case's first event written, so a refusal consumes no number.
 */

import { compact, getPath, toJson } from '../base/json.js';
import { civilDate } from '../calendar/index.js';
import { accusedOf, awayFromAccused, withResolvedUnits } from '../compiler/accusation.js';
import { isPetitionerRole } from '../compiler/checks.js';
import type { CompiledConfig } from '../compiler/compile.js';
import type { CaseInput } from '../compiler/types.js';
import { identityKey as identityKeyOf, matterKey as matterKeyOf, noticeOwed } from '../rules/index.js';
import type { ActorRef, JsonObject } from '../store/types.js';
import { actorRefusal } from './admit.js';
import { CaseTx, resultOf } from './case-tx.js';
import { PetitionInvalidError, PetitionReceivedAtError, TransitionError } from './errors.js';
import { initialStep, SUBMITTED } from './fold.js';
import { claimOf, replayed } from './idempotency.js';
import type { IdentityKeyring } from './identity-keys.js';
import { HOLDER_PREFIX, MAX_HOLDERS, newQueryCode, queryCodeRecord } from './query-codes.js';
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
  const at = receivedBy(compiled, registration.petition, nowOf(rt));
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
  const issued = issueCodes(rt, caseId, codesWanted(registration, opts));
  const input: CaseInput = {
    ...registration,
    ...(issued.length > 0 ? { queryCodes: issued.map((q) => q.record) } : {}),
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
    responsibleUnit: input.responsibleUnit,
    queryCodes: input.queryCodes as unknown as JsonObject[] | undefined,
    decisions: recorded as JsonObject | undefined,
  });
  const tx = CaseTx.create(rt, compiled, caseId);
  await tx.step(initialStep(compiled, input), { type: SUBMITTED, at, actor, payload });
  const result = resultOf(await tx.commit(claim));
  // the codes in clear leave the engine here, once; the store has only their keyed hashes
  return issued.length > 0 ? { ...result, queryCodes: issued.map((q) => q.issued) } : result;
}

/**
 * How many query codes a registration issues: as asked, else none for a petitioner with an
 * account, else one per representative of a group (Reg. 20: at most five), else one.
 */
function codesWanted(registration: Registration, opts: SubmitOptions): number {
  if (opts.queryCodes !== undefined) {
    const n = opts.queryCodes;
    if (!Number.isInteger(n) || n < 0 || n > MAX_HOLDERS) {
      throw new PetitionInvalidError(
        [{ pointer: '(options)/queryCodes', message: `must be a whole number from 0 to ${MAX_HOLDERS}` }],
        '(options)',
      );
    }
    return n;
  }
  if (registration.petitionerId !== undefined) return 0;
  const reps = getPath(registration.petition, 'group.representatives');
  return typeof reps === 'number' && Number.isInteger(reps) && reps > 1 ? Math.min(reps, MAX_HOLDERS) : 1;
}

/** `n` new codes for a case: the records it keeps, and the codes to hand over. */
function issueCodes(rt: EngineRuntime, caseId: string, n: number) {
  return Array.from({ length: n }, (_, i) => {
    const holder = `${HOLDER_PREFIX}${i + 1}`;
    const code = newQueryCode(rt.random);
    const record = queryCodeRecord(rt.keys, caseId, holder, code);
    return { record, issued: { holder, code, hint: record.hint } };
  });
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

/**
 * The registration instant `at`, once the petition's receipt date is checked against it: periods
 * count from the matter's receipt (Reg. 22-23: "自收到…之日起"), so the date it was received may
 * not lie after the day it is registered, which is also never in the future.
 */
function receivedBy(compiled: CompiledConfig, petition: JsonObject, at: string): string {
  const received = petition.receivedAt;
  if (typeof received !== 'string') return at;
  const { id, timezone } = compiled.config.jurisdiction;
  const registeredOn = civilDate(at, timezone);
  if (received > registeredOn) throw new PetitionReceivedAtError(id, received, registeredOn);
  return at;
}

/** What a valid petition registers: the clean petition, its keys, its units and its petitioner. */
type Registration = Pick<
  CaseInput,
  'petition' | 'registeringUnit' | 'responsibleUnit' | 'identityKey' | 'matterKey' | 'petitionerId'
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
  // units named by id, registered name or alias are stored by id; other text stays, unresolved
  const clean = withResolvedUnits(config, toJson(petition) as JsonObject);
  const identityKey = keys.keyOf(identityKeyOf(config, clean));
  const matterKey = matterKeyOf(config, clean);
  const petitionerId = opts.petitionerId ?? (petitionerRole ? actor.id : undefined);
  const registeringUnit = petitionerRole ? String(receiving) : (actor.unit as string);
  // Reg. 30: an accusation against the very unit that received it goes to the body above
  const accused = accusedOf(config, compiled.units, clean).units;
  const responsibleUnit = awayFromAccused(config, compiled.units, accused, registeringUnit);
  return {
    petition: clean,
    registeringUnit,
    ...(responsibleUnit !== registeringUnit ? { responsibleUnit } : {}),
    ...(identityKey !== undefined ? { identityKey } : {}),
    ...(matterKey !== undefined ? { matterKey } : {}),
    ...(petitionerId !== undefined ? { petitionerId } : {}),
  };
}
