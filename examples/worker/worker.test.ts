import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type ActorRef,
  createDocumentIssuer,
  createEd25519Sealer,
  createEngine,
  identityKeyFile,
  ManualClock,
  type Sealer,
  verifyDocument,
} from '@xinfang/core';
import {
  createWebhookNotifier,
  IDEMPOTENCY_HEADER,
  SIGNATURE_HEADER,
  verifyWebhookSignature,
} from '@xinfang/notify-webhook';
import { createSqliteStore, type SqliteStore } from '@xinfang/storage-sqlite';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Jurisdiction, loadJurisdiction } from '../shared/national.js';
import { spawnTs } from '../shared/spawn-ts.js';
import { createWorker } from './worker.js';

const SECRET = 'webhook-secret-for-this-test';
const REGISTRAR: ActorRef = { id: 'reg-1', role: 'registrar', unit: 'county-bureau' };

/**
 * The province's system receiving documents: checks each request's signature and records it.
 * `hold()` makes it keep the next request unanswered until released (a slow receiver).
 */
async function startReceiver() {
  const got: { key: string; signed: boolean; body: { id: string; payload: Record<string, unknown> } }[] = [];
  let gate: { arrived: () => void; released: Promise<void> } | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks);
      const signature = req.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined;
      got.push({
        key: String(req.headers[IDEMPOTENCY_HEADER.toLowerCase()]),
        signed: verifyWebhookSignature(raw, signature, SECRET),
        body: JSON.parse(raw.toString('utf8')),
      });
      const current = gate;
      gate = undefined;
      if (current) {
        current.arrived();
        await current.released;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/xinfang`,
    got,
    hold() {
      let arrived!: () => void;
      let release!: () => void;
      const hasArrived = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      gate = { arrived, released };
      return { arrived: hasArrived, release };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let jurisdiction: Jurisdiction;
let keys: { sealer: Sealer; publicKeyPem: string; privateKeyPem: string };
let dir: string;
let path: string;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const closers: (() => Promise<void>)[] = [];

beforeAll(() => {
  jurisdiction = loadJurisdiction();
  // a key for this test; a deployment loads the province's seal key from its key store
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  keys = {
    sealer: createEd25519Sealer({ privateKey }),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xinfang-worker-'));
  path = join(dir, 'cases.sqlite');
  receiver = await startReceiver();
});

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await receiver.close();
  await rm(dir, { recursive: true, force: true });
});

function openStore(): SqliteStore {
  const store = createSqliteStore({ path });
  closers.push(() => store.close());
  return store;
}

/**
 * What the service does during the day: registers a letter on 2026-03-02 and transfers it to
 * the county labour bureau, which issues a sealed transfer notice (outbox) and starts the
 * objection (5 working days) and acceptance (15 days, due 03-17) periods.
 */
async function transferredCase(store: SqliteStore, clock: ManualClock): Promise<string> {
  const engine = createEngine({
    configs: [jurisdiction.loaded.value],
    store,
    clock,
    calendars: jurisdiction.calendars,
    documents: createDocumentIssuer({ store, templates: jurisdiction.loaded.templates, sealer: keys.sealer }),
    // the file main.ts reads too, beside the database
    identityKeys: identityKeyFile(`${path}.identity.key`),
  });
  const { caseId } = await engine.submit(
    {
      channel: 'letter',
      receivedAt: '2026-03-02',
      receivingUnit: 'county-bureau',
      petitioner: { name: '陈七', idNumber: '110101196101013131', address: '示范县东关街道 7 号' },
      subject: 'labour',
      summary: '工资被拖欠三个月',
      request: '督促支付工资',
      respondentUnit: 'county-hrss',
    },
    REGISTRAR,
  );
  clock.advance(3_600_000);
  await engine.send(caseId, { type: 'TRANSFER', payload: { unit: 'county-hrss' } }, REGISTRAR);
  return caseId;
}

describe('worker', () => {
  it('delivers a sealed document through the webhook, and fires a deadline once it falls due', async () => {
    const store = openStore();
    const clock = new ManualClock('2026-03-02T09:00:00+08:00');
    const caseId = await transferredCase(store, clock);
    const notifier = createWebhookNotifier({ url: receiver.url, secret: SECRET });
    const worker = createWorker({
      jurisdiction,
      store,
      clock,
      notifiers: { document: notifier, notification: notifier },
      sealer: keys.sealer,
      owner: 'worker-1',
      intervalMs: 1000,
      identityKeys: identityKeyFile(`${path}.identity.key`),
    });

    const first = await worker.runBatch();
    expect(first).toMatchObject({ fired: [], delivery: { delivered: 1, retried: 0, dead: 0 } });
    const [row] = await store.outbox({ caseId });
    expect(row).toMatchObject({ status: 'delivered', receipt: { channel: 'webhook' } });
    expect(receiver.got).toHaveLength(1);
    const [sent] = receiver.got;
    expect(sent).toMatchObject({
      key: row?.id,
      signed: true,
      body: { payload: { documentId: 'transfer-notice' } },
    });
    expect(String(sent?.body.payload.text)).toContain('陈七');
    expect(await verifyDocument(sent?.body.payload.sealed, keys.publicKeyPem)).toMatchObject({ ok: true });

    // the night after the acceptance period ended (03-17, 24:00): both periods have run out
    clock.set('2026-03-18T00:30:00+08:00');
    const night = await worker.runBatch();
    expect(night.fired.map((f) => [f.deadlineId, f.kind])).toEqual([
      ['objection', 'window'],
      ['acceptance', 'duty'],
    ]);
    expect(await worker.engine.get(caseId, REGISTRAR)).toMatchObject({
      state: 'transferred',
      colour: 'red',
      redReasons: [expect.objectContaining({ ref: 'acceptance' })],
    });
    expect((await worker.runBatch()).fired).toEqual([]);
    expect(receiver.got).toHaveLength(1);
  });

  it('finishes the batch in progress when told to stop, then stops', async () => {
    const store = openStore();
    const clock = new ManualClock('2026-03-02T09:00:00+08:00');
    const caseId = await transferredCase(store, clock);
    const notifier = createWebhookNotifier({ url: receiver.url, secret: SECRET });
    const worker = createWorker({
      jurisdiction,
      store,
      clock,
      notifiers: { document: notifier },
      owner: 'worker-1',
      intervalMs: 5,
      identityKeys: identityKeyFile(`${path}.identity.key`),
    });
    const slow = receiver.hold();
    const stop = new AbortController();
    let stopped = false;
    const running = worker.run(stop.signal).then(() => {
      stopped = true;
    });
    await slow.arrived;
    stop.abort();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false); // still waiting for the receiver's answer
    slow.release();
    await running;
    expect((await store.outbox({ caseId })).map((r) => r.status)).toEqual(['delivered']);
  });
});

describe('worker process', () => {
  it('exits 0 on SIGTERM after acknowledging the delivery it was making', async () => {
    const store = openStore();
    const clock = new ManualClock('2026-03-02T09:00:00+08:00');
    const caseId = await transferredCase(store, clock);
    await store.close();
    const keyFile = join(dir, 'seal.pem');
    writeFileSync(keyFile, keys.privateKeyPem, { mode: 0o600 });

    const slow = receiver.hold();
    const proc = spawnTs(fileURLToPath(new URL('./main.ts', import.meta.url)), {
      XINFANG_DB: path,
      XINFANG_WEBHOOK_URL: receiver.url,
      XINFANG_WEBHOOK_SECRET: SECRET,
      XINFANG_SEAL_KEY: keyFile,
      XINFANG_WORKER_INTERVAL_MS: '100',
      XINFANG_WORKER_ID: 'worker-process',
      XINFANG_CLOCK_START: '2026-03-02T10:30:00+08:00',
    });
    try {
      await slow.arrived;
      proc.child.kill('SIGTERM');
      await proc.waitFor((line) => line.includes('"stopping"'));
      slow.release();
      expect(await proc.exited).toEqual({ code: 0, signal: null });
    } finally {
      if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
    }
    const events = proc.lines.map((l) => (JSON.parse(l) as { event: string }).event);
    expect(events).toEqual(['running', 'stopping', 'batch', 'stopped']);
    expect(JSON.parse(proc.lines[2] ?? '{}')).toMatchObject({ delivered: 1, dead: 0 });

    const after = openStore();
    expect(await after.outbox({ caseId })).toEqual([
      expect.objectContaining({
        status: 'delivered',
        leaseOwner: null,
        receipt: expect.objectContaining({ channel: 'webhook' }),
      }),
    ]);
    expect(receiver.got.map((g) => g.signed)).toEqual([true]);
  });
});
