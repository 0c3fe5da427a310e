import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/base/diagnostics.js';
import {
  Calendar,
  type CalendarData,
  CalendarDataError,
  findCalendar,
  loadCalendarDir,
  loadCalendarFile,
  parseCalendar,
} from '../../src/calendar/index.js';
import { CALENDARS_DIR, cn, daysFrom, thrown } from './helpers.js';

/** The 2024-2026 schedules as domain.md states them, transcribed a second time to check the YAML. */
const SCHEDULES: Record<number, { off: [string, string][]; working: string[] }> = {
  2024: {
    off: [
      ['01-01', '01-01'],
      ['02-10', '02-17'],
      ['04-04', '04-06'],
      ['05-01', '05-05'],
      ['06-10', '06-10'],
      ['09-15', '09-17'],
      ['10-01', '10-07'],
    ],
    working: ['02-04', '02-18', '04-07', '04-28', '05-11', '09-14', '09-29', '10-12'],
  },
  2025: {
    off: [
      ['01-01', '01-01'],
      ['01-28', '02-04'],
      ['04-04', '04-06'],
      ['05-01', '05-05'],
      ['05-31', '06-02'],
      ['10-01', '10-08'],
    ],
    working: ['01-26', '02-08', '04-27', '09-28', '10-11'],
  },
  2026: {
    off: [
      ['01-01', '01-03'],
      ['02-15', '02-23'],
      ['04-04', '04-06'],
      ['05-01', '05-05'],
      ['06-19', '06-21'],
      ['09-25', '09-27'],
      ['10-01', '10-07'],
    ],
    working: ['01-04', '02-14', '02-28', '05-09', '09-20', '10-10'],
  },
};

function small(overrides: Partial<CalendarData> = {}): CalendarData {
  return {
    id: 'test',
    name: '测试',
    version: '1',
    weekend: [0, 6],
    years: { from: 2026, to: 2026 },
    holidays: [{ date: '2026-10-01', name: '国庆节' }],
    workdays: [{ date: '2026-10-10', name: '国庆节调休上班' }],
    ...overrides,
  };
}

describe('configs/calendars/cn-mainland.yaml', () => {
  it('every calendar file loads without a single diagnostic', () => {
    const files = readdirSync(CALENDARS_DIR).filter((f) => f.endsWith('.yaml'));
    expect(files).toContain('cn-mainland.yaml');
    for (const f of files) {
      expect(parseCalendar(readFileSync(join(CALENDARS_DIR, f), 'utf8'), f).diagnostics).toEqual([]);
    }
    expect([...loadCalendarDir(CALENDARS_DIR).keys()]).toContain('cn-mainland');
  });

  it('holds exactly the 2024-2026 State Council schedules', () => {
    const cal = cn();
    expect(cal.years).toEqual({ from: 2024, to: 2026 });
    expect(cal.timezone).toBe('Asia/Shanghai');
    const data = cal.toData();
    for (const [year, s] of Object.entries(SCHEDULES)) {
      const off = s.off.flatMap(([a, b]) => daysFrom(`${year}-${a}`, `${year}-${b}`));
      expect(data.holidays.filter((h) => h.date.startsWith(year)).map((h) => h.date)).toEqual(off);
      expect(data.workdays.filter((w) => w.date.startsWith(year)).map((w) => w.date)).toEqual(
        s.working.map((d) => `${year}-${d}`),
      );
    }
  });

  it('names holidays and adjusted working days in Chinese', () => {
    const cal = cn();
    expect(cal.dayInfo('2026-10-03')).toEqual({
      date: '2026-10-03',
      working: false,
      reason: 'holiday',
      holiday: '国庆节',
    });
    expect(cal.dayInfo('2025-01-29').holiday).toBe('春节');
    expect(cal.dayInfo('2026-10-10')).toEqual({
      date: '2026-10-10',
      working: true,
      reason: 'adjusted-workday',
      adjustment: '国庆节调休上班',
    });
    expect(cal.dayInfo('2026-10-11')).toEqual({ date: '2026-10-11', working: false, reason: 'weekend' });
    expect(cal.dayInfo('2026-10-12')).toEqual({ date: '2026-10-12', working: true, reason: 'workday' });
  });
});

describe('Calendar', () => {
  it('refuses a date outside the covered years, naming the calendar and the year', () => {
    const e = thrown(() => cn().dayInfo('2027-01-04'));
    expect(e.code).toBe('CALENDAR_NOT_COVERED');
    expect(e.details).toMatchObject({ calendarId: 'cn-mainland', year: 2027 });
    expect(e.message).toContain('cn-mainland');
    expect(e.message).toContain('2027');
    expect(thrown(() => cn().isWorkingDay('2023-12-29')).code).toBe('CALENDAR_NOT_COVERED');
    expect(cn().covers('2026-12-31')).toBe(true);
    expect(cn().covers('2027-01-01')).toBe(false);
    expect(cn().covers('2024-01-01')).toBe(true);
  });

  it('refuses what is not a date', () => {
    for (const bad of ['2026-02-29', '2026-13-01', '2026-1-1', '20260101', 'tomorrow', '']) {
      expect(thrown(() => cn().dayInfo(bad)).code).toBe('CALENDAR_BAD_DATE');
    }
    expect(cn().isWorkingDay('2024-02-29')).toBe(true);
  });

  it('takes any weekend days, not only Saturday and Sunday', () => {
    const friday = Calendar.fromData(small({ weekend: [5], holidays: [], workdays: [] }));
    expect(friday.isWorkingDay('2026-10-09')).toBe(false); // a Friday
    expect(friday.isWorkingDay('2026-10-10')).toBe(true); // a Saturday
  });

  it('lists every semantic problem in data with a pointer', () => {
    const e = thrown(() =>
      Calendar.fromData(
        small({
          holidays: [
            { date: '2026-10-01', name: '国庆节' },
            { date: '2026-10-01', name: '国庆节' },
            { date: '2027-01-01', name: '元旦' },
            { date: '2026-10-10', name: 'clash' },
          ],
          workdays: [
            { date: '2026-10-10', name: '调休' },
            { date: '2026-10-12', name: 'a Monday' },
          ],
        }),
      ),
    ) as CalendarDataError;
    expect(e.code).toBe('CALENDAR_INVALID');
    expect(e).toBeInstanceOf(CalendarDataError);
    expect(e.problems.map((p) => [p.pointer, p.message])).toEqual([
      ['/holidays/1/date', '2026-10-01 is listed twice in holidays'],
      ['/holidays/2/date', '2027-01-01 is outside the covered years 2026-2026'],
      ['/workdays/0/date', '2026-10-10 is both a holiday and an adjusted working day'],
      ['/workdays/1/date', '2026-10-12 is not a weekend day, so it cannot be an adjusted working day'],
    ]);
  });

  it('refuses a week without working days, bad years and an unknown zone', () => {
    expect(thrown(() => Calendar.fromData(small({ weekend: [0, 1, 2, 3, 4, 5, 6] }))).code).toBe(
      'CALENDAR_INVALID',
    );
    expect(thrown(() => Calendar.fromData(small({ years: { from: 2027, to: 2026 } }))).code).toBe(
      'CALENDAR_INVALID',
    );
    expect(thrown(() => Calendar.fromData(small({ timezone: 'Asia/Beijing' }))).code).toBe(
      'CALENDAR_INVALID',
    );
  });

  it('adds a province’s local days off, with its own id and version', () => {
    const base = cn();
    const guangxi = base.withDaysOff(
      [
        { date: '2026-04-20', name: '壮族三月三' },
        { date: '2026-10-10', name: '地方假日' },
      ],
      'guangxi',
    );
    expect(guangxi.id).toBe('cn-mainland+guangxi');
    expect(guangxi.version).toMatch(/^2026\.1\+local\.[0-9a-f]{8}$/);
    expect(guangxi.dayInfo('2026-04-20')).toMatchObject({ working: false, holiday: '壮族三月三' });
    // a local day off on a national adjusted working day is a day off locally
    expect(guangxi.dayInfo('2026-10-10')).toMatchObject({ working: false, holiday: '地方假日' });
    expect(base.isWorkingDay('2026-04-20')).toBe(true);
    expect(base.withDaysOff([{ date: '2026-04-20', name: '壮族三月三' }]).id).toBe('cn-mainland');
    expect(thrown(() => base.withDaysOff([{ date: '2027-04-09', name: 'x' }])).code).toBe('CALENDAR_INVALID');
  });
});

describe('calendar files', () => {
  const file = 'configs/calendars/test.yaml';
  const valid = [
    'id: test',
    'name: 测试',
    'version: "1"',
    'weekend: [0, 6]',
    'years: { from: 2026, to: 2026 }',
    'holidays:',
    '  - { from: 2026-10-01, to: 2026-10-07, name: 国庆节 }',
    'workdays:',
    '  - { date: 2026-10-10, name: 调休 }',
  ];
  const edit = (i: number, line: string) => valid.map((l, j) => (j === i ? line : l)).join('\n');

  it('parses a valid file and expands holiday ranges', () => {
    const { value, diagnostics } = parseCalendar(valid.join('\n'), file);
    expect(diagnostics).toEqual([]);
    expect(value?.toData().holidays).toHaveLength(7);
  });

  it('reports YAML syntax errors with their position', () => {
    const { value, diagnostics } = parseCalendar(edit(3, 'weekend: [0, 6'), file);
    expect(value).toBeUndefined();
    expect(diagnostics[0]).toMatchObject({ code: 'CONFIG_YAML_SYNTAX', file, severity: 'error' });
  });

  it('reports an unknown key at the key, with a suggestion', () => {
    const { diagnostics } = parseCalendar(edit(7, 'workday:'), file);
    const unknown = diagnostics.find((d) => d.code === 'CONFIG_UNKNOWN_KEY');
    expect(unknown).toMatchObject({
      line: 8,
      column: 1,
      pointer: '/workday',
      hint: 'did you mean "workdays"?',
    });
    expect(unknown?.sourceLine).toBe('workday:');
    expect(diagnostics.some((d) => d.code === 'CONFIG_MISSING_KEY' && d.message.includes('workdays'))).toBe(
      true,
    );
  });

  it('asks for a quoted version', () => {
    const { diagnostics } = parseCalendar(edit(2, 'version: 2026.1'), file);
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'CONFIG_WRONG_TYPE', pointer: '/version', line: 3, column: 10 }),
    ]);
    expect(diagnostics[0]?.hint).toContain('"2026.1"');
  });

  it('locates semantic problems at the offending item', () => {
    const { diagnostics } = parseCalendar(edit(8, '  - { date: 2026-10-12, name: 调休 }'), file);
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'CALENDAR_INVALID', pointer: '/workdays/0/date', line: 9, column: 13 }),
    ]);
    const range = parseCalendar(edit(6, '  - { from: 2026-12-30, to: 2027-01-02, name: 元旦 }'), file);
    expect(range.diagnostics[0]).toMatchObject({ code: 'CALENDAR_INVALID', pointer: '/holidays/0', line: 7 });
    const bad = parseCalendar(edit(6, '  - { from: 2026-02-27, to: 2026-02-30, name: x }'), file);
    expect(bad.diagnostics[0]).toMatchObject({
      code: 'CALENDAR_BAD_DATE',
      pointer: '/holidays/0/to',
      line: 7,
    });
    const both = parseCalendar(
      edit(6, '  - { date: 2026-10-01, from: 2026-10-01, to: 2026-10-02, name: x }'),
      file,
    );
    expect(both.diagnostics[0]).toMatchObject({ code: 'CONFIG_BAD_VALUE', pointer: '/holidays/0' });
    const half = parseCalendar(edit(6, '  - { from: 2026-10-01, name: x }'), file);
    expect(half.diagnostics[0]).toMatchObject({ code: 'CONFIG_MISSING_KEY', pointer: '/holidays/0' });
  });

  it('warns about a covered year without any holiday (a schedule not entered yet)', () => {
    const { value, diagnostics } = parseCalendar(edit(4, 'years: { from: 2026, to: 2027 }'), file);
    expect(value).toBeDefined();
    expect(diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'CALENDAR_INVALID', pointer: '/years', line: 5 }),
    ]);
  });

  it('throws every diagnostic from the file loaders', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xinfang-cal-'));
    writeFileSync(join(dir, 'a.yaml'), valid.join('\n'));
    writeFileSync(join(dir, 'b.yaml'), valid.join('\n'));
    writeFileSync(join(dir, 'notes.txt'), 'not a calendar');
    const dup = thrown(() => loadCalendarDir(dir)) as unknown as ConfigError;
    expect(dup).toBeInstanceOf(ConfigError);
    expect(dup.diagnostics).toEqual([
      expect.objectContaining({
        code: 'CONFIG_DUPLICATE_ID',
        file: join(dir, 'b.yaml'),
        line: 1,
        pointer: '/id',
      }),
    ]);
    writeFileSync(join(dir, 'b.yaml'), edit(0, 'id: other'));
    expect([...loadCalendarDir(dir).keys()]).toEqual(['test', 'other']);
    expect(thrown(() => loadCalendarFile(join(dir, 'missing.yaml'))).code).toBe('CONFIG_FILE_NOT_FOUND');
    writeFileSync(join(dir, 'c.yaml'), edit(2, 'version: 1'));
    expect(thrown(() => loadCalendarFile(join(dir, 'c.yaml'))).code).toBe('CONFIG_WRONG_TYPE');
  });

  it('names the known calendars when asked for an unknown one', () => {
    const e = thrown(() => findCalendar(new Map([['cn-mainland', cn()]]), 'cn-hongkong'));
    expect(e.code).toBe('CALENDAR_UNKNOWN');
    expect(e.message).toContain('cn-mainland');
  });
});
