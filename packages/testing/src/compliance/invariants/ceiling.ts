/**
 * A province may shorten a statutory period, never lengthen it: checked on the run's own
 * start date (so, over the runs, on many dates: weekends, holidays, year ends), against the
 * Regulations' figure and against the config it extends.
 */

import { computeDeadline, type DeadlineDef } from '@xinfang/core';
import type { Trace } from '../driver.js';
import { STATUTE, type StatutoryPeriod } from '../statute.js';
import type { DynamicInvariant, Violation } from './support.js';

interface Period {
  days: number;
  unit: 'calendar' | 'working';
  extension?: { maxDays: number; times: number; unit?: 'calendar' | 'working' };
}

function dueOf(trace: Trace, start: string, p: Period, extended: boolean): string {
  const times = extended ? (p.extension?.times ?? 0) : 0;
  return computeDeadline(trace.calendar, {
    start,
    days: p.days,
    unit: p.unit,
    timezone: trace.zone,
    provisional: true,
    extensions: Array.from({ length: times }, () => ({
      days: p.extension?.maxDays ?? 0,
      approvedBy: 'check',
      reason: 'longest allowed',
      ...(p.extension?.unit ? { unit: p.extension.unit } : {}),
    })),
  }).dueAt;
}

const asPeriod = (d: DeadlineDef | StatutoryPeriod): Period => ({
  days: d.days,
  unit: d.unit ?? 'calendar',
  ...(d.extension ? { extension: d.extension } : {}),
});

export const deadlinesNotLonger: DynamicInvariant = {
  id: 'deadlines-not-longer',
  title: "no configured deadline is longer than the Regulations' period or the national one it replaces",
  basis: 'reg-2022 art. 22-23, 34-36',
  check(trace, { baseline }) {
    const out: Violation[] = [];
    const start = trace.scenario.start;
    for (const [id, def] of Object.entries(trace.config.deadlines)) {
      const refs: [string, Period][] = [];
      const statutory = (STATUTE as Record<string, StatutoryPeriod>)[id];
      if (statutory) refs.push([`the Regulations (${statutory.basis})`, asPeriod(statutory)]);
      // a period the baseline leaves to the province (`statutory: false`: a rating window, a
      // supervision reply) may be set longer or shorter; only statutory ones are a ceiling
      const national = baseline?.deadlines[id];
      if (national?.statutory === true)
        refs.push([baseline?.jurisdiction.id ?? 'the baseline', asPeriod(national)]);
      const mine = asPeriod(def);
      if (statutory?.fromReceipt && def.from !== 'receipt')
        out.push({
          message: `window ${id} is counted from ${def.from ?? 'the step that starts it'}, not from the petitioner's receipt of the document (${statutory.basis}): a late delivery cuts the petitioner's 30 days`,
        });
      for (const [name, ref] of refs) {
        for (const extended of [false, true]) {
          if (extended && !mine.extension) continue;
          const a = dueOf(trace, start, mine, extended);
          const b = dueOf(trace, start, ref, extended);
          // a petitioner's window is a right: shortening it is as unlawful as lengthening a duty
          if (def.kind === 'window' && statutory?.petitioners && a < b)
            out.push({
              message: `window ${id} started ${start} ends ${a.slice(0, 10)}, earlier than ${b.slice(0, 10)} under ${name}: it cuts the petitioner's time`,
            });
          if (a > b)
            out.push({
              message: `deadline ${id}${extended ? ' with every extension allowed' : ''} started ${start} ends ${a.slice(0, 10)}, later than ${b.slice(0, 10)} under ${name}`,
            });
        }
      }
    }
    return out;
  },
};
