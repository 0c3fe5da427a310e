import { type Calendar, CalendarCoverageError, computeDeadline } from '../calendar/index.js';
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
 * The longest the deadline may run with every extension granted: each extension counts on
 * from the end of the period before it, as `computeDeadline` counts granted extensions.
 */
export function totalStretches(p: PeriodShape): Stretch[] {
  const ext = p.extension;
  const out = baseStretches(p);
  for (let i = 0; ext && i < ext.times; i++) out.push({ days: ext.maxDays, unit: ext.unit });
  return out;
}

function endOf(calendar: Calendar, start: string, stretches: Stretch[]): string {
  const [first, ...rest] = stretches;
  if (!first) return start;
  return computeDeadline(calendar, {
    start,
    days: first.days,
    unit: first.unit,
    extensions: rest.map((s) => ({
      days: s.days,
      unit: s.unit,
      approvedBy: 'limit',
      reason: 'longest allowed',
    })),
  }).due;
}

function* daysOf(from: number, to: number): Generator<string> {
  const end = Date.UTC(to, 11, 31);
  for (let t = Date.UTC(from, 0, 1); t <= end; t += 86_400_000) {
    yield new Date(t).toISOString().slice(0, 10);
  }
}

const sum = (s: Stretch[]) => s.reduce((n, x) => n + x.days, 0);

/**
 * Whether the child's period can end after the parent's for some start date. A single
 * stretch each, in the same unit, compares by days alone: the end never moves earlier as
 * days grow, and one more day ends later for some start. Anything else is counted on the
 * calendar for every start date of the years it covers (working days against calendar days
 * depend on where the holidays fall). Start dates whose end falls past the covered years are skipped: the calendar
 * cannot say, and a weekends-only guess could invent a difference.
 * @returns `'needs-calendar'` when the comparison needs a calendar and none was given
 * (stretches all in one unit are then compared by their total days, an approximation).
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
  if (!calendar) {
    const units = new Set([...parent, ...child].map((s) => s.unit));
    return units.size === 1 ? { longer: sum(child) > sum(parent) } : 'needs-calendar';
  }
  // a calendar never changes, so neither does the answer: every later load of the same
  // province reuses it instead of counting ~1,100 start dates again
  let memo = compared.get(calendar);
  if (!memo) {
    memo = new Map();
    compared.set(calendar, memo);
  }
  const key = JSON.stringify([parent, child]);
  let answer = memo.get(key);
  if (!answer) {
    answer = countOnCalendar(parent, child, calendar);
    memo.set(key, answer);
  }
  return answer;
}

const compared = new WeakMap<Calendar, Map<string, { longer: boolean; witness?: Witness }>>();

function countOnCalendar(
  parent: Stretch[],
  child: Stretch[],
  calendar: Calendar,
): { longer: boolean; witness?: Witness } {
  for (const start of daysOf(calendar.years.from, calendar.years.to)) {
    let childEnd: string;
    let parentEnd: string;
    try {
      childEnd = endOf(calendar, start, child);
      parentEnd = endOf(calendar, start, parent);
    } catch (e) {
      if (e instanceof CalendarCoverageError) continue;
      throw e;
    }
    if (childEnd > parentEnd) return { longer: true, witness: { start, child: childEnd, parent: parentEnd } };
  }
  return { longer: false };
}

/** `60 days`, `45 working days`, `60 days + 1 x 30 days`: how a period reads in a message. */
export function describePeriod(p: PeriodShape, locale: 'en' | 'zh'): string {
  const one = (days: number, unit: DayUnit) =>
    locale === 'zh'
      ? `${days}${unit === 'working' ? '个工作日' : '日'}`
      : `${days} ${unit === 'working' ? 'working ' : ''}days`;
  const base = one(p.days, p.unit);
  if (!p.extension) return base;
  const ext = `${p.extension.times} x ${one(p.extension.maxDays, p.extension.unit)}`;
  return locale === 'zh' ? `${base}，可延长 ${ext}` : `${base} + ${ext}`;
}
