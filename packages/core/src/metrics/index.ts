/** Metrics, the legalization index, the annual report (Reg. 41) and hot spots, from stored cases. */

export type { AnnualReport, AnnualReportOptions, Count, SuggestionTally } from './annual.js';
export { annualReport } from './annual.js';
export type { CaseFactsOptions } from './facts.js';
export { caseFacts } from './facts.js';
export type { HotSpot, HotSpotBy, HotSpotOptions, HotSpotReport, HotSpotSettings } from './hotspots.js';
export { DEFAULT_HOT_SPOT_SETTINGS, hotSpotSettings, hotSpots, MIN_HOT_REPEATS } from './hotspots.js';
export { DEFAULT_INDEX_WEIGHTS, indexWeights, LOWER_IS_BETTER, legalizationIndex } from './legalization.js';
export type { IndexPublication, IndexPublicationOptions, PublishedRow } from './publication.js';
export { indexPublication, publicationPeriod } from './publication.js';
export type { ReadFacts, ReadFactsOptions } from './reader.js';
export { readCaseFacts } from './reader.js';
export type { RepeatEntry, RepeatIndex } from './repeat.js';
export { repeatIndex } from './repeat.js';
export type { MetricsReportOptions } from './report.js';
export { ALL_GROUPS, KIND_NAMES, metricsReport, NO_GROUP, periodOf, ratio } from './report.js';
export type { CaseStep } from './timeline.js';
export { caseSteps } from './timeline.js';
export type {
  ActFact,
  CaseFacts,
  CaseRecord,
  CheckFact,
  GroupBy,
  IndexComponentResult,
  IndexResult,
  IndexWeights,
  MetricRow,
  MetricsReport,
  OpenCase,
  PeriodFact,
  PeriodPhase,
  PeriodUnit,
  PeriodVerdict,
  RatingFact,
  Ratio,
  ReportJurisdiction,
} from './types.js';
export type { Rating } from './vocabulary.js';
export {
  ACCEPTANCE_STAGES,
  COMMANDS,
  GROUND_NAMES,
  MEASURE_NAMES,
  RATINGS,
  RESOLUTION_NAMES,
  SATISFIED,
  SUGGESTION_NAMES,
} from './vocabulary.js';
