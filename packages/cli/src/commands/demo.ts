import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  addCivilDays,
  type CaseStore,
  createDocumentIssuer,
  type IdentityKeys,
  identityKeyFile,
  isCivilDate,
  type JsonObject,
  type SealedDocument,
  verifyDocument,
  XinfangError,
} from '@xinfang/core';
import { annualReport, metricsReport, readCaseFacts } from '@xinfang/core/reporting';
import { createSqliteStore } from '@xinfang/storage-sqlite';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { loadJurisdictionForRun, resolvePath } from '../context.js';
import { buildBoard, formatBoard } from '../demo/board.js';
import { demoSealer, demoWebhook } from '../demo/delivery.js';
import { missingDemoUnits, simulate } from '../demo/simulate.js';
import type { CliIo } from '../io.js';
import { shortMetricsTable } from '../report/metrics.js';
import { isPostgresUrl } from '../report/source.js';
import { percent } from '../report/text.js';
import { serve } from './serve.js';

interface DemoOptions {
  config?: string;
  db: string;
  start: string;
  days: string;
  petitions: string;
  seed: string;
  synchronous: string;
  schema?: string;
  progress: boolean;
  json?: boolean;
  serve?: boolean;
  port: string;
}

/** configs/national.yaml, found from the working directory upwards. */
function findNational(cwd: string): string | undefined {
  for (let dir = cwd; ; dir = dirname(dir)) {
    const candidate = join(dir, 'configs', 'national.yaml');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The schema the demo writes to on PostgreSQL when `--schema` gives none. */
const DEMO_SCHEMA = 'xinfang_demo';

/**
 * The store the demo writes: a SQLite file (replaced), or an empty schema of a PostgreSQL
 * database. A schema that already holds cases is refused, never emptied: it may be somebody's
 * records. Each store gets its own identity key file (`<file>.identity.key` beside the SQLite
 * file, `.xinfang/<schema>.identity.key` for PostgreSQL), made new with the new store.
 */
async function openDemoStore(
  io: CliIo,
  opts: DemoOptions,
  sync: 'FULL' | 'NORMAL',
): Promise<{ store: CaseStore; where: string; identityKeys: IdentityKeys }> {
  if (isPostgresUrl(opts.db)) {
    const schema = opts.schema ?? DEMO_SCHEMA;
    const { createPostgresStore } = await import('@xinfang/storage-postgres');
    const store = await createPostgresStore({
      connectionString: opts.db,
      schema,
      applicationName: 'xinfang-demo',
    });
    if ((await store.query({ limit: 1 })).length > 0) {
      await store.close();
      throw new XinfangError(
        'CLI_USAGE',
        `schema ${schema} at ${opts.db} already holds cases; the demo writes only to an empty schema: pass another --schema, or drop that one yourself`,
      );
    }
    return {
      store,
      where: `${opts.db} schema ${schema}`,
      identityKeys: newKeyFile(resolvePath(io, `.xinfang/${schema}.identity.key`)),
    };
  }
  if (opts.schema !== undefined)
    throw new XinfangError('CLI_USAGE', '--schema names a PostgreSQL schema: give --db a postgres:// URL');
  const db = resolvePath(io, opts.db);
  mkdirSync(dirname(db), { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
  return {
    store: createSqliteStore({ path: db, synchronous: sync }),
    where: relative(io.cwd, db) || db,
    identityKeys: newKeyFile(`${db}.identity.key`),
  };
}

/**
 * A new identity key file for a new (empty) store: a key left from the store it replaces keys
 * nothing any more, and a store's secret is its own.
 */
function newKeyFile(path: string): IdentityKeys {
  rmSync(path, { force: true });
  return identityKeyFile(path);
}

function positiveInt(name: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new XinfangError(
      'CLI_USAGE',
      `--${name} must be a whole number from 1 to ${max}, not ${JSON.stringify(value)}`,
    );
  }
  return n;
}

/**
 * `xinfang demo`: a province simulated for 90 days on a SQLite file, through the national
 * procedure, ending with the three-colour board.
 */
export function register(program: Command, io: CliIo): void {
  program
    .command('demo')
    .description('simulate a province running the national procedure for 90 days on a SQLite file')
    .option('--config <file>', 'jurisdiction config (default: configs/national.yaml found from here)')
    .option(
      '--db <file|url>',
      'SQLite file to write (replaced if it exists), or a postgres:// URL (an empty schema)',
      '.xinfang/demo.sqlite',
    )
    .option('--schema <name>', `PostgreSQL schema to write, empty or new (default: ${DEMO_SCHEMA})`)
    .option('--start <date>', 'first simulated day, YYYY-MM-DD', '2026-03-02')
    .option('--days <n>', 'days to simulate', '90')
    .option('--petitions <n>', 'petitions arriving over the period', '2500')
    .option('--seed <n>', 'seed of the generator (same seed, same story)', '20260302')
    // The store's own default is FULL (a legal record survives a power cut). The demo's file is a
    // simulation, so it trades that for speed: an fsync per command would double its run time.
    .option('--synchronous <mode>', 'SQLite durability: FULL (survives a power cut) or NORMAL', 'NORMAL')
    .option('--no-progress', 'no progress bar')
    .option('--json', 'print the board as JSON')
    .option('--serve', 'then serve the store over HTTP (xinfang serve) until stopped')
    .option('--port <n>', 'port of --serve', '8080')
    .action(async (opts: DemoOptions) => {
      await runDemo(io, opts);
      if (opts.serve) await serveDemo(io, opts);
    });
}

/** `--serve`: the demo's store, browsable over HTTP (board, petitioner's page, API) until stopped. */
async function serveDemo(io: CliIo, opts: DemoOptions): Promise<void> {
  if (opts.json) throw new XinfangError('CLI_USAGE', '--serve prints the URL and serves: leave out --json');
  const config = opts.config ?? findNational(io.cwd) ?? 'configs/national.yaml';
  const running = await serve(io, {
    db: opts.db,
    ...(opts.schema ? { schema: opts.schema, keyFile: `.xinfang/${opts.schema}.identity.key` } : {}),
    ...(isPostgresUrl(opts.db) && !opts.schema
      ? { keyFile: `.xinfang/${DEMO_SCHEMA}.identity.key`, schema: DEMO_SCHEMA }
      : {}),
    config,
    port: opts.port,
    host: '127.0.0.1',
    tickEvery: '60',
  });
  io.out(
    `the demo's data is browsable at ${running.url}/staff/board (sign in with a token of the file above); Ctrl-C stops`,
  );
  await running.stopped;
}

async function runDemo(io: CliIo, opts: DemoOptions): Promise<void> {
  const configPath = opts.config ?? findNational(io.cwd);
  if (!configPath)
    throw new XinfangError('CLI_USAGE', 'configs/national.yaml not found here or above; pass --config');
  if (!isCivilDate(opts.start))
    throw new XinfangError('CLI_USAGE', `--start must be a date YYYY-MM-DD, not ${opts.start}`);
  const sync = opts.synchronous.toUpperCase();
  if (sync !== 'FULL' && sync !== 'NORMAL') {
    throw new XinfangError('CLI_USAGE', `--synchronous must be FULL or NORMAL, not ${opts.synchronous}`);
  }
  const days = positiveInt('days', opts.days, 3660);
  const petitions = positiveInt('petitions', opts.petitions, 1_000_000);
  const seed = positiveInt('seed', opts.seed, 2 ** 31);
  const { loaded, calendars } = loadJurisdictionForRun(io, configPath);
  const missing = missingDemoUnits(loaded.value);
  if (missing.length > 0) {
    throw new XinfangError(
      'CLI_USAGE',
      `the demo simulates the national demo registry (示范省/市/县); ${configPath} has none of ${missing.join(', ')}: run it on configs/national.yaml, or a config that keeps those units`,
    );
  }

  const { store, where, identityKeys } = await openDemoStore(io, opts, sync);
  // documents are rendered and sealed as issued, and go out through a signed webhook to a
  // receiver in this process, standing in for the province's own system
  const { sealer, publicKeyPem } = demoSealer();
  const documents = createDocumentIssuer({ store, templates: loaded.templates, sealer });
  const { receiver, notifier } = await demoWebhook();

  const bar =
    opts.progress && !opts.json && process.stderr.isTTY
      ? new SingleBar({
          format: ' simulating {bar} day {value}/{total} · {cases} cases',
          hideCursor: true,
        })
      : undefined;
  bar?.start(days, 0, { cases: 0 });
  const t0 = performance.now();
  let sim: Awaited<ReturnType<typeof simulate>>;
  try {
    sim = await simulate({
      config: loaded.value,
      calendars,
      store,
      start: opts.start,
      days,
      petitions,
      seed,
      documents,
      identityKeys,
      notifiers: { document: notifier, notification: notifier },
      onDay: (d, _total, submitted) => {
        bar?.update(d, { cases: submitted });
        if (!bar && !opts.json && opts.progress && d % 15 === 0) io.err(`  day ${d}/${days}`);
      },
    });
  } finally {
    bar?.stop();
    await notifier.close();
    await receiver.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  const board = await buildBoard(store, loaded.value);
  // the closing report is computed from the file alone, as `xinfang report` would
  const t1 = performance.now();
  const read = await readCaseFacts(store);
  const metrics = metricsReport(read.facts, { asOf: read.asOf ?? sim.end, configs: read.configs });
  const annual = annualReport(read.facts, {
    asOf: read.asOf ?? sim.end,
    from: opts.start,
    to: addCivilDays(opts.start, days),
    configs: read.configs,
  });
  const reportSeconds = (performance.now() - t1) / 1000;
  await store.close();
  const notice = sampleNotice(receiver.received);
  const delivered = {
    delivered: receiver.received.size,
    duplicates: receiver.duplicates,
    badSignatures: receiver.badSignatures,
    dead: sim.delivery.dead,
  };
  const sealed = notice?.sealed as unknown as SealedDocument | undefined;
  const verified = sealed ? await verifyDocument(sealed, publicKeyPem) : undefined;

  if (opts.json) {
    io.out(
      JSON.stringify(
        {
          simulation: { ...sim, engine: undefined, clock: undefined, seconds },
          delivery: { ...delivered, publicKey: publicKeyPem, notice: sealed, verified },
          board,
          report: metrics,
          annual,
        },
        null,
        2,
      ),
    );
    return;
  }
  const refused = Object.entries(sim.refused)
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  io.out(`${loaded.value.jurisdiction.name} · ${opts.start} + ${days} days · seed ${seed} · ${where}`);
  io.out(
    `${sim.submitted} petitions, ${sim.commands} commands, ${sim.fired} deadlines fired in ${seconds.toFixed(1)} s` +
      ` · report computed from the file in ${reportSeconds.toFixed(2)} s` +
      (refused ? ` · refused: ${refused}` : ''),
  );
  io.out(
    `delivered through the webhook: ${delivered.delivered} (deduplicated by idempotency key, ` +
      `signatures checked: ${delivered.badSignatures} bad, ${delivered.duplicates} repeats, ${delivered.dead} dead-lettered)`,
  );
  io.out('');
  io.out(formatBoard(board, loaded.value));
  io.out('');
  io.out(
    '法治化指数 legalization index and main rates by city and county body (xinfang report on the file gives the whole report):',
  );
  const local = new Set(['city', 'county']);
  io.out(shortMetricsTable(metrics, (r) => local.has(loaded.value.units[r.key]?.level ?? '')));
  const s = annual.supervision;
  const made = annual.suggestions.reduce((n, t) => n + t.made, 0);
  const adopted = annual.suggestions.reduce((n, t) => n + t.adopted, 0);
  io.out(
    `supervision: ${s.supervised} letters, ${s.replies} replies (${percent(s.answeredOnTime)} of answers on time), ` +
      `${made} suggestions (${adopted} adopted), ${annual.receptions.held} leader receptions held ` +
      `(${annual.receptions.resolved} resolved there)`,
  );
  if (sealed) {
    io.out('');
    io.out(`one sealed notice, as received — ${sealed.document.name} ${sealed.document.number}:`);
    io.out('');
    io.out(sealed.document.text.trimEnd().replace(/^/gm, '  '));
    io.out('');
    io.out(
      `seal: ${sealed.seal.algorithm} key ${sealed.seal.keyId} · signature ${sealed.seal.signature.slice(0, 24)}…`,
    );
    io.out(`verifyDocument: ${verified?.ok ? 'ok' : `FAILED ${JSON.stringify(verified?.problems)}`}`);
    io.out('public key of this run (a demo key, generated for it and discarded):');
    io.out(publicKeyPem.trimEnd());
  }
}

/** A handling opinion the receiver got (the notice a petitioner most waits for), else any document. */
function sampleNotice(received: ReadonlyMap<string, JsonObject>): JsonObject | undefined {
  let first: JsonObject | undefined;
  for (const m of received.values()) {
    const p = m.payload as JsonObject | undefined;
    if (m.kind !== 'document' || !p?.sealed) continue;
    if (p.documentId === 'handling-opinion') return p;
    first ??= p;
  }
  return first;
}
