/**
 * `xinfang report` over the demo's 90 days on SQLite, beside a plain SQL aggregate over the same
 * file.
 *
 * The file: `XINFANG_BENCH_REPORT_DB` names one to reuse (a `.xinfang/demo.sqlite`); otherwise the
 * bench runs the built CLI's demo (`node packages/cli/dist/bin.js demo`, about 2,500 petitions,
 * a minute or two) into a temporary directory. Build the CLI first
 * (`npx turbo run build --filter=@xinfang/cli`): nothing imports the CLI, so the bench runs it.
 *
 * The rows, each on the same file opened read-only:
 * - raw: one SQL statement per figure a hand-written report would give per body: cases by colour,
 *   deadline rows stopped against fired, ratings found in the events by `json_extract`. It knows
 *   nothing of the procedure: not which periods are duties or who owed them, not windows that ran
 *   out unrated, not repeats, reviews or overturns, and it reads the current state only.
 * - xinfang, in process: `readCaseFacts` (every projection, then each case's events, each step
 *   read against its config) and `metricsReport` (the rates, the index per body), warm.
 * - xinfang, the whole command: `node bin.js report <file> --format json` as a user runs it, node's
 *   start-up and module loading included. This is the "under 2 seconds" figure.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { metricsReport, readCaseFacts } from '@xinfang/core/reporting';
import { createSqliteStore } from '@xinfang/storage-sqlite';
import Database from 'better-sqlite3';
import { type Measurement, measure, printTable } from './measure.js';
import { findUp } from './review-path.js';

const RUNS = 5;
const CLI_RUNS = 3;

/** The plain SQL a report written by hand against the store's tables would run. */
const RAW_SQL = {
  colours:
    'SELECT responsible_unit AS unit, colour, count(*) AS n FROM cases GROUP BY responsible_unit, colour',
  periods: `SELECT c.responsible_unit AS unit, d.status, count(*) AS n
     FROM deadlines d JOIN cases c ON c.case_id = d.case_id
     WHERE d.status IN ('stopped', 'fired') GROUP BY c.responsible_unit, d.status`,
  ratings: `SELECT c.responsible_unit AS unit, json_extract(e.event, '$.payload.command.rating') AS rating, count(*) AS n
     FROM events e JOIN cases c ON c.case_id = e.case_id
     WHERE json_extract(e.event, '$.type') = 'RATE' GROUP BY c.responsible_unit, rating`,
};

function demoFile(): { file: string; cleanup: () => void } {
  const given = process.env.XINFANG_BENCH_REPORT_DB;
  if (given) {
    if (!existsSync(given)) throw new Error(`XINFANG_BENCH_REPORT_DB: no file at ${given}`);
    return { file: given, cleanup: () => {} };
  }
  const bin = findUp('packages/cli/dist/bin.js');
  const dir = mkdtempSync(join(tmpdir(), 'xinfang-bench-report-'));
  const file = join(dir, 'demo.sqlite');
  console.log(`running the demo's 90 days into ${file} (set XINFANG_BENCH_REPORT_DB to reuse a file) ...`);
  const t0 = performance.now();
  const run = spawnSync(process.execPath, [bin, 'demo', '--db', file, '--no-progress'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the demo failed (${run.status}): ${run.stderr}`);
  console.log(
    `${run.stdout.split('\n')[1] ?? ''} (whole demo ${((performance.now() - t0) / 1000).toFixed(0)} s)`,
  );
  return { file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A measurement in seconds per run, as the table's time column reads best here. */
const perRun = (m: Measurement) => m.ms / m.ops;

export async function run(): Promise<void> {
  const { file, cleanup } = demoFile();
  try {
    const raw = new Database(file, { readonly: true, fileMustExist: true });
    const statements = Object.values(RAW_SQL).map((sql) => raw.prepare(sql));
    const rows: Measurement[] = [];
    rows.push(
      await measure('raw SQL aggregate: colours, periods stopped/fired, ratings per body', RUNS, () => {
        for (const s of statements) s.all();
      }),
    );
    raw.close();

    const db = new Database(file, { readonly: true, fileMustExist: true });
    const store = createSqliteStore({ database: db });
    let cases = 0;
    rows.push(
      await measure(
        'xinfang readCaseFacts + metricsReport, in process',
        RUNS,
        async () => {
          const read = await readCaseFacts(store);
          cases = read.facts.length;
          metricsReport(read.facts, { asOf: read.asOf as string, configs: read.configs });
        },
        { warmup: 1 },
      ),
    );
    await store.close();
    db.close();

    const bin = findUp('packages/cli/dist/bin.js');
    rows.push(
      await measure(
        'xinfang report <file> --format json, the whole command',
        CLI_RUNS,
        () => {
          const r = spawnSync(process.execPath, [bin, 'report', file, '--format', 'json'], {
            encoding: 'utf8',
            maxBuffer: 64 * 1024 * 1024,
          });
          if (r.status !== 0) throw new Error(`xinfang report failed (${r.status}): ${r.stderr}`);
        },
        { warmup: 0 },
      ),
    );

    printTable(`report over the demo's file (${cases} cases)`, rows);
    const command = rows[2] as Measurement;
    console.log(
      `\nxinfang report, whole command: ${(perRun(command) / 1000).toFixed(2)} s per run ` +
        `(${perRun(command) < 2000 ? 'under' : 'OVER'} the 2 s the issue asks); ` +
        `in process ${(perRun(rows[1] as Measurement) / 1000).toFixed(2)} s; raw SQL ${perRun(rows[0] as Measurement).toFixed(1)} ms`,
    );
  } finally {
    cleanup();
  }
}
