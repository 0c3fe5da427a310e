import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  ConfigError,
  computeDeadline,
  type DeadlinePause,
  type DeadlineRequest,
  explainDeadline,
  findCalendar,
  formatDiagnostic,
  loadCalendarDir,
  XinfangError,
} from '@xinfang/core';
import { type Command, Option } from 'commander';
import type { CliIo } from '../io.js';
import { resolveUserPath } from '../package-files.js';

interface DeadlineOptions {
  from: string;
  days: string;
  working?: boolean;
  calendar: string;
  calendars?: string;
  explain?: boolean;
  lang: 'zh' | 'en';
  provisional?: boolean;
  json?: boolean;
  cutoff?: string;
  pause: DeadlinePause[];
}

/**
 * `configs/calendars` in the working directory or the nearest ancestor that has one, else the
 * calendars of an installed `@xinfang/configs`.
 */
function findCalendarsDir(io: CliIo, given: string | undefined): string {
  if (given !== undefined) return resolve(io.cwd, given);
  for (let dir = resolve(io.cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, 'configs', 'calendars');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  const packaged = resolveUserPath(io.cwd, '@xinfang/configs/calendars', io.installedAt);
  if (existsSync(packaged)) return packaged;
  throw new XinfangError(
    'CONFIG_FILE_NOT_FOUND',
    `no configs/calendars directory in ${io.cwd} or above it, and no @xinfang/configs installed; pass --calendars DIR`,
    { cwd: io.cwd },
  );
}

/** `--pause 2026-10-09..2026-10-12` (days in [from, to) paused) or `--pause 2026-10-09` (still running). */
function parsePause(value: string, previous: DeadlinePause[] = []): DeadlinePause[] {
  const [from = '', to] = value.split('..');
  return [...previous, to === undefined ? { from } : { from, to }];
}

/**
 * `xinfang deadline --from DATE --days N [--working] ...`: prints the due date alone on the
 * first line (so scripts can read it), then whether it is provisional or suspended, then
 * with `--explain` each step of the count. `--json` prints only the full result as JSON.
 */
export function register(program: Command, io: CliIo): void {
  program
    .command('deadline')
    .description('compute a statutory deadline on a holiday calendar (start day not counted)')
    .requiredOption('--from <date>', 'civil date the period starts (YYYY-MM-DD); that day is not counted')
    .requiredOption('--days <n>', 'length of the period in days')
    .option('--working', 'count working days (default: calendar days, moved off a last rest day)')
    .option('--calendar <id>', 'calendar id', 'cn-mainland')
    .option('--calendars <dir>', 'directory of calendar files (default: configs/calendars found upward)')
    .option('--explain', 'print each step of the count')
    .addOption(new Option('--lang <locale>', 'language of --explain').choices(['zh', 'en']).default('zh'))
    .option('--provisional', 'past the covered years, count weekends only and mark the result provisional')
    .option('--cutoff <HH:MM>', 'end of the last day, e.g. 17:30 for close of office (default 24:00)')
    .option(
      '--pause <from..to>',
      'stop the clock on days in [from, to); repeatable; no ..to = still running',
      parsePause,
      [],
    )
    .option('--json', 'print the result as JSON (and nothing else)')
    .action((opts: DeadlineOptions) => {
      const dir = findCalendarsDir(io, opts.calendars);
      let calendars: ReturnType<typeof loadCalendarDir>;
      try {
        calendars = loadCalendarDir(dir);
      } catch (e) {
        // show every problem of a broken calendar file, not only the first
        if (e instanceof ConfigError) for (const d of e.diagnostics) io.err(formatDiagnostic(d));
        throw e;
      }
      const calendar = findCalendar(calendars, opts.calendar);
      const request: DeadlineRequest = {
        start: opts.from,
        // a non-numeric --days becomes NaN, which the core refuses with DEADLINE_INVALID
        days: /^\d+$/.test(opts.days) ? Number(opts.days) : Number.NaN,
        unit: opts.working ? 'working' : 'calendar',
      };
      if (opts.provisional) request.provisional = true;
      if (opts.cutoff !== undefined) request.cutoff = opts.cutoff;
      if (opts.pause.length > 0) request.pauses = opts.pause;
      const result = computeDeadline(calendar, request);
      if (opts.json) {
        io.out(JSON.stringify(result, null, 2));
        return;
      }
      io.out(result.due);
      if (result.provisional) io.out(`provisional: ${result.provisionalReason ?? ''}`);
      if (result.suspended) {
        io.out(
          `suspended: a pause running since ${result.suspended.since}; ${result.due} is only the earliest possible end`,
        );
      }
      if (opts.explain) io.out(explainDeadline(result, opts.lang));
    });
}
