/**
 * The checks (reviews, re-examinations, spot checks) and the supervision acts a case's steps
 * record, for the metrics' overturn rates and the annual report. Apart from `facts.ts` because
 * the rules of counting them (one check per non-acceptance decision, suggestions answered by
 * the next adoption report) are their own. Definitions: docs/metrics.md.
 */

import type { CaseStep } from './timeline.js';
import type { ActFact, CheckFact } from './types.js';
import {
  ACCEPTANCE_STAGES,
  COMMANDS,
  NOT_ACCEPTED_STAGE,
  OVERTURNING_OUTCOMES,
  REEXAMINATION_STAGES,
  REVIEW_STAGE,
  WITHDRAWN_STAGE,
} from './vocabulary.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * The supervision-vocabulary steps the annual report counts, each with the payload field that
 * says what it was about (null: counted only; free text and leaders' names stay out of reports).
 */
const ACT_VALUES: Readonly<Record<string, string | null>> = {
  [COMMANDS.supervise]: 'ground',
  [COMMANDS.supervisionReply]: null,
  [COMMANDS.accountability]: 'ground',
  [COMMANDS.suggest]: 'kind',
  [COMMANDS.bookReception]: null,
  [COMMANDS.receptionHeld]: 'outcome',
  [COMMANDS.spotCheck]: 'finding',
  [COMMANDS.recordOutcome]: 'resolution',
  [COMMANDS.followUp]: 'measure',
  [COMMANDS.takeCharge]: null,
  [COMMANDS.jointReception]: 'outcome',
  [COMMANDS.reportUp]: 'urgency',
  [COMMANDS.recordConduct]: 'severity',
  [COMMANDS.handToPolice]: null,
  [COMMANDS.jointMeetingMeasure]: 'measure',
};

/** What the walk over the steps has found so far. */
interface Found {
  checks: CheckFact[];
  acts: ActFact[];
  /** The suggestions made, so an adoption report can answer the latest open one. */
  suggestions: ActFact[];
  /** Index in `checks` of the check of the current non-acceptance decision, if any. */
  episodeCheck: number | undefined;
}

/** The checks and acts of the steps, in step order. */
export function stepChecksAndActs(steps: readonly CaseStep[]): { checks: CheckFact[]; acts: ActFact[] } {
  const found: Found = { checks: [], acts: [], suggestions: [], episodeCheck: undefined };
  for (const s of steps) {
    recordCheck(found, s);
    recordAct(found, s);
  }
  return { checks: found.checks, acts: found.acts };
}

/** A review or re-examination decided, or a non-acceptance upheld or reopened on a spot check. */
function recordCheck(found: Found, s: CaseStep): void {
  const { checks } = found;
  const leftReview =
    s.fromStage === REVIEW_STAGE && s.toStage !== REVIEW_STAGE && s.toStage !== WITHDRAWN_STAGE;
  const leftReexamination =
    s.fromStage !== undefined &&
    REEXAMINATION_STAGES.has(s.fromStage) &&
    !REEXAMINATION_STAGES.has(s.toStage) &&
    s.toStage !== WITHDRAWN_STAGE;
  if (leftReview || leftReexamination) {
    checks.push({
      kind: leftReview ? 'review' : 'reexamination',
      overturned: OVERTURNING_OUTCOMES.has(String(s.command.outcome)),
      at: s.at,
    });
  }
  // One non-acceptance decision is checked once, whatever is recorded: a further upholding
  // check of the same decision is not another check (else recording checks again would dilute
  // the overturn rate), and a reopening replaces an upholding check of it.
  if (s.toStage === NOT_ACCEPTED_STAGE && s.fromStage !== NOT_ACCEPTED_STAGE) found.episodeCheck = undefined;
  if (s.type === COMMANDS.spotCheck && s.command.finding === 'upheld' && found.episodeCheck === undefined) {
    found.episodeCheck = checks.push({ kind: 'spot-check', overturned: false, at: s.at }) - 1;
  }
  if (s.fromStage === NOT_ACCEPTED_STAGE && ACCEPTANCE_STAGES.has(s.toStage)) {
    const reopened: CheckFact = { kind: 'spot-check', overturned: true, at: s.at };
    if (found.episodeCheck === undefined) checks.push(reopened);
    else checks[found.episodeCheck] = reopened;
    found.episodeCheck = undefined;
    found.acts.push({ type: 'reopen', at: s.at, ...(s.actor.unit ? { unit: s.actor.unit } : {}) });
  }
}

/** A supervision-vocabulary step as an act, or an adoption report answering a suggestion. */
function recordAct(found: Found, s: CaseStep): void {
  if (s.type === COMMANDS.reportAdoption) {
    // the engine answers the latest suggestion (`decisionOpen`); an earlier one still open
    // had its period run out unanswered before the next was made
    const open = found.suggestions.findLast((x) => x.adopted === null);
    if (open) open.adopted = s.command.adopted === true;
    return;
  }
  if (!Object.hasOwn(ACT_VALUES, s.type)) return;
  const key = ACT_VALUES[s.type];
  const value = key ? str(s.command[key]) : undefined;
  const act: ActFact = {
    type: s.type,
    at: s.at,
    ...(s.actor.unit ? { unit: s.actor.unit } : {}),
    ...(value ? { value } : {}),
  };
  if (s.type === COMMANDS.suggest) {
    act.adopted = null;
    found.suggestions.push(act);
  }
  found.acts.push(act);
}
