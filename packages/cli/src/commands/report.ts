import { addCivilDays, civilDate, isCivilDate, parseInstant, XinfangError } from '@xinfang/core';
import {
  annualReport,
  type GroupBy,
  type HotSpotBy,
  hotSpots,
  indexPublication,
  metricsReport,
  type PeriodUnit,
  type ReadFacts,
  readCaseFacts,
} from '@xinfang/core/reporting';
import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { annualCsv, formatAnnual } from '../report/annual.js';
import { formatHotSpots, hotSpotsCsv } from '../report/hotspots.js';
import { formatMetrics, metricsCsv } from '../report/metrics.js';
import { formatPublication, publicationCsv } from '../report/publication.js';
import { caseRegisterReport, sectionsReport } from '../report/register.js';
import { openReportStore } from '../report/source.js';

interface ReportOptions {
  by: string;
  from?: string;
  to?: string;
  period: string;
  asOf?: string;
  format: string;
  annual?: boolean;
  hotSpots?: string | true;
  indexPublication?: string;
  jurisdiction?: string;
  top: string;
  schema?: string;
  register?: string;
  sections?: boolean;
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new XinfangError(
      'CLI_USAGE',
      `--${name} must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}`,
    );
  }
  return value as T;
}

// The day after --to and the year after --annual's must still be dates of four-digit years.
const FIRST_DAY = '1000-01-01';
const LAST_DAY = '9998-12-31';

function date(name: string, value: string | undefined): string | undefined {
  if (value !== undefined && (!isCivilDate(value) || value < FIRST_DAY || value > LAST_DAY))
    throw new XinfangError(
      'CLI_USAGE',
      `--${name} must be a real date YYYY-MM-DD from ${FIRST_DAY} to ${LAST_DAY}, not ${JSON.stringify(value)}`,
    );
  return value;
}

/** Everything the options say, checked before the store is opened: bad input touches nothing. */
function parse(opts: ReportOptions) {
  const from = date('from', opts.from);
  const to = date('to', opts.to);
  if (from !== undefined && to !== undefined && to < from)
    throw new XinfangError('CLI_USAGE', `--to (${to}) is before --from (${from})`);
  let asOf: string | undefined;
  if (opts.asOf !== undefined) {
    // an instant with its offset (a bare date would leave the zone to guess), every field real
    asOf = parseInstant(opts.asOf);
    if (asOf === undefined || asOf.slice(0, 10) < FIRST_DAY || asOf.slice(0, 10) > LAST_DAY) {
      throw new XinfangError(
        'CLI_USAGE',
        `--as-of must be a real instant with its zone, e.g. 2026-06-01T00:00:00+08:00, not ${JSON.stringify(opts.asOf)}`,
      );
    }
  }
  const top = Number(opts.top);
  if (!Number.isInteger(top) || top < 0 || top > 1000)
    throw new XinfangError(
      'CLI_USAGE',
      `--top must be a whole number from 0 to 1000, not ${JSON.stringify(opts.top)}`,
    );
  const reports = [
    opts.annual && '--annual',
    opts.hotSpots !== undefined && '--hot-spots',
    opts.register && '--register',
    opts.sections && '--sections',
    opts.indexPublication !== undefined && '--index-publication',
  ];
  const asked = reports.filter((r): r is string => typeof r === 'string');
  if (asked.length > 1)
    throw new XinfangError(
      'CLI_USAGE',
      `${asked.join(' and ')} are ${asked.length} reports: ask for one at a time`,
    );
  if (opts.indexPublication !== undefined && (opts.from !== undefined || opts.to !== undefined))
    throw new XinfangError(
      'CLI_USAGE',
      '--index-publication names its own period (2026-11, 2026-Q4, 2026): leave out --from and --to',
    );
  return {
    by: oneOf<GroupBy>('by', opts.by, ['unit', 'region', 'kind']),
    period: oneOf<PeriodUnit>('period', opts.period, ['all', 'year', 'quarter', 'month']),
    format: oneOf('format', opts.format, ['table', 'json', 'csv'] as const),
    hotSpots:
      opts.hotSpots === undefined
        ? undefined
        : oneOf<HotSpotBy>('hot-spots', opts.hotSpots === true ? 'region' : opts.hotSpots, [
            'region',
            'unit',
            'subject',
          ]),
    from,
    // the command's --to is the last day; the reports take the day after
    toExclusive: to === undefined ? undefined : addCivilDays(to, 1),
    asOf,
    top,
  };
}

/**
 * `xinfang report <db>`: metrics and the legalization index by body, region or kind of matter;
 * with `--annual` the annual report of Reg. 41; with `--hot-spots` the early warning; with
 * `--register <caseId>` one case's register (the form's sections as its events filled them); with
 * `--sections` the three-colour board by form section with the fields filled in each; with
 * `--index-publication <period>` a period's publication of the index, ranked. Reads a
 * SQLite file or a PostgreSQL URL, under the configs the cases were run with (kept in the store).
 */
export function register(program: Command, io: CliIo): void {
  program
    .command('report')
    .description(
      'metrics and the legalization index of a store (a SQLite file or a postgres:// URL); --annual: the annual report (Reg. 41)',
    )
    .argument('<db>', 'SQLite file, or postgres://user@host:5432/db')
    .option('--by <group>', 'group by unit, region or kind (of matter)', 'unit')
    .option('--from <date>', 'cases registered on or after this date, YYYY-MM-DD')
    .option('--to <date>', 'cases registered on or before this date, YYYY-MM-DD')
    .option('--period <unit>', 'split by registration period: all, year, quarter or month', 'all')
    .option(
      '--as-of <instant>',
      "the instant reported on, e.g. 2026-06-01T00:00:00+08:00 (default: the store's latest event)",
    )
    .option('--format <format>', 'table, json or csv', 'table')
    .option('--annual', 'the annual report of reg-2022 art. 41 (the year of --as-of, or --from to --to)')
    .option('--hot-spots [by]', 'hot-spot warnings by region, unit or subject')
    .option(
      '--index-publication <period>',
      "a period's publication of the legalization index, ranked, for a jurisdiction that declares one (reporting.index.publish): 2026-11 monthly, 2026-Q4 quarterly, 2026 yearly",
    )
    .option(
      '--jurisdiction <id>',
      'with --index-publication: the jurisdiction, when the store holds several that publish',
    )
    .option('--top <n>', 'longest-open cases listed per group', '5')
    .option('--schema <name>', 'PostgreSQL schema holding the tables (default: xinfang)')
    .option('--register <caseId>', "a case's register: each form section's fields as its events filled them")
    .option('--sections', 'the three-colour board by form section, with the register fields filled in each')
    .action(async (source: string, opts: ReportOptions) => {
      const o = parse(opts);
      if (opts.indexPublication !== undefined) {
        await publication(io, source, opts, o);
        return;
      }
      const { store, close } = await openReportStore(source, opts.schema ? { schema: opts.schema } : {});
      if (opts.register !== undefined || opts.sections) {
        let out: { json: unknown; csv: string; table: string; warning?: string };
        try {
          out =
            opts.register !== undefined
              ? await caseRegisterReport(store, source, opts.register)
              : await sectionsReport(store);
        } finally {
          await close();
        }
        if (out.warning) io.err(`warning: ${out.warning}`);
        io.out(
          o.format === 'json' ? JSON.stringify(out.json, null, 2) : o.format === 'csv' ? out.csv : out.table,
        );
        return;
      }
      let read: ReadFacts;
      try {
        read = await readCaseFacts(store, {
          ...(o.asOf ? { asOf: o.asOf } : {}),
          // the annual report counts steps taken in its period on cases registered before it
          ...(o.from && !opts.annual && !o.hotSpots ? { from: o.from } : {}),
          ...(o.toExclusive && !o.hotSpots ? { to: o.toExclusive } : {}),
        });
      } finally {
        await close();
      }
      // an empty store has no latest event: the wall clock is the only instant left
      const asOf = read.asOf ?? o.asOf ?? new Date().toISOString();
      if (o.asOf !== undefined && read.latestEvent !== undefined && o.asOf > read.latestEvent) {
        io.err(
          `warning: --as-of ${o.asOf} is after the store's latest event (${read.latestEvent}): periods still running then count as missed, while colours and states stay as last recorded (no tick has run since). Report as of ${read.latestEvent} or earlier for a consistent picture.`,
        );
      }
      const print = (json: unknown, csv: () => string, table: () => string) => {
        if (o.format === 'json') io.out(JSON.stringify(json, null, 2));
        else if (o.format === 'csv') io.out(csv());
        else {
          if (read.cases === 0) io.out(`no cases in ${source}${o.asOf ? ` by ${o.asOf}` : ''}`);
          io.out(table());
        }
      };

      if (opts.annual) {
        const zone = [...read.configs.values()][0]?.jurisdiction.timezone ?? 'Asia/Shanghai';
        // the year asked for (--from, else --to), else the year of the report's instant
        const last = o.toExclusive === undefined ? undefined : addCivilDays(o.toExclusive, -1);
        const year = (o.from ?? last ?? civilDate(asOf, zone)).slice(0, 4);
        const r = annualReport(read.facts, {
          asOf,
          from: o.from ?? `${year}-01-01`,
          to: o.toExclusive ?? `${Number(year) + 1}-01-01`,
          configs: read.configs,
          top: Math.max(o.top, 10),
        });
        print(
          r,
          () => annualCsv(r),
          () => formatAnnual(r),
        );
        return;
      }
      if (o.hotSpots) {
        const r = hotSpots(read.facts, { asOf, by: o.hotSpots, configs: read.configs });
        print(
          r,
          () => hotSpotsCsv(r),
          () => formatHotSpots(r),
        );
        return;
      }
      const r = metricsReport(read.facts, {
        asOf,
        by: o.by,
        period: o.period,
        top: o.top,
        configs: read.configs,
        ...(o.from ? { from: o.from } : {}),
        ...(o.toExclusive ? { to: o.toExclusive } : {}),
      });
      print(
        r,
        () => metricsCsv(r),
        () => formatMetrics(r),
      );
    });
}

/**
 * `--index-publication <period>`: the cases registered in the period, as of its end (midnight
 * after its last day in the jurisdiction's zone) when the store has run past it, else as of the
 * store's latest event (the publication then says it is provisional); `--as-of` overrides both.
 */
async function publication(io: CliIo, source: string, opts: ReportOptions, o: ReturnType<typeof parse>) {
  const period = opts.indexPublication as string;
  const readAt = async (asOf: string | undefined) => {
    const { store, close } = await openReportStore(source, opts.schema ? { schema: opts.schema } : {});
    try {
      return await readCaseFacts(store, asOf ? { asOf } : {});
    } finally {
      await close();
    }
  };
  const publish = (read: ReadFacts) =>
    indexPublication(read.facts, {
      period,
      // an empty store has no latest event: the wall clock is the only instant left
      asOf: read.asOf ?? o.asOf ?? new Date().toISOString(),
      configs: read.configs,
      ...(opts.jurisdiction ? { jurisdiction: opts.jurisdiction } : {}),
    });
  let read = await readAt(o.asOf);
  let p = publish(read);
  if (o.asOf === undefined && read.asOf !== undefined && read.asOf > p.endsAt) {
    read = await readAt(p.endsAt);
    p = publish(read);
  }
  if (o.format === 'json') io.out(JSON.stringify(p, null, 2));
  else if (o.format === 'csv') io.out(publicationCsv(p));
  else io.out(formatPublication(p));
}
