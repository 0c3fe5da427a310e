import { ephemeralIdentityKeys } from '@xinfang/core';
import { createPostgresStore, type PostgresStore } from '@xinfang/storage-postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advisoryLeader } from '../src/index.js';
import { call, DAY, type Harness, harness, letter } from './helpers.js';

const URL = process.env.XINFANG_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `xf_test_leader_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

const stores: PostgresStore[] = [];
const instances: Harness[] = [];
const leaders: ReturnType<typeof advisoryLeader>[] = [];

beforeAll(async () => {
  // instances sharing a database share its identity secret (and so its integrity key)
  const identityKeys = ephemeralIdentityKeys('shared');
  for (const name of ['a', 'b']) {
    const store = await createPostgresStore({ connectionString: URL, schema, poolSize: 4 });
    const leader = advisoryLeader(store.pool);
    stores.push(store);
    leaders.push(leader);
    instances.push(
      await harness({
        store: { ...store, close: async () => undefined } as PostgresStore,
        owner: `instance-${name}`,
        identityKeys,
        // a long period: the test runs the rounds itself
        schedule: { everyMs: 3_600_000, leader: leader.leader },
      }),
    );
  }
});
afterAll(async () => {
  for (const h of instances) await h.close();
  for (const l of leaders) await l.release();
  await stores[0]?.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  for (const s of stores) await s.close();
});

describe('two service instances on one PostgreSQL database', () => {
  it('tick on one leader, and every deadline fires once', async () => {
    const [a, b] = instances as [Harness, Harness];
    const ids: string[] = [];
    for (let n = 1; n <= 4; n++) {
      const h = n % 2 ? a : b;
      const r = await call(h, 'token-window', 'POST', '/petitions', letter(n));
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      ids.push(String(r.body.caseId));
    }
    // 40 days on: every letter's 15-day disposal period (Reg. 22) has run out
    a.clock.advance(40 * DAY);
    b.clock.advance(40 * DAY);
    const rounds = await Promise.all([a.service.scheduler?.runOnce(), b.service.scheduler?.runOnce()]);
    const ran = rounds.filter((r) => r !== undefined);
    expect(ran).toHaveLength(1);
    expect(ran[0]?.fired).toBe(4);
    // whichever took the lock first leads; the follower stays a follower, and a second round
    // finds nothing left to fire
    const [leader, follower] = rounds[0] !== undefined ? [a, b] : [b, a];
    expect(await follower.service.scheduler?.runOnce()).toBeUndefined();
    expect(await leader.service.scheduler?.runOnce()).toEqual({ fired: 0, delivered: 0 });
    for (const id of ids) {
      const events = (await call(a, 'token-window', 'GET', `/cases/${id}/history`)).body.events as {
        type: string;
        payload: { deadline?: string };
      }[];
      const fired = events.filter((e) => e.type === 'deadline.expired');
      expect(fired.map((e) => e.payload.deadline)).toEqual(['disposal']);
    }
    const board = await call(b, 'token-window', 'GET', '/board/counts');
    expect(board.body.total).toEqual({ green: 0, blue: 0, red: 4 });
  });
});
