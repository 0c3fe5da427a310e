/**
 * A province may shorten a statutory period, never lengthen it: checked on the run's own
 * start date (so, over the runs, on many dates: weekends, holidays, year ends), against the
 * Regulations' figure and against the config it extends.
 */

import { addCivilDays, type Calendar, computeDeadline, type DeadlineDef } from '@xinfang/core';
import type { Trace } from '../driver.js';
import { STATUTE, type StatutoryPeriod } from '../statute.js';
import type { DynamicInvariant, Violation } from './support.js';

interface Period {
  days: number;
  unit: 'calendar' | 'working';
  extension?: { maxDays: number; times: number; unit?: 'calendar' | 'working' };
}

function dueOf(
  trace: Trace,
  start: string,
  p: Period,
  extended: boolean,
  calendar: Calendar = trace.calendar,
): string {
  const times = extended ? (p.extension?.times ?? 0) : 0;
  return computeDeadline(calendar, {
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

/** The references a configured period is measured against: the Regulations, and the baseline's statutory period. */
function referencesOf(
  id: string,
  baseline: { deadlines: Record<string, DeadlineDef>; jurisdiction: { id: string } } | undefined,
) {
  const refs: [string, Period][] = [];
  const statutory = (STATUTE as Record<string, StatutoryPeriod>)[id];
  if (statutory) refs.push([`the Regulations (${statutory.basis})`, asPeriod(statutory)]);
  // a period the baseline leaves to the province (`statutory: false`: a rating window, a
  // supervision reply) may be set longer or shorter; only statutory ones bind
  const national = baseline?.deadlines[id];
  if (national?.statutory === true)
    refs.push([baseline?.jurisdiction.id ?? 'the baseline', asPeriod(national)]);
  return { statutory, refs };
}

/**
 * The national working days the engine's calendar rests on (a local day off taking back an
 * adjusted working day, or a province's own copy of the calendar): each moves every period that
 * ends on it to a later day. Found by comparing the two calendars day by day, so it fails at
 * every seed, not only when a run's period happens to end there.
 */
function restedWorkdays(trace: Trace): string[] {
  const { calendar, ownCalendar } = trace;
  if (calendar === ownCalendar) return [];
  const out: string[] = [];
  const last = `${calendar.years.to}-12-31`;
  for (let d = `${calendar.years.from}-01-01`; d <= last; d = addCivilDays(d, 1)) {
    if (!ownCalendar.covers(d)) continue;
    if (calendar.dayInfo(d).working && !ownCalendar.dayInfo(d).working) out.push(d);
  }
  return out;
}

/** The versions a run's cases were on: the config checked, and a plan's new version. */
function versionsOf(trace: Trace) {
  return trace.versions ?? [trace.config];
}

/** Every version's periods (a period both versions set alike is judged once). */
function periodsOf(trace: Trace): [string, DeadlineDef][] {
  const seen = new Map<string, [string, DeadlineDef]>();
  for (const c of versionsOf(trace))
    for (const [id, def] of Object.entries(c.deadlines)) seen.set(`${id}:${JSON.stringify(def)}`, [id, def]);
  return [...seen.values()];
}

/** A body's duty: no configured period ends later than the Regulations' or the baseline's. */
export const deadlinesNotLonger: DynamicInvariant = {
  id: 'deadlines-not-longer',
  title:
    "no body's duty is longer than the Regulations' period or the national one it replaces, nor marked a floor",
  basis: 'reg-2022 art. 22-23, 34-36',
  check(trace, { baseline }) {
    const out: Violation[] = [];
    const start = trace.scenario.start;
    for (const [id, def] of periodsOf(trace)) {
      const { statutory, refs } = referencesOf(id, baseline);
      if (statutory?.petitioners) continue;
      // the loader lets a jurisdiction lengthen a floor: a duty marked so escapes its ceiling
      if (def.bound === 'floor' && refs.length > 0)
        out.push({
          message: `duty ${id} is marked bound: floor, which would let a jurisdiction lengthen a period ${refs[0]?.[0]} sets as a ceiling`,
        });
      const mine = asPeriod(def);
      // a period ending on a national working day the engine's calendar takes off ends later
      for (const day of refs.length > 0 && mine.unit === 'calendar' ? restedWorkdays(trace) : []) {
        // the start whose period ends on that day (counting starts the day after the start)
        const from = addCivilDays(day, -mine.days);
        if (!trace.calendar.covers(from)) continue;
        const a = dueOf(trace, from, mine, false, trace.ownCalendar);
        const b = dueOf(trace, from, mine, false);
        if (a > b) {
          out.push({
            message: `deadline ${id} started ${from} ends ${a.slice(0, 10)} on the config's calendar, later than ${b.slice(0, 10)}: ${day} is a national working day the config takes off`,
          });
          break; // one witness per period says it
        }
      }
      for (const [name, ref] of refs) {
        for (const extended of [false, true]) {
          if (extended && !mine.extension) continue;
          const a = dueOf(trace, start, mine, extended);
          const b = dueOf(trace, start, ref, extended);
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

/**
 * The petitioner's right (Reg. 35-36): the 30 days to ask for review or re-examination run from
 * receipt, are marked a floor, and end no earlier than the Regulations' (or the baseline's) on the
 * run's start date. A period missing altogether is a removed right.
 */
export const windowsNotShortened: DynamicInvariant = {
  id: 'windows-not-shortened',
  title:
    "the petitioner's windows to ask for review and re-examination are floors: never shorter, counted from receipt",
  basis: 'reg-2022 art. 35-36',
  check(trace, { baseline }) {
    const out: Violation[] = [];
    const start = trace.scenario.start;
    for (const [id, statutory] of Object.entries(STATUTE as Record<string, StatutoryPeriod>)) {
      if (!statutory.petitioners) continue;
      for (const def of versionsOf(trace).map((c) => c.deadlines[id])) {
        if (!def) {
          out.push({
            message: `window ${id} is missing: the petitioner's right of ${statutory.basis} has no period`,
          });
          continue;
        }
        if (def.bound !== 'floor')
          out.push({
            message: `window ${id} is marked bound: ${def.bound ?? '(none)'}, not floor: a jurisdiction could shorten the petitioner's right (${statutory.basis})`,
          });
        if (def.from !== 'receipt')
          out.push({
            message: `window ${id} is counted from ${def.from ?? 'the step that starts it'}, not from the petitioner's receipt of the document (${statutory.basis}): a late delivery cuts the petitioner's 30 days`,
          });
        const a = dueOf(trace, start, asPeriod(def), false);
        for (const [name, ref] of referencesOf(id, baseline).refs) {
          const b = dueOf(trace, start, ref, false);
          if (a < b)
            out.push({
              message: `window ${id} started ${start} ends ${a.slice(0, 10)}, earlier than ${b.slice(0, 10)} under ${name}: it cuts the petitioner's time`,
            });
        }
      }
    }
    return [...new Map(out.map((v) => [v.message, v])).values()];
  },
};
