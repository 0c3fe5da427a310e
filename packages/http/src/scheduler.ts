/**
 * Deadline ticks and outbox delivery inside the service, on a schedule. Each round asks `leader`
 * first: with several instances on one PostgreSQL database, only the instance holding the
 * advisory lock ticks (`advisoryLeader`); the engine's claims and leases keep even two tickers
 * from firing a deadline twice, the leader keeps them from doing the same work twice. `stop`
 * waits for the round in flight: a shutdown finishes a tick or a delivery it started.
 */

import type { Dispatcher, Engine } from '@xinfang/core';

/** Options of {@link startScheduler}. */
export interface SchedulerOptions {
  engine: Pick<Engine, 'tick'>;
  /**
   * Delivers the outbox after each tick, one claimed batch at a time until none is left (at most
   * 10 a round); once stopping it claims no further batch (absent: the embedder delivers elsewhere).
   */
  dispatcher?: Pick<Dispatcher, 'runOnce'>;
  /** Milliseconds between rounds. @default 60000 */
  everyMs?: number;
  /** Whether this instance runs the round. @default always */
  leader?: () => Promise<boolean>;
  /** Told of a failed round (the next round runs anyway). */
  onError?: (error: unknown) => void;
  /** Told after each round this instance ran. */
  onRound?: (round: { fired: number; delivered: number }) => void;
}

/** A running schedule. */
export interface Scheduler {
  /** Runs one round now (if leader), after the one in flight. */
  runOnce(): Promise<{ fired: number; delivered: number } | undefined>;
  /** No new round starts; resolves when the round in flight is done. */
  stop(): Promise<void>;
}

export function startScheduler(options: SchedulerOptions): Scheduler {
  let stopped = false;
  let inFlight: Promise<{ fired: number; delivered: number } | undefined> = Promise.resolve(undefined);
  const round = async () => {
    if (stopped || (options.leader && !(await options.leader()))) return undefined;
    const fired = (await options.engine.tick()).length;
    let delivered = 0;
    // batch by batch rather than runUntilIdle: a stop lets the batch in hand finish (each row it
    // claimed is delivered and marked) and claims no more, so a shutdown waits for one batch only
    for (let batch = 0; options.dispatcher && batch < 10 && (batch === 0 || !stopped); batch++) {
      const r = await options.dispatcher.runOnce();
      delivered += r.delivered;
      if (r.claimed === 0) break;
    }
    const result = { fired, delivered };
    options.onRound?.(result);
    return result;
  };
  const runOnce = () => {
    inFlight = inFlight
      .catch(() => undefined)
      .then(round)
      .catch((e: unknown) => {
        options.onError?.(e);
        return undefined;
      });
    return inFlight;
  };
  const timer = setInterval(() => void runOnce(), options.everyMs ?? 60_000);
  timer.unref();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await inFlight.catch(() => undefined);
    },
  };
}

/** The part of a `pg` pool the leader needs. */
export interface LockPool {
  connect(): Promise<{
    query(sql: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
    release(): void;
  }>;
}

/**
 * Leadership by a PostgreSQL session advisory lock on one held connection: the instance whose
 * connection took the lock leads until it closes (or dies, which frees the lock). `release` ends it.
 */
export function advisoryLeader(
  pool: LockPool,
  key = 0x78696e66,
): { leader: () => Promise<boolean>; release(): Promise<void> } {
  let client: Awaited<ReturnType<LockPool['connect']>> | undefined;
  let held = false;
  return {
    async leader() {
      if (held) return true;
      client ??= await pool.connect();
      const { rows } = await client.query('SELECT pg_try_advisory_lock($1) AS ok', [key]);
      held = rows[0]?.ok === true;
      return held;
    },
    async release() {
      if (client) {
        if (held) await client.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => undefined);
        client.release();
      }
      client = undefined;
      held = false;
    },
  };
}
