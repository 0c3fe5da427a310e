/**
 * A jurisdiction's own calendar: the shared one it names plus its `localDaysOff` (a local
 * festival, a day an autonomous region rests). Every deadline of its cases counts on it, and
 * its version names the local days, so a case pins exactly the schedule it was counted on.
 */

import type { Calendar, NamedDay } from './calendar.js';

const derived = new WeakMap<Calendar, Map<string, Calendar>>();

/** `calendar` with the jurisdiction's local days off; the calendar itself when it has none. */
export function localCalendar(
  calendar: Calendar,
  jurisdiction: { localDaysOff?: readonly NamedDay[] | undefined },
): Calendar {
  const days = jurisdiction.localDaysOff ?? [];
  if (days.length === 0) return calendar;
  const key = JSON.stringify(days.map((d) => [d.date, d.name]));
  let byDays = derived.get(calendar);
  if (!byDays) {
    byDays = new Map();
    derived.set(calendar, byDays);
  }
  let local = byDays.get(key);
  if (!local) {
    local = calendar.withDaysOff([...days]);
    byDays.set(key, local);
  }
  return local;
}
