/**
 * Where civil dates meet instants. Zone offsets come from @date-fns/tz (the platform's
 * IANA database through Intl), never from hand-written offsets.
 */

import { TZDate, tz } from '@date-fns/tz';
import { format } from 'date-fns';
import { dayNumber, formatDay } from './civil.js';
import { CalendarDateError, DeadlineRequestError } from './errors.js';

/** The zone deadlines are counted in when neither the request nor the calendar names one. */
export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

/** The end of a deadline's last day when the request does not say: midnight. */
export const DEFAULT_CUTOFF = '24:00';

const knownZones = new Set<string>();

/** True when `zone` is an IANA time zone this runtime knows. */
export function isTimezone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone === '') return false;
  if (knownZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    return false;
  }
  knownZones.add(zone);
  return true;
}

/**
 * The civil date (`YYYY-MM-DD`) an instant falls on in `timezone`. A petition received at
 * 2026-09-30T17:00Z was received on 2026-10-01 in Beijing, and its periods start then.
 * Throws `CalendarDateError` (CALENDAR_BAD_DATE) for an unreadable instant and
 * `DeadlineRequestError` (DEADLINE_INVALID) for an unknown zone.
 */
export function civilDate(instant: Date | string, timezone: string): string {
  if (!isTimezone(timezone))
    throw new DeadlineRequestError('timezone', `unknown time zone ${timezone}`, timezone);
  const when = typeof instant === 'string' ? new Date(instant) : instant;
  if (!(when instanceof Date) || Number.isNaN(when.getTime()))
    throw new CalendarDateError(instant, 'instant');
  return format(when, 'yyyy-MM-dd', { in: tz(timezone) });
}

/** The instant as a local date and time in `timezone` (`2026-03-02 09:00`), for people to read. */
export function localDateTime(instant: string, timezone: string): string {
  const when = new Date(instant);
  if (Number.isNaN(when.getTime()) || !isTimezone(timezone)) return instant;
  return format(when, 'yyyy-MM-dd HH:mm', { in: tz(timezone) });
}

const CUTOFF = /^(\d{2}):(\d{2})$/;

/**
 * Minutes after the start of the day that a cut-off `HH:MM` stands for (`24:00` = 1440).
 * `00:00` is refused: the period would end before its last day began.
 */
export function cutoffMinutes(cutoff: string): number {
  if (cutoff === DEFAULT_CUTOFF) return 1440;
  const m = CUTOFF.exec(cutoff);
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN;
  if (!m || Number(m[2]) > 59 || !(minutes > 0 && minutes <= 1440)) {
    throw new DeadlineRequestError(
      'cutoff',
      `${JSON.stringify(cutoff)} is not a cut-off time: expected HH:MM after 00:00, up to 24:00 (e.g. 17:30)`,
      cutoff,
    );
  }
  return minutes;
}

const instants = new Map<string, Map<number, string>>();

/**
 * The instant (ISO string in UTC) at `minutes` after the start of civil day `day` in `zone`.
 * Memoised: zone lookups through Intl cost tens of microseconds, and a million deadlines
 * share a few thousand due days.
 */
export function zonedInstant(day: number, minutes: number, zone: string): string {
  let byZone = instants.get(zone);
  if (byZone === undefined) {
    byZone = new Map();
    instants.set(zone, byZone);
  }
  const key = day * 1441 + minutes;
  let iso = byZone.get(key);
  if (iso === undefined) {
    // 24:00 is the next day's 00:00; let the civil arithmetic carry the day over
    const civil = formatDay(day + Math.floor(minutes / 1440));
    const rest = minutes % 1440;
    const y = Number(civil.slice(0, 4));
    const mo = Number(civil.slice(5, 7));
    const d = Number(civil.slice(8, 10));
    iso = new Date(new TZDate(y, mo - 1, d, Math.floor(rest / 60), rest % 60, zone).getTime()).toISOString();
    if (byZone.size > 50_000) byZone.clear();
    byZone.set(key, iso);
  }
  return iso;
}

/**
 * The instant (ISO string in UTC) of a civil date and wall-clock time `HH:MM` in `zone`,
 * e.g. `instantAt('2026-03-02', '09:00', 'Asia/Shanghai')` is `2026-03-02T01:00:00.000Z`.
 */
export function instantAt(date: string, time: string, zone: string): string {
  const m = /^(\d{2}):(\d{2})$/.exec(time);
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN;
  if (!(minutes >= 0 && minutes <= 1440) || Number(m?.[2]) > 59) {
    throw new DeadlineRequestError(
      'time',
      `${JSON.stringify(time)} is not a time of day HH:MM (00:00 to 24:00)`,
      time,
    );
  }
  if (!isTimezone(zone)) throw new DeadlineRequestError('timezone', `unknown time zone ${zone}`, zone);
  return zonedInstant(dayNumber(date, 'date'), minutes, zone);
}

/** The civil date `days` days after `date` (negative: before). */
export function addCivilDays(date: string, days: number): string {
  return formatDay(dayNumber(date, 'date') + days);
}
