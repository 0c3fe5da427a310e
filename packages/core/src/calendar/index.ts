/**
 * Calendars and statutory deadlines: holiday schedules as data, deadline arithmetic in the
 * jurisdiction's zone, explanations, recalculation under a new schedule, calendar files.
 */

export type { CalendarData, DayInfo, DayReason, NamedDay } from './calendar.js';
export { Calendar, checkCalendarData } from './calendar.js';
export { isCivilDate, parseInstant } from './civil.js';
export type {
  DeadlineExtension,
  DeadlineMove,
  DeadlinePause,
  DeadlineRequest,
  DeadlineResult,
  OpenDeadline,
  TraceStep,
} from './deadline.js';
export { computeDeadline, recalculate, workingDaysBetween } from './deadline.js';
export type { CalendarProblem } from './errors.js';
export {
  CalendarCoverageError,
  CalendarDataError,
  CalendarDateError,
  DeadlineRequestError,
  ExtensionRefusedError,
  UnknownCalendarError,
} from './errors.js';
export { explainDeadline } from './explain.js';
export { CALENDAR_SCHEMA, findCalendar, loadCalendarDir, loadCalendarFile, parseCalendar } from './load.js';
export { localCalendar } from './local.js';
export { addCivilDays, civilDate, DEFAULT_CUTOFF, DEFAULT_TIMEZONE, instantAt, isTimezone } from './zone.js';
