/** A publication of the legalization index as text and as CSV (JSON is the object itself). */

import { addCivilDays } from '@xinfang/core';
import type { IndexPublication, PublishedRow } from '@xinfang/core/reporting';
import { csv, table } from './text.js';

const figure = (n: number | null) => (n === null ? 'n/a' : n.toFixed(1));

/** The ranked table for a terminal, with the period, the instant and the weights it used. */
export function formatPublication(p: IndexPublication): string {
  const components = p.total.components.map((c) => c.component);
  const points = (r: PublishedRow) =>
    components.map((id) => figure(r.components.find((c) => c.component === id)?.points ?? null));
  const weights = Object.entries(p.weights)
    .map(([k, w]) => `${k} ${w}`)
    .join(' · ');
  return [
    `信访工作法治化指数 legalization index · ${p.jurisdictionName} ${p.version} · ${p.period} (${p.cadence}, by ${p.by})`,
    `cases registered ${p.from} to ${addCivilDays(p.to, -1)} · as of ${p.asOf}` +
      (p.complete ? '' : ` · provisional: the period ends ${p.endsAt}`),
    `weights${p.illustrative ? ' (illustrative: not the jurisdiction’s published figures)' : ''}: ${weights}`,
    '',
    table(
      ['rank', 'name', 'cases', 'index', ...components],
      [
        ...p.rows.map((r) => [
          r.rank === null ? '-' : String(r.rank),
          r.name,
          String(r.cases),
          figure(r.index),
          ...points(r),
        ]),
        ['', p.total.name, String(p.total.cases), figure(p.total.index), ...points(p.total)],
      ],
      2,
    ),
    '',
    'each component column gives the points it adds to the index (its weight times its score, over the weights of the components with a figure)',
  ].join('\n');
}

/** One line per ranked group and the total: rank, key, name, cases, index, each component's rate and points. */
export function publicationCsv(p: IndexPublication): string {
  const components = p.total.components.map((c) => c.component);
  const line = (r: PublishedRow) => [
    p.jurisdictionId,
    p.period,
    r.rank,
    r.key,
    r.name,
    r.cases,
    r.index,
    ...components.flatMap((id) => {
      const c = r.components.find((x) => x.component === id);
      return [c?.rate ?? null, c?.points ?? null];
    }),
  ];
  return csv(
    [
      'jurisdiction',
      'period',
      'rank',
      'key',
      'name',
      'cases',
      'index',
      ...components.flatMap((id) => [`${id}_rate`, `${id}_points`]),
    ],
    [...p.rows.map(line), line(p.total)],
  );
}
