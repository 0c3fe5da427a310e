import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bufferIo, runCli } from '../src/index.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

async function deadline(args: string[], cwd = root) {
  const io = bufferIo(cwd);
  const code = await runCli(['deadline', ...args], io);
  return { code, out: io.stdout(), err: io.stderr(), lines: io.stdout().split('\n') };
}

describe('xinfang deadline', () => {
  it('prints the due date alone on the first line', async () => {
    const r = await deadline(['--from', '2026-09-18', '--days', '15']);
    expect(r).toMatchObject({ code: 0, out: '2026-10-08\n', err: '' });
    const w = await deadline(['--from', '2026-09-30', '--days', '5', '--working']);
    expect(w.out).toBe('2026-10-13\n');
  });

  it('finds configs/calendars from a subdirectory, or takes --calendars', async () => {
    const r = await deadline(
      ['--from', '2026-09-30', '--days', '5', '--working'],
      join(root, 'packages', 'cli'),
    );
    expect(r.out).toBe('2026-10-13\n');
    const dir = mkdtempSync(join(tmpdir(), 'xinfang-cli-'));
    mkdirSync(join(dir, 'cals'));
    writeFileSync(
      join(dir, 'cals', 'fri.yaml'),
      [
        'id: fri',
        'name: Friday rest',
        'version: "1"',
        'weekend: [5]',
        'years: { from: 2026, to: 2026 }',
        'holidays: []',
        'workdays: []',
      ].join('\n'),
    );
    // 2026-10-08 is a Thursday: one working day later is Saturday, Friday being the rest day
    const own = await deadline(
      ['--from', '2026-10-08', '--days', '1', '--working', '--calendar', 'fri', '--calendars', 'cals'],
      dir,
    );
    expect(own).toMatchObject({ code: 0, out: '2026-10-10\n' });
    const none = await deadline(['--from', '2026-10-08', '--days', '1'], dir);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/^error CONFIG_FILE_NOT_FOUND: no configs\/calendars directory/);
  });

  it('adds the trace with --explain, in Chinese or English', async () => {
    const r = await deadline(['--from', '2026-09-18', '--days', '15', '--explain']);
    expect(r.lines[0]).toBe('2026-10-08');
    expect(r.out).toContain(
      '期间最后一日 2026-10-03 为法定节假日（国庆节），顺延至其后第一个工作日 2026-10-08',
    );
    const en = await deadline([
      '--from',
      '2026-09-30',
      '--days',
      '5',
      '--working',
      '--explain',
      '--lang',
      'en',
    ]);
    expect(en.lines.slice(0, 3)).toEqual([
      '2026-10-13',
      'calendar cn-mainland, version 2026.1',
      'start 2026-09-30 (not counted); period of 5 working days',
    ]);
    expect(en.out).toContain('counted 2026-10-10: 1 adjusted working day (国庆节调休上班) (total 3)');
  });

  it('prints the whole result as JSON with --json', async () => {
    const r = await deadline(['--from', '2026-09-18', '--days', '15', '--json', '--cutoff', '17:30']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      due: '2026-10-08',
      dueAt: '2026-10-08T09:30:00.000Z',
      provisional: false,
      calendarId: 'cn-mainland',
      calendarVersion: '2026.1',
    });
  });

  it('refuses a date past the covered years with the coded error, unless --provisional', async () => {
    const r = await deadline(['--from', '2026-12-20', '--days', '15']);
    expect(r).toMatchObject({ code: 1, out: '' });
    expect(r.err).toMatch(
      /^error CALENDAR_NOT_COVERED: calendar cn-mainland has no holiday schedule for 2027/,
    );
    const p = await deadline(['--from', '2026-12-20', '--days', '15', '--provisional']);
    expect(p.code).toBe(0);
    expect(p.lines[0]).toBe('2027-01-04');
    expect(p.lines[1]).toMatch(/^provisional: .*2027.*weekends only/);
  });

  it('refuses a bad date, a bad length and an unknown calendar with their codes', async () => {
    const bad = await deadline(['--from', '2026-02-30', '--days', '15']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^error CALENDAR_BAD_DATE: /);
    const days = await deadline(['--from', '2026-09-18', '--days', 'fifteen']);
    expect(days.err).toMatch(/^error DEADLINE_INVALID: /);
    const cal = await deadline(['--from', '2026-09-18', '--days', '15', '--calendar', 'cn-taiwan']);
    expect(cal.err).toMatch(/^error CALENDAR_UNKNOWN: no calendar with id cn-taiwan; known: .*cn-mainland/);
    const usage = await deadline(['--days', '15']);
    expect(usage.code).toBe(2);
  });

  it('stops the clock with --pause', async () => {
    const r = await deadline([
      '--from',
      '2026-09-30',
      '--days',
      '5',
      '--working',
      '--pause',
      '2026-10-09..2026-10-12',
    ]);
    expect(r.out).toBe('2026-10-15\n');
    const running = await deadline(['--from', '2026-03-01', '--days', '30', '--pause', '2026-03-10']);
    expect(running.lines[0]).toBe('2026-04-01');
    expect(running.lines[1]).toMatch(/^suspended: a pause running since 2026-03-10/);
  });
});
