import { createPostgresStore, type PostgresStore } from '@xinfang/storage-postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Harness, harness, letter } from './helpers.js';

/** The test server (never `DATABASE_URL`, which may name a database that matters). */
const URL = process.env.XINFANG_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `xf_test_http_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

let store: PostgresStore;
let h: Harness;
beforeAll(async () => {
  store = await createPostgresStore({ connectionString: URL, schema, poolSize: 4 });
  h = await harness({ store: { ...store, close: async () => undefined } as PostgresStore });
});
afterAll(async () => {
  await h.close();
  await store.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await store.close();
});

describe('the API on PostgreSQL', () => {
  it('registers, pins versions and pages the board', async () => {
    const ids: string[] = [];
    for (let n = 1; n <= 3; n++) {
      const r = await call(h, 'token-window', 'POST', '/petitions', letter(n));
      expect(r.status).toBe(201);
      ids.push(String(r.body.caseId));
    }
    const [first] = ids as [string];
    // two clients decide on version 1 at once: one wins, the other's precondition fails
    const send = () =>
      call(
        h,
        'token-window',
        'POST',
        `/cases/${first}/commands`,
        { type: 'TRANSFER', payload: { unit: 'county-hrss' } },
        { 'if-match': '"1"' },
      );
    const answers = (await Promise.all([send(), send()])).map((r) => r.status).sort();
    expect(answers).toEqual([200, 412]);
    expect((await call(h, 'token-window', 'GET', `/cases/${first}`)).body).toMatchObject({
      version: 2,
      state: 'transferred',
    });

    const page1 = await call(h, 'token-window', 'GET', '/board?limit=2');
    expect(page1.body.cases).toHaveLength(2);
    const page2 = await call(
      h,
      'token-window',
      'GET',
      `/board?limit=2&after=${encodeURIComponent(page1.body.next)}`,
    );
    expect([...page1.body.cases, ...page2.body.cases].map((c: { caseId: string }) => c.caseId)).toEqual(ids);
    expect(page2.body.next).toBeUndefined();
    const counts = await call(h, 'token-window', 'GET', '/board/counts');
    // every stage of the config is listed; two hold cases
    const held = Object.entries(
      counts.body.byStage as Record<string, { green: number; blue: number; red: number }>,
    ).filter(([, n]) => n.green + n.blue + n.red > 0);
    expect(Object.fromEntries(held)).toEqual({
      registration: { green: 2, blue: 0, red: 0 },
      transfer: { green: 1, blue: 0, red: 0 },
    });
    expect(counts.body.pages).toBe(1);
  });

  it('reports over the cases the caller reads', async () => {
    const total = (b: { totals: { key: string; cases: number }[] }) =>
      b.totals.find((r) => r.key === '*')?.cases;
    const bureau = await call(h, 'token-window', 'GET', '/reports/metrics');
    expect([bureau.status, total(bureau.body as never)]).toEqual([200, 3]);
    // the labour bureau holds the one transferred to it
    expect(total((await call(h, 'token-hrss', 'GET', '/reports/legalization-index')).body as never)).toBe(1);
    expect((await call(h, 'token-window', 'GET', '/reports/annual?year=2026')).body.matters.total).toBe(3);
    expect(await call(h, 'token-citizen', 'GET', '/reports/metrics')).toMatchObject({
      status: 403,
      body: { code: 'FORBIDDEN' },
    });
  });
});
