/**
 * A worker process's loop: every `intervalMs` it fires the deadlines that fell due
 * (`engine.tick`) and delivers the outbox (a dispatcher, through the notifiers). Both live in
 * the store, never in memory, so any number of restarts lose nothing, and a worker can run
 * beside the service that takes the commands (or several beside each other, on a store that
 * several processes share).
 *
 * Stopping never cuts a batch short: the stop signal is looked at between batches only, so a
 * document handed to a receiver is also acknowledged in the store before the worker ends.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import {
  type CaseStore,
  type Clock,
  createDispatcher,
  createDocumentIssuer,
  createEngine,
  type DispatchReport,
  type Engine,
  type FiredDeadline,
  type IdentityKeys,
  type Notifier,
  type Sealer,
} from '@xinfang/core';
import type { Jurisdiction } from '../shared/national.js';

/** Options of {@link createWorker}. */
export interface WorkerOptions {
  jurisdiction: Jurisdiction;
  store: CaseStore;
  /** `systemClock()` in production; tests move a `ManualClock`. */
  clock: Clock;
  /** Notifiers by outbox channel: the engine writes documents on `document`, notices on `notification`. */
  notifiers: Readonly<Record<string, Notifier>>;
  /** Seals documents that a deadline's expiry issues; the same key as the service's. */
  sealer?: Sealer;
  /** The store's identity key secret: the same as the service's (`identityKeyFile` beside the database). */
  identityKeys: IdentityKeys;
  /** Names this worker's leases; each worker sharing a store needs its own. */
  owner: string;
  /** Pause between batches. */
  intervalMs: number;
  /** Deadlines fired per batch; more wait for the next batch. @default 100 */
  batchSize?: number;
  /** One JSON-able entry per thing worth logging. @default nothing */
  log?: (entry: Record<string, unknown>) => void;
}

/** What one batch did. */
export interface BatchReport {
  /** The clock's time the batch ran at. */
  at: string;
  fired: FiredDeadline[];
  delivery: Pick<DispatchReport, 'claimed' | 'delivered' | 'retried' | 'dead'>;
}

/** A worker: one batch at a time, or batches until told to stop. */
export interface Worker {
  /** The engine the worker ticks (for the caller's own checks). */
  engine: Engine;
  /** Runs one batch: fires due deadlines, then delivers what is due in the outbox. */
  runBatch(): Promise<BatchReport>;
  /** Runs batches until `signal` aborts; resolves once the batch in progress has finished. */
  run(signal: AbortSignal): Promise<void>;
}

/** Creates a worker over a store. Nothing runs until `runBatch` or `run`. */
export function createWorker(options: WorkerOptions): Worker {
  const { jurisdiction, store, clock, owner } = options;
  const config = jurisdiction.loaded.value;
  const log = options.log ?? (() => {});
  const batchSize = options.batchSize ?? 100;
  const engine = createEngine({
    configs: [config],
    store,
    clock,
    calendars: jurisdiction.calendars,
    owner,
    identityKeys: options.identityKeys,
    // a case the log does not vouch for is not fired; whoever looks after the database must hear of it
    onIntegrityAlarm: (alarm) =>
      log({
        event: 'integrity-alarm',
        source: alarm.source,
        caseId: alarm.caseId,
        problems: alarm.problems.map((p) => p.code),
      }),
    // an expiry may issue a document too; it is issued here as the service would issue it
    documents: createDocumentIssuer({
      store,
      templates: jurisdiction.loaded.templates,
      ...(options.sealer ? { sealer: options.sealer } : {}),
    }),
  });
  const dispatcher = createDispatcher({
    store,
    notifiers: options.notifiers,
    clock,
    owner,
    // a delivered opinion records its receipt (Reg. 35-36: the review window runs from it) by the
    // channel's rule in the config; a deemed date still ahead waits in the outbox
    config,
    receipts: engine,
    onDead: (row, error) => log({ event: 'dead-letter', row: row.id, channel: row.channel, error }),
  });

  async function runBatch(): Promise<BatchReport> {
    const at = clock.now().toISOString();
    // deadlines first: an expiry may put a notice in the outbox, which then goes out in this batch
    const fired = await engine.tick(at, { limit: batchSize });
    const { claimed, delivered, retried, dead } = await dispatcher.runUntilIdle();
    const report = { at, fired, delivery: { claimed, delivered, retried, dead } };
    log({
      event: 'batch',
      at,
      fired: fired.map((f) => `${f.caseId} ${f.deadlineId}`),
      ...report.delivery,
    });
    return report;
  }

  async function run(signal: AbortSignal): Promise<void> {
    log({ event: 'running', owner, intervalMs: options.intervalMs });
    while (!signal.aborted) {
      try {
        await runBatch();
      } catch (e) {
        // a store that is busy or briefly away fails one batch, not the worker: the next one retries
        log({ event: 'batch-failed', error: e instanceof Error ? e.message : String(e) });
      }
      await sleep(options.intervalMs, undefined, { signal }).catch(() => {});
    }
  }

  return { engine, runBatch, run };
}
