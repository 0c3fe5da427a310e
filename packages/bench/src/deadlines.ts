/**
 * Computing 1,000,000 statutory deadlines on the cn-mainland calendar, beside the naive
 * date-fns arithmetic a system without a holiday calendar would use (addDays for calendar
 * days, addBusinessDays for working days): once on Date objects (the arithmetic alone) and
 * once string in, string out (what xinfang's API does). The baselines are wrong around
 * every holiday; the tables show what the calendar costs, and how often the naive answer
 * would have been wrong.
 */

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type Calendar, computeDeadline, type DayUnit, loadCalendarFile } from '@xinfang/core';
import { addBusinessDays, addDays, format, parseISO } from 'date-fns';
import { measure, printTable } from './measure.js';

const COUNT = 1_000_000;

/** configs/calendars/cn-mainland.yaml, found from the working directory upwards. */
function cnMainland(): Calendar {
  for (let dir = resolve('.'); ; dir = dirname(dir)) {
    const file = join(dir, 'configs', 'calendars', 'cn-mainland.yaml');
    if (existsSync(file)) return loadCalendarFile(file);
    if (dirname(dir) === dir)
      throw new Error('configs/calendars/cn-mainland.yaml not found from the working directory');
  }
}

/** Deterministic inputs (a fixed LCG), so every run and both sides see the same starts. */
function inputs(count: number, lengths: number[]): { start: string; days: number }[] {
  const first = Date.UTC(2024, 0, 1);
  const span = (Date.UTC(2026, 7, 31) - first) / 86_400_000; // periods of up to 60 days stay in 2026
  let seed = 20260918;
  const next = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed;
  };
  return Array.from({ length: count }, () => ({
    start: new Date(first + (next() % span) * 86_400_000).toISOString().slice(0, 10),
    days: lengths[next() % lengths.length] ?? 15,
  }));
}

/** Measures xinfang against the naive baseline for one unit, and counts where they disagree. */
async function compare(
  cal: Calendar,
  unit: DayUnit,
  lengths: number[],
  naive: (date: Date, days: number) => Date,
  naiveName: string,
) {
  const data = inputs(COUNT, lengths);
  const dates = data.map((x) => parseISO(x.start));
  // the string rows keep their answers (one array store each) to be compared afterwards
  const naiveDue = new Array<string>(COUNT);
  const xinfangDue = new Array<string>(COUNT);
  let sink = 0;
  const rows = [
    // the floor: date arithmetic alone, on parsed dates, nothing formatted
    await measure(`${naiveName} on Date objects (baseline, no holidays)`, COUNT, (i) => {
      sink += naive(dates[i]!, data[i]!.days).getDate();
    }),
    // what a caller without a calendar writes: a date string in, a date string out
    await measure(`${naiveName}, string in and out (no holidays)`, COUNT, (i) => {
      const x = data[i]!;
      naiveDue[i] = format(naive(parseISO(x.start), x.days), 'yyyy-MM-dd');
    }),
    await measure(`xinfang computeDeadline, ${unit} days, with trace and dueAt`, COUNT, (i) => {
      const x = data[i]!;
      xinfangDue[i] = computeDeadline(cal, { start: x.start, days: x.days, unit }).due;
    }),
  ];
  if (sink === 0) console.log('(unreachable: keeps the baseline from being optimised away)');
  let differ = 0;
  for (let i = 0; i < COUNT; i++) if (naiveDue[i] !== xinfangDue[i]) differ++;
  return { rows, differ };
}

/** Prints the deadline benchmark tables. */
export async function run(): Promise<void> {
  const cal = cnMainland();
  const calendarDays = await compare(cal, 'calendar', [15, 30, 60], addDays, 'date-fns addDays');
  printTable(
    `${COUNT.toLocaleString('en')} calendar-day deadlines (15/30/60 days, starts 2024-01..2026-08)`,
    calendarDays.rows,
  );
  console.log(`\nthe baseline's due date is wrong for ${calendarDays.differ.toLocaleString('en')} of them`);
  const workingDays = await compare(cal, 'working', [5, 10], addBusinessDays, 'date-fns addBusinessDays');
  printTable(`${COUNT.toLocaleString('en')} working-day deadlines (5/10 working days)`, workingDays.rows);
  console.log(`\nthe baseline's due date is wrong for ${workingDays.differ.toLocaleString('en')} of them`);
}
