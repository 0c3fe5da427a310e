/**
 * Issue 9's crash: one of four engine processes is SIGKILLed while it holds leases on deadlines
 * and outbox rows. Nothing it acknowledged may be lost, and the others must take its rows, but
 * only once its leases have lapsed on the shared simulated clock.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, uniqueSchema } from './helpers.js';
import { audit, bundleWorker, runRace } from './race-harness.js';

const schema = uniqueSchema('kill');
let bundled: Awaited<ReturnType<typeof bundleWorker>>;

beforeAll(async () => {
  bundled = await bundleWorker();
});
afterAll(async () => {
  await bundled?.dispose();
  await dropSchema(schema);
});

describe('PostgreSQL store: an engine process killed mid-run', () => {
  it('loses no acknowledged command; the others take its leased rows once the leases lapse', async () => {
    const log = await runRace({
      bundle: bundled.bundle,
      schema,
      workers: 4,
      cases: 30,
      days: 60,
      // From round 8 the victim pauses after each claim; it is killed in that pause.
      kill: { victim: 3, round: 8 },
    });
    const { problems, summary } = await audit(schema, log);
    console.info(summary);
    expect(problems).toEqual([]);
    expect(log.killed, 'the victim was killed').toBeDefined();
    const orphans = (log.killed?.deadlines.length ?? 0) + (log.killed?.outbox.length ?? 0);
    expect(orphans, 'the victim held leases when it died').toBeGreaterThan(0);
    expect(log.killed?.acks).toBeGreaterThan(0);
  }, 300_000);
});
