/**
 * Civil dates ('YYYY-MM-DD', a day on a wall calendar, no zone) as integer day numbers.
 *
 * Deadline arithmetic runs on plain integers (days since 1970-01-01) so that a million
 * deadlines cost no Date allocations. A civil date has no time zone, so counting days in
 * UTC is exact: zones only matter where a civil date meets an instant (`zone.ts`).
 */

import { CalendarDateError } from './errors.js';

const DAY_MS = 86_400_000;
const CIVIL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const parsed = new Map<string, number>();

/** Day number of a civil date, or `undefined` when `value` is not a real `YYYY-MM-DD` day. */
export function tryDayNumber(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const known = parsed.get(value);
  if (known !== undefined) return known;
  const day = parse(value);
  if (day !== undefined) {
    // deadlines are computed by the million from a few thousand start dates
    if (parsed.size > 50_000) parsed.clear();
    parsed.set(value, day);
  }
  return day;
}

function parse(value: string): number | undefined {
  const m = CIVIL_DATE.exec(value);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  // Date.UTC maps years 0-99 to 19xx; no petition predates year 1000
  if (y < 1000 || mo < 1 || mo > 12 || d < 1) return undefined;
  const ms = Date.UTC(y, mo - 1, d);
  // Date.UTC rolls 02-30 over to 03-02; a rolled-over date is not the date written
  if (new Date(ms).getUTCDate() !== d) return undefined;
  return ms / DAY_MS;
}

/** Day number of a civil date; throws `CalendarDateError` (CALENDAR_BAD_DATE) naming `field`. */
export function dayNumber(value: unknown, field: string): number {
  const n = tryDayNumber(value);
  if (n === undefined) throw new CalendarDateError(value, field);
  return n;
}

const formatted = new Map<number, string>();

/** The civil date `YYYY-MM-DD` of a day number. */
export function formatDay(day: number): string {
  let s = formatted.get(day);
  if (s === undefined) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 10);
    // the cache only saves work in hot loops; keep it from growing without bound
    if (formatted.size > 50_000) formatted.clear();
    formatted.set(day, s);
  }
  return s;
}

/** Day of the week of a day number: 0 = Sunday .. 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** The Gregorian year of a day number. */
export function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

/** Day number of 1 January of `year`. */
export function firstDayOfYear(year: number): number {
  return Date.UTC(year, 0, 1) / DAY_MS;
}

/** True when `value` is a real civil date written `YYYY-MM-DD`. */
export function isCivilDate(value: unknown): value is string {
  return tryDayNumber(value) !== undefined;
}

const INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))$/;

/**
 * `value` as `YYYY-MM-DDTHH:mm:ss.sssZ` when it is an ISO-8601 instant with its zone whose every
 * field is real; otherwise undefined. `Date.parse` would take `2026-02-30T00:00Z` as 2 March
 * and `T24:00` as the next day: a mistyped instant must be refused, not moved.
 */
export function parseInstant(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = INSTANT.exec(value);
  if (!m || !isCivilDate(m[1])) return undefined;
  const [hour, minute, second] = [m[2], m[3], m[4] ?? '0'].map(Number) as [number, number, number];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  if (m[6] !== 'Z' && (Number(m[7]) > 14 || Number(m[8]) > 59)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
