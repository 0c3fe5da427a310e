/**
 * `xinfang serve` told to stop with SIGTERM while a command and a delivery are in flight: a real
 * child process (the CLI from its sources) on a real SQLite file, a real webhook receiver on
 * loopback that holds its reply, real HTTP. The process exits 0 within a bound, and the file it
 * leaves holds the command whole (its event, a case that verifies) and the delivery marked
 * delivered exactly once, never half done or lost.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createEngine,
  identityKeyFile,
  loadCalendarFile,
  loadConfigOrThrow,
  systemClock,
} from '@xinfang/core';
import { createSqliteStore } from '@xinfang/storage-sqlite';
import { samplePetition } from '@xinfang/testing';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
// the CLI from its sources (no build needed), through the repository's TypeScript loader
const BIN = join(root, 'packages/cli/src/bin.ts');
const LOADER = join(root, 'examples/ts-loader/register.mjs');
// how long the receiver holds each delivery: long enough to signal the process inside it
const HOLD_MS = 1500;

let dir: string | undefined;
let child: ChildProcess | undefined;
let receiver: Server | undefined;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
  if (dir) rmSync(dir, { recursive: true, force: true });
  child = receiver = dir = undefined;
});

/** A webhook receiver that answers each POST only after `HOLD_MS`; `begun` settles at the first. */
async function slowReceiver() {
  const ids: string[] = [];
  let begin: () => void = () => undefined;
  const begun = new Promise<void>((r) => {
    begin = r;
  });
  receiver = createServer((req, res) => {
    ids.push(String(req.headers['idempotency-key']));
    begin();
    req.resume();
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), HOLD_MS);
  });
  await new Promise<void>((r) => receiver?.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/inbox`, ids, begun };
}

/** Starts `xinfang serve` and resolves with its URL once it prints it. */
async function startServe(db: string, webhookUrl: string): Promise<string> {
  child = spawn(
    process.execPath,
    [
      '--conditions=@xinfang/source',
      '--import',
      LOADER,
      BIN,
      'serve',
      '--db',
      db,
      '--port',
      '0',
      '--tick-every',
      '1',
      '--webhook-url',
      webhookUrl,
    ],
    {
      cwd: root,
      env: { ...process.env, XINFANG_WEBHOOK_SECRET: 'test-secret' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stderr?.resume();
  return new Promise((resolve, reject) => {
    child?.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /xinfang serves .* at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child?.on('exit', (code) => reject(new Error(`serve exited ${code} before listening: ${out}`)));
  });
}

/** A POST whose headers are sent now and whose body only when `finish` is called: a request held in flight. */
function heldPost(url: string, headers: Record<string, string>, body: string) {
  const req = request(url, {
    method: 'POST',
    headers: {
      ...headers,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    },
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => {
        text += c.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
  });
  // the headers and the first byte go out now; fastify has the request and waits for the rest
  req.write(body.slice(0, 1));
  return { response, finish: () => req.end(body.slice(1)) };
}

describe('xinfang serve, SIGTERM', () => {
  it('finishes the command and the delivery in flight, closes the store and exits 0', async () => {
    dir = mkdtempSync(join(tmpdir(), 'xinfang-sigterm-'));
    const db = join(dir, 'cases.sqlite');
    const hook = await slowReceiver();
    const url = await startServe(db, hook.url);
    const tokens = JSON.parse(readFileSync(`${db}.tokens.json`, 'utf8')) as Record<string, { unit: string }>;
    const [token] = Object.entries(tokens).find(([, p]) => p.unit === 'county-bureau') ?? [];
    const auth = { authorization: `Bearer ${token}` };
    const post = async (path: string, body: object) => {
      const r = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: r.status, body: (await r.json()) as { caseId: string; version: number } };
    };

    // case one is accepted: its acceptance notice goes to the outbox, and the next tick delivers it
    const one = await post('/petitions', samplePetition());
    expect(one.status).toBe(201);
    expect((await post(`/cases/${one.body.caseId}/commands`, { type: 'ACCEPT' })).status).toBe(200);
    const two = await post('/petitions', samplePetition());
    expect(two.status).toBe(201);
    await hook.begun; // the receiver holds the delivery now
    // a command is in flight too: its request is in, its body not yet
    const command = heldPost(
      `${url}/cases/${two.body.caseId}/commands`,
      auth,
      JSON.stringify({ type: 'ACCEPT' }),
    );
    await new Promise((r) => setTimeout(r, 200));

    const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
      child?.once('exit', (code) => resolve({ code, at: Date.now() })),
    );
    const signalledAt = Date.now();
    child?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    // still running: the delivery is held and the command not yet sent whole
    expect(child?.exitCode).toBeNull();
    // a new request is refused while it stops (a closed listener, or 503)
    const late = await fetch(`${url}/health`).then(
      (r) => r.status,
      () => 'refused',
    );
    expect(late === 'refused' || late === 503).toBe(true);
    command.finish();
    const answered = await command.response;
    expect(answered.status).toBe(200);
    expect(JSON.parse(answered.body)).toMatchObject({ caseId: two.body.caseId, state: 'accepted' });

    const { code, at } = await exited;
    expect(code).toBe(0);
    // the bound: the held delivery (HOLD_MS) and a little for closing, not a kill timeout
    expect(at - signalledAt).toBeLessThan(HOLD_MS + 3000);
    // one delivery went out: the held one (the stopping process claimed no further batch)
    expect(hook.ids).toHaveLength(1);
    expect(hook.ids[0]).toMatch(new RegExp(`^${one.body.caseId}:\\d+:acceptance-notice$`));

    // the file the process left, opened afresh
    const store = createSqliteStore({ path: db });
    try {
      // the command is there whole, once (the ticks may have added deadline events around it)
      const types = (await store.events(two.body.caseId)).map((e) => e.type);
      expect(types[0]).toBe('SUBMITTED');
      expect(types.filter((t) => t === 'ACCEPT')).toHaveLength(1);
      const engine = createEngine({
        store,
        clock: systemClock(),
        configs: [loadConfigOrThrow(join(root, 'configs/national.yaml')).value],
        calendars: [loadCalendarFile(join(root, 'configs/calendars/cn-mainland.yaml'))],
        identityKeys: identityKeyFile(`${db}.identity.key`, { create: false }),
      });
      expect(await engine.verifyAll({ limit: 100 })).toEqual({ checked: 2, failed: [] });
      const { default: Database } = await import('better-sqlite3');
      const raw = new Database(db, { readonly: true });
      try {
        const rows = raw.prepare('SELECT id, case_id, status FROM outbox').all() as {
          id: string;
          case_id: string;
          status: string;
        }[];
        // the held delivery is marked delivered; nothing else went out, so all else waits, pending
        for (const row of rows) expect(row.status).toBe(hook.ids.includes(row.id) ? 'delivered' : 'pending');
        const notice = (caseId: string) =>
          rows.find((r) => r.case_id === caseId && r.id.endsWith(':acceptance-notice'))?.status;
        expect(notice(one.body.caseId)).toBe('delivered');
        // the notice of the command the stopping process finished waits for the next start
        expect(notice(two.body.caseId)).toBe('pending');
      } finally {
        raw.close();
      }
    } finally {
      await store.close();
    }
  }, 30_000);
});
