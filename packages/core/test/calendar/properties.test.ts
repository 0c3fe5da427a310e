import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  Calendar,
  type CalendarData,
  computeDeadline,
  workingDaysBetween,
} from '../../src/calendar/index.js';
import type { DayUnit } from '../../src/config/types.js';
import { cn, plusDays } from './helpers.js';

// the runs are raised for a long audit (XINFANG_PROPERTY_RUNS=10000); core never reads env
const numRuns = Number(process.env.XINFANG_PROPERTY_RUNS) || 100;

/**
 * A calendar and a range of start dates whose deadlines (up to 100 working days) stay in
 * its covered years: the real cn-mainland schedule, or a random one with random weekend
 * days, holidays and adjusted working days, so the laws do not hold by the accident of
 * one schedule.
 */
interface World {
  cal: Calendar;
  first: string;
  last: string;
}

const cnWorld = (): World => ({ cal: cn(), first: '2024-01-01', last: '2026-06-30' });

const randomWorld: fc.Arbitrary<World> = fc
  .record({
    weekend: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { maxLength: 3 }),
    holidays: fc.uniqueArray(fc.integer({ min: 0, max: 729 }), { maxLength: 60 }),
    workdays: fc.uniqueArray(fc.integer({ min: 0, max: 729 }), { maxLength: 20 }),
  })
  .map(({ weekend, holidays, workdays }) => {
    const date = (i: number) => plusDays('2030-01-01', i);
    const isWeekend = (d: string) => weekend.includes(new Date(`${d}T00:00:00Z`).getUTCDay());
    const off = new Set(holidays.map(date));
    const data: CalendarData = {
      id: 'random',
      name: 'random',
      version: '1',
      weekend,
      years: { from: 2030, to: 2031 },
      holidays: [...off].map((d) => ({ date: d, name: `h${d}` })),
      workdays: workdays
        .map(date)
        .filter((d) => isWeekend(d) && !off.has(d))
        .map((d) => ({ date: d, name: `w${d}` })),
    };
    return { cal: Calendar.fromData(data), first: '2030-01-01', last: '2031-03-31' };
  });

const world = fc.oneof(fc.constant(null).map(cnWorld), randomWorld);

/** A world and a start date inside its range. */
const startIn = (w: World) =>
  fc
    .integer({ min: 0, max: Math.round((Date.parse(w.last) - Date.parse(w.first)) / 86_400_000) })
    .map((i) => plusDays(w.first, i));

const scenario = world.chain((w) =>
  fc.record({
    w: fc.constant(w),
    start: startIn(w),
    start2: startIn(w),
    m: fc.integer({ min: 1, max: 50 }),
    n: fc.integer({ min: 1, max: 50 }),
    unit: fc.constantFrom<DayUnit>('calendar', 'working'),
  }),
);

const dueOf = (cal: Calendar, start: string, days: number, unit: DayUnit) =>
  computeDeadline(cal, { start, days, unit }).due;

describe('deadline arithmetic laws', () => {
  test.prop([scenario], { numRuns })('a deadline always lands on a working day', ({ w, start, n, unit }) => {
    expect(w.cal.isWorkingDay(dueOf(w.cal, start, n, unit))).toBe(true);
  });

  test.prop([scenario], { numRuns })(
    'adding m then n working days equals adding m + n',
    ({ w, start, m, n }) => {
      const viaTwo = dueOf(w.cal, dueOf(w.cal, start, m, 'working'), n, 'working');
      const viaExtension = computeDeadline(w.cal, {
        start,
        days: m,
        unit: 'working',
        extensions: [{ days: n, approvedBy: 'head', reason: 'law' }],
      }).due;
      const once = dueOf(w.cal, start, m + n, 'working');
      expect(viaTwo).toBe(once);
      expect(viaExtension).toBe(once);
    },
  );

  test.prop([scenario], { numRuns })(
    'deadlines never decrease in the start date',
    ({ w, start, start2, n, unit }) => {
      const [a, b] = start <= start2 ? [start, start2] : [start2, start];
      expect(dueOf(w.cal, a, n, unit) <= dueOf(w.cal, b, n, unit)).toBe(true);
    },
  );

  test.prop([scenario], { numRuns })('deadlines never decrease in n', ({ w, start, m, n, unit }) => {
    const [a, b] = m <= n ? [m, n] : [n, m];
    expect(dueOf(w.cal, start, a, unit) <= dueOf(w.cal, start, b, unit)).toBe(true);
  });

  test.prop([scenario], { numRuns })(
    'counting working days from start to due gives back n',
    ({ w, start, n }) => {
      expect(workingDaysBetween(w.cal, start, dueOf(w.cal, start, n, 'working'))).toBe(n);
    },
  );

  test.prop([scenario], { numRuns })(
    'a calendar-day deadline is the first working day on or after start + n',
    ({ w, start, n }) => {
      const last = plusDays(start, n);
      const due = dueOf(w.cal, start, n, 'calendar');
      expect(due >= last).toBe(true);
      for (let d = last; d < due; d = plusDays(d, 1)) expect(w.cal.isWorkingDay(d)).toBe(false);
    },
  );

  test.prop([scenario, fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 20 })], { numRuns })(
    'a pause of k working days moves a working-day deadline by exactly k working days',
    ({ w, start, n }, at, length) => {
      const due = dueOf(w.cal, start, n, 'working');
      // the pause starts inside the period: (start, due]
      const span = Math.round((Date.parse(due) - Date.parse(start)) / 86_400_000);
      const from = plusDays(start, 1 + (at % span));
      const to = plusDays(from, length);
      const k = workingDaysBetween(w.cal, plusDays(from, -1), plusDays(to, -1)); // working days in [from, to)
      const paused = computeDeadline(w.cal, { start, days: n, unit: 'working', pauses: [{ from, to }] }).due;
      expect(workingDaysBetween(w.cal, due, paused)).toBe(k);
      expect(paused).toBe(k === 0 ? due : dueOf(w.cal, due, k, 'working'));
    },
  );

  test.prop([scenario, fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 20 })], { numRuns })(
    'a pause of p days inside a calendar-day period counts as p more days',
    ({ w, start, n }, at, length) => {
      const from = plusDays(start, 1 + (at % n));
      const to = plusDays(from, length);
      const paused = computeDeadline(w.cal, { start, days: n, unit: 'calendar', pauses: [{ from, to }] }).due;
      expect(paused).toBe(dueOf(w.cal, start, n + length, 'calendar'));
    },
  );

  test.prop([scenario], { numRuns })(
    'provisional changes nothing inside the covered years; the trace adds up to n',
    ({ w, start, n, unit }) => {
      const plain = computeDeadline(w.cal, { start, days: n, unit });
      const prov = computeDeadline(w.cal, { start, days: n, unit, provisional: true });
      expect(prov).toEqual(plain);
      const counted = plain.trace.reduce((sum, s) => sum + (s.step === 'count' ? s.days : 0), 0);
      expect(counted).toBe(n);
      expect(plain.trace.at(-1)).toMatchObject({ step: 'result', due: plain.due });
    },
  );

  const weekendsOnly = Calendar.fromData({
    id: 'weekends',
    name: 'weekends only',
    version: '1',
    weekend: [0, 6],
    years: { from: 2027, to: 2028 },
    holidays: [],
    workdays: [],
  });

  test.prop(
    [
      fc.integer({ min: 0, max: 270 }),
      fc.integer({ min: 1, max: 60 }),
      fc.constantFrom<DayUnit>('calendar', 'working'),
    ],
    { numRuns },
  )('past the covered years a provisional deadline counts weekends only, and says so', (offset, n, unit) => {
    const start = plusDays('2027-01-01', offset);
    expect(() => computeDeadline(cn(), { start, days: n, unit })).toThrow(/no holiday schedule for 2027/);
    const r = computeDeadline(cn(), { start, days: n, unit, provisional: true });
    expect(r.due).toBe(dueOf(weekendsOnly, start, n, unit));
    expect(r.provisional).toBe(true);
    expect(r.provisionalYears?.[0]).toBe(2027);
  });
});
