/**
 * The facts rules read, built from a petition, the petitioner's earlier cases and the unit
 * registry. Pure: the time comes in as `now`, earlier cases as a list the caller fetched
 * (`store.query({ identityKey })`).
 */

import { type Calendar, civilDate } from '../calendar/index.js';
import { COMPLETED_STAGES, type JurisdictionConfig, LEVELS, type Stage } from '../config/types.js';
import type { CaseProjection } from '../store/types.js';
import { identityKey, matterKey, valueAt } from './keys.js';
import type { Decision } from './types.js';
import { bodiesFor } from './units.js';

/**
 * Every fact a rule may name, with what it holds. `checkRuleSets` refuses any other fact
 * (besides the ids of rule sets declared earlier, whose outcomes later sets read).
 */
export const FACT_NAMES: Readonly<Record<string, string>> = {
  petition: 'the petition as registered (paths are checked against the form schema)',
  today: "today's civil date in the jurisdiction's zone",
  now: 'the evaluation instant (ISO)',
  todayIsWorkingDay: 'whether today is a working day (null outside the calendar)',
  identityKey: 'normalised petitioner identity (null when no key list is complete)',
  matterKey: 'normalised matter key (null when the form defines none)',
  identityKnown: 'the petitioner is identified: an identity key exists and the petition is not anonymous',
  addressKnown: "the petitioner's postal address is given",
  contactKnown:
    'the petitioner can be written to: a postal address or a phone, or the petition came online (account)',
  anonymous: 'the petition is anonymous',
  groupSize: 'people in a group visit (0 when not a group)',
  groupRepresentatives: 'representatives a group visit chose (0 when not a group)',
  receivingUnit: 'the receiving unit as { id, level, kind, region } (null when unknown)',
  units: 'the unit registry',
  bodies:
    'routing candidates: { receiving, anchor, competent, competentCount, commonSuperior, discipline, politicalLegal, sameLevelPoliticalLegal, superior }',
  priorCases:
    "the petitioner's earlier cases, summarised ({ caseId, state, stage, colour, responsibleUnit, createdAt, sameMatter, open })",
  priorCaseCount: 'number of earlier cases',
  sameMatterCases: 'earlier cases on the same matter key, summarised',
  sameMatterStates: 'states of the earlier cases on the same matter',
  sameMatterStages: 'stages of the earlier cases on the same matter',
  sameMatterTerminated: 'an earlier case on the same matter reached the terminated stage (Reg. 36)',
  sameMatterOpen: 'an earlier case on the same matter is still open (not in a completed stage)',
  sameMatterOpenElsewhere:
    'an earlier case on the same matter is open at a lower body, within its time limit (not red) (Reg. 19)',
};

/** An earlier case as rules see it: no petition text, no personal data. */
export interface PriorCaseFact {
  caseId: string;
  state: string;
  stage: string;
  colour: string;
  responsibleUnit: string | null;
  createdAt: string;
  matterKey: string | null;
  sameMatter: boolean;
  /** Not in a completed stage. */
  open: boolean;
}

/** Input of {@link buildFacts}. */
export interface FactsInput {
  config: JurisdictionConfig;
  petition: unknown;
  /** The evaluation instant (the engine's clock). */
  now: Date | string;
  /** The jurisdiction's calendar, for `todayIsWorkingDay`. */
  calendar?: Calendar;
  /** The petitioner's earlier cases (`store.query({ identityKey })`); the new case itself excluded. */
  priorCases?: readonly CaseProjection[];
  /**
   * The `identityKey` fact, when the caller keys identities (the engine passes its keyed key,
   * so no decision it stores holds an ID number). Default: the plain key of the petition.
   */
  identityKey?: string | null;
}

const completed = new Set<string>(COMPLETED_STAGES);
const levelIndex = (config: JurisdictionConfig, unit: string | null | undefined): number => {
  const def = unit ? config.units?.[unit] : undefined;
  return def ? LEVELS.indexOf(def.level) : -1;
};

/**
 * The matter key of an earlier case: computed from its petition by the current form's rule
 * when the case holds it (so a key stored in another format cannot hide a repeat), else the
 * stored key.
 */
function priorMatterKey(config: JurisdictionConfig, c: CaseProjection): string | undefined {
  const petition = (c.data as Record<string, unknown> | undefined)?.petition;
  return petition !== undefined ? matterKey(config, petition) : c.matterKey;
}

function text(v: unknown): boolean {
  return typeof v === 'string' && v.trim() !== '';
}

/**
 * The facts for one petition (see {@link FACT_NAMES}). Facts are plain JSON with `null`
 * for "none", never `undefined`: json-rules-engine compares `undefined !== null` as true.
 */
export function buildFacts(input: FactsInput): Record<string, unknown> {
  const { config, petition, now, calendar } = input;
  const timezone = config.jurisdiction.timezone;
  const today = civilDate(now, timezone);
  const nowIso = typeof now === 'string' ? new Date(now).toISOString() : now.toISOString();
  const identity =
    input.identityKey !== undefined ? input.identityKey : (identityKey(config, petition) ?? null);
  const matter = matterKey(config, petition) ?? null;
  const anonymous =
    valueAt(petition, 'petitioner.anonymous') === true || valueAt(petition, 'petitioner.name') === '匿名';
  const bodies = bodiesFor(config, petition);
  const receiving = bodies.receiving;
  const receivingDef = receiving ? config.units[receiving] : undefined;

  const prior = priorCaseFacts(config, input.priorCases ?? [], matter);
  const same = prior.filter((c) => c.sameMatter);
  const openElsewhere = openBelow(config, same, receiving);

  let todayIsWorkingDay: boolean | null = null;
  if (calendar?.covers(today)) todayIsWorkingDay = calendar.isWorkingDay(today);

  return {
    petition,
    today,
    now: nowIso,
    todayIsWorkingDay,
    identityKey: identity,
    matterKey: matter,
    identityKnown: identity !== null && !anonymous,
    addressKnown: text(valueAt(petition, 'petitioner.address')),
    contactKnown:
      text(valueAt(petition, 'petitioner.address')) ||
      text(valueAt(petition, 'petitioner.phone')) ||
      valueAt(petition, 'channel') === 'online',
    anonymous,
    groupSize: numberOr0(valueAt(petition, 'group.size')),
    groupRepresentatives: numberOr0(valueAt(petition, 'group.representatives')),
    receivingUnit: receivingDef
      ? {
          id: receiving,
          level: receivingDef.level,
          kind: receivingDef.kind,
          region: receivingDef.region ?? null,
        }
      : null,
    units: config.units,
    bodies,
    priorCases: prior,
    priorCaseCount: prior.length,
    sameMatterCases: same,
    sameMatterStates: [...new Set(same.map((c) => c.state))],
    sameMatterStages: [...new Set(same.map((c) => c.stage))],
    sameMatterTerminated: same.some((c) => c.stage === 'terminated'),
    sameMatterOpen: same.some((c) => c.open),
    sameMatterOpenElsewhere: openElsewhere,
  };
}

/** The earlier cases as rules see them, oldest first, each marked whether it is on `matter`. */
function priorCaseFacts(
  config: JurisdictionConfig,
  cases: readonly CaseProjection[],
  matter: string | null,
): PriorCaseFact[] {
  return cases
    .map((c) => {
      const key = priorMatterKey(config, c) ?? null;
      return {
        caseId: c.caseId,
        state: c.state,
        stage: c.stage,
        colour: c.colour,
        responsibleUnit: c.responsibleUnit ?? null,
        createdAt: c.createdAt,
        matterKey: key,
        sameMatter: matter !== null && key === matter,
        open: !completed.has(c.stage as Stage),
      };
    })
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.caseId.localeCompare(b.caseId));
}

/**
 * Whether an earlier case on the same matter is open at a lower body than `receiving`.
 * Reg. 19: the higher body does not accept while the lower one handles the matter within
 * its time limit; a red case has missed a limit, so the petitioner may go up.
 */
function openBelow(
  config: JurisdictionConfig,
  same: readonly PriorCaseFact[],
  receiving: string | null | undefined,
): boolean {
  const receivingLevel = levelIndex(config, receiving);
  return same.some((c) => {
    if (!c.open || c.colour === 'red' || receivingLevel < 0) return false;
    return levelIndex(config, c.responsibleUnit) > receivingLevel;
  });
}

function numberOr0(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/**
 * Whether written notices are owed to the petitioner (Reg. 23: none where the name or the
 * address is unclear). A rule set's decision says so with the outcome key `noticeOwed` (the
 * last set that gives one wins); without one, the facts say it as national's acceptance rule
 * does: the petition is not anonymous and the petitioner can be written to. The engine records
 * this on the case (`data.identityKnown`), and the documents marked `waivedWhenIdentityUnclear`
 * are waived when it is false: one notion for the rules and the waiver.
 */
export function noticeOwed(
  facts: Record<string, unknown>,
  decisions: Record<string, Decision> = {},
): boolean {
  let decided: boolean | undefined;
  for (const d of Object.values(decisions)) {
    const v = d.merged?.noticeOwed;
    if (typeof v === 'boolean') decided = v;
  }
  return decided ?? (facts.anonymous !== true && facts.contactKnown === true);
}
