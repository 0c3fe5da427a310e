/**
 * Date operators for rule conditions, counted on the jurisdiction's calendar in its zone.
 *
 * A fact value may be a civil date (`2026-01-05`) or an instant (`2026-01-05T02:00:00Z`,
 * read as the civil date it falls on in the zone); an array (`$[*].createdAt`) matches when
 * any of its dates does. A value that is not a date never matches: a missing date is not
 * "before" anything.
 *
 * - `before` / `after`: the fact's date is strictly before / after the value's (a date, an
 *   instant, or `today`).
 * - `withinDays`: `n` or `{ days: n, unit?: calendar | working }`. True while today is within
 *   the period of n days that starts on the fact's date, counted as statutory periods are
 *   (the start day not counted; a period ending on a rest day ends on the next working day).
 * - `workingDaysSince`: `n` (at most n) or `{ atLeast?, atMost? }`: the working days from the
 *   fact's date (not counted) to today (counted).
 */

import {
  type Calendar,
  civilDate,
  computeDeadline,
  isCivilDate,
  workingDaysBetween,
} from '../calendar/index.js';

/** Names of the operators xinfang adds to json-rules-engine's own. */
export const DATE_OPERATORS = ['withinDays', 'workingDaysSince', 'before', 'after'] as const;

/** json-rules-engine's built-in operators that configs may use. */
export const BUILTIN_OPERATORS = [
  'equal',
  'notEqual',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
] as const;

/** Operators a rule may name: json-rules-engine's and xinfang's date operators. */
export const KNOWN_OPERATORS: readonly string[] = [...BUILTIN_OPERATORS, ...DATE_OPERATORS];

/** What the date operators count against. */
export interface DateContext {
  /** Today's civil date in the jurisdiction's zone. */
  today: string;
  timezone: string;
  calendar?: Calendar;
}

/** A value's civil date, or undefined when it is not a date. */
export function toCivilDate(value: unknown, timezone: string): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : civilDate(value, timezone);
  if (typeof value !== 'string') return undefined;
  if (isCivilDate(value)) return value;
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value))) return undefined;
  return civilDate(value, timezone);
}

function anyDate(fact: unknown, ctx: DateContext, test: (date: string) => boolean): boolean {
  const list = Array.isArray(fact) ? fact : [fact];
  return list.some((v) => {
    const date = toCivilDate(v, ctx.timezone);
    return date !== undefined && test(date);
  });
}

function needCalendar(ctx: DateContext, operator: string): Calendar {
  if (!ctx.calendar) throw new Error(`operator ${operator} counts days on the calendar, and none was given`);
  return ctx.calendar;
}

function bound(value: unknown, ctx: DateContext): string | undefined {
  return value === 'today' ? ctx.today : toCivilDate(value, ctx.timezone);
}

/** Reads a `withinDays` value; undefined when it is malformed (checked statically too). */
export function periodOf(value: unknown): { days: number; unit: 'calendar' | 'working' } | undefined {
  if (typeof value === 'number')
    return Number.isInteger(value) && value >= 1 ? { days: value, unit: 'calendar' } : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  const { days, unit = 'calendar' } = value as { days?: unknown; unit?: unknown };
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1) return undefined;
  if (unit !== 'calendar' && unit !== 'working') return undefined;
  return { days, unit };
}

/** Reads a `workingDaysSince` value; undefined when it is malformed. */
export function rangeOf(value: unknown): { atLeast?: number; atMost?: number } | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? { atMost: value } : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  const { atLeast, atMost } = value as { atLeast?: unknown; atMost?: unknown };
  const ok = (n: unknown) => n === undefined || (typeof n === 'number' && Number.isInteger(n) && n >= 0);
  if (!ok(atLeast) || !ok(atMost) || (atLeast === undefined && atMost === undefined)) return undefined;
  const out: { atLeast?: number; atMost?: number } = {};
  if (atLeast !== undefined) out.atLeast = atLeast as number;
  if (atMost !== undefined) out.atMost = atMost as number;
  return out;
}

/** The date operators' evaluators, bound to a context. */
export function dateOperators(
  ctx: DateContext,
): Record<(typeof DATE_OPERATORS)[number], (fact: unknown, value: unknown) => boolean> {
  return {
    before: (fact, value) => {
      const limit = bound(value, ctx);
      return limit !== undefined && anyDate(fact, ctx, (d) => d < limit);
    },
    after: (fact, value) => {
      const limit = bound(value, ctx);
      return limit !== undefined && anyDate(fact, ctx, (d) => d > limit);
    },
    withinDays: (fact, value) => {
      const period = periodOf(value);
      if (!period)
        throw new Error(`withinDays needs a number of days or { days, unit }, got ${JSON.stringify(value)}`);
      return anyDate(fact, ctx, (start) => {
        if (start > ctx.today) return false;
        const calendar = needCalendar(ctx, 'withinDays');
        const { due } = computeDeadline(calendar, {
          start,
          days: period.days,
          unit: period.unit,
          timezone: ctx.timezone,
        });
        return ctx.today <= due;
      });
    },
    workingDaysSince: (fact, value) => {
      const range = rangeOf(value);
      if (!range)
        throw new Error(
          `workingDaysSince needs a number or { atLeast, atMost }, got ${JSON.stringify(value)}`,
        );
      return anyDate(fact, ctx, (start) => {
        const n = workingDaysBetween(needCalendar(ctx, 'workingDaysSince'), start, ctx.today);
        return (
          (range.atLeast === undefined || n >= range.atLeast) &&
          (range.atMost === undefined || n <= range.atMost)
        );
      });
    },
  };
}
