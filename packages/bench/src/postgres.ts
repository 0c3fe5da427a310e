/**
 * The engine on PostgreSQL with 1, 2 and 4 processes, beside raw `pg` inserts of the same rows.
 *
 * Each engine process submits petitions and takes each along the review path (register, accept,
 * extend, opinion, receipt, review request, review decision: 7 commands a case) through the
 * engine and the PostgreSQL store: validation, authority, deadline arithmetic, hashing, and an
 * append with its checks (idempotency, version compare-and-set, row ownership) in one
 * transaction. The raw side writes the rows those very commands produced (the batches recorded
 * from a run of the engine) with plain INSERTs, one transaction per command, on one connection
 * and on four. Every configuration starts on an empty schema of its own.
 *
 * The processes are this module forked with `XINFANG_BENCH_PG_CHILD=1`. The server is
 * `DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/test`); the bench creates and drops
 * schemas named `xinfang_bench_*` there and touches nothing else.
 */

import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  type ActorRef,
  type AppendBatch,
  type CaseStore,
  createEngine,
  ephemeralIdentityKeys,
  type JsonObject,
  loadCalendarFile,
  loadConfigOrThrow,
  ManualClock,
} from '@xinfang/core';
import { createPostgresStore } from '@xinfang/storage-postgres';
import pg from 'pg';
import { type Measurement, measure, printTable } from './measure.js';

/** One secret for every engine of the run: they share the benchmark's store. */
const BENCH_IDENTITY_KEYS = ephemeralIdentityKeys('bench');

/** Cases per configuration (split between its processes); each is 7 commands. */
const CASES = Number(process.env.XINFANG_BENCH_PG_CASES ?? 300);
const URL_ = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const START = '2026-03-02T01:00:00.000Z';
const BUREAU = 'county-bureau';

const ACTORS: Record<string, ActorRef> = {
  registrar: { id: 'reg', role: 'registrar', unit: BUREAU },
  acceptor: { id: 'acc', role: 'acceptor', unit: BUREAU },
  handler: { id: 'han', role: 'handler', unit: BUREAU },
  head: { id: 'head', role: 'head', unit: BUREAU },
  reviewer: { id: 'rev', role: 'reviewer', unit: 'county-gov' },
};
const PATH: { type: string; as: string; payload: JsonObject }[] = [
  { type: 'ACCEPT', as: 'acceptor', payload: {} },
  { type: 'EXTEND', as: 'head', payload: { days: 30, reason: '案情复杂' } },
  {
    type: 'OPINION',
    as: 'handler',
    payload: {
      outcome: 'supported',
      findings: '经调查核实，情况属实。',
      legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
    },
  },
  { type: 'RECEIPT', as: 'handler', payload: { receivedAt: '2026-03-02' } },
  { type: 'REQUEST_REVIEW', as: 'petitioner', payload: {} },
  {
    type: 'REVIEW_DECISION',
    as: 'reviewer',
    payload: {
      outcome: 'upheld',
      findings: '经调查核实，情况属实。',
      legalBasis: [{ law: '信访工作条例', articles: '第三十五条' }],
    },
  },
];
const PER_CASE = PATH.length + 1;

function findUp(rel: string): string {
  for (let dir = resolve('.'); ; dir = dirname(dir)) {
    const file = join(dir, rel);
    if (existsSync(file)) return file;
    if (dirname(dir) === dir) throw new Error(`${rel} not found from the working directory`);
  }
}

function engineOn(store: CaseStore, owner: string) {
  return createEngine({
    configs: [loadConfigOrThrow(findUp('configs/national.yaml')).value],
    store,
    clock: new ManualClock(START),
    calendars: [loadCalendarFile(findUp('configs/calendars/cn-mainland.yaml'))],
    owner,
    identityKeys: BENCH_IDENTITY_KEYS,
  });
}

/** Takes `cases` petitions of process `who` along the path; returns the commands run. */
async function runCases(engine: ReturnType<typeof engineOn>, who: string, cases: number): Promise<number> {
  let commands = 0;
  for (let i = 0; i < cases; i++) {
    const petitionerId = `p-${who}-${i}`;
    const { caseId } = await engine.submit(
      {
        channel: 'letter',
        receivedAt: '2026-03-02',
        receivingUnit: BUREAU,
        petitioner: { name: `信访人${who}-${i}`, phone: '13800000000' },
        subject: 'labour',
        summary: '单位拖欠工资',
        request: '支付工资',
      },
      ACTORS.registrar as ActorRef,
      { petitionerId, idempotencyKey: `${who}:submit:${i}` },
    );
    commands++;
    for (const [n, step] of PATH.entries()) {
      const actor = step.as === 'petitioner' ? { id: petitionerId, role: 'petitioner' } : ACTORS[step.as];
      await engine.send(caseId, { type: step.type, payload: step.payload }, actor as ActorRef, {
        idempotencyKey: `${who}:${i}:${n}`,
      });
      commands++;
    }
  }
  return commands;
}

type ChildArgs = { schema: string; who: string; cases: number };
type ChildMessage =
  | { t: 'ready' }
  | { t: 'done'; commands: number; ms: number }
  | { t: 'error'; error: string };

/** The child side: open the store, wait for `go`, run the cases, report. */
async function child(): Promise<void> {
  const args = JSON.parse(process.env.XINFANG_BENCH_PG_ARGS ?? '{}') as ChildArgs;
  const send = (m: ChildMessage) => process.send?.(m);
  try {
    const store = await createPostgresStore({ connectionString: URL_, schema: args.schema, poolSize: 2 });
    const engine = engineOn(store, args.who);
    // Warm up (compile the config, the JIT, the pool's connections) before the clock starts.
    await runCases(engine, `${args.who}-warm`, 3);
    send({ t: 'ready' });
    await new Promise<void>((go) => process.once('message', () => go()));
    const t0 = performance.now();
    const commands = await runCases(engine, args.who, args.cases);
    send({ t: 'done', commands, ms: performance.now() - t0 });
    await store.close();
  } catch (e) {
    send({ t: 'error', error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
  process.disconnect?.();
}

/** `processes` engine processes on a fresh schema, started together; the wall time of them all. */
async function engineProcesses(processes: number, schema: string): Promise<Measurement> {
  const per = Math.ceil(CASES / processes);
  const children = Array.from({ length: processes }, (_, i) =>
    fork(fileURLToPath(import.meta.url), ['postgres'], {
      env: {
        ...process.env,
        XINFANG_BENCH_PG_CHILD: '1',
        XINFANG_BENCH_PG_ARGS: JSON.stringify({ schema, who: `p${processes}-${i}`, cases: per }),
      },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    }),
  );
  const message = (c: (typeof children)[number], t: ChildMessage['t']) =>
    new Promise<ChildMessage>((res, rej) => {
      c.on('message', (m: ChildMessage) => {
        if (m.t === 'error') rej(new Error(m.error));
        else if (m.t === t) res(m);
      });
      c.on('exit', (code) => rej(new Error(`a bench process exited (${code}) before '${t}'`)));
    });
  await Promise.all(children.map((c) => message(c, 'ready')));
  const done = children.map((c) => message(c, 'done'));
  const t0 = performance.now();
  for (const c of children) c.send('go');
  const results = (await Promise.all(done)) as Extract<ChildMessage, { t: 'done' }>[];
  const ms = performance.now() - t0;
  const ops = results.reduce((n, r) => n + r.commands, 0);
  return {
    name: `engine + PostgreSQL store, ${processes} process${processes > 1 ? 'es' : ''}`,
    ops,
    ms,
    rate: (ops / ms) * 1000,
    heapMiB: 0,
  };
}

/** The batches the engine appends for `cases` cases: what the raw side writes again. */
async function recordBatches(schema: string, cases: number): Promise<AppendBatch[]> {
  const store = await createPostgresStore({ connectionString: URL_, schema, poolSize: 2 });
  const batches: AppendBatch[] = [];
  const recording: CaseStore = {
    ...store,
    append: (batch) => {
      batches.push(structuredClone(batch));
      return store.append(batch);
    },
  };
  await runCases(engineOn(recording, 'rec'), 'rec', cases);
  await store.close();
  return batches;
}

/** Plain INSERTs (an upsert for the projection and replaced deadlines), one transaction per batch. */
async function writeRaw(client: pg.ClientBase, s: string, b: AppendBatch): Promise<void> {
  await client.query('BEGIN');
  const p = b.projection;
  await client.query(
    `INSERT INTO ${s}.cases (case_id, version, jurisdiction_id, state, stage, colour, responsible_unit,
       identity_key, matter_key, projection) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (case_id) DO UPDATE SET version = excluded.version, state = excluded.state,
       stage = excluded.stage, colour = excluded.colour, projection = excluded.projection`,
    [
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
  );
  for (const e of b.events) {
    await client.query(`INSERT INTO ${s}.events (case_id, seq, at, event) VALUES ($1, $2, $3, $4)`, [
      e.caseId,
      e.seq,
      e.at,
      JSON.stringify(e),
    ]);
  }
  for (const d of b.deadlines ?? []) {
    await client.query(
      `INSERT INTO ${s}.deadlines (id, case_id, status, due_at, provisional, row) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, due_at = excluded.due_at, row = excluded.row`,
      [d.id, d.caseId, d.status, d.dueAt, d.provisional, JSON.stringify(d)],
    );
  }
  for (const o of b.outbox ?? []) {
    await client.query(
      `INSERT INTO ${s}.outbox (id, case_id, status, attempts, next_attempt_at, created_at, row)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [o.id, o.caseId, o.status, o.attempts, o.nextAttemptAt, o.createdAt, JSON.stringify(o)],
    );
  }
  if (b.idempotency) {
    const r = b.idempotency;
    await client.query(
      `INSERT INTO ${s}.idempotency (key, fingerprint, case_id, record) VALUES ($1, $2, $3, $4)`,
      [r.key, r.fingerprint, r.caseId, JSON.stringify(r)],
    );
  }
  await client.query('COMMIT');
}

/** Raw inserts of `batches` into a fresh schema over `connections` connections of one process. */
async function raw(batches: AppendBatch[], schema: string, connections: number): Promise<Measurement> {
  await (await createPostgresStore({ connectionString: URL_, schema })).close();
  const s = `"${schema}"`;
  const pool = new pg.Pool({ connectionString: URL_, max: connections });
  try {
    // Batches of one case stay in order on one connection; cases spread over the connections.
    const lanes: AppendBatch[][] = Array.from({ length: connections }, () => []);
    const laneOf = new Map<string, number>();
    for (const b of batches) {
      if (!laneOf.has(b.caseId)) laneOf.set(b.caseId, laneOf.size % connections);
      lanes[laneOf.get(b.caseId) as number]?.push(b);
    }
    const name = `raw pg INSERTs of the same rows, ${connections} connection${connections > 1 ? 's' : ''}`;
    return await measure(
      name,
      1,
      () =>
        Promise.all(
          lanes.map(async (lane) => {
            const client = await pool.connect();
            try {
              for (const b of lane) await writeRaw(client, s, b);
            } finally {
              client.release();
            }
          }),
        ),
      { warmup: 0 },
    ).then((m) => ({ ...m, name, ops: batches.length, rate: (batches.length / m.ms) * 1000 }));
  } finally {
    await pool.end();
  }
}

async function dropSchemas(schemas: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: URL_ });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Runs the benchmark and prints its table. */
export async function run(): Promise<void> {
  // A forked child loads this module again (through the bench's entry when it is bundled into
  // it): the child's own work is already running, it must not start another bench.
  if (process.env.XINFANG_BENCH_PG_CHILD === '1') return;
  const tag = `${process.pid}_${Date.now().toString(36)}`;
  const schemas = ['rec', 'raw1', 'raw4', 'e1', 'e2', 'e4'].map((x) => `xinfang_bench_${x}_${tag}`);
  const [rec, raw1, raw4, e1, e2, e4] = schemas as [string, string, string, string, string, string];
  try {
    const batches = await recordBatches(rec, CASES);
    const rows: Measurement[] = [];
    rows.push(await raw(batches, raw1, 1));
    rows.push(await raw(batches, raw4, 4));
    rows.push(await engineProcesses(1, e1));
    rows.push(await engineProcesses(2, e2));
    rows.push(await engineProcesses(4, e4));
    const redacted = URL_.replace(/:[^:@/]*@/, '@');
    printTable(
      `engine commands per second on PostgreSQL (${redacted}), ${CASES} cases x ${PER_CASE} commands, vs raw pg inserts of the same rows`,
      rows,
    );
    const [one, two, four] = rows.slice(2).map((r) => r.rate);
    console.log(
      `\n${cpus().length} CPU cores. 2 processes run at ${((two ?? 0) / (one ?? 1)).toFixed(2)}x one, ` +
        `4 at ${((four ?? 0) / (one ?? 1)).toFixed(2)}x. Every command's engine work (validation, rules, ` +
        'deadline arithmetic, hashing) is CPU in the engine process, and the server needs CPU for each ' +
        'transaction too: on a machine with few cores, engine processes and PostgreSQL compete for the same ' +
        'cores, so scaling stops at about the core count. The raw rows show what the writes alone cost. ' +
        '(Heap is not measured in the forked processes.)',
    );
  } finally {
    await dropSchemas(schemas);
  }
}

if (process.env.XINFANG_BENCH_PG_CHILD === '1') void child();
