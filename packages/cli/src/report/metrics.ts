/** The metrics report as a terminal table and as CSV (JSON is the report object itself). */

import type { MetricId } from '@xinfang/core';
import type { MetricRow, MetricsReport, Ratio } from '@xinfang/core/reporting';
import { csv, percent, table } from './text.js';

/** The rates in the order a report shows them, with their short column names. */
const COLUMNS: [MetricId, string][] = [
  ['onTimeAcceptance', 'accept'],
  ['onTimeCompletion', 'complete'],
  ['satisfaction', 'satisfied'],
  ['ratingParticipation', 'rated'],
  ['repeatPetition', 'repeat'],
  ['reviewRate', 'review'],
  ['reexaminationRate', 'reexam'],
  ['overturnRate', 'overturn'],
];

export const LEGEND =
  'accept 按期受理率 · complete 按期办结率 · satisfied 满意率 · rated 参评率 · repeat 重复信访率 · ' +
  'review 复查率 · reexam 复核率 · overturn 纠错率 · index 法治化指数 (0-100)';

const index = (r: MetricRow) => (r.index.value === null ? 'n/a' : r.index.value.toFixed(1));

function rowCells(r: MetricRow, withPeriod: boolean): string[] {
  return [
    r.name,
    ...(withPeriod ? [r.period] : []),
    String(r.cases),
    String(r.colours.green),
    String(r.colours.blue),
    String(r.colours.red),
    ...COLUMNS.map(([id]) => percent(r.rates[id])),
    index(r),
  ];
}

/** Column heading of the groups. */
const GROUP_LABEL = { unit: 'body', region: 'region', kind: 'kind of matter' } as const;

/** The main table: one row per group (and period), the total of each period after its groups. */
export function metricsTable(report: MetricsReport): string {
  const withPeriod = report.period !== 'all';
  const header = [
    GROUP_LABEL[report.by],
    ...(withPeriod ? ['period'] : []),
    'cases',
    'green',
    'blue',
    'red',
    ...COLUMNS.map(([, name]) => name),
    'index',
  ];
  const rows: string[][] = [];
  for (const total of report.totals) {
    for (const r of report.rows)
      if (r.period === total.period && r.jurisdictionId === total.jurisdictionId)
        rows.push(rowCells(r, withPeriod));
    rows.push(rowCells(total, withPeriod));
  }
  return table(header, rows, withPeriod ? 2 : 1);
}

/** How the index was weighed, per jurisdiction. */
export function weightsLine(report: MetricsReport): string[] {
  return report.jurisdictions.map((j) => {
    const weights = COLUMNS.map(([id, name]) => `${name} ${j.weights[id]}`).join(', ');
    return `index weights (${j.defaultWeights ? 'defaults: the config sets none' : `${j.id} ${j.version}`}): ${weights}`;
  });
}

/** Cases per stage, one row per group. */
export function stagesTable(report: MetricsReport): string {
  const all = [...report.rows, ...report.totals];
  const stages = [...new Set(all.flatMap((r) => Object.keys(r.stages)))].sort();
  const withPeriod = report.period !== 'all';
  const rows = all
    .filter((r) => r.cases > 0)
    .map((r) => [r.name, ...(withPeriod ? [r.period] : []), ...stages.map((s) => String(r.stages[s] ?? 0))]);
  return table(
    [GROUP_LABEL[report.by], ...(withPeriod ? ['period'] : []), ...stages],
    rows,
    withPeriod ? 2 : 1,
  );
}

/** The longest-open cases of the whole report. */
export function longestOpenTable(report: MetricsReport): string {
  const open = report.totals.flatMap((t) => t.longestOpen).sort((a, b) => b.ageDays - a.ageDays);
  return table(
    ['case', 'body', 'state', 'stage', 'colour', 'registered', 'days open'],
    open.map((c) => [
      c.caseId,
      c.unitName ?? c.unit ?? '',
      c.state,
      c.stage,
      c.colour,
      c.registeredDate,
      String(c.ageDays),
    ]),
    6,
  );
}

/** The whole report for a terminal. */
export function formatMetrics(report: MetricsReport): string {
  const range = `${report.from ?? 'the first case'} to ${report.to ? `before ${report.to}` : 'the last'}`;
  const out = [
    `xinfang report · as of ${report.asOf} · cases registered ${range} · by ${report.by}`,
    '',
    metricsTable(report),
    '',
    LEGEND,
    ...weightsLine(report),
  ];
  if (report.totals.some((t) => t.cases > 0)) out.push('', 'cases by stage:', stagesTable(report));
  if (report.totals.some((t) => t.longestOpen.length > 0))
    out.push('', 'open longest:', longestOpenTable(report));
  return out.join('\n');
}

const ratioCells = (r: Ratio) => [r.count, r.of, r.rate];

/**
 * One CSV line per group and period (totals under key `*`): counts and rates exactly as computed
 * (each rate beside the two counts it is made of; an empty cell where there is nothing to count).
 */
export function metricsCsv(report: MetricsReport): string {
  const all = [...report.rows, ...report.totals];
  const stages = [...new Set(all.flatMap((r) => Object.keys(r.stages)))].sort();
  const header = [
    'jurisdiction',
    'period',
    'by',
    'key',
    'name',
    'cases',
    'green',
    'blue',
    'red',
    ...COLUMNS.flatMap(([id]) => [`${id}_count`, `${id}_of`, `${id}_rate`]),
    ...['review', 'reexamination', 'spotCheck'].flatMap((k) => [
      `overturn_${k}_count`,
      `overturn_${k}_of`,
      `overturn_${k}_rate`,
    ]),
    'index',
    ...stages.map((s) => `stage_${s}`),
  ];
  const rows = all.map((r) => [
    r.jurisdictionId,
    r.period,
    report.by,
    r.key,
    r.name,
    r.cases,
    r.colours.green,
    r.colours.blue,
    r.colours.red,
    ...COLUMNS.flatMap(([id]) => ratioCells(r.rates[id])),
    ...ratioCells(r.overturns.review),
    ...ratioCells(r.overturns.reexamination),
    ...ratioCells(r.overturns.spotCheck),
    r.index.value,
    ...stages.map((s) => r.stages[s] ?? 0),
  ]);
  return csv(header, rows);
}

/**
 * A short table: the index and the main rates of the rows `keep` selects, then the total (the
 * demo's closing report).
 */
export function shortMetricsTable(report: MetricsReport, keep: (row: MetricRow) => boolean): string {
  const cells = (r: MetricRow) => [
    r.name,
    String(r.cases),
    String(r.colours.red),
    percent(r.rates.onTimeAcceptance),
    percent(r.rates.onTimeCompletion),
    percent(r.rates.satisfaction),
    percent(r.rates.ratingParticipation),
    percent(r.rates.repeatPetition),
    index(r),
  ];
  return table(
    [GROUP_LABEL[report.by], 'cases', 'red', 'accept', 'complete', 'satisfied', 'rated', 'repeat', 'index'],
    [...report.rows.filter(keep).map(cells), ...report.totals.map(cells)],
  );
}
