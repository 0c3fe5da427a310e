/**
 * The publication of the legalization index (法治化指数): a jurisdiction that declares
 * `reporting.index.publish` publishes, every `cadence` period, the index of each of its bodies
 * (or regions, or kinds of matter) over the cases registered in that period, ranked. The
 * figures are the metrics report's (`metricsReport`) for the period; this adds the period, the
 * ranking and whether the period had ended at the instant published. Pure: the instant is a
 * parameter.
 */

import { XinfangError } from '../base/errors.js';
import { instantAt } from '../calendar/zone.js';
import type { JurisdictionConfig, PublishCadence } from '../config/types.js';
import { indexWeights } from './legalization.js';
import { ALL_GROUPS, latestConfigs, metricsReport, NO_GROUP } from './report.js';
import type { CaseFacts, GroupBy, IndexComponentResult, IndexWeights } from './types.js';

/** Options of {@link indexPublication}. */
export interface IndexPublicationOptions {
  /** The period published, in the cadence's form: `2026-11` (monthly), `2026-Q4` (quarterly), `2026` (yearly). */
  period: string;
  /** The instant published as of (ISO); the facts were read as of it. */
  asOf: string;
  /** The configs the cases ran under, by hash. */
  configs: ReadonlyMap<string, JurisdictionConfig>;
  /** The jurisdiction published; needed only when several of the store's declare a publication. */
  jurisdiction?: string;
}

/** One group of a publication, with its place. */
export interface PublishedRow {
  /** 1 for the highest index; equal indexes share a rank (1, 2, 2, 4); null without an index. */
  rank: number | null;
  key: string;
  name: string;
  /** Cases registered in the period that the group was responsible for at the instant. */
  cases: number;
  /** 0 to 100; null when no component had anything to count. */
  index: number | null;
  components: IndexComponentResult[];
}

/** A publication of the legalization index. */
export interface IndexPublication {
  jurisdictionId: string;
  jurisdictionName: string;
  version: string;
  cadence: PublishCadence;
  by: GroupBy;
  period: string;
  /** First day of the period (a civil date). */
  from: string;
  /** The day after its last (exclusive). */
  to: string;
  asOf: string;
  /** The instant the period ends (midnight starting `to`, in the jurisdiction's zone). */
  endsAt: string;
  /** Whether the period had ended at `asOf` (a publication before its end is provisional). */
  complete: boolean;
  weights: IndexWeights;
  /** The weights and cadence are the project's own, not the jurisdiction's published figures. */
  illustrative: boolean;
  basis: string;
  /** The groups with cases or periods in the period, best index first. */
  rows: PublishedRow[];
  /** The jurisdiction's total for the period (not ranked). */
  total: PublishedRow;
}

const PATTERNS: Readonly<Record<PublishCadence, RegExp>> = {
  monthly: /^(\d{4})-(0[1-9]|1[0-2])$/,
  quarterly: /^(\d{4})-Q([1-4])$/,
  yearly: /^(\d{4})$/,
};

const EXAMPLES: Readonly<Record<PublishCadence, string>> = {
  monthly: '2026-11',
  quarterly: '2026-Q4',
  yearly: '2026',
};

/** The civil days a period label covers: its first day and the day after its last. */
export function publicationPeriod(period: string, cadence: PublishCadence): { from: string; to: string } {
  const m = PATTERNS[cadence].exec(period);
  if (!m || Number(m[1]) < 1000 || Number(m[1]) > 9998) {
    throw new XinfangError(
      'REPORT_PERIOD_INVALID',
      `${JSON.stringify(period)} is not a ${cadence} period: give one like ${EXAMPLES[cadence]}`,
      { period, cadence },
    );
  }
  const year = Number(m[1]);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (cadence === 'yearly') return { from: `${year}-01-01`, to: `${year + 1}-01-01` };
  const firstMonth = cadence === 'monthly' ? Number(m[2]) : (Number(m[2]) - 1) * 3 + 1;
  const months = cadence === 'monthly' ? 1 : 3;
  const next = firstMonth + months;
  const to = next > 12 ? `${year + 1}-${pad(next - 12)}-01` : `${year}-${pad(next)}-01`;
  return { from: `${year}-${pad(firstMonth)}-01`, to };
}

/** The jurisdiction a publication is for: the one named, else the only one declaring one. */
function publishing(
  facts: readonly CaseFacts[],
  options: IndexPublicationOptions,
): { config: JurisdictionConfig; id: string } {
  const latest = latestConfigs(facts, options.configs);
  const declaring = [...latest].filter(([, { config }]) => config.reporting?.index?.publish !== undefined);
  const chosen =
    options.jurisdiction === undefined
      ? declaring.length === 1
        ? declaring[0]
        : undefined
      : declaring.find(([id]) => id === options.jurisdiction);
  if (!chosen) {
    const ids = declaring.map(([id]) => id);
    const why =
      options.jurisdiction !== undefined
        ? `${options.jurisdiction} declares no publication of its index (reporting.index.publish)`
        : ids.length === 0
          ? 'no jurisdiction of the store declares a publication of its index (reporting.index.publish)'
          : `several jurisdictions publish an index (${ids.join(', ')}): name one`;
    throw new XinfangError('REPORT_NOT_PUBLISHED', why, { jurisdictions: ids });
  }
  return { config: chosen[1].config, id: chosen[0] };
}

/** The instant a period ends: midnight starting its `to` day, in the jurisdiction's zone. */
export function periodEndInstant(to: string, config: JurisdictionConfig): string {
  return instantAt(to, '00:00', config.jurisdiction.timezone);
}

/**
 * The rows best first, each with its rank. Equal indexes keep the config's order of groups (the
 * report's) and share a rank. Equal means equal but for floating-point noise: a body scoring 1 on
 * every component sums to 99.99999999999999 as often as to 100, and must not rank below one that
 * sums to 100. A row without an index is listed last, unranked.
 */
function rankRows(rows: PublishedRow[]): PublishedRow[] {
  const same = (a: number, b: number) => Math.abs(a - b) < 1e-9;
  const ranked = rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      if (a.r.index === null || b.r.index === null)
        return a.r.index === null ? (b.r.index === null ? a.i - b.i : 1) : -1;
      return same(a.r.index, b.r.index) ? a.i - b.i : b.r.index - a.r.index;
    })
    .map(({ r }) => r);
  ranked.forEach((r, i) => {
    if (r.index === null) return;
    const prev = ranked[i - 1];
    r.rank = prev?.index != null && same(prev.index, r.index) ? prev.rank : i + 1;
  });
  return ranked;
}

/**
 * The publication of one period: the metrics report over the cases registered in it, grouped
 * as the config says (`publish.by`, default by body), each group ranked by its index (highest
 * first; a group without an index is listed last, unranked; `(none)` is no body and is not
 * ranked). Refused with `REPORT_NOT_PUBLISHED` when no jurisdiction declares a publication and
 * `REPORT_PERIOD_INVALID` when the period is not of its cadence.
 */
export function indexPublication(
  facts: readonly CaseFacts[],
  options: IndexPublicationOptions,
): IndexPublication {
  const { config, id } = publishing(facts, options);
  const publish = config.reporting?.index?.publish as NonNullable<
    NonNullable<NonNullable<JurisdictionConfig['reporting']>['index']>['publish']
  >;
  const { from, to } = publicationPeriod(options.period, publish.cadence);
  const by = publish.by ?? 'unit';
  const report = metricsReport(
    facts.filter((f) => f.jurisdictionId === id),
    { asOf: options.asOf, by, from, to, configs: options.configs, top: 0 },
  );
  const asRow = (r: (typeof report.rows)[number]): PublishedRow => ({
    rank: null,
    key: r.key,
    name: r.name,
    cases: r.cases,
    index: r.index.value,
    components: r.index.components,
  });
  const rows = report.rows
    .filter((r) => r.jurisdictionId === id && r.key !== NO_GROUP && r.key !== ALL_GROUPS)
    .map(asRow);
  const ranked = rankRows(rows);
  const totalRow = report.totals.find((t) => t.jurisdictionId === id);
  const end = new Date(periodEndInstant(to, config)).toISOString();
  return {
    jurisdictionId: id,
    jurisdictionName: config.jurisdiction.name,
    version: config.jurisdiction.version,
    cadence: publish.cadence,
    by,
    period: options.period,
    from,
    to,
    asOf: report.asOf,
    endsAt: end,
    complete: report.asOf >= end,
    weights: indexWeights(config).weights,
    illustrative: config.reporting?.index?.illustrative === true,
    basis: publish.basis,
    rows: ranked,
    total: totalRow
      ? asRow(totalRow)
      : { rank: null, key: ALL_GROUPS, name: '合计', cases: 0, index: null, components: [] },
  };
}
