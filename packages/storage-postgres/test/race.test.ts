/**
 * Issue 9's race: four engine processes on one database, one simulated clock driven from here,
 * submitting and advancing cases while ticking deadlines and dispatching the outbox.
 * `XINFANG_RACE_CASES=2000` runs the full scale (2,000 cases a process, about ten minutes on a
 * two-core machine); the default keeps `npm test` quick.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, uniqueSchema } from './helpers.js';
import { audit, bundleWorker, runRace } from './race-harness.js';

const CASES = Number(process.env.XINFANG_RACE_CASES ?? 50);
const schema = uniqueSchema('race');
let bundled: Awaited<ReturnType<typeof bundleWorker>>;

beforeAll(async () => {
  bundled = await bundleWorker();
});
afterAll(async () => {
  await bundled?.dispose();
  await dropSchema(schema);
});

describe('PostgreSQL store: engine processes racing on one database', () => {
  it(
    `4 processes, ${CASES} cases each: no gap, no double, every chain verifies, every due deadline fired once, every row delivered once`,
    async () => {
      const log = await runRace({ bundle: bundled.bundle, schema, workers: 4, cases: CASES, days: 80 });
      const { problems, summary } = await audit(schema, log);
      console.info(summary);
      expect(problems).toEqual([]);
      // Not vacuous: commands raced and were refused, deadlines fired, notifications went out.
      expect(log.acks.length).toBeGreaterThan(CASES * 4 * 4);
      expect(Object.keys(log.totals.refused).length).toBeGreaterThan(0);
      expect(log.totals.fired).toBeGreaterThan(CASES);
      expect(log.deliveries.size).toBeGreaterThan(CASES * 4);
      expect(log.totals.leaseLost).toBe(0);
    },
    300_000 + CASES * 2_000,
  );
});
