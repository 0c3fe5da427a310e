/**
 * The worker as a process, beside the service, on the same SQLite file:
 *
 *   XINFANG_WEBHOOK_URL=https://xf.example.gov.cn/inbox XINFANG_WEBHOOK_SECRET=... \
 *   node --conditions=@xinfang/source --import ./examples/ts-loader/register.mjs examples/worker/main.ts
 *
 * Environment:
 * - `XINFANG_DB`: the SQLite file (default `.xinfang/http-service.sqlite`, the service's);
 * - `XINFANG_IDENTITY_KEY`: the store's identity key file (default `<XINFANG_DB>.identity.key`,
 *   the service's, made on first use);
 * - `XINFANG_CONFIG`: the jurisdiction config (default `configs/national.yaml`);
 * - `XINFANG_WEBHOOK_URL`, `XINFANG_WEBHOOK_SECRET`: where documents and notices go, and the
 *   HMAC secret the receiver checks (from the deployment's secret store);
 * - `XINFANG_SEAL_KEY`: a PKCS#8 PEM file with the Ed25519 key that seals documents an expiry
 *   issues (the service's key); without it they go out unsealed;
 * - `XINFANG_WORKER_INTERVAL_MS` (default 60000), `XINFANG_WORKER_ID` (default `worker-<pid>`);
 * - `XINFANG_CLOCK_START`: for rehearsals and tests only, an instant the worker's clock starts
 *   from (then running at real speed). Unset in production: the worker runs on the system clock.
 *
 * SIGTERM or SIGINT: the batch in progress finishes (deliveries acknowledged), then the process
 * exits 0. A second signal ends it at once.
 */

import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Clock, createEd25519Sealer, identityKeyFile, systemClock } from '@xinfang/core';
import { createWebhookNotifier } from '@xinfang/notify-webhook';
import { createSqliteStore } from '@xinfang/storage-sqlite';
import { loadJurisdiction } from '../shared/national.js';
import { createWorker } from './worker.js';

const env = process.env;
const log = (entry: Record<string, unknown>) => console.log(JSON.stringify(entry));

function required(name: string): string {
  const value = env[name];
  if (!value) {
    console.error(`set ${name} (see the comment at the top of examples/worker/main.ts)`);
    process.exit(2);
  }
  return value;
}

/** The system clock, or one shifted to start at `XINFANG_CLOCK_START`. */
function clockFrom(start: string | undefined): Clock {
  const real = systemClock();
  if (!start) return real;
  const offset = Date.parse(start) - real.now().getTime();
  if (Number.isNaN(offset)) {
    console.error(`XINFANG_CLOCK_START must be an ISO-8601 instant, not ${start}`);
    process.exit(2);
  }
  return { now: () => new Date(real.now().getTime() + offset) };
}

const notifier = createWebhookNotifier({
  url: required('XINFANG_WEBHOOK_URL'),
  secret: required('XINFANG_WEBHOOK_SECRET'),
});
const db = env.XINFANG_DB ?? '.xinfang/http-service.sqlite';
mkdirSync(dirname(db), { recursive: true });
const store = createSqliteStore({ path: db });
const worker = createWorker({
  jurisdiction: loadJurisdiction(env.XINFANG_CONFIG),
  store,
  // the service's identity key secret: the same file, beside the database
  identityKeys: identityKeyFile(env.XINFANG_IDENTITY_KEY ?? `${db}.identity.key`),
  clock: clockFrom(env.XINFANG_CLOCK_START),
  notifiers: { document: notifier, notification: notifier },
  ...(env.XINFANG_SEAL_KEY
    ? { sealer: createEd25519Sealer({ privateKey: readFileSync(env.XINFANG_SEAL_KEY, 'utf8') }) }
    : {}),
  owner: env.XINFANG_WORKER_ID ?? `worker-${process.pid}`,
  intervalMs: Number(env.XINFANG_WORKER_INTERVAL_MS ?? 60_000),
  log,
});

const stop = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    log({ event: 'stopping', signal });
    stop.abort();
  });
}
await worker.run(stop.signal);
await notifier.close();
await store.close();
log({ event: 'stopped' });
