/**
 * The shapes of the metrics: what is read of one case (`CaseFacts`), and what a report gives
 * back (`MetricsReport`, `AnnualReport`, `HotSpot`). Plain JSON throughout. Every rate is a
 * `Ratio`: a count, what it is counted of, and the rate, which is null (not 0) when there is
 * nothing to count it of. Definitions: docs/metrics.md.
 */

import type { MetricId } from '../config/types.js';
import type { CaseEvent, CaseProjection, Colour } from '../store/types.js';

/** One case as stored: its projection and its whole event log. */
export interface CaseRecord {
  projection: CaseProjection;
  events: CaseEvent[];
}

/** How a duty period turned out, as of the report's instant. */
export type PeriodVerdict =
  /** Ended by a body's step before it ran out. */
  | 'met'
  /** Ran out (fired by the clock, ended late, or overdue and still open). */
  | 'missed'
  /** Still running (or paused) and not yet due. */
  | 'pending'
  /** Ended in time by the petitioner or the clock (a withdrawal): no body met or missed it. */
  | 'lapsed';

/**
 * Whether a period is judged for on-time acceptance or on-time completion, or is a supervised
 * body's written answer to supervision (counted by the annual report).
 */
export type PeriodPhase = 'acceptance' | 'completion' | 'supervision';

/** One period of a duty deadline of a case. */
export interface PeriodFact {
  deadline: string;
  row: string;
  phase: PeriodPhase;
  verdict: PeriodVerdict;
  /** The body that owed the duty (undefined when the registry names none). */
  owner?: string;
  /** The instant the period ran out (after extensions, pauses and calendar moves). */
  dueAt: string;
  /** When a step or the clock ended it; absent while open. */
  endedAt?: string;
}

/** The petitioner's rating of a case, as of the report's instant (Reg. 21). */
export interface RatingFact {
  /**
   * `rated`; `not-rated` (the rating window ran out first); `open` (the window is running);
   * `not-owed` (no rating window was opened).
   */
  status: 'rated' | 'not-rated' | 'open' | 'not-owed';
  /** The last rating given (`satisfied`, `basically-satisfied`, `dissatisfied`). */
  value?: string;
}

/** A decision that upheld or overturned the one below it. */
export interface CheckFact {
  /** A review (Reg. 35), a re-examination (Reg. 36), or a spot check of a non-acceptance (Reg. 44). */
  kind: 'review' | 'reexamination' | 'spot-check';
  overturned: boolean;
  at: string;
}

/**
 * A step the annual report counts (Reg. 41): a transfer, assignment or designation (by its
 * mode), or a supervision-vocabulary command (`SUPERVISE`, `SUGGEST`, ...) with its main value.
 */
export interface ActFact {
  type: string;
  at: string;
  /** The unit that acted (the transferring body; the supervising bureau). */
  unit?: string;
  /** The kind of suggestion, the ground of accountability, the outcome of a reception, ... */
  value?: string;
  /** For a `SUGGEST`: whether the recipient reported adopting it (null: no report yet). */
  adopted?: boolean | null;
}

/** Everything the metrics need of one case, as of one instant. */
export interface CaseFacts {
  caseId: string;
  jurisdictionId: string;
  configHash: string;
  registeredAt: string;
  /** Civil date of registration in the jurisdiction's zone. */
  registeredDate: string;
  /** The body that registered the petition (where it came in). */
  registeringUnit?: string;
  /** The responsible body as of the instant. */
  unit?: string;
  /** Kind of matter (Reg. 29-31): the petition's, else the classification rules'. */
  kind?: string;
  subject?: string;
  /** The body the petition complains about. */
  respondent?: string;
  channel?: string;
  state: string;
  stage: string;
  colour: Colour;
  completed: boolean;
  /** Calendar days from registration to the instant (by civil date). */
  ageDays: number;
  periods: PeriodFact[];
  rating: RatingFact;
  /** Whether an earlier case has the same petitioner and matter; null when either key is unknown. */
  repeat: boolean | null;
  /** Reached an opinion stage (a handling opinion was issued). */
  opinion: boolean;
  reviewRequested: boolean;
  /** A review decision was made (the case left the review stage other than by withdrawal). */
  reviewDecided: boolean;
  reexaminationRequested: boolean;
  checks: CheckFact[];
  acts: ActFact[];
}

/** A count of what it is counted of; `rate` is null when `of` is 0. */
export interface Ratio {
  count: number;
  of: number;
  rate: number | null;
}

/** Weights of the index components (`reporting.index.weights` of a config). */
export type IndexWeights = Record<MetricId, number>;

/** One component of an index as published: its rate, its score and its share. */
export interface IndexComponentResult {
  component: MetricId;
  weight: number;
  rate: number | null;
  /** The rate for rates where more is better, 1 - rate where less is better; null with the rate. */
  score: number | null;
  /** Points this component adds to the index (out of 100). */
  points: number | null;
}

/** The legalization index (0-100) and how it was made; null when no component has a rate. */
export interface IndexResult {
  value: number | null;
  components: IndexComponentResult[];
}

export type GroupBy = 'unit' | 'region' | 'kind';
export type PeriodUnit = 'all' | 'year' | 'quarter' | 'month';

/** A case open the longest. */
export interface OpenCase {
  caseId: string;
  unit?: string;
  unitName?: string;
  state: string;
  stage: string;
  colour: Colour;
  registeredDate: string;
  ageDays: number;
}

/** The metrics of one group (a body, a region or a kind of matter) in one period. */
export interface MetricRow {
  /** `*` for the row of all groups together. */
  key: string;
  name: string;
  jurisdictionId: string;
  /** `all`, or `2026`, `2026-Q1`, `2026-03` by registration date. */
  period: string;
  cases: number;
  colours: Record<Colour, number>;
  stages: Record<string, number>;
  rates: Record<MetricId, Ratio>;
  /** The overturn rate by where the decision was checked. */
  overturns: { review: Ratio; reexamination: Ratio; spotCheck: Ratio };
  index: IndexResult;
  longestOpen: OpenCase[];
}

/** Where a report's weights and names came from, per jurisdiction. */
export interface ReportJurisdiction {
  id: string;
  version: string;
  hash: string;
  weights: IndexWeights;
  /** True when the config has no `reporting.index.weights` and the defaults were used. */
  defaultWeights: boolean;
}

/** A metrics report. */
export interface MetricsReport {
  asOf: string;
  /** Registration dates covered, `[from, to)`; absent ends are open. */
  from?: string;
  to?: string;
  by: GroupBy;
  period: PeriodUnit;
  jurisdictions: ReportJurisdiction[];
  rows: MetricRow[];
  /** All cases of the report together, per jurisdiction and period. */
  totals: MetricRow[];
}
