/**
 * `@xinfang/core/reporting`: what the cases in a store add up to. Read each case's facts once
 * (`readCaseFacts`), then report on them: the configured metrics by period and group
 * (`metricsReport`), the year's statistics (`annualReport`), the matters petitioned again and
 * again (`hotSpots`), a period's publication of the legalization index, ranked
 * (`indexPublication`); and a single case's procedure step by step (`caseSteps`).
 */

export type {
  ActFact,
  AnnualReport,
  AnnualReportOptions,
  CaseFacts,
  CaseRecord,
  CaseStep,
  CheckFact,
  Count,
  GroupBy,
  HotSpot,
  HotSpotBy,
  HotSpotOptions,
  HotSpotReport,
  HotSpotSettings,
  IndexComponentResult,
  IndexPublication,
  IndexPublicationOptions,
  IndexResult,
  IndexWeights,
  MetricRow,
  MetricsReport,
  MetricsReportOptions,
  OpenCase,
  PeriodFact,
  PeriodPhase,
  PeriodUnit,
  PeriodVerdict,
  PublishedRow,
  Rating,
  RatingFact,
  Ratio,
  ReadFacts,
  ReadFactsOptions,
  ReportJurisdiction,
  SuggestionTally,
} from './metrics/index.js';
export {
  annualReport,
  caseSteps,
  hotSpots,
  indexPublication,
  metricsReport,
  publicationPeriod,
  readCaseFacts,
} from './metrics/index.js';
