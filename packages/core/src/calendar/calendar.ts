import { dayNumber, firstDayOfYear, formatDay, tryDayNumber, weekdayOf, yearOf } from './civil.js';
import { CalendarCoverageError, CalendarDataError, type CalendarProblem } from './errors.js';
import { isTimezone } from './zone.js';

/** A named day in a calendar: a public holiday or an adjusted working day (调休上班). */
export interface NamedDay {
  /** Civil date `YYYY-MM-DD`. */
  date: string;
  /** The name shown in explanations, in the calendar's language (e.g. `国庆节`). */
  name: string;
}

/**
 * A holiday calendar as data: what `configs/calendars/*.yaml` holds once its date ranges are
 * expanded to single days.
 */
export interface CalendarData {
  /** The id jurisdictions name it by, e.g. `cn-mainland`. */
  id: string;
  name: string;
  /** The schedule's own version; a new version (a holiday added mid-year) moves deadlines. */
  version: string;
  /** IANA zone deadlines on this calendar are counted in, unless the request names another. */
  timezone?: string;
  /** Days of the week that are rest days: 0 = Sunday .. 6 = Saturday. */
  weekend: number[];
  /** The years whose holiday schedule is known, inclusive. Outside them the calendar refuses. */
  years: { from: number; to: number };
  /** Public holidays, one entry per day off (a holiday may fall on a weekend day). */
  holidays: NamedDay[];
  /** Adjusted working days: weekend days that are working days (调休). */
  workdays: NamedDay[];
}

/** Why a day is or is not a working day. */
export type DayReason = 'workday' | 'weekend' | 'holiday' | 'adjusted-workday';

/** What a calendar says about one day. */
export interface DayInfo {
  date: string;
  working: boolean;
  reason: DayReason;
  /** The holiday's name when `reason` is `holiday`. */
  holiday?: string;
  /** The adjusted working day's name when `reason` is `adjusted-workday`. */
  adjustment?: string;
}

/** @internal Kind codes of the day table; `OUTSIDE` is a day the calendar has no schedule for. */
export const DayKind = { workday: 0, weekend: 1, holiday: 2, adjusted: 3, outside: 4 } as const;
const KIND_REASON: readonly DayReason[] = ['workday', 'weekend', 'holiday', 'adjusted-workday'];

const CALENDAR_ID = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

type ListName = 'holidays' | 'workdays';

/** Locates a problem in a list item; parseCalendar maps expanded days back to their YAML range. */
export type ItemPointer = (list: ListName, index: number, field?: 'date' | 'name') => string;

const plainPointer: ItemPointer = (list, index, field) => `/${list}/${index}${field ? `/${field}` : ''}`;

/** Records an error problem: where, what, and how to fix it. */
type ReportError = (pointer: string, message: string, hint?: string) => void;

/** The years a calendar covers, once they are known to be whole years in order. */
interface Years {
  from: number;
  to: number;
}

/** What checking the listed days shares: where problems go, and what is known of the calendar. */
interface DayCheck {
  problems: CalendarProblem[];
  error: ReportError;
  at: ItemPointer;
  weekend: readonly number[];
  years: Years | undefined;
  /** The list each day was first seen in: a day listed twice, or in both lists, is a mistake. */
  seen: Map<number, ListName>;
  /** The years some holiday falls in. */
  holidayYears: Set<number>;
}

/**
 * Every semantic problem in calendar data (errors and warnings), without throwing. Checks
 * what a JSON schema cannot: real dates, dates inside the covered years, no day both a
 * holiday and a working day, adjusted working days that are weekend days, ...
 */
export function checkCalendarData(data: CalendarData, at: ItemPointer = plainPointer): CalendarProblem[] {
  const problems: CalendarProblem[] = [];
  const error: ReportError = (pointer, message, hint) =>
    problems.push({ severity: 'error', pointer, message, ...(hint ? { hint } : {}) });
  if (typeof data !== 'object' || data === null) {
    error('', 'calendar data must be an object');
    return problems;
  }
  checkIdentity(data, error);
  const weekend = checkWeekend(data, error);
  const years = checkYears(data, error);
  const dc: DayCheck = { problems, error, at, weekend, years, seen: new Map(), holidayYears: new Set() };
  for (const list of ['holidays', 'workdays'] as const) {
    const items = data[list];
    if (!Array.isArray(items)) {
      error(`/${list}`, 'must be a list of { date, name }');
      continue;
    }
    items.forEach((item, i) => {
      checkDay(dc, list, item, i);
    });
  }
  if (years && Array.isArray(data.holidays)) warnYearsWithoutHolidays(dc, years);
  return problems;
}

/** The calendar's id, name, version and time zone. */
function checkIdentity(data: CalendarData, error: ReportError): void {
  if (typeof data.id !== 'string' || !CALENDAR_ID.test(data.id)) {
    error('/id', 'must be a non-empty id of letters, digits, ".", "_", "+" or "-"');
  }
  if (typeof data.name !== 'string' || data.name.trim() === '') error('/name', 'must be a non-empty name');
  if (typeof data.version !== 'string' || data.version.trim() === '') {
    error('/version', 'must be a non-empty string', 'quote a numeric version: version: "2026.1"');
  }
  if (data.timezone !== undefined && !isTimezone(data.timezone)) {
    error('/timezone', `unknown IANA time zone ${JSON.stringify(data.timezone)}`, 'e.g. Asia/Shanghai');
  }
}

/** The weekend days, each a weekday once; none when `weekend` is not a list. */
function checkWeekend(data: CalendarData, error: ReportError): number[] {
  const weekend = Array.isArray(data.weekend) ? data.weekend : [];
  if (!Array.isArray(data.weekend))
    error('/weekend', 'must be a list of weekdays, 0 = Sunday .. 6 = Saturday');
  weekend.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 0 || d > 6) error(`/weekend/${i}`, 'must be 0 (Sunday) .. 6 (Saturday)');
    else if (weekend.indexOf(d) !== i) error(`/weekend/${i}`, `weekday ${d} is listed twice`);
  });
  // with no working weekday, counting working days past the schedule would never end
  if (new Set(weekend).size >= 7) error('/weekend', 'leaves no working day in the week');
  return weekend;
}

/** The covered years, or undefined (and an error) when they are not whole years in order. */
function checkYears(data: CalendarData, error: ReportError): Years | undefined {
  const years = data.years;
  const from = years?.from;
  const to = years?.to;
  const yearsOk = Number.isInteger(from) && Number.isInteger(to) && from >= 1000 && to <= 9999 && from <= to;
  if (!yearsOk) error('/years', 'must be { from, to }: whole years, from <= to');
  return yearsOk ? { from, to } : undefined;
}

/** One holiday or adjusted working day: its name, a real date in the covered years, listed once. */
function checkDay(dc: DayCheck, list: ListName, item: NamedDay, i: number): void {
  const { error, at, years } = dc;
  if (typeof item !== 'object' || item === null) {
    error(at(list, i), 'must be { date, name }');
    return;
  }
  if (typeof item.name !== 'string' || item.name.trim() === '') {
    error(at(list, i, 'name'), 'must be a non-empty name');
  }
  const day = tryDayNumber(item.date);
  if (day === undefined) {
    dc.problems.push({
      severity: 'error',
      code: 'CALENDAR_BAD_DATE',
      pointer: at(list, i, 'date'),
      message: `${JSON.stringify(item.date)} is not a real date YYYY-MM-DD`,
    });
    return;
  }
  const year = yearOf(day);
  if (years && (year < years.from || year > years.to)) {
    error(
      at(list, i, 'date'),
      `${item.date} is outside the covered years ${years.from}-${years.to}`,
      `widen years to include ${year}, or remove the day`,
    );
  }
  const other = dc.seen.get(day);
  if (other === list) error(at(list, i, 'date'), `${item.date} is listed twice in ${list}`);
  else if (other !== undefined) {
    error(at(list, i, 'date'), `${item.date} is both a holiday and an adjusted working day`);
  }
  dc.seen.set(day, list);
  if (list === 'holidays') dc.holidayYears.add(year);
  if (list === 'workdays' && !dc.weekend.includes(weekdayOf(day))) {
    error(
      at(list, i, 'date'),
      `${item.date} is not a weekend day, so it cannot be an adjusted working day`,
      'adjusted working days (调休上班) are weekend days that become working days',
    );
  }
}

function warnYearsWithoutHolidays(dc: DayCheck, years: Years): void {
  for (let y = years.from; y <= years.to; y++) {
    if (!dc.holidayYears.has(y)) {
      // a covered year without holidays is usually a schedule not yet entered: the calendar
      // would then answer "working day" for 国庆节 instead of refusing
      dc.problems.push({
        severity: 'warning',
        pointer: '/years',
        message: `covers ${y} but lists no holiday in ${y}`,
        hint: `enter the ${y} schedule, or stop the covered years before ${y}`,
      });
    }
  }
}

/**
 * A holiday calendar: which civil days are working days, for the years it covers. Build one
 * with `Calendar.fromData` or load one with `loadCalendarFile`. Immutable.
 */
export class Calendar {
  readonly id: string;
  readonly version: string;
  readonly name: string;
  /** The zone the calendar's jurisdiction counts deadlines in, if it names one. */
  readonly timezone: string | undefined;
  /** The years the calendar has a schedule for, inclusive. */
  readonly years: { readonly from: number; readonly to: number };
  /** Rest days of the week, 0 = Sunday .. 6 = Saturday. */
  readonly weekend: readonly number[];

  readonly #data: CalendarData;
  readonly #first: number;
  readonly #last: number;
  readonly #weekendMask: number;
  readonly #kinds: Uint8Array;
  readonly #names = new Map<number, string>();

  private constructor(data: CalendarData) {
    this.#data = data;
    this.id = data.id;
    this.version = data.version;
    this.name = data.name;
    this.timezone = data.timezone;
    this.years = Object.freeze({ from: data.years.from, to: data.years.to });
    this.weekend = Object.freeze([...data.weekend].sort((a, b) => a - b));
    this.#weekendMask = data.weekend.reduce((m, d) => m | (1 << d), 0);
    this.#first = firstDayOfYear(data.years.from);
    this.#last = firstDayOfYear(data.years.to + 1) - 1;
    // one byte per covered day: counting a deadline is then an array lookup per day
    this.#kinds = new Uint8Array(this.#last - this.#first + 1);
    for (let day = this.#first; day <= this.#last; day++) {
      this.#kinds[day - this.#first] = this.#isWeekend(day) ? DayKind.weekend : DayKind.workday;
    }
    for (const h of data.holidays) {
      const day = dayNumber(h.date, 'holiday');
      this.#kinds[day - this.#first] = DayKind.holiday;
      this.#names.set(day, h.name);
    }
    for (const w of data.workdays) {
      const day = dayNumber(w.date, 'workday');
      this.#kinds[day - this.#first] = DayKind.adjusted;
      this.#names.set(day, w.name);
    }
  }

  /**
   * Builds a calendar from data, after checking it. Throws `CalendarDataError`
   * (CALENDAR_INVALID) listing every problem: a bad date, a day outside the covered years,
   * a day both holiday and working day, an adjusted working day that is not a weekend day.
   */
  static fromData(data: CalendarData): Calendar {
    const errors = checkCalendarData(data).filter((p) => p.severity === 'error');
    if (errors.length > 0) throw new CalendarDataError(data?.id ?? '', errors);
    return new Calendar(structuredCloneData(data));
  }

  /** True when `date` (`YYYY-MM-DD`) is in a covered year. Throws CALENDAR_BAD_DATE for a non-date. */
  covers(date: string): boolean {
    const day = dayNumber(date, 'date');
    return day >= this.#first && day <= this.#last;
  }

  /**
   * Whether `date` is a working day, and why. Throws `CalendarCoverageError`
   * (CALENDAR_NOT_COVERED) outside the covered years, and CALENDAR_BAD_DATE for a non-date.
   */
  dayInfo(date: string): DayInfo {
    const day = dayNumber(date, 'date');
    const kind = this.kindOf(day);
    if (kind === DayKind.outside) throw new CalendarCoverageError(this.id, yearOf(day), date, this.years);
    const info: DayInfo = {
      date: formatDay(day),
      working: kind === DayKind.workday || kind === DayKind.adjusted,
      reason: KIND_REASON[kind] ?? 'workday',
    };
    if (kind === DayKind.holiday) info.holiday = this.#names.get(day);
    if (kind === DayKind.adjusted) info.adjustment = this.#names.get(day);
    return info;
  }

  /** True when `date` is a working day. Throws like `dayInfo` outside the covered years. */
  isWorkingDay(date: string): boolean {
    return this.dayInfo(date).working;
  }

  /**
   * This calendar plus a jurisdiction's own days off (a province's or an autonomous
   * region's local holidays). A local day off that the national schedule makes an adjusted
   * working day is a day off locally: the local rule is the more specific one. The result
   * has its own version (the base version plus a fingerprint of the local days), so
   * deadlines pinned to it can tell it apart from the national one; `idSuffix`, if given,
   * also makes its id `<id>+<idSuffix>`.
   */
  withDaysOff(days: NamedDay[], idSuffix?: string): Calendar {
    const problems: CalendarProblem[] = [];
    const local = new Map<string, string>();
    days.forEach((d, i) => {
      const day = tryDayNumber(d?.date);
      if (day === undefined) {
        problems.push({
          severity: 'error',
          pointer: `/${i}/date`,
          message: `${JSON.stringify(d?.date)} is not a date`,
        });
      } else if (day < this.#first || day > this.#last) {
        problems.push({
          severity: 'error',
          pointer: `/${i}/date`,
          message: `${d.date} is outside the years ${this.years.from}-${this.years.to} of calendar ${this.id}`,
        });
      } else if (typeof d.name !== 'string' || d.name.trim() === '') {
        problems.push({ severity: 'error', pointer: `/${i}/name`, message: 'must be a non-empty name' });
      } else if (local.has(d.date)) {
        problems.push({ severity: 'error', pointer: `/${i}/date`, message: `${d.date} is listed twice` });
      } else local.set(d.date, d.name);
    });
    if (problems.length > 0) throw new CalendarDataError(this.id, problems);
    const national = new Set(this.#data.holidays.map((h) => h.date));
    const added = [...local].filter(([date]) => !national.has(date)).map(([date, name]) => ({ date, name }));
    return Calendar.fromData({
      ...this.#data,
      id: idSuffix ? `${this.id}+${idSuffix}` : this.id,
      version: `${this.version}+local.${fingerprint([...local].sort())}`,
      holidays: [...this.#data.holidays, ...added],
      workdays: this.#data.workdays.filter((w) => !local.has(w.date)),
    });
  }

  /** The calendar's data (a copy), e.g. to store beside a case that pins it. */
  toData(): CalendarData {
    return structuredCloneData(this.#data);
  }

  /** @internal Kind code of a day number (`DayKind`); `outside` when not covered. */
  kindOf(day: number): number {
    if (day < this.#first || day > this.#last) return DayKind.outside;
    return this.#kinds[day - this.#first] ?? DayKind.outside;
  }

  /** @internal Name of the holiday or adjusted working day on a covered day number. */
  nameOf(day: number): string | undefined {
    return this.#names.get(day);
  }

  /** @internal True when the day number's weekday is a rest day of this calendar. */
  isWeekendDay(day: number): boolean {
    return this.#isWeekend(day);
  }

  #isWeekend(day: number): boolean {
    return (this.#weekendMask & (1 << weekdayOf(day))) !== 0;
  }
}

function structuredCloneData(data: CalendarData): CalendarData {
  const copy: CalendarData = {
    id: data.id,
    name: data.name,
    version: data.version,
    weekend: [...data.weekend],
    years: { from: data.years.from, to: data.years.to },
    holidays: data.holidays.map((h) => ({ date: h.date, name: h.name })),
    workdays: data.workdays.map((w) => ({ date: w.date, name: w.name })),
  };
  if (data.timezone !== undefined) copy.timezone = data.timezone;
  return copy;
}

/** FNV-1a of the local days: a short, stable tag for a calendar's derived version. */
function fingerprint(entries: [string, string][]): string {
  let h = 0x811c9dc5;
  for (const ch of entries.map(([d, n]) => `${d}=${n}`).join(';')) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
