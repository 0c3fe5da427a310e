/** Hot-spot warnings as text and as CSV (JSON is the report object itself). */

import type { HotSpotReport } from '@xinfang/core/reporting';
import { csv, percent, table } from './text.js';

export function formatHotSpots(r: HotSpotReport): string {
  const { periodDays, trailingPeriods, factor } = r.settings;
  const hot = r.spots.filter((s) => s.hot).length;
  return [
    `hot spots by ${r.by} · last ${periodDays} days to ${r.last.to} against the ${trailingPeriods} periods before · ` +
      `factor ${factor} · ${hot} hot`,
    '',
    table(
      [r.by, 'last', 'trailing avg', 'volume', 'repeat last', 'repeat before', 'repeat', 'warning'],
      r.spots.map((s) => [
        s.name,
        String(s.volume.last),
        // fewer periods of history than the setting asks: say how many the average is over
        s.volume.trailingPeriods === 0
          ? 'no history'
          : s.volume.trailingPeriods < trailingPeriods
            ? `${s.volume.trailingAverage.toFixed(1)} (${s.volume.trailingPeriods} of ${trailingPeriods})`
            : s.volume.trailingAverage.toFixed(1),
        s.volume.hot ? 'HOT' : '',
        percent(s.repeat.last),
        percent(s.repeat.trailing),
        s.repeat.hot ? 'HOT' : '',
        s.hot ? '预警' : '',
      ]),
    ),
  ].join('\n');
}

export function hotSpotsCsv(r: HotSpotReport): string {
  return csv(
    [
      'jurisdiction',
      'by',
      'key',
      'name',
      'last',
      'trailingAverage',
      'trailingPeriods',
      'volumeHot',
      'repeatLast_count',
      'repeatLast_of',
      'repeatLast_rate',
      'repeatTrailing_count',
      'repeatTrailing_of',
      'repeatTrailing_rate',
      'repeatHot',
      'hot',
    ],
    r.spots.map((s) => [
      s.jurisdictionId,
      r.by,
      s.key,
      s.name,
      s.volume.last,
      s.volume.trailingAverage,
      s.volume.trailingPeriods,
      s.volume.hot,
      s.repeat.last.count,
      s.repeat.last.of,
      s.repeat.last.rate,
      s.repeat.trailing.count,
      s.repeat.trailing.of,
      s.repeat.trailing.rate,
      s.repeat.hot,
      s.hot,
    ]),
  );
}
