import { type Calendar, computeDeadline } from '../calendar/index.js';
import type { DayUnit } from './types.js';

/** A stretch of days counted in one unit; a period is one or more stretches, end to end. */
interface Stretch {
  days: number;
  unit: DayUnit;
}

/** The parts of a deadline that decide when it can end. */
export interface PeriodShape {
  days: number;
  unit: DayUnit;
  extension?: { maxDays: number; times: number; unit: DayUnit };
}

/** A start date for which the child's period ends after the parent's. */
export interface Witness {
  start: string;
  child: string;
  parent: string;
}

/** The longest the deadline may run without extension. */
export function baseStretches(p: PeriodShape): Stretch[] {
  return [{ days: p.days, unit: p.unit }];
}

/**
 * The longest the deadline may run with every extension granted. Extensions in the
 * deadline's own unit add to its days (an extension of the period, counted from the start
 * like the period itself); in another unit they count on from the end of the base period.
 */
export function totalStretches(p: PeriodShape): Stretch[] {
  const ext = p.extension;
  if (!ext) return baseStretches(p);
  const extra = ext.maxDays * ext.times;
  if (ext.unit === p.unit) return [{ days: p.days + extra, unit: p.unit }];
  return [
    { days: p.days, unit: p.unit },
    { days: extra, unit: ext.unit },
  ];
}

function endOf(calendar: Calendar, start: string, stretches: Stretch[]): string {
  let at = start;
  for (const s of stretches) at = computeDeadline(calendar, { start: at, days: s.days, unit: s.unit }).due;
  return at;
}

function* daysOf(from: number, to: number): Generator<string> {
  const end = Date.UTC(to, 11, 31);
  for (let t = Date.UTC(from, 0, 1); t <= end; t += 86_400_000) {
    yield new Date(t).toISOString().slice(0, 10);
  }
}

/**
 * Whether the child's period can end after the parent's for some start date. One stretch
 * each in the same unit compares by days alone: the end date never decreases as days grow,
 * so more days is later for some start and fewer is never later. Any other pair is counted
 * on the calendar for every start date of the years it covers (working days against calendar
 * days depend on where the holidays fall). Start dates whose end falls outside the covered
 * years are skipped: the calendar cannot say, and guessing would be worse.
 * @returns `'needs-calendar'` when the comparison needs a calendar and none was given.
 */
export function compareStretches(
  parent: Stretch[],
  child: Stretch[],
  calendar: Calendar | undefined,
): { longer: boolean; witness?: Witness } | 'needs-calendar' {
  const [p] = parent;
  const [c] = child;
  if (parent.length === 1 && child.length === 1 && p && c && p.unit === c.unit) {
    return { longer: c.days > p.days };
  }
  if (!calendar) return 'needs-calendar';
  for (const start of daysOf(calendar.years.from, calendar.years.to)) {
    let childEnd: string;
    let parentEnd: string;
    try {
      childEnd = endOf(calendar, start, child);
      parentEnd = endOf(calendar, start, parent);
    } catch {
      continue;
    }
    if (childEnd > parentEnd) return { longer: true, witness: { start, child: childEnd, parent: parentEnd } };
  }
  return { longer: false };
}

/** `60 days`, `45 working days`, `60 days + 1 x 30 days`: how a period reads in a message. */
export function describePeriod(p: PeriodShape, locale: 'en' | 'zh'): string {
  const one = (days: number, unit: DayUnit) =>
    locale === 'zh' ? `${days}${unit === 'working' ? '个工作日' : '日'}` : `${days} ${unit === 'working' ? 'working ' : ''}days`;
  const base = one(p.days, p.unit);
  if (!p.extension) return base;
  const ext = `${p.extension.times} x ${one(p.extension.maxDays, p.extension.unit)}`;
  return locale === 'zh' ? `${base}，可延长 ${ext}` : `${base} + ${ext}`;
}
