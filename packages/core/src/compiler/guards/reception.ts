/** Guards over leader reception days (领导接访, Reg. 18), scheduled in the config's `receptionDays`. */

import { getPath } from '../../base/json.js';
import { tryDayNumber, weekdayOf } from '../../calendar/civil.js';
import { civilDate } from '../../calendar/zone.js';
import type { ReceptionDayDef } from '../../config/types.js';
import type { GuardArgs, GuardImpl } from './types.js';

/**
 * The bodies whose leaders may receive a case: the responsible unit and the bodies above it,
 * up to the body one level up (a county department's case: the department, the county
 * government, the city government).
 */
function receivingUnits({ context, units }: GuardArgs): string[] {
  const own = context.data.responsibleUnit;
  const superior = units.superior(own);
  const out = [own];
  for (const a of units.ancestors(own)) {
    out.push(a);
    if (a === superior) break;
  }
  return out;
}

/** Whether a schedule holds a civil date: one of its dates, or one of its ISO weekdays. */
function scheduled(day: ReceptionDayDef, date: string): boolean {
  if (day.dates?.includes(date)) return true;
  const n = tryDayNumber(date);
  if (n === undefined || !day.weekdays) return false;
  // weekdayOf counts from Sunday = 0; the config writes ISO weekdays, Sunday = 7
  const iso = weekdayOf(n) === 0 ? 7 : weekdayOf(n);
  return day.weekdays.includes(iso);
}

interface Booking {
  date: unknown;
  leader: unknown;
  today: string;
  eligible: [string, ReceptionDayDef][];
  match?: string;
}

function booking(args: GuardArgs, params: Record<string, unknown>): Booking {
  const { event, config } = args;
  const date = getPath(event.payload, String(params.date ?? 'date'));
  const leader = getPath(event.payload, String(params.leader ?? 'leader'));
  const today = civilDate(event.at, config.jurisdiction.timezone);
  const bodies = receivingUnits(args);
  const eligible = Object.entries(config.receptionDays ?? {}).filter(([, d]) => bodies.includes(d.unit));
  const match =
    typeof date === 'string' && date >= today
      ? eligible.find(([, d]) => d.leader === leader && scheduled(d, date))?.[0]
      : undefined;
  return { date, leader, today, eligible, ...(match ? { match } : {}) };
}

/**
 * The payload books the case onto a scheduled reception day (payload `date`, `leader`; other
 * field names by params): a day of the config's `receptionDays` held by the leader named, of the
 * responsible unit or a body above it up to the one level up, today or later. A public holiday
 * that falls on a regular weekday is not excluded here: guards do not consult the calendar.
 */
export const receptionDay: GuardImpl = {
  readsPayload: true,
  optional: ['date', 'leader'],
  check: (args, params) => booking(args, params).match !== undefined,
  possible: (args, params) => {
    const { today, eligible } = booking(args, params);
    return eligible.some(([, d]) => (d.weekdays?.length ?? 0) > 0 || (d.dates ?? []).some((x) => x >= today));
  },
  explain: (args, params) => {
    const b = booking(args, params);
    const offered = b.eligible.map(([id, d]) => {
      const days = [...(d.dates ?? []), ...(d.weekdays ?? []).map((w) => `weekday ${w}`)];
      return `${id} (${d.leader} of ${args.units.get(d.unit)?.name ?? d.unit}: ${days.join(', ') || 'no days'})`;
    });
    const why =
      typeof b.date === 'string' && b.date < b.today
        ? `${b.date} has passed (today is ${b.today})`
        : `${String(b.date)} is not a reception day of ${String(b.leader)} for this case`;
    return {
      message: `${args.event.type} refused: ${why}; scheduled for this case: ${offered.join('; ') || 'none'}`,
      details: { date: (b.date as string) ?? null, leader: (b.leader as string) ?? null, offered },
    };
  },
};
