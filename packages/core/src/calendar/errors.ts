import { type CalendarProblem, type ExtensionRefusal, XinfangError } from '../base/errors.js';

export type { CalendarProblem };

/**
 * A date falls in a year the calendar has no holiday schedule for. Thrown instead of
 * guessing: the State Council publishes each year's schedule late in the year before, and
 * a weekend-only guess would silently be wrong for every holiday and adjusted working day.
 */
export class CalendarCoverageError extends XinfangError<'CALENDAR_NOT_COVERED'> {
  static override readonly brand: string = 'CalendarCoverageError';

  /** The calendar that was asked. */
  readonly calendarId: string;
  /** The year it has no schedule for. */
  readonly year: number;

  constructor(calendarId: string, year: number, date: string, covered: { from: number; to: number }) {
    super(
      'CALENDAR_NOT_COVERED',
      `calendar ${calendarId} has no holiday schedule for ${year} (needed for ${date}); it covers ` +
        `${covered.from}-${covered.to}. Load the ${year} schedule, or ask for a provisional deadline ` +
        `(weekends only past the covered years)`,
      { calendarId, year, date, from: covered.from, to: covered.to },
    );
    this.calendarId = calendarId;
    this.year = year;
  }
}

/** A value that should be a civil date `YYYY-MM-DD` (or an instant) is not one. */
export class CalendarDateError extends XinfangError<'CALENDAR_BAD_DATE'> {
  static override readonly brand: string = 'CalendarDateError';

  declare readonly details: Readonly<{ value: unknown; field: string }>;

  constructor(value: unknown, field: string) {
    super(
      'CALENDAR_BAD_DATE',
      `${field}: ${JSON.stringify(value)} is not a valid date (expected YYYY-MM-DD, a real day of the Gregorian calendar)`,
      { value, field },
    );
  }
}

/** One thing wrong with calendar data, located by a JSON pointer into it. */

/** Calendar data that is well-formed but wrong: a date outside the covered years, a clash, ... */
export class CalendarDataError extends XinfangError<'CALENDAR_INVALID'> {
  static override readonly brand: string = 'CalendarDataError';

  declare readonly details: Readonly<{ calendarId: string; problems: CalendarProblem[] }>;
  readonly problems: readonly CalendarProblem[];

  constructor(calendarId: string, problems: CalendarProblem[]) {
    const first = problems[0];
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    super(
      'CALENDAR_INVALID',
      `calendar ${calendarId || '(no id)'}: ${first ? `${first.pointer} ${first.message}` : 'invalid'}${more}`,
      { calendarId, problems },
    );
    this.problems = problems;
  }
}

/** A calendar id that no loaded calendar has. */
export class UnknownCalendarError extends XinfangError<'CALENDAR_UNKNOWN'> {
  static override readonly brand: string = 'UnknownCalendarError';

  constructor(calendarId: string, known: string[]) {
    super(
      'CALENDAR_UNKNOWN',
      `no calendar with id ${calendarId}; known: ${known.length > 0 ? known.join(', ') : '(none loaded)'}`,
      { calendarId, known },
    );
  }
}

/** A deadline request that cannot be computed as given (negative days, a backwards pause, ...). */
export class DeadlineRequestError extends XinfangError<'DEADLINE_INVALID'> {
  static override readonly brand: string = 'DeadlineRequestError';

  constructor(field: string, message: string, value?: unknown) {
    super('DEADLINE_INVALID', `${field}: ${message}`, { field, value });
  }
}

/** An extension that the law or the config does not allow (no approver, over the limit, ...). */
export class ExtensionRefusedError extends XinfangError<'DEADLINE_EXTENSION_REFUSED'> {
  static override readonly brand: string = 'ExtensionRefusedError';

  declare readonly details: Readonly<ExtensionRefusal>;

  constructor(message: string, details: ExtensionRefusal) {
    super('DEADLINE_EXTENSION_REFUSED', message, details);
  }
}
