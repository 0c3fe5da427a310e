import { fileURLToPath } from 'node:url';
import { type Calendar, loadCalendarFile } from '../../src/calendar/index.js';

/** The repository's configs/calendars directory. */
export const CALENDARS_DIR = fileURLToPath(new URL('../../../../configs/calendars/', import.meta.url));

let cnMainland: Calendar | undefined;
/** configs/calendars/cn-mainland.yaml, loaded once. */
export function cn(): Calendar {
  cnMainland ??= loadCalendarFile(`${CALENDARS_DIR}cn-mainland.yaml`);
  return cnMainland;
}

/** The civil date `n` days after `date`. */
export function plusDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, (d ?? 1) + n)).toISOString().slice(0, 10);
}

/** Every civil date from `from` to `to`, both included. */
export function daysFrom(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = plusDays(d, 1)) out.push(d);
  return out;
}

/** Runs `fn` and returns what it threw (failing the test when it throws nothing). */
export function thrown(fn: () => unknown): {
  code?: string;
  details?: Record<string, unknown>;
  message: string;
} {
  try {
    fn();
  } catch (e) {
    return e as { code?: string; details?: Record<string, unknown>; message: string };
  }
  throw new Error('expected an error, none was thrown');
}
