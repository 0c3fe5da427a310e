/**
 * Statutory deadline arithmetic (Civil Code arts. 201, 203; Civil Procedure Law art. 85).
 *
 * Calendar days: the day the period starts is not counted; days from the next day on are
 * counted, each whatever it is; if the last counted day is a rest day (a weekend day or a
 * holiday — an adjusted working weekend day is a working day), the period ends on the next
 * working day.
 *
 * Working days: only working days after the start day are counted; the period ends on the
 * n-th.
 *
 * Pauses (stopping the clock, e.g. hearing time, Reg. 36): a pause `{ from, to }` stops the
 * clock on every day in [from, to): `from` is the first day not counted, `to` the day counting
 * resumes. A paused day is never counted, in either unit. For a calendar-day period, n
 * unpaused days are counted, then the end-of-period rule applies, and the next working day
 * it moves to must itself be unpaused (the period cannot end while the clock is stopped).
 * Hence a pause of k working days moves a working-day deadline by exactly k working days,
 * and a pause of k days moves a calendar-day deadline's last counted day by k days (before
 * the end-of-period rule). Several pauses may overlap; their union counts. A pause with no
 * `to` is still running: if the period has not ended when it starts, the result is
 * `suspended`, and `due` is only the earliest date the period can end (as if the clock had
 * restarted the day after the pause began).
 *
 * Extensions: each adds a further n days, counted from the last counted day of the period
 * before it (that day not counted), in its own unit or the request's; the end-of-period rule
 * applies once, to the extended period's end. An extended period is one period: a rest day on
 * which the original 60 days would have ended moves nothing, and "30 days, at most 60 in
 * total" ends 60 days after the start (then moved off a rest day), never later
 * (docs/decisions.md). With `extensionFrom: 'adjusted-end'` each extension counts on from the
 * end the rest-day rule gave the period before it instead.
 */

import { type Calendar, DayKind } from './calendar.js';
import { dayNumber, formatDay, yearOf } from './civil.js';
import { CalendarCoverageError, DeadlineRequestError, ExtensionRefusedError } from './errors.js';
import type { DayUnit } from './units.js';
import { cutoffMinutes, DEFAULT_CUTOFF, DEFAULT_TIMEZONE, isTimezone, zonedInstant } from './zone.js';

/** A further period granted after the first, recorded with who approved it and why (Reg. 34). */
export interface DeadlineExtension {
  days: number;
  /** @default the request's unit */
  unit?: DayUnit;
  /** Who approved it (a role or person id): an extension without an approver is refused. */
  approvedBy: string;
  /** Why: the petitioner is told the reasons (Reg. 34). */
  reason: string;
}

/** A stretch of time the clock is stopped: days in [from, to) are not counted. */
export interface DeadlinePause {
  /** First civil date not counted. */
  from: string;
  /** Civil date counting resumes; absent while the pause is still running. */
  to?: string;
}

/** What to compute: a period of `days` days from `start`, with its extensions and pauses. */
export interface DeadlineRequest {
  /** Civil date the period starts; that day is not counted. */
  start: string;
  /** Length of the period, a whole number of days, at least 1. */
  days: number;
  unit: DayUnit;
  extensions?: DeadlineExtension[];
  pauses?: DeadlinePause[];
  /** Allow counting past the covered years (weekends only there); the result is marked provisional. */
  provisional?: boolean;
  /** IANA zone of the civil dates. @default the calendar's zone, else 'Asia/Shanghai' */
  timezone?: string;
  /** End of the last day, `HH:MM` (close of office, e.g. `17:30`). @default '24:00' */
  cutoff?: string;
  /**
   * The config's limit on extensions (`maxDays` per extension, `times` extensions); exceeding
   * it is refused with DEADLINE_EXTENSION_REFUSED.
   */
  extensionLimit?: { maxDays?: number; times?: number };
  /**
   * Where an extension counts from (Reg. 34 "延长期限不得超过30日" admits both): `last-counted-day`,
   * the last counted day of the period it extends, the rest-day rule applied once at the end
   * (one period); `adjusted-end`, the end the rest-day rule gave the period it extends (each
   * period ends on a working day, the next counts on from there). @default 'last-counted-day'
   */
  extensionFrom?: 'last-counted-day' | 'adjusted-end';
  /**
   * A cap on the period with its extensions: it ends no later than `extensionTotalDays` days
   * from `start` would (then moved off a rest day), whatever the counting (Zhejiang: "30 days,
   * extended at most to 60 in total").
   */
  extensionTotalDays?: number;
}

/** One step of a deadline's explanation. Consecutive days of the same kind form one step. */
export type TraceStep =
  | { step: 'start'; date: string; days: number; unit: DayUnit }
  | {
      step: 'count';
      from: string;
      to: string;
      /** Days counted in this run. */
      days: number;
      /** Days counted in the period so far, this run included. */
      total: number;
      kind: 'calendar-day' | 'workday' | 'adjusted-workday';
      adjustment?: string;
      /** Counted past the covered years, with weekends only. */
      provisional?: true;
    }
  | {
      step: 'skip';
      from: string;
      to: string;
      days: number;
      reason: 'weekend' | 'holiday' | 'pause';
      holiday?: string;
      provisional?: true;
    }
  | { step: 'extension'; from: string; days: number; unit: DayUnit; approvedBy: string; reason: string }
  | { step: 'moved'; from: string; to: string; reason: 'weekend' | 'holiday'; holiday?: string }
  | { step: 'suspended'; since: string; remaining: number }
  /** The extended period's end brought back to its total cap (`extensionTotalDays`). */
  | { step: 'capped'; from: string; to: string; totalDays: number }
  | { step: 'result'; due: string; dueAt: string; cutoff: string; timezone: string; provisional: boolean };

/** A computed deadline, with the calendar version it was computed under and its explanation. */
export interface DeadlineResult {
  /** Civil date the period ends on. */
  due: string;
  /** ISO instant in UTC of the cut-off on the due day in the zone. */
  dueAt: string;
  /** True when some day past the covered years was counted with weekends only. */
  provisional: boolean;
  provisionalReason?: string;
  /** The years counted with weekends only. */
  provisionalYears?: number[];
  /**
   * Set when a pause is still running and the period has not ended: `due` is then only the
   * earliest possible end; recompute when the pause ends.
   */
  suspended?: { since: string; remaining: number };
  calendarId: string;
  calendarVersion: string;
  timezone: string;
  cutoff: string;
  trace: TraceStep[];
}

/** Longest period accepted: longer is a typo, and would only spin the counter. */
const MAX_DAYS = 100_000;

type CountKind = 'calendar-day' | 'workday' | 'adjusted-workday';
type SkipReason = 'weekend' | 'holiday' | 'pause';
type RunStep = Extract<TraceStep, { step: 'count' | 'skip' }>;

interface Span {
  from: number;
  /** Exclusive; Infinity while still running. */
  to: number;
  fromDate: string;
}

function working(kind: number): boolean {
  return kind === DayKind.workday || kind === DayKind.adjusted;
}

// Run keys: consecutive days with the same key (and holiday name) form one trace step.
const COUNT_KIND: readonly CountKind[] = ['calendar-day', 'workday', 'adjusted-workday'];
const SKIP_REASON: readonly SkipReason[] = ['weekend', 'holiday', 'pause'];
// indexes into COUNT_KIND and SKIP_REASON
const COUNT_CALENDAR_DAY = 0;
const COUNT_WORKDAY = 1;
const COUNT_ADJUSTED = 2;
const SKIP_WEEKEND = 0;
const SKIP_HOLIDAY = 1;
const SKIP_PAUSE = 2;
// flags that keep runs of skipped days, and of days counted past the covered years, apart
const SKIP = 8;
const PROVISIONAL = 16;

/** Counts the days of one deadline and writes its trace. One per computation. */
class Counter {
  readonly trace: TraceStep[] = [];
  readonly uncovered = new Set<number>();
  suspended: { since: string; remaining: number } | undefined;
  #run: RunStep | undefined;
  #runKey = -1;
  #runName: string | undefined;
  #runLast = 0;
  #remaining = 0;

  constructor(
    private readonly cal: Calendar,
    private readonly provisional: boolean,
    private readonly spans: Span[],
  ) {}

  /** Counts `n` days of `unit` after day `start` and returns the day the period ends. */
  /** The last day of n days after `start`; `settle`: moved off a rest day, as a period's end is. */
  period(start: number, n: number, unit: DayUnit, settle = true): number {
    let d = start;
    let counted = 0;
    while (counted < n) {
      d++;
      this.#remaining = n - counted;
      if (this.spans.length > 0 && this.#paused(d)) {
        this.#skip(d, SKIP_PAUSE);
        continue;
      }
      if (unit === 'calendar') {
        // inside a calendar-day period no day's status matters: count up to the next pause at once
        const take = Math.min(n - counted, this.#nextPause(d) - d);
        counted += take;
        this.#count(d, COUNT_CALENDAR_DAY, counted, take);
        d += take - 1;
        continue;
      }
      const kind = this.#kind(d);
      if (kind === DayKind.workday || kind === DayKind.adjusted) {
        counted++;
        this.#count(d, kind === DayKind.adjusted ? COUNT_ADJUSTED : COUNT_WORKDAY, counted, 1);
      } else this.#skipKind(d, kind);
    }
    this.#remaining = 0;
    if (unit === 'calendar' && settle) {
      const kind = this.#kind(d);
      if (!working(kind)) {
        let e = d + 1;
        while ((this.spans.length > 0 && this.#paused(e)) || !working(this.#kind(e))) e++;
        this.#close();
        const moved: TraceStep = {
          step: 'moved',
          from: formatDay(d),
          to: formatDay(e),
          reason: kind === DayKind.holiday ? 'holiday' : 'weekend',
        };
        if (kind === DayKind.holiday) moved.holiday = this.cal.nameOf(d);
        this.trace.push(moved);
        for (let x = d + 1; x < e; x++) {
          if (this.spans.length > 0 && this.#paused(x)) this.#skip(x, SKIP_PAUSE);
          else this.#skipKind(x, this.#kind(x));
        }
        d = e;
      }
    }
    this.#close();
    return d;
  }

  /** Closes the open run of days so the next step starts a new line. */
  #close(): void {
    if (this.#run) this.#run.to = formatDay(this.#runLast);
    this.#run = undefined;
    this.#runKey = -1;
  }

  #kind(day: number): number {
    const kind = this.cal.kindOf(day);
    if (kind !== DayKind.outside) return kind;
    const year = yearOf(day);
    if (!this.provisional) throw new CalendarCoverageError(this.cal.id, year, formatDay(day), this.cal.years);
    this.uncovered.add(year);
    return this.cal.isWeekendDay(day) ? DayKind.weekend : DayKind.workday;
  }

  #paused(day: number): boolean {
    for (const s of this.spans) {
      if (day < s.from) return false;
      if (day < s.to) {
        if (s.to === Number.POSITIVE_INFINITY) {
          // a running pause: report the suspension, then count on as if it ended the next day
          this.suspended = { since: s.fromDate, remaining: this.#remaining };
          s.to = s.from + 1;
        }
        return true;
      }
    }
    return false;
  }

  /** The first paused day after `day` (which is not paused), or Infinity. */
  #nextPause(day: number): number {
    for (const s of this.spans) if (s.from > day) return s.from;
    return Number.POSITIVE_INFINITY;
  }

  /** True when the open run continues with `day` under `key` (and holiday `name`). */
  #extends(day: number, key: number, name: string | undefined): boolean {
    return (
      this.#run !== undefined && this.#runKey === key && this.#runLast === day - 1 && this.#runName === name
    );
  }

  #open(step: RunStep, key: number, name: string | undefined, last: number): void {
    this.#close();
    this.trace.push(step);
    this.#run = step;
    this.#runKey = key;
    this.#runName = name;
    this.#runLast = last;
  }

  #isProvisional(day: number): boolean {
    return this.provisional && this.cal.kindOf(day) === DayKind.outside;
  }

  /** Counts `days` days from `day` on (several only for calendar days), `total` so far. */
  #count(day: number, kindCode: number, total: number, days: number): void {
    // past the covered years, counted calendar days are still just days: mark working days only
    const prov = kindCode !== COUNT_CALENDAR_DAY && this.#isProvisional(day);
    const key = kindCode | (prov ? PROVISIONAL : 0);
    const name = kindCode === COUNT_ADJUSTED ? this.cal.nameOf(day) : undefined;
    const run = this.#run;
    if (run?.step === 'count' && this.#extends(day, key, name)) {
      run.days += days;
      run.total = total;
      this.#runLast = day + days - 1;
      return;
    }
    const kind = COUNT_KIND[kindCode] ?? 'workday';
    const step: RunStep = { step: 'count', from: formatDay(day), to: '', days, total, kind };
    if (name !== undefined) step.adjustment = name;
    if (prov) step.provisional = true;
    this.#open(step, key, name, day + days - 1);
  }

  #skip(day: number, reasonCode: number, holiday?: string): void {
    const prov = reasonCode === SKIP_WEEKEND && this.#isProvisional(day);
    const key = SKIP | reasonCode | (prov ? PROVISIONAL : 0);
    const run = this.#run;
    if (run !== undefined && this.#extends(day, key, holiday)) {
      run.days++;
      this.#runLast = day;
      return;
    }
    const step: RunStep = {
      step: 'skip',
      from: formatDay(day),
      to: '',
      days: 1,
      reason: SKIP_REASON[reasonCode] ?? 'weekend',
    };
    if (holiday !== undefined) step.holiday = holiday;
    if (prov) step.provisional = true;
    this.#open(step, key, holiday, day);
  }

  #skipKind(day: number, kind: number): void {
    if (kind === DayKind.holiday) this.#skip(day, SKIP_HOLIDAY, this.cal.nameOf(day) ?? '');
    else this.#skip(day, SKIP_WEEKEND);
  }
}

function checkUnit(unit: unknown, field: string): DayUnit {
  if (unit !== 'calendar' && unit !== 'working') {
    throw new DeadlineRequestError(
      field,
      `must be 'calendar' or 'working', not ${JSON.stringify(unit)}`,
      unit,
    );
  }
  return unit;
}

function checkDays(days: unknown, field: string): number {
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
    throw new DeadlineRequestError(field, `must be a whole number of days from 1 to ${MAX_DAYS}`, days);
  }
  return days;
}

/** Sorted, merged pause spans; refuses backwards pauses and anything after a running one. */
function pauseSpans(pauses: DeadlinePause[]): Span[] {
  const raw = pauses.map((p, i) => {
    const from = dayNumber(p?.from, `pauses[${i}].from`);
    const to = p.to === undefined ? Number.POSITIVE_INFINITY : dayNumber(p.to, `pauses[${i}].to`);
    if (to <= from) {
      throw new DeadlineRequestError(
        `pauses[${i}]`,
        `to (${p.to}) must be after from (${p.from}): days in [from, to) are paused, to is the day counting resumes`,
        p,
      );
    }
    return { from, to, fromDate: formatDay(from) };
  });
  raw.sort((a, b) => a.from - b.from);
  const spans: Span[] = [];
  for (const s of raw) {
    const last = spans[spans.length - 1];
    if (last && last.to === Number.POSITIVE_INFINITY) {
      throw new DeadlineRequestError(
        'pauses',
        `a pause from ${s.fromDate} cannot follow the pause from ${last.fromDate}, which has not ended`,
      );
    }
    if (last && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else spans.push({ ...s });
  }
  return spans;
}

function checkExtensions(req: DeadlineRequest): DeadlineExtension[] {
  const extensions = req.extensions ?? [];
  extensions.forEach((x, i) => {
    checkDays(x?.days, `extensions[${i}].days`);
    if (x.unit !== undefined) checkUnit(x.unit, `extensions[${i}].unit`);
    for (const field of ['approvedBy', 'reason'] as const) {
      if (typeof x[field] !== 'string' || x[field].trim() === '') {
        throw new ExtensionRefusedError(
          `extensions[${i}]: an extension must record ${field === 'approvedBy' ? 'who approved it' : 'why it was granted'} (${field})`,
          { index: i, field },
        );
      }
    }
  });
  const limit = req.extensionLimit;
  if (limit?.times !== undefined && extensions.length > limit.times) {
    throw new ExtensionRefusedError(
      `${extensions.length} extensions asked, the config allows ${limit.times}`,
      { times: extensions.length, limit: limit.times },
    );
  }
  // `maxDays` bounds each extension, as the config's `extension.maxDays` does (Reg. 34: one
  // extension of at most 30 days); `times` bounds how many there are
  const over = extensions.find((x) => limit?.maxDays !== undefined && x.days > limit.maxDays);
  if (over && limit?.maxDays !== undefined) {
    throw new ExtensionRefusedError(
      `an extension of ${over.days} days; the config allows at most ${limit.maxDays} per extension`,
      {
        days: over.days,
        limit: limit.maxDays,
      },
    );
  }
  return extensions;
}

/**
 * The period with its extensions held to `extensionTotalDays` from the start (a jurisdiction's
 * total cap, Zhejiang's 60 days): the cap is counted on its own counter, its steps are not the
 * period's; only the years it could not see and the capping itself are reported.
 */
function capTotal(
  calendar: Calendar,
  counter: Counter,
  at: { start: number; unit: DayUnit; due: number; provisional: boolean; req: DeadlineRequest },
): number {
  const { start, unit, due, provisional, req } = at;
  const capped = new Counter(calendar, provisional, pauseSpans(req.pauses ?? []));
  const totalDays = checkDays(req.extensionTotalDays, 'extensionTotalDays');
  const cap = capped.period(start, totalDays, unit, true);
  for (const y of capped.uncovered) counter.uncovered.add(y);
  if (cap >= due) return due;
  counter.trace.push({ step: 'capped', from: formatDay(due), to: formatDay(cap), totalDays });
  return cap;
}

/**
 * Computes when a period ends on `calendar`, with its explanation (see the module comment
 * for the rules). Throws `CalendarCoverageError` (CALENDAR_NOT_COVERED) when a day whose
 * working status matters lies outside the calendar's years, unless `provisional` is set;
 * CALENDAR_BAD_DATE for an unreadable date; DEADLINE_INVALID for an impossible request;
 * DEADLINE_EXTENSION_REFUSED for an extension without approver or reason, or over the limit.
 */
export function computeDeadline(calendar: Calendar, req: DeadlineRequest): DeadlineResult {
  const start = dayNumber(req.start, 'start');
  const days = checkDays(req.days, 'days');
  const unit = checkUnit(req.unit, 'unit');
  const timezone = req.timezone ?? calendar.timezone ?? DEFAULT_TIMEZONE;
  if (!isTimezone(timezone))
    throw new DeadlineRequestError('timezone', `unknown time zone ${timezone}`, timezone);
  const cutoff = req.cutoff ?? DEFAULT_CUTOFF;
  const minutes = cutoffMinutes(cutoff);
  const extensions = checkExtensions(req);
  const provisional = req.provisional === true;

  const counter = new Counter(calendar, provisional, pauseSpans(req.pauses ?? []));
  counter.trace.push({ step: 'start', date: formatDay(start), days, unit });
  // counting on from the adjusted end settles each period on a working day before the next
  const settleEach = req.extensionFrom === 'adjusted-end';
  let due = counter.period(start, days, unit, settleEach || extensions.length === 0);
  for (const [i, x] of extensions.entries()) {
    const xUnit = x.unit ?? unit;
    counter.trace.push({
      step: 'extension',
      from: formatDay(due),
      days: x.days,
      unit: xUnit,
      approvedBy: x.approvedBy,
      reason: x.reason,
    });
    due = counter.period(due, x.days, xUnit, settleEach || i === extensions.length - 1);
  }

  if (req.extensionTotalDays !== undefined && extensions.length > 0)
    due = capTotal(calendar, counter, { start, unit, due, provisional, req });

  const dueDate = formatDay(due);
  const dueAt = zonedInstant(due, minutes, timezone);
  const isProvisional = counter.uncovered.size > 0;
  if (counter.suspended) counter.trace.push({ step: 'suspended', ...counter.suspended });
  counter.trace.push({ step: 'result', due: dueDate, dueAt, cutoff, timezone, provisional: isProvisional });
  const result: DeadlineResult = {
    due: dueDate,
    dueAt,
    provisional: isProvisional,
    calendarId: calendar.id,
    calendarVersion: calendar.version,
    timezone,
    cutoff,
    trace: counter.trace,
  };
  if (isProvisional) {
    const years = [...counter.uncovered].sort((a, b) => a - b);
    result.provisionalYears = years;
    result.provisionalReason =
      `calendar ${calendar.id} ${calendar.version} has holiday schedules for ${calendar.years.from}-${calendar.years.to} ` +
      `only; days in ${years.join(', ')} were counted with weekends only. Recompute when the ` +
      `${years.join(', ')} schedule is loaded`;
  }
  if (counter.suspended) result.suspended = counter.suspended;
  return result;
}

/**
 * Working days in (from, to]: the count that, added to `from`, reaches `to`. Negative when
 * `to` is before `from`. Throws CALENDAR_NOT_COVERED for a day outside the covered years,
 * unless `options.provisional` (weekends only there).
 */
export function workingDaysBetween(
  calendar: Calendar,
  from: string,
  to: string,
  options: { provisional?: boolean } = {},
): number {
  const a = dayNumber(from, 'from');
  const b = dayNumber(to, 'to');
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  let n = 0;
  for (let d = lo + 1; d <= hi; d++) {
    let kind = calendar.kindOf(d);
    if (kind === DayKind.outside) {
      if (!options.provisional)
        throw new CalendarCoverageError(calendar.id, yearOf(d), formatDay(d), calendar.years);
      kind = calendar.isWeekendDay(d) ? DayKind.weekend : DayKind.workday;
    }
    if (working(kind)) n++;
  }
  return a <= b ? n : -n;
}

/** An open deadline as the engine holds it: its request and the due date it was given. */
export interface OpenDeadline {
  id: string;
  request: DeadlineRequest;
  due: string;
  /** Whether the held due date was provisional. */
  provisional?: boolean;
}

/** A deadline that a new calendar version moves (or confirms, when `from === to`). */
export interface DeadlineMove {
  id: string;
  from: string;
  to: string;
  result: DeadlineResult;
}

/**
 * Which open deadlines a new calendar version moves, and to where (a holiday added
 * mid-year, next year's schedule published). Lists a deadline whose due date changes, and
 * one held as provisional that the new calendar confirms (then `from === to` and
 * `result.provisional` is false), so the engine can clear the mark. Throws like
 * `computeDeadline` when a request cannot be computed on `next`.
 */
export function recalculate(open: OpenDeadline[], next: Calendar): DeadlineMove[] {
  const moves: DeadlineMove[] = [];
  for (const o of open) {
    const result = computeDeadline(next, o.request);
    if (result.due !== o.due || (o.provisional === true && !result.provisional)) {
      moves.push({ id: o.id, from: o.due, to: result.due, result });
    }
  }
  return moves;
}
