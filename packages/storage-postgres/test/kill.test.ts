/**
 * Issue 9's crash: one of four engine processes is SIGKILLed while it holds leases on deadlines
 * and outbox rows. Nothing it acknowledged may be lost, and the others must take its rows, but
 * only once its leases have lapsed on the shared simulated clock.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, sql, uniqueSchema } from './helpers.js';
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
      cases: 25,
      days: 50,
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

    // The audit is not vacuous: an edited event, a lost event and a deadline that never fired
    // are each found.
    const s = `"${schema}"`;
    const [a, b] = await sql<{ case_id: string }>(
      `SELECT case_id FROM ${s}.cases WHERE version >= 3 ORDER BY case_id LIMIT 2`,
    );
    await sql(
      `UPDATE ${s}.events SET event = replace(event::text, '"ACCEPT"', '"EDITED"')::json WHERE case_id = $1`,
      [a?.case_id],
    );
    await sql(`DELETE FROM ${s}.events WHERE case_id = $1 AND seq = 2`, [b?.case_id]);
    await sql(
      `UPDATE ${s}.deadlines SET status = 'running' WHERE id = (SELECT min(id) FROM ${s}.deadlines WHERE status = 'fired')`,
    );
    const tampered = await audit(schema, log);
    expect(tampered.problems).toContainEqual(
      expect.stringMatching(new RegExp(`^${a?.case_id}: verify: EVENT_CHANGED`)),
    );
    expect(tampered.problems).toContainEqual(
      expect.stringMatching(new RegExp(`^${b?.case_id}: \\d+ events`)),
    );
    expect(tampered.problems).toContainEqual(expect.stringMatching(/was due at .* and never fired/));
  }, 300_000);
});
