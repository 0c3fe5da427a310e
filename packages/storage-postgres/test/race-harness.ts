/**
 * The parent side of the race test: bundles `fixtures/race-worker.ts` (a child cannot import
 * TypeScript source), forks engine processes on one schema, drives their shared simulated clock
 * round by round, acts as the notification receiver, and audits the database afterwards.
 */

import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createEngine,
  DEADLINE_EXPIRED,
  loadCalendarFile,
  loadConfigOrThrow,
  ManualClock,
} from '@xinfang/core';
import { build } from 'esbuild';
import { createPostgresStore } from '../src/index.js';
import type { RoundMessage, RoundStats, WorkerMessage } from './fixtures/race-worker.js';
import { TEST_URL } from './helpers.js';

const require = createRequire(import.meta.url);
const DAY = 86_400_000;
export const START = '2026-03-02T01:00:00.000Z';

function findUp(rel: string): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const file = join(dir, rel);
    if (existsSync(file)) return file;
    if (dirname(dir) === dir) throw new Error(`${rel} not found above the test directory`);
  }
}
export const CONFIG_PATH = findUp('configs/national.yaml');
export const CALENDAR_PATH = findUp('configs/calendars/cn-mainland.yaml');

/** Bundles the worker with core and the store from source; pg stays external, by absolute path. */
export async function bundleWorker(): Promise<{ bundle: string; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'xinfang-pg-race-'));
  const bundle = join(dir, 'worker.mjs');
  const pgPath = require.resolve('pg');
  await build({
    entryPoints: [fileURLToPath(new URL('./fixtures/race-worker.ts', import.meta.url))],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@xinfang/source'],
    logLevel: 'error',
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    plugins: [
      {
        name: 'external-pg',
        setup(b) {
          b.onResolve({ filter: /^pg$/ }, () => ({ path: pgPath, external: true }));
        },
      },
    ],
  });
  return { bundle, dispose: () => rm(dir, { recursive: true, force: true }) };
}

export interface RaceOptions {
  bundle: string;
  schema: string;
  workers: number;
  /** Petitions each process submits. */
  cases: number;
  /** Simulated days of submitting and advancing. */
  days: number;
  /** Simulated days a round moves the clock. @default 2 */
  daysPerRound?: number;
  /** Rounds over which each process submits its share. @default 10 */
  submitRounds?: number;
  /** Lease of claims in simulated time: more than a round, less than two. @default 1.5 rounds */
  leaseMs?: number;
  /** SIGKILL process `victim` while it holds leases, in round `round` or soon after. */
  kill?: { victim: number; round: number };
}

export interface Ack {
  key: string;
  caseId: string;
  version: number;
  type: string;
  by: number;
}

export interface RaceLog {
  owners: string[];
  acks: Ack[];
  /** Deliveries the receiver got, by outbox row id: who delivered it, each time. */
  deliveries: Map<string, string[]>;
  totals: RoundStats;
  rounds: number;
  /** The instant of the last round: every deadline and outbox row due by then must be done. */
  finalNow: string;
  killed?: {
    owner: string;
    round: number;
    /** Rows leased to the victim when it died, with the lease's end. */
    deadlines: { id: string; leaseUntil: string }[];
    outbox: { id: string; leaseUntil: string }[];
    /** Acknowledged by the victim before it died. */
    acks: number;
  };
  elapsedMs: number;
}

interface Child {
  index: number;
  owner: string;
  process: ChildProcess;
  stderr: string;
  alive: boolean;
  exited: Promise<void>;
  onDone?: (stats: RoundStats) => void;
}

function addStats(into: RoundStats, from: RoundStats): void {
  for (const key of Object.keys(from) as (keyof RoundStats)[]) {
    if (key === 'refused') {
      for (const [code, n] of Object.entries(from.refused))
        into.refused[code] = (into.refused[code] ?? 0) + n;
    } else into[key] += from[key];
  }
}

const emptyStats = (): RoundStats => ({
  submitted: 0,
  sent: 0,
  refused: {},
  fired: 0,
  deadlinesClaimed: 0,
  outboxClaimed: 0,
  delivered: 0,
  retried: 0,
  leaseLost: 0,
});

/** Runs the race and returns what the parent saw. Throws if a worker reports a fatal error. */
export async function runRace(options: RaceOptions): Promise<RaceLog> {
  const started = Date.now();
  const step = (options.daysPerRound ?? 2) * DAY;
  const leaseMs = options.leaseMs ?? 1.5 * step;
  const submitRounds = options.submitRounds ?? 10;
  const log: RaceLog = {
    owners: [],
    acks: [],
    deliveries: new Map(),
    totals: emptyStats(),
    rounds: 0,
    finalNow: START,
    elapsedMs: 0,
  };
  let fatal: string | undefined;
  let round = 0;
  let killNow: (() => void) | undefined;
  // Resolved by the victim's first claim of a round, while a kill is pending.
  let victimFirstClaim: (() => void) | undefined;
  // The kinds of rows the victim has claimed in the current round.
  const victimClaims = new Set<string>();

  const children: Child[] = Array.from({ length: options.workers }, (_, index) => {
    const owner = `race-w${index}`;
    log.owners.push(owner);
    const args = {
      url: TEST_URL,
      schema: options.schema,
      owner,
      index,
      workers: options.workers,
      cases: options.cases,
      leaseMs,
      configPath: CONFIG_PATH,
      calendarPath: CALENDAR_PATH,
      ...(options.kill?.victim === index ? { slowFrom: options.kill.round } : {}),
    };
    const child = fork(options.bundle, [JSON.stringify(args)], {
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    const c: Child = {
      index,
      owner,
      process: child,
      stderr: '',
      alive: true,
      exited: new Promise((resolveExit) => child.on('exit', () => resolveExit())),
    };
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      c.stderr += chunk;
    });
    child.on('message', (m: WorkerMessage) => {
      switch (m.t) {
        case 'ack':
          log.acks.push({ key: m.key, caseId: m.caseId, version: m.version, type: m.type, by: index });
          break;
        case 'deliver': {
          const seen = log.deliveries.get(m.id) ?? [];
          seen.push(m.by);
          log.deliveries.set(m.id, seen);
          break;
        }
        case 'claimed':
          if (options.kill?.victim === index && m.round === round && round >= options.kill.round) {
            // Killed while it holds both deadlines and outbox rows (it pauses 600 ms after each
            // claim); failing that for some rounds, deadlines; failing that, anything.
            victimClaims.add(m.kind);
            victimFirstClaim?.();
            const waited = round - options.kill.round;
            if (victimClaims.size === 2 || (waited >= 4 && m.kind === 'deadline') || waited >= 6) killNow?.();
          }
          break;
        case 'done':
          c.onDone?.(m.stats);
          break;
        case 'fatal':
          fatal = `${owner}: ${m.error}`;
          break;
        case 'ready':
          break;
      }
    });
    return c;
  });

  const ready = (c: Child) =>
    new Promise<void>((resolveReady, reject) => {
      c.process.on('message', (m: WorkerMessage) => {
        if (m.t === 'ready') resolveReady();
      });
      void c.exited.then(() => reject(new Error(`${c.owner} exited before it was ready: ${c.stderr}`)));
    });

  try {
    await Promise.all(children.map(ready));

    /** One round: every live process works at `now`; resolves when all are done (or dead). */
    async function runRound(now: string, submit: (c: Child) => number, advance: number): Promise<RoundStats> {
      const stats = emptyStats();
      victimClaims.clear();
      const start = (c: Child) =>
        new Promise<void>((resolveRound) => {
          c.onDone = (s) => {
            addStats(stats, s);
            resolveRound();
          };
          void c.exited.then(() => resolveRound());
          const message: RoundMessage = { t: 'round', round, now, submit: submit(c), advance };
          c.process.send(message);
        });
      const live = children.filter((c) => c.alive);
      // While a kill is pending the victim starts alone and the others only once it has leased
      // something (or finished): it gets first pick of what is due, so it dies holding leases
      // whatever the machine's load. Racing all four from the start left it, on a busy machine,
      // finding nothing to claim for the whole run.
      const victim = killNow && options.kill ? live.find((c) => c.index === options.kill?.victim) : undefined;
      if (victim) {
        const first = new Promise<void>((resolveFirst) => {
          victimFirstClaim = resolveFirst;
        });
        const victimDone = start(victim);
        await Promise.race([first, victimDone]);
        victimFirstClaim = undefined;
        await Promise.all([victimDone, ...live.filter((c) => c !== victim).map(start)]);
      } else await Promise.all(live.map(start));
      if (fatal) throw new Error(fatal);
      const dead = children.find((c) => c.alive && c.process.exitCode !== null);
      if (dead && dead.process.signalCode === null) throw new Error(`${dead.owner} exited: ${dead.stderr}`);
      addStats(log.totals, stats);
      log.rounds++;
      return stats;
    }

    const perRound = Math.ceil(options.cases / submitRounds);
    const submittedBy = new Map<number, number>();
    const submit = (c: Child) => {
      const done = submittedBy.get(c.index) ?? 0;
      const n = Math.max(0, Math.min(perRound, options.cases - done));
      submittedBy.set(c.index, done + n);
      return n;
    };
    const advance = Math.max(10, Math.ceil(options.cases / 3));
    let now = START;

    const rounds = Math.ceil(options.days / (step / DAY));
    for (round = 0; round < rounds; round++) {
      now = new Date(Date.parse(START) + round * step).toISOString();
      const victim = options.kill ? children[options.kill.victim] : undefined;
      if (victim?.alive && options.kill && round >= options.kill.round) {
        killNow = () => {
          if (!victim.alive) return;
          victim.alive = false;
          victim.process.kill('SIGKILL');
        };
      }
      await runRound(now, submit, advance);
      if (victim && !victim.alive && !log.killed) {
        await victim.exited;
        killNow = undefined;
        log.killed = await orphansOf(
          options.schema,
          victim.owner,
          round,
          log.acks.filter((a) => a.by === victim.index).length,
        );
      }
    }
    // Settle: the clock runs on with no new work until a round finds nothing due, and at least
    // two rounds, so every lease taken before has lapsed.
    for (let settle = 0; settle < 12; settle++, round++) {
      now = new Date(Date.parse(START) + round * step).toISOString();
      const stats = await runRound(now, () => 0, 0);
      if (settle >= 1 && stats.deadlinesClaimed === 0 && stats.outboxClaimed === 0) break;
    }
    log.finalNow = now;
    for (const c of children.filter((x) => x.alive)) c.process.send({ t: 'stop' });
    await Promise.all(children.map((c) => c.exited));
  } finally {
    for (const c of children)
      if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGKILL');
  }
  log.elapsedMs = Date.now() - started;
  return log;
}

async function orphansOf(
  schema: string,
  owner: string,
  round: number,
  acks: number,
): Promise<RaceLog['killed']> {
  const store = await createPostgresStore({
    connectionString: TEST_URL,
    schema,
    poolSize: 1,
    migrate: false,
  });
  try {
    const deadlines = await store.pool.query<{ id: string; lease_until: Date }>(
      `SELECT id, lease_until FROM "${schema}".deadlines WHERE lease_owner = $1 AND status = 'running'`,
      [owner],
    );
    const outbox = await store.pool.query<{ id: string; lease_until: Date }>(
      `SELECT id, lease_until FROM "${schema}".outbox WHERE lease_owner = $1 AND status = 'pending'`,
      [owner],
    );
    const rows = (r: { rows: { id: string; lease_until: Date }[] }) =>
      r.rows.map((x) => ({ id: x.id, leaseUntil: x.lease_until.toISOString() }));
    return { owner, round, deadlines: rows(deadlines), outbox: rows(outbox), acks };
  } finally {
    await store.close();
  }
}

/** Everything found wrong in the schema after a race; empty when the race lost and doubled nothing. */
export async function audit(schema: string, log: RaceLog): Promise<{ problems: string[]; summary: string }> {
  const problems: string[] = [];
  const store = await createPostgresStore({
    connectionString: TEST_URL,
    schema,
    poolSize: 8,
    migrate: false,
  });
  const config = loadConfigOrThrow(CONFIG_PATH).value;
  const engine = createEngine({
    configs: [config],
    store,
    clock: new ManualClock(log.finalNow),
    calendars: [loadCalendarFile(CALENDAR_PATH)],
    // the workers' test secret (fixtures/race-worker.ts): the checks read what they wrote
    identityKeys: { current: { id: 'race-test', secret: 'xinfang-race-test-identity-secret-32b' } },
  });
  const s = `"${schema}"`;
  const q = async <R extends object>(text: string, values: unknown[] = []) =>
    (await store.pool.query(text, values)).rows as R[];
  try {
    // 1. Gapless, duplicate-free logs whose head is the projection's version.
    const gaps = await q<{ case_id: string; n: number; lo: number; hi: number; version: number | null }>(
      `SELECT e.case_id, count(*)::int AS n, min(e.seq) AS lo, max(e.seq) AS hi, c.version
       FROM ${s}.events e LEFT JOIN ${s}.cases c USING (case_id)
       GROUP BY e.case_id, c.version
       HAVING count(*) <> max(e.seq) OR min(e.seq) <> 1 OR count(DISTINCT e.seq) <> count(*)
         OR c.version IS DISTINCT FROM max(e.seq)`,
    );
    for (const g of gaps)
      problems.push(`${g.case_id}: ${g.n} events, seqs ${g.lo}..${g.hi}, version ${g.version}`);
    const caseIds = (await q<{ case_id: string }>(`SELECT case_id FROM ${s}.cases ORDER BY case_id`)).map(
      (r) => r.case_id,
    );

    // 2. Every hash chain verifies, and replays to the stored projection.
    for (let i = 0; i < caseIds.length; i += 16) {
      const results = await Promise.all(
        caseIds.slice(i, i + 16).map(async (id) => [id, await engine.verify(id)] as const),
      );
      for (const [id, r] of results)
        if (!r.ok) problems.push(`${id}: verify: ${r.problems.map((p) => `${p.code} #${p.seq}`).join(', ')}`);
    }

    // 3. Every acknowledged command is stored, at the version it was acknowledged with.
    // Keys are stored scoped to the actor (`<scope>:<key>`, engine/idempotency.ts); the workers'
    // keys are unique by themselves, so the key after the scope names the ack.
    const records = new Map(
      (
        await q<{ key: string; case_id: string; version: number }>(
          `SELECT key, case_id, (record->'result'->>'version')::int AS version FROM ${s}.idempotency`,
        )
      ).map((r) => [r.key.replace(/^[0-9a-f]{16}:/, ''), r]),
    );
    const types = new Map(
      (
        await q<{ k: string; type: string }>(
          `SELECT case_id || '#' || seq AS k, event->>'type' AS type FROM ${s}.events`,
        )
      ).map((r) => [r.k, r.type]),
    );
    for (const ack of log.acks) {
      const record = records.get(ack.key);
      if (!record || record.case_id !== ack.caseId || record.version !== ack.version)
        problems.push(`acknowledged ${ack.key} (${ack.caseId} v${ack.version}) is not stored as such`);
      const type = types.get(`${ack.caseId}#${ack.version}`);
      if (type !== ack.type)
        problems.push(`acknowledged ${ack.key}: event ${ack.caseId}#${ack.version} is ${type}`);
    }
    const submits = log.acks.filter((a) => a.type === 'SUBMITTED').length;
    if (!log.killed && caseIds.length !== submits)
      problems.push(`${caseIds.length} cases stored, ${submits} submissions acknowledged`);

    // 4. Every deadline due by the end fired exactly once; none fired that was not a row.
    const firings = await q<{ row: string; n: number; actor: string; at: string }>(
      `SELECT event->'payload'->>'row' AS row, count(*)::int AS n, min(event->'actor'->>'id') AS actor,
         min(event->>'at') AS at
       FROM ${s}.events WHERE event->>'type' = $1 GROUP BY 1`,
      [DEADLINE_EXPIRED],
    );
    const fired = new Map(firings.map((f) => [f.row, f]));
    for (const f of firings) if (f.n !== 1) problems.push(`deadline ${f.row} fired ${f.n} times`);
    const deadlines = await q<{ id: string; status: string; due_at: Date }>(
      `SELECT id, status, due_at FROM ${s}.deadlines`,
    );
    const rowIds = new Set(deadlines.map((d) => d.id));
    for (const f of firings)
      if (!rowIds.has(f.row)) problems.push(`an expiry names no deadline row: ${f.row}`);
    for (const d of deadlines) {
      if (d.status === 'running' && d.due_at.getTime() <= Date.parse(log.finalNow))
        problems.push(`deadline ${d.id} was due at ${d.due_at.toISOString()} and never fired`);
      if (d.status === 'fired' && !fired.has(d.id))
        problems.push(`deadline ${d.id} is fired without an event`);
    }

    // 5. Every outbox row due by the end was delivered, and the receiver saw each id.
    const outbox = await q<{ id: string; status: string; next_attempt_at: Date; by: string | null }>(
      `SELECT id, status, next_attempt_at, receipt->>'by' AS by FROM ${s}.outbox`,
    );
    const outboxIds = new Set(outbox.map((o) => o.id));
    let duplicates = 0;
    for (const o of outbox) {
      if (o.status === 'dead') problems.push(`outbox ${o.id} was dead-lettered`);
      if (o.status === 'pending' && o.next_attempt_at.getTime() <= Date.parse(log.finalNow))
        problems.push(`outbox ${o.id} was due and never delivered`);
      const seen = log.deliveries.get(o.id);
      if (o.status === 'delivered' && !seen)
        problems.push(`outbox ${o.id} is delivered, but the receiver never got it`);
      if (seen && seen.length > 1) {
        duplicates++;
        // Only a process that died between delivering and acknowledging may cause a second delivery.
        if (!log.killed || !seen.includes(log.killed.owner))
          problems.push(`outbox ${o.id} delivered ${seen.length} times (${seen.join(', ')})`);
      }
    }
    for (const id of log.deliveries.keys())
      if (!outboxIds.has(id)) problems.push(`delivered ${id}: no such row`);

    // 6. The victim's leases were taken over by the others, and only after they lapsed.
    if (log.killed) {
      const { owner } = log.killed;
      for (const d of log.killed.deadlines) {
        const row = deadlines.find((x) => x.id === d.id);
        const f = fired.get(d.id);
        if (f && (f.actor === owner || Date.parse(f.at) < Date.parse(d.leaseUntil)))
          problems.push(
            `orphaned deadline ${d.id} fired by ${f.actor} at ${f.at} (lease until ${d.leaseUntil})`,
          );
        if (!f && row?.status === 'running') problems.push(`orphaned deadline ${d.id} was never picked up`);
      }
      const receipts = new Map(
        (
          await q<{ id: string; by: string; at: string }>(
            `SELECT id, receipt->>'by' AS by, receipt->>'at' AS at FROM ${s}.outbox WHERE id = ANY($1)`,
            [log.killed.outbox.map((o) => o.id)],
          )
        ).map((r) => [r.id, r]),
      );
      for (const o of log.killed.outbox) {
        const r = receipts.get(o.id);
        if (!r?.by || r.by === owner || Date.parse(r.at) < Date.parse(o.leaseUntil))
          problems.push(
            `orphaned outbox ${o.id} acknowledged by ${r?.by} at ${r?.at} (lease until ${o.leaseUntil})`,
          );
      }
    }

    const stages = await q<{ stage: string; n: number }>(
      `SELECT stage, count(*)::int AS n FROM ${s}.cases GROUP BY stage ORDER BY stage`,
    );
    const events = await q<{ n: number }>(`SELECT count(*)::int AS n FROM ${s}.events`);
    const t = log.totals;
    const summary = [
      `${log.owners.length} processes, ${caseIds.length} cases, ${events[0]?.n} events, ${log.rounds} rounds to ${log.finalNow.slice(0, 10)}, ${(log.elapsedMs / 1000).toFixed(1)} s`,
      `commands acknowledged: ${log.acks.length} (${t.submitted} submissions, ${t.sent} sends); refused in races: ${JSON.stringify(t.refused)}`,
      `deadlines fired: ${firings.length} (claimed ${t.deadlinesClaimed} times); outbox rows: ${outbox.length}, deliveries ${[...log.deliveries.values()].reduce((n, v) => n + v.length, 0)} (${duplicates} ids twice), retried ${t.retried}, leases lost at ack ${t.leaseLost}`,
      `stages: ${stages.map((x) => `${x.stage} ${x.n}`).join(', ')}`,
      ...(log.killed
        ? [
            `killed ${log.killed.owner} in round ${log.killed.round} after ${log.killed.acks} acknowledged commands, holding ${log.killed.deadlines.length} deadline and ${log.killed.outbox.length} outbox leases`,
          ]
        : []),
    ].join('\n');
    return { problems, summary };
  } finally {
    await store.close();
  }
}
