/**
 * A migration plan run by several engines at once on one PostgreSQL schema (issue 23): every
 * case is moved exactly once (one `config.migrated` event), the engines' results add up to the
 * cases, and every case verifies under the new version.
 */

import { fileURLToPath } from 'node:url';
import {
  CONFIG_MIGRATED,
  createEngine,
  type Engine,
  loadCalendarFile,
  loadConfigOrThrow,
  ManualClock,
  parsePlanText,
} from '@xinfang/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../src/index.js';
import { dropSchema, TEST_URL, uniqueSchema } from './helpers.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const loadedNational = loadConfigOrThrow(`${root}configs/national.yaml`);
const loadedV2 = loadConfigOrThrow(`${root}configs/migration/national-v2.yaml`);
const national = loadedNational.value;
const v2 = loadedV2.value;
const calendar = loadCalendarFile(`${root}configs/calendars/cn-mainland.yaml`);
const KEYS = { current: { id: 'k1', secret: 'migration-test-secret-migration-test-secret' } };
const schema = uniqueSchema('migrate');
const CASES = 24;

afterAll(() => dropSchema(schema));

const registrar = { id: 'reg-2', role: 'registrar', unit: 'county-hrss' };
const acceptor = { id: 'acc-2', role: 'acceptor', unit: 'county-hrss' };

function petition(n: number) {
  return {
    channel: 'visit',
    receivedAt: '2026-09-14',
    receivingUnit: 'county-hrss',
    petitioner: { name: '张三', idNumber: `11010119900101${1000 + n}`, address: '示范县人民路 1 号' },
    subject: 'labour',
    summary: '单位拖欠工资',
    request: `支付拖欠工资 ${n}`,
    respondentUnit: 'county-hrss',
  };
}

describe('PostgreSQL store: one plan, several engines at once', () => {
  it('moves every case exactly once, and every case verifies', async () => {
    const clock = new ManualClock('2026-09-14T09:00:00+08:00');
    const stores = await Promise.all(
      [0, 1, 2].map(() => createPostgresStore({ connectionString: TEST_URL, schema, poolSize: 2 })),
    );
    try {
      const [first] = stores;
      if (!first) throw new Error('no store');
      const old = createEngine({
        store: first,
        clock,
        configs: [national],
        calendars: [calendar],
        identityKeys: KEYS,
      });
      const ids: string[] = [];
      for (let n = 0; n < CASES; n++) ids.push((await old.submit(petition(n), registrar)).caseId);
      clock.set('2026-09-16T09:00:00+08:00');
      for (const id of ids.slice(CASES / 2)) await old.send(id, { type: 'ACCEPT', payload: {} }, acceptor);
      clock.set('2026-09-21T10:00:00+08:00');

      const text = `migration: t\nfrom: "${loadedNational.hash}"\nto: "${loadedV2.hash}"\ndeadlines:\n  handling: recompute\n`;
      const { plan } = parsePlanText(text, 'plan.yaml', { from: national, to: v2, calendar });
      if (!plan) throw new Error('the plan did not load');
      const alarms: unknown[] = [];
      const engines: Engine[] = stores.map((store) =>
        createEngine({
          store,
          clock,
          configs: [v2],
          calendars: [calendar],
          identityKeys: KEYS,
          onIntegrityAlarm: (a) => alarms.push(a),
        }),
      );
      // each engine walks every page; they race on the same cases
      const results = await Promise.all(
        engines.map(async (engine) => {
          const moved: string[] = [];
          let already = 0;
          let after: string | undefined;
          do {
            const r = await engine.migrate(plan, { limit: 5, ...(after ? { after } : {}) });
            moved.push(...r.moved.map((m) => m.caseId));
            already += r.already.length;
            after = r.next;
          } while (after !== undefined);
          return { moved, already };
        }),
      );
      // a case read while another engine wrote it is judged again, never alarmed
      expect(alarms).toEqual([]);
      const moved = results.flatMap((r) => r.moved).sort();
      expect(moved).toEqual([...ids].sort());
      expect(results.reduce((n, r) => n + r.already, 0)).toBe(CASES * (engines.length - 1));
      for (const id of ids) {
        const events = await first.events(id);
        expect(events.filter((e) => e.type === CONFIG_MIGRATED)).toHaveLength(1);
      }
      const sweep = await engines[0]?.verifyAll({ limit: 1000 });
      expect(sweep).toEqual({ checked: CASES, failed: [] });
      // accepted 09-16: handling 45 days ends 10-31, a Saturday -> Monday 11-02
      const rows = await first.deadlines(ids[CASES - 1] as string);
      expect(rows.find((r) => r.deadlineId === 'handling')?.dueDate).toBe('2026-11-02');
    } finally {
      for (const s of stores) await s.close();
    }
  }, 120_000);
});
