/**
 * What the metrics read of one case as of an instant: its steps up to that instant, each duty
 * period and how it turned out, the rating, reviews and checks, and the supervision steps.
 * Events after the instant are ignored, so a report as of a past instant says what was known
 * then. Definitions: docs/metrics.md.
 */

import { own } from '../base/json.js';
import { civilDate } from '../calendar/index.js';
import { isPetitionerRole } from '../compiler/checks.js';
import type { AssignedBy, CaseData } from '../compiler/types.js';
import { authorityUnit } from '../compiler/units.js';
import type { JurisdictionConfig, ReportField } from '../config/types.js';
import { isCompletedStage } from '../status/colour.js';
import type { ActorRef, JsonObject } from '../store/types.js';
import { stepChecksAndActs } from './acts.js';
import { type CaseStep, caseSteps } from './timeline.js';
import type { ActFact, CaseFacts, CaseRecord, PeriodFact, RatingFact } from './types.js';
import { type ConfigView, configView } from './view.js';
import {
  ACCEPTANCE_STAGES,
  COMMANDS,
  OPINION_STAGE,
  PETITION_FIELDS,
  REEXAMINATION_STAGES,
  REVIEW_STAGE,
  SUPERVISION_STEPS,
} from './vocabulary.js';

/** What `caseFacts` needs besides the case. */
export interface CaseFactsOptions {
  /** The report's instant (ISO); events after it are ignored. */
  asOf: string;
  /** Whether an earlier case has the same petitioner and matter (see `repeatIndex`). */
  repeat?: boolean | null;
  /** Earlier versions of a moved case, by hash: see `CaseStepsOptions.versions`. */
  versions?: (hash: string) => JurisdictionConfig | undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The petition's value at a dotted path (`matter.category`), as text. */
function field(petition: JsonObject | undefined, path: string): string | undefined {
  let at: unknown = petition;
  for (const name of path.split('.')) {
    if (at === null || typeof at !== 'object' || Array.isArray(at)) return undefined;
    at = (at as JsonObject)[name];
  }
  return str(at);
}

/** The form field a report reads for `key`: the config's own name, else the national one. */
function fieldName(config: JurisdictionConfig, key: ReportField): string {
  return config.reporting?.fields?.[key] ?? PETITION_FIELDS[key];
}

/** The kind of matter: the petition's own, else the first rule set whose decision names one. */
function kindOf(config: JurisdictionConfig, first: CaseStep): string | undefined {
  const petition = first.payload.petition as JsonObject | undefined;
  const own = field(petition, fieldName(config, 'kind'));
  if (own) return own;
  const decisions = first.payload.decisions as Record<string, JsonObject> | undefined;
  for (const id of Object.keys(config.ruleSets ?? {})) {
    const merged = decisions?.[id]?.merged as JsonObject | null | undefined;
    const kind = str(merged?.kind);
    if (kind) return kind;
  }
  return undefined;
}

interface Transfer {
  from?: string;
  to?: string;
  mode?: string;
  at?: string;
}

function transfersOf(data: CaseData): Transfer[] {
  return Array.isArray(data.transfers) ? (data.transfers as Transfer[]) : [];
}

/**
 * The responsible unit and who last moved the case there: just before the step at `t`
 * (`before`: the body that owed a period is the one it was with when the step came), or as of
 * `t` (a period still open at the report's instant).
 */
function unitsAt(
  data: CaseData,
  t: string,
  before: boolean,
): Pick<CaseData, 'responsibleUnit' | 'assignedBy'> {
  const counts = (at: string) => (before ? at < t : at <= t);
  let responsibleUnit = data.registeringUnit;
  let assignedBy: AssignedBy | undefined;
  const transfers = transfersOf(data);
  for (const x of transfers) {
    if (typeof x.at !== 'string' || !counts(x.at) || typeof x.to !== 'string') continue;
    responsibleUnit = x.to;
    assignedBy =
      x.mode === 'transfer' || x.mode === 'assign' || x.mode === 'designate'
        ? { unit: x.from ?? data.registeringUnit, mode: x.mode, at: x.at }
        : undefined;
  }
  // after the last move the stored data is exact (a designation names the superior that made it)
  const last = transfers.at(-1);
  if (!last || (typeof last.at === 'string' && counts(last.at))) {
    return { responsibleUnit: data.responsibleUnit ?? responsibleUnit, assignedBy: data.assignedBy };
  }
  return { responsibleUnit, ...(assignedBy ? { assignedBy } : {}) };
}

function isStaff(config: JurisdictionConfig, actor: ActorRef): boolean {
  const role = own(config.roles, actor.role);
  return actor.unit !== undefined && !isPetitionerRole(config, actor.role) && role?.system !== true;
}

const DAY_MS = 86_400_000;

// every case of a report asks for the civil date of the same instant
let lastDate = { instant: '', zone: '', date: '' };
function civilDateOf(instant: string, zone: string): string {
  if (lastDate.instant !== instant || lastDate.zone !== zone)
    lastDate = { instant, zone, date: civilDate(instant, zone) };
  return lastDate.date;
}
const daysBetween = (a: string, b: string) =>
  Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);

interface OpenPeriod {
  deadline: string;
  row: string;
  /** Type of the step that started it. */
  startedBy: string;
  dueAt: string;
  paused: boolean;
  end?: { step: CaseStep; how: 'stop' | 'fire' };
}

/** Every period of every deadline, in the order they were started, with how each ended. */
function periodsOf(steps: readonly CaseStep[]): OpenPeriod[] {
  const rows = new Map<string, OpenPeriod>();
  for (const s of steps) {
    for (const r of s.records) {
      if (r.op === 'start') {
        rows.set(r.row, {
          deadline: r.deadline,
          row: r.row,
          startedBy: s.type,
          dueAt: r.dueAt ?? s.at,
          paused: false,
        });
        continue;
      }
      const p = rows.get(r.row);
      if (!p || p.end) continue;
      if (r.op === 'stop' || r.op === 'fire') p.end = { step: s, how: r.op };
      else {
        if (r.dueAt !== undefined) p.dueAt = r.dueAt;
        if (r.op === 'pause') p.paused = true;
        if (r.op === 'resume') p.paused = false;
      }
    }
  }
  return [...rows.values()];
}

/**
 * The facts of one case as of `options.asOf`, or undefined when it was registered after that.
 * `config` is the config the case pinned.
 */
export function caseFacts(
  record: CaseRecord,
  config: JurisdictionConfig,
  options: CaseFactsOptions,
): CaseFacts | undefined {
  const asOf = new Date(options.asOf).toISOString();
  const { projection } = record;
  const steps = caseSteps(
    config,
    projection,
    record.events,
    options.versions ? { versions: options.versions } : {},
  ).filter((s) => s.at <= asOf);
  const first = steps[0];
  const last = steps.at(-1);
  if (!first || !last) return undefined;
  const zone = config.jurisdiction.timezone;
  const view = configView(config);
  const data = projection.data as unknown as CaseData;
  const completed = isCompletedStage(last.toStage);
  const registeredDate = civilDate(first.at, zone);
  const all = periodsOf(steps);
  const fromSteps = stepChecksAndActs(steps);
  const { checks } = fromSteps;

  return {
    caseId: projection.caseId,
    jurisdictionId: projection.jurisdictionId,
    configHash: projection.configHash,
    registeredAt: first.at,
    registeredDate,
    ...petitionFacts({ config, data, asOf }, first),
    state: last.to,
    stage: last.toStage,
    colour: last.red ? 'red' : completed ? 'blue' : 'green',
    completed,
    ageDays: daysBetween(registeredDate, civilDateOf(asOf, zone)),
    periods: dutyPeriods({ view, data, asOf, last }, all),
    rating: ratingOf(steps, all, view.ratingWindows),
    repeat: options.repeat ?? null,
    opinion: steps.some((s) => s.toStage === OPINION_STAGE),
    reviewRequested: steps.some((s) => s.toStage === REVIEW_STAGE),
    reviewDecided: checks.some((c) => c.kind === 'review'),
    reexaminationRequested: steps.some((s) => REEXAMINATION_STAGES.has(s.toStage)),
    checks,
    // transfers come first: they are read from the case data, not from the steps
    acts: [...transferActs(data, asOf), ...fromSteps.acts],
  };
}

/** Who registered the case and who holds it now, and what the petition says it is about. */
function petitionFacts(
  { config, data, asOf }: { config: JurisdictionConfig; data: CaseData; asOf: string },
  first: CaseStep,
): Pick<CaseFacts, 'registeringUnit' | 'unit' | 'kind' | 'subject' | 'respondent' | 'channel'> {
  const petition = first.payload.petition as JsonObject | undefined;
  const unit = unitsAt(data, asOf, false).responsibleUnit;
  return {
    ...optional('registeringUnit', str(data.registeringUnit)),
    ...(unit ? { unit } : {}),
    ...optional('kind', kindOf(config, first)),
    ...optional('subject', field(petition, fieldName(config, 'subject'))),
    ...optional('respondent', field(petition, fieldName(config, 'respondent'))),
    ...optional('channel', field(petition, fieldName(config, 'channel'))),
  };
}

/** The transfers, assignments and designations made by `asOf`, as acts. */
function transferActs(data: CaseData, asOf: string): ActFact[] {
  const acts: ActFact[] = [];
  for (const x of transfersOf(data)) {
    if (typeof x.at !== 'string' || x.at > asOf) continue;
    if (x.mode === 'transfer' || x.mode === 'assign' || x.mode === 'designate')
      acts.push({ type: x.mode, at: x.at, ...(x.from ? { unit: x.from } : {}) });
  }
  return acts;
}

/** The case as the period facts read it: its config's view, its data, the instant and its last step. */
interface PeriodScope {
  view: ConfigView;
  data: CaseData;
  asOf: string;
  last: CaseStep;
}

/** The duty periods among `all`, each with its phase, verdict and the body that owed it. */
function dutyPeriods(scope: PeriodScope, all: readonly OpenPeriod[]): PeriodFact[] {
  const { view, asOf, last } = scope;
  const periods: PeriodFact[] = [];
  for (const p of all) {
    if (view.config.deadlines[p.deadline]?.kind !== 'duty') continue;
    const endAt = p.end?.step.at;
    const stage = p.end ? p.end.step.fromStage : last.toStage;
    const state = p.end ? (p.end.step.from ?? last.to) : last.to;
    const owner = ownerOf(scope, {
      deadline: p.deadline,
      state,
      t: endAt ?? asOf,
      ended: p.end !== undefined,
    });
    periods.push({
      deadline: p.deadline,
      row: p.row,
      phase: SUPERVISION_STEPS.has(p.startedBy)
        ? 'supervision'
        : stage !== undefined && ACCEPTANCE_STAGES.has(stage)
          ? 'acceptance'
          : 'completion',
      verdict: verdictOf(view.config, p, asOf),
      ...(owner ? { owner } : {}),
      dueAt: p.dueAt,
      ...(endAt ? { endedAt: endAt } : {}),
    });
  }
  return periods;
}

/**
 * How a period turned out: met when staff ended it in time, lapsed when the petitioner's side
 * (or the system) did, missed when it ran out; pending while open and not yet due.
 */
function verdictOf(config: JurisdictionConfig, p: OpenPeriod, asOf: string): PeriodFact['verdict'] {
  if (p.end?.how === 'fire') return 'missed';
  if (p.end) {
    const inTime = p.end.step.at < p.dueAt;
    return !inTime ? 'missed' : isStaff(config, p.end.step.actor) ? 'met' : 'lapsed';
  }
  return p.paused || p.dueAt > asOf ? 'pending' : 'missed';
}

/**
 * The body that owed a period: the authority that ends the deadline in `state`, resolved
 * against the units as they were at `t`, else the responsible unit then.
 */
function ownerOf(
  { view, data }: PeriodScope,
  at: { deadline: string; state: string; t: string; ended: boolean },
): string | undefined {
  const authority = view.owners.get(at.state)?.get(at.deadline) ?? view.anyState.get(at.deadline);
  const then = { ...data, ...unitsAt(data, at.t, at.ended) } as CaseData;
  return (authority && authorityUnit(view.units, then, authority)) || then.responsibleUnit;
}

const optional = <K extends string>(key: K, value: string | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, string>>;

/**
 * The rating as of the last step: the last `RATE`, else the latest rating window's end — run
 * out (or ended by another step) means not rated, never satisfied.
 */
function ratingOf(
  steps: readonly CaseStep[],
  periods: readonly OpenPeriod[],
  windows: ReadonlySet<string>,
): RatingFact {
  const rated = steps.filter((s) => s.type === COMMANDS.rate).at(-1);
  if (rated) {
    const value = str(rated.command.rating);
    return { status: 'rated', ...(value ? { value } : {}) };
  }
  const window = periods.filter((p) => windows.has(p.deadline)).at(-1);
  if (!window) return { status: 'not-owed' };
  return { status: window.end ? 'not-rated' : 'open' };
}
