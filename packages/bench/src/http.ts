/**
 * `xinfang serve` under load beside the engine called in process, in one run. Each side gets its
 * own SQLite file seeded with the same cases; each measures the same three operations for a
 * bounded time: submit (a new petition), send (ACCEPT on a case the submit phase made) and a
 * board read (one page of the stage board). The HTTP side is a real `xinfang serve` child process
 * on loopback driven by autocannon over keep-alive connections; the in-process side calls
 * `engine.submit`, `engine.send` and `stageBoardPage` one after another. The gap between the rows
 * is what HTTP, JSON, sign-on and the route schemas add; HTTP latencies include the wait behind
 * the other connections.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  type ActorRef,
  createEngine,
  identityKeyFile,
  type JsonObject,
  type JurisdictionConfig,
  loadCalendarFile,
  loadConfigOrThrow,
  stageBoardPage,
  systemClock,
} from '@xinfang/core';
import { createSqliteStore } from '@xinfang/storage-sqlite';
import autocannon from 'autocannon';
import { ACTORS, findUp, PETITION } from './review-path.js';

/** Seconds each operation is driven for, per side (`XINFANG_BENCH_HTTP_SECONDS`, default 5). */
const SECONDS = Number(process.env.XINFANG_BENCH_HTTP_SECONDS ?? 5);
/**
 * autocannon's connections, fixed for the run (`XINFANG_BENCH_HTTP_CONNECTIONS`, default 10): the
 * service's throughput with requests queued behind each other; 1 shows the latency of one request.
 */
const CONNECTIONS = Number(process.env.XINFANG_BENCH_HTTP_CONNECTIONS ?? 10);
/** Cases in each store before the run, so the board reads a store that is not empty. */
const SEED = 500;

/** One row of the table. */
interface Row {
  op: string;
  side: string;
  ops: number;
  rate: number;
  p50: number;
  p99: number;
  failed: number;
}

/** A petition of its own petitioner: the engine looks up a petitioner's earlier cases on submit. */
function petition(prefix: string, i: number): JsonObject {
  return {
    ...PETITION,
    petitioner: {
      name: '张三',
      phone: `${prefix}${String(i).padStart(8, '0')}`,
      address: '示范县人民路 1 号',
    },
  };
}

function openEngine(config: JurisdictionConfig, db: string) {
  const store = createSqliteStore({ path: db });
  const engine = createEngine({
    configs: [config],
    store,
    clock: systemClock(),
    calendars: [loadCalendarFile(findUp('configs/calendars/cn-mainland.yaml'))],
    // the key file `xinfang serve` reads beside the file, so the service vouches for the seed
    identityKeys: identityKeyFile(`${db}.identity.key`),
  });
  return { store, engine };
}

async function seed(config: JurisdictionConfig, db: string, prefix: string): Promise<void> {
  const { store, engine } = openEngine(config, db);
  for (let i = 0; i < SEED; i++) await engine.submit(petition(prefix, i), ACTORS.registrar as ActorRef);
  await store.close();
}

function percentile(sorted: number[], q: number): number {
  return sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Calls `fn` one after another for `SECONDS` (or until it returns false), timing each call. */
async function timed(op: string, fn: (i: number) => Promise<boolean>): Promise<Row> {
  const times: number[] = [];
  const t0 = performance.now();
  for (let i = 0; performance.now() - t0 < SECONDS * 1000; i++) {
    const s = performance.now();
    if (!(await fn(i))) break;
    times.push(performance.now() - s);
  }
  const ms = performance.now() - t0;
  times.sort((a, b) => a - b);
  return {
    op,
    side: 'engine in process',
    ops: times.length,
    rate: (times.length / ms) * 1000,
    p50: percentile(times, 0.5),
    p99: percentile(times, 0.99),
    failed: 0,
  };
}

async function inProcess(config: JurisdictionConfig, db: string): Promise<Row[]> {
  await seed(config, db, '138');
  const { store, engine } = openEngine(config, db);
  const ids: string[] = [];
  const rows = [
    await timed('submit', async (i) => {
      ids.push((await engine.submit(petition('139', i), ACTORS.registrar as ActorRef)).caseId);
      return true;
    }),
    await timed('send (ACCEPT)', async (i) => {
      const id = ids[i];
      if (id === undefined) return false;
      await engine.send(id, { type: 'ACCEPT', payload: {} }, ACTORS.acceptor as ActorRef);
      return true;
    }),
    await timed('board page (50)', async () => {
      await stageBoardPage(engine, config, { viewer: ACTORS.acceptor as ActorRef, query: {}, limit: 50 });
      return true;
    }),
  ];
  await store.close();
  return rows;
}

/** Starts `xinfang serve` (the CLI from its sources) on the file; resolves with its URL. */
async function startServe(db: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@xinfang/source',
      '--import',
      findUp('examples/ts-loader/register.mjs'),
      findUp('packages/cli/src/bin.ts'),
      'serve',
      '--db',
      db,
      '--port',
      '0',
      // no deadline tick during the run: it would be work of its own, not the operations measured
      '--tick-every',
      '3600',
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /xinfang serves .* at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`xinfang serve exited ${code}: ${out}`)));
  });
  child.stdout?.resume();
  return { child, url };
}

function row(op: string, r: autocannon.Result): Row {
  const ok = r['2xx'];
  return {
    op,
    side: `xinfang serve, HTTP (${CONNECTIONS} connection${CONNECTIONS === 1 ? '' : 's'})`,
    ops: ok,
    rate: ok / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    failed: r.non2xx + r.errors + r.timeouts,
  };
}

async function overHttp(config: JurisdictionConfig, db: string): Promise<Row[]> {
  await seed(config, db, '136');
  const { child, url } = await startServe(db);
  try {
    const tokens = JSON.parse(readFileSync(`${db}.tokens.json`, 'utf8')) as Record<string, { unit: string }>;
    const [token] = Object.entries(tokens).find(([, p]) => p.unit === 'county-bureau') ?? [];
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const ids: string[] = [];
    let n = 0;
    const submit = await autocannon({
      url,
      connections: CONNECTIONS,
      duration: SECONDS,
      headers,
      requests: [
        {
          method: 'POST',
          path: '/petitions',
          setupRequest: (req) => ({ ...req, body: JSON.stringify(petition('137', n++)) }),
          onResponse: (status, body) => {
            if (status === 201) ids.push((JSON.parse(body) as { caseId: string }).caseId);
          },
        },
      ],
    });
    if (ids.length === 0)
      throw new Error(`no submit succeeded (${submit.non2xx} refused, ${submit.errors} errors)`);
    let k = 0;
    // each case the submit phase made is accepted once: as many requests as cases, no more
    const send = await autocannon({
      url,
      connections: CONNECTIONS,
      amount: ids.length,
      headers,
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => ({
            ...req,
            path: `/cases/${encodeURIComponent(ids[k++] ?? '')}/commands`,
            body: JSON.stringify({ type: 'ACCEPT' }),
          }),
        },
      ],
    });
    const board = await autocannon({
      url: `${url}/board?limit=50`,
      connections: CONNECTIONS,
      duration: SECONDS,
      headers: { authorization: headers.authorization },
    });
    return [row('submit', submit), row('send (ACCEPT)', send), row('board page (50)', board)];
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

/** Runs the benchmark and prints its table. */
export async function run(): Promise<void> {
  const config = loadConfigOrThrow(findUp('configs/national.yaml')).value;
  const dir = mkdtempSync(join(tmpdir(), 'xinfang-bench-http-'));
  try {
    const engine = await inProcess(config, join(dir, 'engine.sqlite'));
    const http = await overHttp(config, join(dir, 'serve.sqlite'));
    console.log(
      `\n## xinfang serve vs the engine in process (SQLite, ${SECONDS} s per operation, ${SEED} seeded cases)\n`,
    );
    console.log('| operation | where | ops | ops/s | p50 (ms) | p99 (ms) | failed |');
    console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
    for (const op of ['submit', 'send (ACCEPT)', 'board page (50)']) {
      for (const r of [...engine, ...http].filter((x) => x.op === op)) {
        console.log(
          `| ${r.op} | ${r.side} | ${r.ops} | ${Math.round(r.rate).toLocaleString('en')} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.failed} |`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
