/**
 * Issue 9's race: engine processes on one database, one simulated clock driven from here,
 * submitting and advancing cases while ticking deadlines and dispatching the outbox; then one of
 * them SIGKILLed while it holds leases. `XINFANG_RACE_CASES=2000` runs the full scale (2,000
 * cases a process); the default keeps `npm test` quick.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, uniqueSchema } from './helpers.js';
import { audit, bundleWorker, runRace } from './race-harness.js';

const CASES = Number(process.env.XINFANG_RACE_CASES ?? 100);
const schemas: string[] = [];
let bundled: Awaited<ReturnType<typeof bundleWorker>>;

beforeAll(async () => {
  bundled = await bundleWorker();
});
afterAll(async () => {
  await bundled?.dispose();
  for (const schema of schemas) await dropSchema(schema);
});

describe('PostgreSQL store: engine processes racing on one database', () => {
  it(
    `4 processes, ${CASES} cases each: no gap, no double, every chain verifies, every due deadline fired once, every row delivered once`,
    async () => {
      const schema = uniqueSchema('race');
      schemas.push(schema);
      const log = await runRace({ bundle: bundled.bundle, schema, workers: 4, cases: CASES, days: 75 });
      const { problems, summary } = await audit(schema, log);
      console.info(summary);
      expect(problems).toEqual([]);
      // Not vacuous: commands raced, deadlines fired, notifications went out.
      expect(log.acks.length).toBeGreaterThan(CASES * 4 * 4);
      expect(log.totals.fired).toBeGreaterThan(CASES);
      expect(log.deliveries.size).toBeGreaterThan(CASES * 4);
      expect(log.totals.leaseLost).toBe(0);
    },
    300_000 + CASES * 2_000,
  );

  it('a process SIGKILLed while holding leases loses no acknowledged command; the others take its rows once the leases lapse', async () => {
    const schema = uniqueSchema('kill');
    schemas.push(schema);
    const log = await runRace({
      bundle: bundled.bundle,
      schema,
      workers: 4,
      cases: 40,
      days: 60,
      kill: { victim: 3, round: 20 },
    });
    const { problems, summary } = await audit(schema, log);
    console.info(summary);
    expect(problems).toEqual([]);
    expect(log.killed, 'the victim was killed').toBeDefined();
    const orphans = (log.killed?.deadlines.length ?? 0) + (log.killed?.outbox.length ?? 0);
    expect(orphans, 'the victim held leases when it died').toBeGreaterThan(0);
    expect(log.killed?.acks).toBeGreaterThan(0);
  }, 600_000);
});
