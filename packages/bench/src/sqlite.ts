/**
 * The SQLite store beside raw better-sqlite3, in two parts.
 *
 * 1. Commands per second on a file. The engine drives cases through a fixed path (submit, accept,
 *    extend, opinion, receipt, review request, review decision) on a SQLite file, once with
 *    `synchronous=FULL` (the default) and once with `NORMAL`. The raw side replays the very rows
 *    that run wrote (captured at the store's `append`: events, projection, deadline and outbox
 *    rows) with plain prepared statements, one immediate transaction per command, on a fresh file
 *    with the same schema and the same pragmas. It serialises nothing and checks nothing.
 *
 *    The gap is everything the engine does around the same writes: per command it reads the case
 *    back (SELECT and JSON.parse of the projection), validates the payload and the actor's
 *    authority, folds the event through the compiled XState machine, computes deadlines on the
 *    holiday calendar, hashes the event into the case's chain (SHA-256 over canonical JSON), and
 *    serialises projection, event and rows to JSON; the store then checks the expected version,
 *    deadline ownership and outbox ids inside the transaction. A submission also draws its case
 *    number in a transaction of its own: one more commit, which under FULL is one more fsync.
 *    Under FULL both sides mostly wait for the disk, so the ratio is nearer 1; under NORMAL the
 *    commits are cheap and the ratio shows the engine's CPU work.
 *
 * 2. The overdue query, among 10k, 100k and 1M stored cases: the first page (50) of cases with a
 *    running deadline due before now, alone and with `colour: 'red'`, and the red page for
 *    comparison. The files are filled with raw bulk inserts into the store's own schema (cases
 *    and deadlines; the query reads no other table), then opened with `createSqliteStore`. Each
 *    time is the median of 50 runs after a warm-up; beside them, the store's statement alone
 *    (without parsing the projections) and, for contrast, the statement of schema version 1,
 *    which walked the cases and grew with the store. The statement's `EXPLAIN QUERY PLAN` is
 *    printed: it walks a partial index of open cases only and never sorts, so it stays flat.
 */

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  type ActorRef,
  type AppendBatch,
  type CaseProjection,
  type CaseQuery,
  type CaseStore,
  createEngine,
  type DeadlineRow,
  ephemeralIdentityKeys,
  type JsonObject,
  type JurisdictionConfig,
  loadCalendarFile,
  loadConfigOrThrow,
  ManualClock,
} from '@xinfang/core';
import { normaliseInstant } from '@xinfang/core/store-kit';
import { createSqliteStore } from '@xinfang/storage-sqlite';
import Database from 'better-sqlite3';
import { type Measurement, measure, printTable } from './measure.js';
import { ACTORS, findUp, PATH, PETITION } from './review-path.js';

/** Cases per durability mode; each runs `PATH.length + 1` commands (the submission included). */
const CASES = 100;
const WARMUP_CASES = 10;
/** Stored cases for the overdue query, and its page. */
const SIZES = [10_000, 100_000, 1_000_000];
const PAGE = 50;
const QUERY_RUNS = 50;

const PER_CASE = PATH.length + 1;

type Sync = 'FULL' | 'NORMAL';

// The store's own write statements: upserts, since later commands replace a case's projection
// and deadline rows.
const RAW_SQL = {
  upsertCase: `INSERT INTO cases (case_id, version, jurisdiction_id, state, stage, colour, responsible_unit,
       identity_key, matter_key, projection)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (case_id) DO UPDATE SET version = excluded.version,
       jurisdiction_id = excluded.jurisdiction_id, state = excluded.state, stage = excluded.stage,
       colour = excluded.colour, responsible_unit = excluded.responsible_unit,
       identity_key = excluded.identity_key, matter_key = excluded.matter_key,
       projection = excluded.projection`,
  insertEvent: 'INSERT INTO events (case_id, seq, at, event) VALUES (?, ?, ?, ?)',
  upsertDeadline: `INSERT INTO deadlines (id, case_id, status, due_at, provisional, lease_owner, lease_until, row)
     VALUES (?, ?, ?, ?, ?, NULL, NULL, ?)
     ON CONFLICT (id) DO UPDATE SET status = excluded.status, due_at = excluded.due_at,
       provisional = excluded.provisional, lease_owner = NULL, lease_until = NULL, row = excluded.row`,
  insertOutbox: `INSERT INTO outbox (id, case_id, status, attempts, next_attempt_at, last_error, receipt,
       lease_owner, lease_until, created_at, row)
     VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?)`,
};

/** One command's rows as statement parameters, serialised before the clock starts. */
interface RawCommand {
  projection: unknown[];
  events: unknown[][];
  deadlines: unknown[][];
  outbox: unknown[][];
}

function rawCommand(batch: AppendBatch): RawCommand {
  const p = batch.projection;
  return {
    projection: [
      p.caseId,
      p.version,
      p.jurisdictionId,
      p.state,
      p.stage,
      p.colour,
      p.responsibleUnit ?? null,
      p.identityKey ?? null,
      p.matterKey ?? null,
      JSON.stringify(p),
    ],
    events: batch.events.map((e) => [e.caseId, e.seq, normaliseInstant(e.at, 'at'), JSON.stringify(e)]),
    deadlines: (batch.deadlines ?? []).map((row) => {
      const { leaseOwner: _o, leaseUntil: _u, ...doc } = row;
      const dueAt = normaliseInstant(row.dueAt, 'dueAt');
      return [
        row.id,
        row.caseId,
        row.status,
        dueAt,
        row.provisional ? 1 : 0,
        JSON.stringify({ ...doc, dueAt }),
      ];
    }),
    outbox: (batch.outbox ?? []).map((row) => [
      row.id,
      row.caseId,
      row.status,
      row.attempts,
      normaliseInstant(row.nextAttemptAt, 'nextAttemptAt'),
      row.lastError ?? null,
      row.receipt == null ? null : JSON.stringify(row.receipt),
      normaliseInstant(row.createdAt, 'createdAt'),
      JSON.stringify(row),
    ]),
  };
}

/** A temp directory, removed (with everything in it) when `fn` settles. */
async function inTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'xinfang-bench-sqlite-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const count = (db: Database.Database, table: string) =>
  db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

interface CommandsResult {
  engine: Measurement;
  raw: Measurement;
  /** The raw file's row counts equal the engine's: events, cases, deadlines, outbox. */
  rows: string;
}

/** Part 1 for one durability mode: the engine on a file, then raw replay of its rows. */
async function commandsOnFile(
  sync: Sync,
  config: JurisdictionConfig,
  calendar: ReturnType<typeof loadCalendarFile>,
): Promise<CommandsResult> {
  return inTempDir(async (dir) => {
    const store = createSqliteStore({ path: join(dir, 'engine.db'), synchronous: sync });
    // Remember every batch the engine appends (by reference: serialising here would bill the
    // raw side's JSON to the engine). Each append is one command's transaction.
    const batches: AppendBatch[] = [];
    const recording: CaseStore = {
      ...store,
      append: (batch) => {
        batches.push(batch);
        return store.append(batch);
      },
    };
    const clock = new ManualClock('2026-03-02T09:00:00+08:00');
    const engine = createEngine({
      configs: [config],
      store: recording,
      clock,
      calendars: [calendar],
      identityKeys: ephemeralIdentityKeys('bench'),
    });
    const eng = await measure(
      `engine + SQLite store, synchronous=${sync}`,
      CASES,
      async () => {
        const { caseId } = await engine.submit(PETITION, ACTORS.registrar as ActorRef, {
          petitionerId: 'p-1',
        });
        let state = '';
        for (const s of PATH)
          state = (await engine.send(caseId, { type: s.type, payload: s.payload }, ACTORS[s.as] as ActorRef))
            .state;
        if (state !== 'review-decided') throw new Error(`engine path ended in ${state}`);
      },
      { warmup: WARMUP_CASES },
    );

    const byCase = new Map<string, RawCommand[]>();
    for (const b of batches) {
      const list = byCase.get(b.caseId) ?? [];
      list.push(rawCommand(b));
      byCase.set(b.caseId, list);
    }
    const cases = [...byCase.values()];
    if (cases.length !== CASES + WARMUP_CASES || cases.some((c) => c.length !== PER_CASE)) {
      throw new Error(`expected ${CASES + WARMUP_CASES} cases of ${PER_CASE} appends, got ${batches.length}`);
    }

    // A fresh file with the store's schema (created by the store, then closed), opened raw.
    const rawPath = join(dir, 'raw.db');
    await createSqliteStore({ path: rawPath }).close();
    const db = new Database(rawPath);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${sync}`);
    const sql = {
      upsertCase: db.prepare(RAW_SQL.upsertCase),
      insertEvent: db.prepare(RAW_SQL.insertEvent),
      upsertDeadline: db.prepare(RAW_SQL.upsertDeadline),
      insertOutbox: db.prepare(RAW_SQL.insertOutbox),
    };
    const write = db.transaction((c: RawCommand) => {
      sql.upsertCase.run(...c.projection);
      for (const e of c.events) sql.insertEvent.run(...e);
      for (const d of c.deadlines) sql.upsertDeadline.run(...d);
      for (const o of c.outbox) sql.insertOutbox.run(...o);
    });
    let next = 0; // warm-up takes the first WARMUP_CASES cases, the timed loop the rest
    const raw = await measure(
      `raw better-sqlite3, synchronous=${sync}`,
      CASES,
      () => {
        for (const c of cases[next++] as RawCommand[]) write.immediate(c);
      },
      { warmup: WARMUP_CASES },
    );

    const tables = ['events', 'cases', 'deadlines', 'outbox'];
    const mine = tables.map((t) => count(store.database, t));
    const theirs = tables.map((t) => count(db, t));
    if (mine.join() !== theirs.join()) throw new Error(`row counts differ: ${mine} vs ${theirs}`);
    db.close();
    await store.close();
    return { engine: eng, raw, rows: tables.map((t, i) => `${mine[i]} ${t}`).join(', ') };
  });
}

// ---------------------------------------------------------------------------------------------
// Part 2: the overdue query.

const NOW = '2026-06-01T00:00:00.000Z';
const DAY = 86_400_000;
/** Registrations spread evenly from here to NOW, in case-number order. */
const FIRST_REGISTRATION = Date.parse('2023-01-01T02:00:00.000Z');

/** A deterministic hash of the case index, 0..9999 (the bench must not vary between runs). */
const mix = (i: number, salt: number) => (Math.imul(i + 1, 2654435761) ^ Math.imul(salt, 40503)) >>> 0;

/**
 * What a stored case is. A province's store is mostly history: the oldest 88% of case numbers are
 * closed (their deadlines stopped); the newest 12% are open with one running deadline, and about
 * a quarter of those are overdue (the oldest open ones, and a few newer ones whose acceptance
 * period lapsed). So about 3% of all cases are overdue, the same share at every size.
 */
type Kind = 'closed' | 'registered' | 'accepted' | 'in-review';
function caseShape(i: number, n: number) {
  const p = i / n;
  const h = mix(i, 1) % 10_000;
  const registeredAt = FIRST_REGISTRATION + p * (Date.parse(NOW) - FIRST_REGISTRATION);
  if (p < 0.88) {
    // Closed: blue when it was completed late, green otherwise.
    return { kind: 'closed' as Kind, registeredAt, overdue: false, colour: h % 10 === 0 ? 'blue' : 'green' };
  }
  const kind: Kind = h < 2_000 ? 'registered' : h < 8_500 ? 'accepted' : 'in-review';
  const overdue = p < 0.905 || h % 40 === 0;
  return { kind, registeredAt, overdue, colour: overdue ? 'red' : 'green' };
}

const STATES: Record<Kind, { state: string; stage: string; deadline: string }> = {
  closed: { state: 'closed', stage: 'closed', deadline: 'handling' },
  registered: { state: 'registered', stage: 'registration', deadline: 'disposal' },
  accepted: { state: 'accepted', stage: 'handling', deadline: 'handling' },
  'in-review': { state: 'in-review', stage: 'review', deadline: 'review' },
};

const ID = '@@ID@@';
const DUE = '@@DUE@@';
const WHO = '@@WHO@@';

/** Text with placeholders, filled per row by plain string replacement (no JSON per row). */
function fill(template: string, id: string, due: string, who: string): string {
  return template.replaceAll(ID, id).replaceAll(DUE, due).replaceAll(WHO, who);
}

/**
 * Row templates cut from a real case (a projection after acceptance, its running handling
 * deadline, its stopped disposal deadline), restated for each kind, unit and colour. Open cases
 * carry the engine's documents whole (a projection of some 2.5 kB, deadline rows of 1 kB); closed
 * ones shorter ones (the projection without the rules' traces and deadline summaries, the rows
 * without the calculation trace). The query never reads a closed case's documents; full-size
 * ones would only make the fill of a million cases take minutes.
 */
function templates(sample: { projection: CaseProjection; running: DeadlineRow; stopped: DeadlineRow }) {
  const cache = new Map<string, string>();
  const projection = (kind: Kind, unit: string, colour: string): string => {
    const key = `${kind}|${unit}|${colour}`;
    let text = cache.get(key);
    if (text === undefined) {
      const { state, stage } = STATES[kind];
      const p = structuredClone(sample.projection);
      Object.assign(p, {
        caseId: ID,
        state,
        stage,
        colour,
        responsibleUnit: unit,
        identityKey: `petitioner.name+petitioner.phone:["${WHO}"]`,
        createdAt: DUE,
        updatedAt: DUE,
        redReasons:
          colour === 'red'
            ? [{ code: 'DEADLINE_MISSED', message: '期限已过', ref: STATES[kind].deadline, at: DUE }]
            : [],
      });
      Object.assign(p.data, { caseId: ID, responsibleUnit: unit });
      if (kind === 'closed') {
        const { caseId, submittedAt, petition, registeringUnit, responsibleUnit, petitionerId } = p.data;
        p.data = {
          caseId,
          submittedAt,
          petition,
          registeringUnit,
          responsibleUnit,
          petitionerId,
        } as JsonObject;
      }
      text = JSON.stringify(p);
      cache.set(key, text);
    }
    return text;
  };
  const deadline = (row: DeadlineRow, deadlineId: string, status: string, short = false) =>
    JSON.stringify({
      ...row,
      id: `${ID}:${deadlineId}:1`,
      caseId: ID,
      deadlineId,
      status,
      dueAt: DUE,
      ...(short ? { explanation: { basis: (row.explanation as JsonObject).basis ?? null } } : {}),
      leaseOwner: undefined,
      leaseUntil: undefined,
    });
  return {
    projection,
    running: Object.fromEntries(
      (['disposal', 'handling', 'review'] as const).map((d) => [d, deadline(sample.running, d, 'running')]),
    ) as Record<string, string>,
    stoppedDisposal: deadline(sample.stopped, 'disposal', 'stopped'),
    closedDisposal: deadline(sample.stopped, 'disposal', 'stopped', true),
    closedHandling: deadline(sample.running, 'handling', 'stopped', true),
  };
}

/** Fills `path` (already migrated by the store) with `n` cases and their deadline rows. */
function populate(path: string, n: number, t: ReturnType<typeof templates>, units: string[]): number {
  const db = new Database(path);
  // A bulk load with nothing to protect: no journal, no syncs. The store reopens it in WAL mode.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  // The columns by name: the overdue query reads none of the ones added since (the petitioner,
  // the readers table), which stay empty here.
  const insertCase = db.prepare(
    `INSERT INTO cases (case_id, version, jurisdiction_id, state, stage, colour, responsible_unit,
       identity_key, matter_key, projection) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertDeadline = db.prepare('INSERT INTO deadlines VALUES (?, ?, ?, ?, 0, NULL, NULL, ?)');
  let year = '';
  let seq = 0;
  let deadlines = 0;
  const chunk = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const { kind, registeredAt, overdue, colour } = caseShape(i, n);
      const registered = new Date(registeredAt).toISOString();
      const y = registered.slice(0, 4);
      if (y !== year) {
        year = y;
        seq = 0;
      }
      const id = `XF-${year}-${String(++seq).padStart(6, '0')}`;
      const unit = units[mix(i, 2) % units.length] as string;
      const who = `petitioner-${mix(i, 3) % 200_000}`;
      const { state, stage, deadline } = STATES[kind];
      insertCase.run(
        id,
        kind === 'closed' ? 9 : 3,
        'cn.national',
        state,
        stage,
        colour,
        unit,
        `petitioner.name+petitioner.phone:["${who}"]`,
        `["LABOUR","","${mix(i, 4) % 50_000}"]`,
        fill(t.projection(kind, unit, colour), id, registered, who),
      );
      // The 15-day disposal period: stopped once accepted, running while a case awaits it.
      const disposalDue = new Date(registeredAt + 15 * DAY).toISOString();
      if (kind === 'registered') {
        const due = overdue
          ? new Date(Date.parse(NOW) - (1 + (mix(i, 5) % 10)) * DAY).toISOString()
          : disposalDue;
        insertDeadline.run(
          `${id}:disposal:1`,
          id,
          'running',
          due,
          fill(t.running.disposal as string, id, due, who),
        );
        deadlines++;
        continue;
      }
      const disposal = kind === 'closed' ? t.closedDisposal : t.stoppedDisposal;
      insertDeadline.run(
        `${id}:disposal:1`,
        id,
        'stopped',
        disposalDue,
        fill(disposal, id, disposalDue, who),
      );
      if (kind === 'closed') {
        const due = new Date(registeredAt + 60 * DAY).toISOString();
        insertDeadline.run(`${id}:handling:1`, id, 'stopped', due, fill(t.closedHandling, id, due, who));
      } else {
        const days = overdue ? -(1 + (mix(i, 5) % 30)) : 1 + (mix(i, 5) % 60);
        const due = new Date(Date.parse(NOW) + days * DAY).toISOString();
        const row = t.running[deadline] as string;
        insertDeadline.run(`${id}:${deadline}:1`, id, 'running', due, fill(row, id, due, who));
      }
      deadlines += 2;
    }
  });
  const STEP = 50_000;
  for (let from = 0; from < n; from += STEP) chunk(from, Math.min(n, from + STEP));
  db.close();
  return deadlines;
}

const QUERIES: { name: string; query: CaseQuery }[] = [
  { name: 'overdue', query: { dueBefore: NOW, limit: PAGE } },
  { name: 'overdue, red', query: { dueBefore: NOW, colour: 'red', limit: PAGE } },
  { name: 'red (colour index)', query: { colour: 'red', limit: PAGE } },
];

/**
 * The overdue statement of schema version 1, for contrast: it walks the cases in id order and
 * probes each one's deadlines, so it reads every closed case that precedes the first open one.
 */
const PRE_V2 = `SELECT projection FROM cases WHERE EXISTS (SELECT 1 FROM deadlines d
  WHERE d.case_id = cases.case_id AND d.status = 'running' AND d.due_at < ?) ORDER BY case_id LIMIT ?`;
const PRE_V2_RUNS = 3;

/** Median wall time of `runs` calls of `fn` (ms), after `warmup` calls. */
async function medianMs(fn: () => unknown, runs: number, warmup: number): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const m = times.length >> 1;
  return times.length % 2 ? (times[m] as number) : ((times[m - 1] as number) + (times[m] as number)) / 2;
}

interface ScaleRow {
  size: number;
  deadlines: number;
  fillSeconds: number;
  fileMiB: number;
  overdue: number;
  /** Per `QUERIES` entry, then the store's overdue statement alone (no JSON), then `PRE_V2`. */
  medians: number[];
}

/**
 * Part 2 at one size: fill a file, time the queries through the store, and the store's own
 * statement through a traced connection; print that statement's plan when asked.
 */
async function overdueAt(
  n: number,
  t: ReturnType<typeof templates>,
  units: string[],
  printPlan: boolean,
): Promise<ScaleRow> {
  return inTempDir(async (dir) => {
    const path = join(dir, 'cases.db');
    await createSqliteStore({ path }).close();
    const t0 = performance.now();
    const deadlines = populate(path, n, t, units);
    const fillSeconds = (performance.now() - t0) / 1000;
    const fileMiB = statSync(path).size / 1024 / 1024;

    const store = createSqliteStore({ path });
    const overdue = store.database
      .prepare(`SELECT count(DISTINCT case_id) FROM deadlines WHERE status = 'running' AND due_at < ?`)
      .pluck()
      .get(NOW) as number;
    const medians: number[] = [];
    for (const { name, query } of QUERIES) {
      const page = await store.query(query);
      if (page.length !== PAGE) throw new Error(`${name}: a page of ${page.length}, not ${PAGE}`);
      medians.push(await medianMs(() => store.query(query), QUERY_RUNS, 5));
    }
    // The first page really is overdue and red, in case order.
    const first = await store.query(QUERIES[1]?.query as CaseQuery);
    for (const [i, p] of first.entries()) {
      const late = (await store.deadlines(p.caseId)).some((d) => d.status === 'running' && d.dueAt < NOW);
      if (!late || p.colour !== 'red' || (i > 0 && p.caseId <= (first[i - 1]?.caseId as string))) {
        throw new Error(`${p.caseId} is not an overdue red case in order`);
      }
    }
    await store.close();

    // The statement the store runs, as better-sqlite3 traces it (parameters inlined): timed alone,
    // without the projections' JSON.parse, and explained.
    let traced = '';
    const db = new Database(path, {
      verbose: (text) => {
        traced = String(text);
      },
    });
    const traceable = createSqliteStore({ database: db });
    const statements: string[] = [];
    for (const { query } of QUERIES.slice(0, 2)) {
      await traceable.query(query);
      statements.push(traced);
    }
    await traceable.close();
    db.close();
    const raw = new Database(path, { readonly: true });
    const own = raw.prepare(statements[0] as string).pluck();
    medians.push(await medianMs(() => own.all(), QUERY_RUNS, 5));
    const old = raw.prepare(PRE_V2).pluck();
    medians.push(
      await medianMs(
        () => (old.all(NOW, PAGE) as string[]).map((text) => JSON.parse(text) as CaseProjection),
        PRE_V2_RUNS,
        1,
      ),
    );
    if (printPlan) {
      console.log(`\n## the statements the store runs, and their plans (${n.toLocaleString('en')} cases)\n`);
      QUERIES.slice(0, 2).forEach(({ name, query }, i) => {
        const statement = statements[i] as string;
        console.log(`${name}: store.query(${JSON.stringify(query)})\n\n    ${statement}\n`);
        const plan = raw.prepare(`EXPLAIN QUERY PLAN ${statement}`).all() as { detail: string }[];
        for (const row of plan) console.log(`    -> ${row.detail}`);
        console.log('');
      });
      console.log(
        'The SCAN is of deadlines_running_by_case, a covering partial index of running deadlines in case\n' +
          'order: closed cases are not in it, the walk stops when the page is full, nothing is sorted (no\n' +
          'temp b-tree), and each case is one primary-key lookup. The schema-1 statement, for contrast:\n',
      );
      const plan = raw.prepare(`EXPLAIN QUERY PLAN ${PRE_V2}`).all(NOW, PAGE) as { detail: string }[];
      for (const row of plan) console.log(`    -> ${row.detail}`);
    }
    raw.close();
    return { size: n, deadlines, fillSeconds, fileMiB, overdue, medians };
  });
}

/** Runs the benchmark and prints its tables. */
export async function run(): Promise<void> {
  const started = performance.now();
  const config: JurisdictionConfig = loadConfigOrThrow(findUp('configs/national.yaml')).value;
  const calendar = loadCalendarFile(findUp('configs/calendars/cn-mainland.yaml'));

  const full = await commandsOnFile('FULL', config, calendar);
  const normal = await commandsOnFile('NORMAL', config, calendar);
  const perCommand = (m: Measurement): Measurement => ({
    ...m,
    ops: m.ops * PER_CASE,
    rate: m.rate * PER_CASE,
  });
  printTable(
    `SQLite store vs raw better-sqlite3: commands per second on a file (national.yaml, ${PER_CASE} commands a case, one transaction each)`,
    [full.raw, full.engine, normal.raw, normal.engine].map(perCommand),
  );
  console.log(`\nsame rows written by both sides (per mode): ${full.rows}`);
  for (const [sync, r] of [
    ['FULL', full],
    ['NORMAL', normal],
  ] as const) {
    console.log(
      `synchronous=${sync}: the engine runs at ${((r.engine.rate / r.raw.rate) * 100).toFixed(1)}% of raw better-sqlite3 (ratio ${(r.engine.rate / r.raw.rate).toFixed(3)})`,
    );
  }

  // A real case from an engine run, to cut the population's rows from.
  const sample = await inTempDir(async (dir) => {
    const store = createSqliteStore({ path: join(dir, 'sample.db'), synchronous: 'NORMAL' });
    const engine = createEngine({
      configs: [config],
      store,
      clock: new ManualClock('2026-03-02T09:00:00+08:00'),
      calendars: [calendar],
      identityKeys: ephemeralIdentityKeys('bench'),
    });
    const { caseId } = await engine.submit(PETITION, ACTORS.registrar as ActorRef, { petitionerId: 'p-1' });
    await engine.send(caseId, { type: 'ACCEPT', payload: {} }, ACTORS.acceptor as ActorRef);
    const projection = (await store.getCase(caseId)) as CaseProjection;
    const rows = await store.deadlines(caseId);
    await store.close();
    const running = rows.find((r) => r.status === 'running');
    const stopped = rows.find((r) => r.status === 'stopped');
    if (!running || !stopped) throw new Error('the sample case has no running and stopped deadline');
    return { projection, running, stopped };
  });
  const t = templates(sample);
  const units = Object.entries(config.units)
    .filter(([, u]) => u.kind === 'department' || u.kind === 'petition-bureau')
    .map(([id]) => id);

  const rows: ScaleRow[] = [];
  for (const n of SIZES) rows.push(await overdueAt(n, t, units, n === SIZES.at(-1)));

  const columns = [
    ...QUERIES.map((q) => q.name),
    'overdue: statement alone',
    `overdue: schema-1 statement (${PRE_V2_RUNS} runs)`,
  ];
  console.log(
    `\n## overdue query: first page (${PAGE}) through store.query(), median of ${QUERY_RUNS} runs (ms), now = ${NOW}\n`,
  );
  console.log(
    `| stored cases | deadline rows | overdue cases | fill (s) | file (MiB) | ${columns.join(' | ')} |`,
  );
  console.log(`| ---: | ---: | ---: | ---: | ---: | ${columns.map(() => '---:').join(' | ')} |`);
  for (const r of rows) {
    console.log(
      `| ${r.size.toLocaleString('en')} | ${r.deadlines.toLocaleString('en')} | ${r.overdue.toLocaleString('en')} | ${r.fillSeconds.toFixed(1)} | ${r.fileMiB.toFixed(0)} | ${r.medians.map((m) => m.toFixed(3)).join(' | ')} |`,
    );
  }
  const first = rows[0] as ScaleRow;
  const last = rows.at(-1) as ScaleRow;
  console.log(
    `\n${last.size.toLocaleString('en')} vs ${first.size.toLocaleString('en')} cases: ${columns.map((c, i) => `${c} x${((last.medians[i] as number) / (first.medians[i] as number)).toFixed(2)}`).join(', ')}`,
  );
  console.log(
    '("statement alone" runs the SQL the store traced, without parsing the 50 projections; the rest of\n' +
      "store.query()'s time is that JSON.parse, the same for every page of 50 cases.)",
  );
  console.log(`\nsqlite bench finished in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
