/**
 * The metrics report: the facts of each case summed by body, region or kind of matter and by
 * period of registration, with the legalization index of each group. Pure: the instant the
 * report is "as of" is a parameter, and the facts were read as of it (`caseFacts`).
 */

import type { JurisdictionConfig, MetricId } from '../config/types.js';
import { ConfigVersionUnknownError } from '../engine/errors.js';
import type { Colour } from '../store/types.js';
import { indexWeights, legalizationIndex } from './legalization.js';
import type {
  CaseFacts,
  GroupBy,
  IndexWeights,
  MetricRow,
  MetricsReport,
  OpenCase,
  PeriodFact,
  PeriodUnit,
  Ratio,
  ReportJurisdiction,
} from './types.js';
import { SATISFIED } from './vocabulary.js';

/** Options of `metricsReport`. */
export interface MetricsReportOptions {
  /** The report's instant (ISO), the same the facts were read as of. */
  asOf: string;
  /** @default 'unit' */
  by?: GroupBy;
  /** Split each group by registration period. @default 'all' */
  period?: PeriodUnit;
  /** Only cases registered on or after this civil date (`YYYY-MM-DD`). */
  from?: string;
  /** Only cases registered before this civil date (exclusive). */
  to?: string;
  /** How many of the longest-open cases each row lists. @default 5 */
  top?: number;
  /** The configs the cases ran under, by hash: names, regions and index weights come from them. */
  configs: ReadonlyMap<string, JurisdictionConfig>;
}

/** The key of a case or period that knows no group (no unit, no region, no kind). */
export const NO_GROUP = '(none)';
/** The key of the row of all groups together. */
export const ALL_GROUPS = '*';

/** Names of the three kinds of matter (Reg. 29-31). */
export const KIND_NAMES: Readonly<Record<string, string>> = {
  suggestion: '建议意见类',
  accusation: '检举控告类',
  appeal: '申诉求决类',
};

/** The period label of a registration date. */
export function periodOf(date: string, unit: PeriodUnit): string {
  const year = date.slice(0, 4);
  if (unit === 'year') return year;
  if (unit === 'month') return date.slice(0, 7);
  if (unit === 'quarter') return `${year}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
  return 'all';
}

/** A ratio whose rate is null when there is nothing to count it of. */
export function ratio(count: number, of: number): Ratio {
  return { count, of, rate: of === 0 ? null : count / of };
}

/** Running sums of one row. */
class Tally {
  cases = 0;
  colours: Record<Colour, number> = { green: 0, blue: 0, red: 0 };
  stages: Record<string, number> = {};
  periods = { acceptance: { met: 0, missed: 0 }, completion: { met: 0, missed: 0 } };
  rated = 0;
  satisfied = 0;
  notRated = 0;
  repeats = 0;
  repeatKnown = 0;
  opinions = 0;
  reviews = 0;
  reviewDecided = 0;
  reexaminations = 0;
  checks = {
    review: { overturned: 0, of: 0 },
    reexamination: { overturned: 0, of: 0 },
    'spot-check': { overturned: 0, of: 0 },
  };
  open: CaseFacts[] = [];

  addCase(c: CaseFacts): void {
    this.cases++;
    this.colours[c.colour]++;
    this.stages[c.stage] = (this.stages[c.stage] ?? 0) + 1;
    if (c.rating.status === 'rated') {
      this.rated++;
      if (SATISFIED.has(c.rating.value ?? '')) this.satisfied++;
    } else if (c.rating.status === 'not-rated') this.notRated++;
    if (c.repeat !== null) {
      this.repeatKnown++;
      if (c.repeat) this.repeats++;
    }
    if (c.opinion) {
      this.opinions++;
      if (c.reviewRequested) this.reviews++;
    }
    if (c.reviewDecided) {
      this.reviewDecided++;
      if (c.reexaminationRequested) this.reexaminations++;
    }
    for (const check of c.checks) {
      const t = this.checks[check.kind];
      t.of++;
      if (check.overturned) t.overturned++;
    }
    if (!c.completed) this.open.push(c);
  }

  addPeriod(p: PeriodFact): void {
    if (p.phase === 'supervision') return;
    if (p.verdict === 'met') this.periods[p.phase].met++;
    else if (p.verdict === 'missed') this.periods[p.phase].missed++;
  }

  rates(): Record<MetricId, Ratio> {
    const { acceptance, completion } = this.periods;
    const checks = Object.values(this.checks);
    return {
      onTimeAcceptance: ratio(acceptance.met, acceptance.met + acceptance.missed),
      onTimeCompletion: ratio(completion.met, completion.met + completion.missed),
      satisfaction: ratio(this.satisfied, this.rated),
      ratingParticipation: ratio(this.rated, this.rated + this.notRated),
      repeatPetition: ratio(this.repeats, this.repeatKnown),
      reviewRate: ratio(this.reviews, this.opinions),
      reexaminationRate: ratio(this.reexaminations, this.reviewDecided),
      overturnRate: ratio(
        checks.reduce((n, c) => n + c.overturned, 0),
        checks.reduce((n, c) => n + c.of, 0),
      ),
    };
  }
}

/** The longest-open cases first: oldest registration, then case id. */
export function longestOpen(
  cases: readonly CaseFacts[],
  top: number,
  name: (unit: string) => string,
): OpenCase[] {
  return [...cases]
    .sort(
      (a, b) =>
        b.ageDays - a.ageDays ||
        (a.registeredAt < b.registeredAt ? -1 : a.registeredAt > b.registeredAt ? 1 : 0) ||
        (a.caseId < b.caseId ? -1 : 1),
    )
    .slice(0, top)
    .map((c) => ({
      caseId: c.caseId,
      ...(c.unit ? { unit: c.unit, unitName: name(c.unit) } : {}),
      state: c.state,
      stage: c.stage,
      colour: c.colour,
      registeredDate: c.registeredDate,
      ageDays: c.ageDays,
    }));
}

/**
 * The config of each jurisdiction's most recently registered case: its names and weights rule.
 * Jurisdictions of `configs` with no fact get the config given last for them.
 */
export function latestConfigs(
  facts: readonly CaseFacts[],
  configs: ReadonlyMap<string, JurisdictionConfig>,
): Map<string, { config: JurisdictionConfig; hash: string }> {
  const latest = new Map<string, CaseFacts>();
  for (const f of facts) {
    const seen = latest.get(f.jurisdictionId);
    if (!seen || f.registeredAt > seen.registeredAt) latest.set(f.jurisdictionId, f);
  }
  const out = new Map<string, { config: JurisdictionConfig; hash: string }>();
  for (const [id, f] of latest) {
    const config = configs.get(f.configHash);
    if (!config) throw new ConfigVersionUnknownError(f.configHash, f.caseId);
    out.set(id, { config, hash: f.configHash });
  }
  // a jurisdiction none of whose cases is reported still has its (empty) total: the config
  // given last for it names and weighs it
  const unseen = new Map<string, { config: JurisdictionConfig; hash: string }>();
  for (const [hash, config] of configs)
    if (!out.has(config.jurisdiction.id)) unseen.set(config.jurisdiction.id, { config, hash });
  for (const [id, c] of unseen) out.set(id, c);
  return out;
}

/** How groups are named and ordered under one config. */
export function groupNaming(config: JurisdictionConfig, by: GroupBy) {
  const unitIds = Object.keys(config.units);
  const regionName = (code: string): string => {
    const units = Object.values(config.units).filter((u) => u.region === code);
    return (units.find((u) => u.kind === 'government') ?? units[0])?.name ?? code;
  };
  const name = (key: string): string => {
    if (key === NO_GROUP) return '(未指明)';
    if (by === 'unit') return config.units[key]?.name ?? key;
    if (by === 'region') return regionName(key);
    return KIND_NAMES[key] ?? key;
  };
  const order = (key: string): number => {
    if (by === 'unit') {
      const i = unitIds.indexOf(key);
      return i < 0 ? unitIds.length : i;
    }
    if (by === 'region') {
      const i = unitIds.findIndex((u) => config.units[u]?.region === key);
      return i < 0 ? unitIds.length : i;
    }
    return 0;
  };
  return { name, order };
}

/**
 * Sums the facts into rows by `by` and period. Cases count for the body responsible for them at
 * the instant; each duty period counts for the body that owed it (see docs/metrics.md).
 */
export function metricsReport(facts: readonly CaseFacts[], options: MetricsReportOptions): MetricsReport {
  const by = options.by ?? 'unit';
  const period = options.period ?? 'all';
  const asOf = new Date(options.asOf).toISOString();
  const chosen = facts.filter(
    (f) =>
      f.registeredAt <= asOf &&
      (options.from === undefined || f.registeredDate >= options.from) &&
      (options.to === undefined || f.registeredDate < options.to),
  );
  const latest = latestConfigs(facts, options.configs);
  const { jurisdictions, weights } = jurisdictionsOf(latest);
  const rows = tallyRows(chosen, { by, period, latest });
  const { out, totals } = metricRows(rows, { by, latest, weights, top: options.top ?? 5 });
  return {
    asOf,
    ...(options.from !== undefined ? { from: options.from } : {}),
    ...(options.to !== undefined ? { to: options.to } : {}),
    by,
    period,
    jurisdictions,
    rows: out,
    totals,
  };
}

type Latest = ReturnType<typeof latestConfigs>;

/** The reported jurisdictions with their index weights (the config's, else the defaults). */
function jurisdictionsOf(latest: Latest): {
  jurisdictions: ReportJurisdiction[];
  weights: Map<string, IndexWeights>;
} {
  const jurisdictions: ReportJurisdiction[] = [];
  const weights = new Map<string, IndexWeights>();
  for (const [id, { config, hash }] of latest) {
    const w = indexWeights(config);
    weights.set(id, w.weights);
    jurisdictions.push({
      id,
      version: config.jurisdiction.version,
      hash,
      weights: w.weights,
      defaultWeights: !w.fromConfig,
    });
  }
  return { jurisdictions, weights };
}

/** One row being summed: a group of a jurisdiction in a period. */
interface TallyRow {
  jurisdictionId: string;
  key: string;
  period: string;
  tally: Tally;
}

/** Each case and duty period summed into its group's row and its jurisdiction's total, by period. */
function tallyRows(
  chosen: readonly CaseFacts[],
  { by, period, latest }: { by: GroupBy; period: PeriodUnit; latest: Latest },
): TallyRow[] {
  const groupOf = (f: CaseFacts, unit: string | undefined): string => {
    const config = latest.get(f.jurisdictionId)?.config;
    if (by === 'kind') return f.kind ?? NO_GROUP;
    if (unit === undefined) return NO_GROUP;
    if (by === 'unit') return unit;
    return config?.units[unit]?.region ?? NO_GROUP;
  };
  const rows = new Map<string, TallyRow>();
  const tallyOf = (jurisdictionId: string, key: string, label: string): Tally => {
    const id = `${jurisdictionId}\u0000${key}\u0000${label}`;
    let row = rows.get(id);
    if (!row) {
      row = { jurisdictionId, key, period: label, tally: new Tally() };
      rows.set(id, row);
    }
    return row.tally;
  };
  for (const f of chosen) {
    const label = periodOf(f.registeredDate, period);
    tallyOf(f.jurisdictionId, groupOf(f, f.unit), label).addCase(f);
    tallyOf(f.jurisdictionId, ALL_GROUPS, label).addCase(f);
    for (const p of f.periods) {
      tallyOf(f.jurisdictionId, groupOf(f, p.owner), label).addPeriod(p);
      tallyOf(f.jurisdictionId, ALL_GROUPS, label).addPeriod(p);
    }
  }
  // a jurisdiction with no case in the period still gets its total row, every rate n/a
  if (period === 'all') for (const id of latest.keys()) tallyOf(id, ALL_GROUPS, 'all');
  return [...rows.values()];
}

/** How the summed rows become report rows. */
interface RowScope {
  by: GroupBy;
  latest: Latest;
  weights: ReadonlyMap<string, IndexWeights>;
  top: number;
}

/** The rows in report order (jurisdiction, period, the config's order of groups), totals apart. */
function metricRows(rows: readonly TallyRow[], scope: RowScope): { out: MetricRow[]; totals: MetricRow[] } {
  const out: MetricRow[] = [];
  const totals: MetricRow[] = [];
  const sorted = rows.map((r) => {
    const config = scope.latest.get(r.jurisdictionId)?.config as JurisdictionConfig;
    return {
      ...r,
      naming: groupNaming(config, scope.by),
      unitName: (u: string) => config.units[u]?.name ?? u,
    };
  });
  sorted.sort(
    (a, b) =>
      (a.jurisdictionId < b.jurisdictionId ? -1 : a.jurisdictionId > b.jurisdictionId ? 1 : 0) ||
      (a.period < b.period ? -1 : a.period > b.period ? 1 : 0) ||
      a.naming.order(a.key) - b.naming.order(b.key) ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  for (const r of sorted) {
    const rates = r.tally.rates();
    // a body that only owes a period still running (a re-examination two levels up) has no figure yet
    if (r.key !== ALL_GROUPS && r.tally.cases === 0 && Object.values(rates).every((x) => x.of === 0))
      continue;
    (r.key === ALL_GROUPS ? totals : out).push(metricRow(r, { rates, scope }));
  }
  return { out, totals };
}

/** One report row from its sums. */
function metricRow(
  r: TallyRow & { naming: ReturnType<typeof groupNaming>; unitName: (unit: string) => string },
  { rates, scope }: { rates: Record<MetricId, Ratio>; scope: RowScope },
): MetricRow {
  const t = r.tally;
  return {
    key: r.key,
    name: r.key === ALL_GROUPS ? '合计' : r.naming.name(r.key),
    jurisdictionId: r.jurisdictionId,
    period: r.period,
    cases: t.cases,
    colours: t.colours,
    stages: t.stages,
    rates,
    overturns: {
      review: ratio(t.checks.review.overturned, t.checks.review.of),
      reexamination: ratio(t.checks.reexamination.overturned, t.checks.reexamination.of),
      spotCheck: ratio(t.checks['spot-check'].overturned, t.checks['spot-check'].of),
    },
    index: legalizationIndex(rates, scope.weights.get(r.jurisdictionId) as IndexWeights),
    longestOpen: longestOpen(t.open, scope.top, r.unitName),
  };
}
