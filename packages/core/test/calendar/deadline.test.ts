import { describe, expect, it } from 'vitest';
import {
  Calendar,
  type CalendarData,
  civilDate,
  computeDeadline,
  type DeadlineRequest,
  explainDeadline,
  recalculate,
  workingDaysBetween,
} from '../../src/calendar/index.js';
import { cn, thrown } from './helpers.js';

const due = (req: DeadlineRequest) => computeDeadline(cn(), req).due;

describe('calendar-day periods (Civil Code arts. 201, 203)', () => {
  it.each([
    // [why, start, days, due]
    ['the issue’s example: day 15 (10-03) falls in National Day 2026', '2026-09-18', 15, '2026-10-08'],
    ['60 days ending in National Day 2026', '2026-08-04', 60, '2026-10-08'],
    ['Spring Festival 2024: moved onto the adjusted working Sunday 02-18', '2024-01-26', 15, '2024-02-18'],
    ['Spring Festival 2025', '2025-01-13', 15, '2025-02-05'],
    ['Spring Festival 2026', '2026-02-01', 15, '2026-02-24'],
    ['National Day 2024', '2024-09-16', 15, '2024-10-08'],
    ['National Day and Mid-Autumn 2025 (eight days)', '2025-09-20', 15, '2025-10-09'],
    ['ends on the adjusted working Saturday 2026-10-10: no move', '2026-09-25', 15, '2026-10-10'],
    ['ends on the adjusted working Saturday 2024-10-12: no move', '2024-09-27', 15, '2024-10-12'],
    ['starts on a holiday (the start day is not counted anyway)', '2026-10-01', 15, '2026-10-16'],
    ['ends on an ordinary Saturday: moved to Monday', '2026-03-06', 15, '2026-03-23'],
    ['ends on a working day: no move', '2026-03-01', 30, '2026-03-31'],
    ['one day', '2026-09-30', 1, '2026-10-08'],
  ])('%s: %s + %i days = %s', (_why, start, days, expected) => {
    expect(due({ start, days, unit: 'calendar' })).toBe(expected);
  });

  it('only needs the years of the days whose status matters', () => {
    // 2023 is not covered, but the days counted in it are counted whatever they are
    expect(due({ start: '2023-12-20', days: 15, unit: 'calendar' })).toBe('2024-01-04');
  });
});

describe('working-day periods', () => {
  it.each([
    ['the issue’s example: 10-10 is an adjusted working Saturday', '2026-09-30', 5, '2026-10-13'],
    ['Spring Festival 2024, through the adjusted working Sunday 02-18', '2024-02-08', 5, '2024-02-21'],
    ['Spring Festival 2026, from the adjusted working Saturday 02-14', '2026-02-13', 3, '2026-02-25'],
    ['starts on a holiday (Spring Festival 2025)', '2025-01-28', 5, '2025-02-10'],
    ['National Day 2025 with its adjusted working Sunday 09-28', '2025-09-26', 5, '2025-10-10'],
    ['ends on the adjusted working Saturday 2026-10-10', '2026-10-07', 3, '2026-10-10'],
    ['National Day 2024 with the adjusted working Sunday 09-29', '2024-09-27', 2, '2024-09-30'],
    ['across New Year 2026 and its adjusted working Sunday 01-04', '2025-12-25', 10, '2026-01-09'],
  ])('%s: %s + %i working days = %s', (_why, start, days, expected) => {
    expect(due({ start, days, unit: 'working' })).toBe(expected);
  });

  it('counts working days in (from, to]', () => {
    expect(workingDaysBetween(cn(), '2026-09-30', '2026-10-13')).toBe(5);
    expect(workingDaysBetween(cn(), '2026-10-13', '2026-09-30')).toBe(-5);
    expect(workingDaysBetween(cn(), '2026-10-01', '2026-10-01')).toBe(0);
    expect(thrown(() => workingDaysBetween(cn(), '2026-12-30', '2027-01-05')).code).toBe(
      'CALENDAR_NOT_COVERED',
    );
    // 12-31, and 2027-01-01, 01-04, 01-05 counted with weekends only
    expect(workingDaysBetween(cn(), '2026-12-30', '2027-01-05', { provisional: true })).toBe(4);
  });
});

describe('outside the covered years', () => {
  it('refuses with a coded error naming the calendar and the missing year', () => {
    const e = thrown(() => computeDeadline(cn(), { start: '2026-12-20', days: 15, unit: 'calendar' }));
    expect(e.code).toBe('CALENDAR_NOT_COVERED');
    expect(e.details).toMatchObject({ calendarId: 'cn-mainland', year: 2027, date: '2027-01-04' });
    expect(e.message).toMatch(/cn-mainland.*2027/);
    const before = thrown(() => computeDeadline(cn(), { start: '2023-12-25', days: 5, unit: 'working' }));
    expect(before.details).toMatchObject({ year: 2023 });
  });

  it('gives a provisional deadline on request, weekends only, marked with the reason', () => {
    const r = computeDeadline(cn(), { start: '2026-12-20', days: 15, unit: 'calendar', provisional: true });
    expect(r).toMatchObject({ due: '2027-01-04', provisional: true, provisionalYears: [2027] });
    expect(r.provisionalReason).toMatch(/cn-mainland.*2024-2026.*2027.*weekends only/);
    const w = computeDeadline(cn(), { start: '2026-12-28', days: 5, unit: 'working', provisional: true });
    // 2027-01-01 is surely 元旦, but no schedule is loaded: counted, and said so
    expect(w.due).toBe('2027-01-04');
    expect(w.trace).toContainEqual(
      expect.objectContaining({ step: 'count', from: '2027-01-01', provisional: true }),
    );
    expect(explainDeadline(w, 'en')).toContain('provisional:');
    expect(explainDeadline(w)).toContain('暂定');
  });

  it('is not provisional when every day is covered, even when allowed', () => {
    const r = computeDeadline(cn(), { start: '2026-09-18', days: 15, unit: 'calendar', provisional: true });
    expect(r.provisional).toBe(false);
    expect(r.provisionalReason).toBeUndefined();
  });
});

describe('pauses (stopping the clock)', () => {
  it('moves a working-day deadline by the working days paused', () => {
    // 10-09 and 10-10 (adjusted working Saturday) are paused; 10-11 is a Sunday anyway
    const r = computeDeadline(cn(), {
      start: '2026-09-30',
      days: 5,
      unit: 'working',
      pauses: [{ from: '2026-10-09', to: '2026-10-12' }],
    });
    expect(r.due).toBe('2026-10-15');
    expect(r.trace).toContainEqual({
      step: 'skip',
      from: '2026-10-09',
      to: '2026-10-11',
      days: 3,
      reason: 'pause',
    });
  });

  it('does not count paused days of a calendar-day period: the last counted day moves by the days paused', () => {
    // 30 days from 03-01 end 03-31; 5 paused days make the last day 04-05 (清明节), then 04-07
    const req: DeadlineRequest = {
      start: '2026-03-01',
      days: 30,
      unit: 'calendar',
      pauses: [{ from: '2026-03-10', to: '2026-03-15' }],
    };
    expect(due(req)).toBe('2026-04-07');
    // several pauses, overlapping ones counted once
    expect(
      due({
        ...req,
        pauses: [
          { from: '2026-03-10', to: '2026-03-13' },
          { from: '2026-03-12', to: '2026-03-15' },
          { from: '2026-03-20', to: '2026-03-21' },
        ],
      }),
    ).toBe('2026-04-07'); // 6 paused days: the last day 04-06 is still 清明节
    // a pause before the period starts, or after it ends, changes nothing
    expect(due({ ...req, pauses: [{ from: '2026-02-01', to: '2026-03-02' }] })).toBe('2026-03-31');
    expect(due({ ...req, pauses: [{ from: '2026-04-01', to: '2026-04-10' }] })).toBe('2026-03-31');
  });

  it('does not end a period while the clock is stopped', () => {
    // the last day 10-03 is a holiday; 10-08 and 10-09 are paused; 10-10 is the adjusted working Saturday
    expect(
      due({
        start: '2026-09-18',
        days: 15,
        unit: 'calendar',
        pauses: [{ from: '2026-10-08', to: '2026-10-10' }],
      }),
    ).toBe('2026-10-10');
  });

  it('marks a deadline suspended by a pause that is still running', () => {
    const r = computeDeadline(cn(), {
      start: '2026-03-01',
      days: 30,
      unit: 'calendar',
      pauses: [{ from: '2026-03-10' }],
    });
    // 8 days counted (03-02 .. 03-09); due is the earliest possible, as if counting resumed on 03-11
    expect(r.suspended).toEqual({ since: '2026-03-10', remaining: 22 });
    expect(r.due).toBe('2026-04-01');
    expect(explainDeadline(r, 'en')).toContain('suspended since 2026-03-10');
    const after = computeDeadline(cn(), {
      start: '2026-03-01',
      days: 30,
      unit: 'calendar',
      pauses: [{ from: '2026-04-01' }],
    });
    expect(after.suspended).toBeUndefined();
    expect(after.due).toBe('2026-03-31');
  });

  it('refuses a pause that ends before it starts, and one after a running pause', () => {
    const base: DeadlineRequest = { start: '2026-03-01', days: 30, unit: 'calendar' };
    expect(thrown(() => due({ ...base, pauses: [{ from: '2026-03-10', to: '2026-03-10' }] })).code).toBe(
      'DEADLINE_INVALID',
    );
    expect(
      thrown(() =>
        due({ ...base, pauses: [{ from: '2026-03-10' }, { from: '2026-03-20', to: '2026-03-21' }] }),
      ).code,
    ).toBe('DEADLINE_INVALID');
    expect(thrown(() => due({ ...base, pauses: [{ from: '2026-03-32' }] })).code).toBe('CALENDAR_BAD_DATE');
  });
});

describe('extensions', () => {
  const handling: DeadlineRequest = { start: '2026-08-04', days: 60, unit: 'calendar' };
  const approved = { approvedBy: 'head', reason: '案情复杂，需进一步调查' };

  it('adds further days from the last counted day, the rest-day rule applied once at the end', () => {
    const r = computeDeadline(cn(), { ...handling, extensions: [{ days: 30, ...approved }] });
    // 60 days end on 10-03, in National Day: not moved, since the period goes on; 30 more end
    // 11-02, a Monday: 90 days in all, as 60 + 30 promises (moving to 10-08 first gave 11-09)
    expect(r.due).toBe('2026-11-02');
    expect(r.trace).toContainEqual({
      step: 'extension',
      from: '2026-10-03',
      days: 30,
      unit: 'calendar',
      ...approved,
    });
    expect(explainDeadline(r)).toContain('批准人 head');
    const w = computeDeadline(cn(), {
      start: '2026-09-30',
      days: 5,
      unit: 'working',
      extensions: [{ days: 2, ...approved }],
    });
    expect(w.due).toBe('2026-10-15');
    const mixed = computeDeadline(cn(), {
      ...handling,
      extensions: [{ days: 5, unit: 'working', ...approved }],
    });
    // after 10-03: 10-08, 10-09, 10-10 (adjusted working Saturday), 10-12, 10-13
    expect(mixed.due).toBe('2026-10-13');
  });

  it('refuses an extension without approver or reason, or over the config’s limit', () => {
    const refused = (req: DeadlineRequest) => thrown(() => computeDeadline(cn(), req)).code;
    expect(refused({ ...handling, extensions: [{ days: 30, approvedBy: '', reason: 'x' }] })).toBe(
      'DEADLINE_EXTENSION_REFUSED',
    );
    expect(refused({ ...handling, extensions: [{ days: 30, approvedBy: 'head', reason: ' ' }] })).toBe(
      'DEADLINE_EXTENSION_REFUSED',
    );
    const limit = { maxDays: 30, times: 1 };
    expect(refused({ ...handling, extensionLimit: limit, extensions: [{ days: 31, ...approved }] })).toBe(
      'DEADLINE_EXTENSION_REFUSED',
    );
    expect(
      refused({
        ...handling,
        extensionLimit: limit,
        extensions: [
          { days: 10, ...approved },
          { days: 10, ...approved },
        ],
      }),
    ).toBe('DEADLINE_EXTENSION_REFUSED');
    expect(refused({ ...handling, extensions: [{ days: 0, ...approved }] })).toBe('DEADLINE_INVALID');
    expect(due({ ...handling, extensionLimit: limit, extensions: [{ days: 30, ...approved }] })).toBe(
      '2026-11-02',
    );
  });
});

describe('time zone and cut-off', () => {
  it('ends at 24:00 in Beijing by default: 16:00Z of the due day', () => {
    const r = computeDeadline(cn(), { start: '2026-09-18', days: 15, unit: 'calendar' });
    expect(r).toMatchObject({
      due: '2026-10-08',
      dueAt: '2026-10-08T16:00:00.000Z',
      timezone: 'Asia/Shanghai',
    });
    expect(r.cutoff).toBe('24:00');
  });

  it('ends at close of office when the cut-off says so', () => {
    const r = computeDeadline(cn(), { start: '2026-09-18', days: 15, unit: 'calendar', cutoff: '17:30' });
    expect(r.dueAt).toBe('2026-10-08T09:30:00.000Z');
    expect(explainDeadline(r)).toContain('2026-10-08 17:30（Asia/Shanghai）');
  });

  it('uses the zone the request names, with its daylight saving time', () => {
    const summer = computeDeadline(cn(), {
      start: '2026-09-18',
      days: 15,
      unit: 'calendar',
      timezone: 'Europe/Berlin',
    });
    expect(summer.dueAt).toBe('2026-10-08T22:00:00.000Z');
    // 2026-10-25 is the day Berlin leaves summer time: midnight after the 26th is at +01:00
    const winter = computeDeadline(cn(), {
      start: '2026-10-25',
      days: 1,
      unit: 'calendar',
      timezone: 'Europe/Berlin',
    });
    expect(winter.dueAt).toBe('2026-10-26T23:00:00.000Z');
  });

  it('refuses a cut-off or zone it cannot read', () => {
    for (const cutoff of ['25:00', '24:30', '00:00', '9:00', '17:60', 'noon']) {
      expect(thrown(() => due({ start: '2026-09-18', days: 15, unit: 'calendar', cutoff })).code).toBe(
        'DEADLINE_INVALID',
      );
    }
    expect(
      thrown(() => due({ start: '2026-09-18', days: 15, unit: 'calendar', timezone: 'Mars/Base' })).code,
    ).toBe('DEADLINE_INVALID');
  });

  it('finds the civil date of an instant in the zone', () => {
    expect(civilDate('2026-09-30T15:59:59Z', 'Asia/Shanghai')).toBe('2026-09-30');
    expect(civilDate('2026-09-30T16:00:00Z', 'Asia/Shanghai')).toBe('2026-10-01');
    expect(civilDate(new Date('2026-09-30T23:00:00-05:00'), 'Asia/Shanghai')).toBe('2026-10-01');
    expect(civilDate('2026-10-01T03:00:00Z', 'America/New_York')).toBe('2026-09-30');
    expect(thrown(() => civilDate('yesterday', 'Asia/Shanghai')).code).toBe('CALENDAR_BAD_DATE');
    expect(thrown(() => civilDate('2026-09-30T16:00:00Z', 'Asia/Beijing')).code).toBe('DEADLINE_INVALID');
  });
});

describe('bad requests', () => {
  it.each([
    [{ days: 0 }, 'DEADLINE_INVALID'],
    [{ days: -1 }, 'DEADLINE_INVALID'],
    [{ days: 1.5 }, 'DEADLINE_INVALID'],
    [{ days: Number.NaN }, 'DEADLINE_INVALID'],
    [{ unit: 'weeks' }, 'DEADLINE_INVALID'],
    [{ start: '2026-02-30' }, 'CALENDAR_BAD_DATE'],
    [{ start: '2026/09/18' }, 'CALENDAR_BAD_DATE'],
  ])('%j is refused with %s', (patch, code) => {
    const req = { start: '2026-09-18', days: 15, unit: 'calendar', ...patch } as DeadlineRequest;
    expect(thrown(() => computeDeadline(cn(), req)).code).toBe(code);
  });
});

describe('explanations', () => {
  it('explains every step of the issue’s working-day example', () => {
    const r = computeDeadline(cn(), { start: '2026-09-30', days: 5, unit: 'working' });
    expect(r.trace).toEqual([
      { step: 'start', date: '2026-09-30', days: 5, unit: 'working' },
      { step: 'skip', from: '2026-10-01', to: '2026-10-07', days: 7, reason: 'holiday', holiday: '国庆节' },
      { step: 'count', from: '2026-10-08', to: '2026-10-09', days: 2, total: 2, kind: 'workday' },
      {
        step: 'count',
        from: '2026-10-10',
        to: '2026-10-10',
        days: 1,
        total: 3,
        kind: 'adjusted-workday',
        adjustment: '国庆节调休上班',
      },
      { step: 'skip', from: '2026-10-11', to: '2026-10-11', days: 1, reason: 'weekend' },
      { step: 'count', from: '2026-10-12', to: '2026-10-13', days: 2, total: 5, kind: 'workday' },
      {
        step: 'result',
        due: '2026-10-13',
        dueAt: '2026-10-13T16:00:00.000Z',
        cutoff: '24:00',
        timezone: 'Asia/Shanghai',
        provisional: false,
      },
    ]);
    expect(explainDeadline(r, 'en')).toBe(
      [
        'calendar cn-mainland, version 2026.1',
        'start 2026-09-30 (not counted); period of 5 working days',
        'skipped 2026-10-01 .. 2026-10-07: 7 days, holiday (国庆节)',
        'counted 2026-10-08 .. 2026-10-09: 2 working days (total 2)',
        'counted 2026-10-10: 1 adjusted working day (国庆节调休上班) (total 3)',
        'skipped 2026-10-11: 1 day, weekend',
        'counted 2026-10-12 .. 2026-10-13: 2 working days (total 5)',
        'due 2026-10-13 at 24:00 Asia/Shanghai = 2026-10-13T16:00:00.000Z',
      ].join('\n'),
    );
  });

  it('explains the move to the next working day, in Chinese by default', () => {
    const text = explainDeadline(computeDeadline(cn(), { start: '2026-09-18', days: 15, unit: 'calendar' }));
    expect(text.split('\n')).toEqual([
      '日历 cn-mainland（版本 2026.1）',
      '起算日 2026-09-18（当日不计入），期间 15 日（自然日）',
      '计入 2026-09-19 至 2026-10-03：15 日（累计 15）',
      '期间最后一日 2026-10-03 为法定节假日（国庆节），顺延至其后第一个工作日 2026-10-08（民法典第二百零三条）',
      '跳过 2026-10-04 至 2026-10-07：4 日，法定节假日（国庆节）',
      '期限届满：2026-10-08 24:00（Asia/Shanghai），即 2026-10-08T16:00:00.000Z',
    ]);
  });
});

describe('recalculation under a new calendar version', () => {
  const data = cn().toData();
  const open = [
    {
      id: 'national-day',
      request: { start: '2026-09-18', days: 15, unit: 'calendar' as const },
      due: '2026-10-08',
    },
    {
      id: 'objection',
      request: { start: '2026-09-30', days: 5, unit: 'working' as const },
      due: '2026-10-13',
    },
    {
      id: 'spring',
      request: { start: '2026-03-01', days: 30, unit: 'calendar' as const },
      due: '2026-03-31',
    },
  ];

  it('lists the open deadlines a holiday added mid-year moves, and to where', () => {
    const next = Calendar.fromData({
      ...data,
      version: '2026.2',
      holidays: [...data.holidays, { date: '2026-10-08', name: '国庆节（补充）' }],
    });
    const moves = recalculate(open, next);
    expect(moves.map(({ id, from, to }) => ({ id, from, to }))).toEqual([
      { id: 'national-day', from: '2026-10-08', to: '2026-10-09' },
      { id: 'objection', from: '2026-10-13', to: '2026-10-14' },
    ]);
    expect(moves[0]?.result.calendarVersion).toBe('2026.2');
    expect(recalculate(open, cn())).toEqual([]);
  });

  it('confirms or moves provisional deadlines when the next year’s schedule is loaded', () => {
    const req = { start: '2026-12-20', days: 15, unit: 'calendar' as const, provisional: true };
    const held = computeDeadline(cn(), req);
    expect(held.due).toBe('2027-01-04');
    const with2027 = (holidays: CalendarData['holidays']): Calendar =>
      Calendar.fromData({
        ...data,
        version: '2027.1',
        years: { from: 2024, to: 2027 },
        holidays: [...data.holidays, ...holidays],
      });
    const confirmed = recalculate(
      [{ id: 'p', request: req, due: held.due, provisional: true }],
      with2027([{ date: '2027-01-01', name: '元旦' }]),
    );
    expect(confirmed).toMatchObject([
      { id: 'p', from: '2027-01-04', to: '2027-01-04', result: { provisional: false } },
    ]);
    const moved = recalculate(
      [{ id: 'p', request: req, due: held.due, provisional: true }],
      with2027([{ date: '2027-01-04', name: '假想假日' }]),
    );
    expect(moved).toMatchObject([{ from: '2027-01-04', to: '2027-01-05' }]);
  });
});
