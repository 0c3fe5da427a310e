import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashEvent, makeDeadline, makeOutboxRow, seedCase } from '@xinfang/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../src/index.js';
import { bundleStore, startWorker, type Worker } from './helpers.js';

let bundled: Awaited<ReturnType<typeof bundleStore>>;
let dir: string;
let path: string;
const workers: Worker[] = [];

beforeAll(async () => {
  bundled = await bundleStore();
});
afterAll(() => bundled.dispose());
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xinfang-sqlite-'));
  path = join(dir, 'cases.db');
});
afterEach(async () => {
  for (const w of workers.splice(0)) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

/** Starts `n` workers, waits until all are ready, then lets them go at once; returns their last lines. */
async function race(n: number, args: (i: number) => Record<string, unknown>): Promise<unknown[]> {
  const started = Array.from({ length: n }, (_, i) =>
    startWorker({ bundle: bundled.bundle, path, ...args(i) }),
  );
  workers.push(...started);
  await Promise.all(started.map((w) => w.waitFor((line) => line === 'ready')));
  for (const w of started) w.child.stdin?.end('go\n');
  return Promise.all(
    started.map(async (w) => {
      const { code } = await w.exited;
      expect(code, w.stderr()).toBe(0);
      return JSON.parse(w.lines.at(-1) ?? 'null') as unknown;
    }),
  );
}

describe('SQLite store: several processes on one file', () => {
  it('never hands a deadline or an outbox row to two processes', async () => {
    const CASES = 60;
    const store = createSqliteStore({ path });
    const deadlineIds: string[] = [];
    const outboxIds: string[] = [];
    for (let c = 0; c < CASES; c++) {
      const caseId = `case-${String(c).padStart(2, '0')}`;
      const deadlines = [1, 2, 3, 4].map((n) => makeDeadline(caseId, n));
      const outbox = [1, 2, 3, 4].map((n) => makeOutboxRow(caseId, 1, n));
      await seedCase(store, caseId, { deadlines, outbox });
      deadlineIds.push(...deadlines.map((d) => d.id));
      outboxIds.push(...outbox.map((o) => o.id));
    }
    await store.close();

    const results = (await race(3, (i) => ({
      mode: 'claim',
      owner: `worker-${i}`,
      now: '2026-03-20T00:00:00.000Z',
    }))) as {
      deadlines: string[];
      outbox: string[];
    }[];
    const claimedDeadlines = results.flatMap((r) => r.deadlines);
    const claimedOutbox = results.flatMap((r) => r.outbox);
    expect(claimedDeadlines).toHaveLength(deadlineIds.length);
    expect(new Set(claimedDeadlines)).toEqual(new Set(deadlineIds));
    expect(claimedOutbox).toHaveLength(outboxIds.length);
    expect(new Set(claimedOutbox)).toEqual(new Set(outboxIds));

    // The leases on file name the process that reported each row.
    const after = createSqliteStore({ path });
    const holders = new Map<string, string>();
    results.forEach((r, i) => {
      for (const id of r.deadlines) holders.set(id, `worker-${i}`);
    });
    for (let c = 0; c < CASES; c++) {
      for (const row of await after.deadlines(`case-${String(c).padStart(2, '0')}`)) {
        expect(row.leaseOwner).toBe(holders.get(row.id));
      }
    }
    await after.close();
  });

  it('keeps one case gapless and its hash chain linked when processes race to append to it', async () => {
    const results = (await race(3, () => ({ mode: 'race', caseId: 'shared', count: 30 }))) as {
      conflicts: number;
    }[];
    const store = createSqliteStore({ path });
    const events = await store.events('shared');
    // Each process appended 1, 2 or 3 events a batch (1 + done % 3): 60 events for 30 batches.
    expect(events).toHaveLength(180);
    events.forEach((event, i) => {
      expect(event.seq).toBe(i + 1);
      expect(event.hash).toBe(hashEvent(event));
      expect(event.prevHash).toBe(i === 0 ? '' : events[i - 1]?.hash);
    });
    const projection = await store.getCase('shared');
    expect(projection).toMatchObject({ version: 180, headHash: events[179]?.hash });
    expect((await store.deadlines('shared')).length).toBe(90);
    // Conflicts are likely but not certain (the scheduler may run the racers one after another).
    expect(results.every((r) => Number.isInteger(r.conflicts))).toBe(true);
    await store.close();
  });
});
