import { StoreError } from '@xinfang/core';
import {
  type CaseQuery,
  type ColumnKind,
  caseReaders,
  PROJECTION_COLUMNS,
  READERS_TABLE,
} from '@xinfang/core/store-kit';
import {
  makeBatch,
  makeDeadline,
  makeIdempotency,
  makeOutboxRow,
  nextBatch,
  preReaderCases,
  seedCase,
} from '@xinfang/testing';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createPostgresStore, type PostgresStore, SCHEMA_VERSION, START_HINT } from '../src/index.js';
import { MIGRATIONS } from '../src/schema.js';
import { dropSchema, sql, TEST_URL, uniqueSchema } from './helpers.js';

const schemas: string[] = [];
const stores: PostgresStore[] = [];
const pools: pg.Pool[] = [];

function freshSchema(prefix: string): string {
  const schema = uniqueSchema(prefix);
  schemas.push(schema);
  return schema;
}
async function open(schema: string, options: Parameters<typeof createPostgresStore>[0] = {}) {
  const store = await createPostgresStore({ connectionString: TEST_URL, schema, poolSize: 4, ...options });
  stores.push(store);
  return store;
}
async function versionOf(schema: string): Promise<number[]> {
  return (await sql<{ version: number }>(`SELECT version FROM "${schema}".schema_version`)).map(
    (r) => r.version,
  );
}

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const pool of pools.splice(0)) await pool.end();
  for (const schema of schemas.splice(0)) await dropSchema(schema);
});

describe('PostgreSQL store: schema and migrations', () => {
  it('migrates a fresh schema once, and a second start finds it current', async () => {
    const schema = freshSchema('mig');
    const first = await open(schema);
    expect(await versionOf(schema)).toEqual([SCHEMA_VERSION]);
    await seedCase(first, 'case-1');
    expect(await first.migrate()).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    const second = await open(schema);
    expect((await second.getCase('case-1'))?.version).toBe(1);
    expect(await versionOf(schema)).toEqual([SCHEMA_VERSION]);
  });

  it('declares the cases table as the store kit declares the projection columns', async () => {
    const schema = freshSchema('cols');
    await open(schema);
    const declared = await sql<{ column_name: string; data_type: string; is_nullable: string }>(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
       WHERE table_schema = $1 AND table_name = 'cases' ORDER BY ordinal_position`,
      [schema],
    );
    const types: Record<ColumnKind, string> = {
      text: 'text',
      integer: 'integer',
      timestamp: 'timestamp with time zone',
      json: 'json',
    };
    expect(
      declared.map((c) => ({ name: c.column_name, type: c.data_type, nullable: c.is_nullable === 'YES' })),
    ).toEqual(PROJECTION_COLUMNS.map((c) => ({ name: c.name, type: types[c.kind], nullable: c.nullable })));
  });

  it('lets several processes start on a fresh schema at once: one migrates, none fails', async () => {
    // Three rounds: a race that a missing lock would lose only sometimes.
    let schema = '';
    for (let round = 0; round < 3; round++) {
      for (const store of stores.splice(0)) await store.close();
      schema = freshSchema('race');
      // Separate pools, so separate server sessions racing for the advisory lock.
      const opened = await Promise.allSettled(Array.from({ length: 8 }, () => open(schema, { poolSize: 1 })));
      expect(opened.filter((r) => r.status === 'rejected')).toEqual([]);
      expect(await versionOf(schema)).toEqual([SCHEMA_VERSION]);
    }
    // Each sees the others' writes: they share one set of tables.
    const [a, b] = stores;
    await seedCase(a!, 'case-1');
    expect((await b!.getCase('case-1'))?.version).toBe(1);
    const tables = await sql<{ n: string }>(
      'SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = $1',
      [schema],
    );
    expect(Number(tables[0]?.n)).toBe(9); // 8 tables and schema_version
  });

  it('refuses a schema newer than the code with STORE_SCHEMA_NEWER and leaves it untouched', async () => {
    const schema = freshSchema('newer');
    const store = await open(schema);
    await seedCase(store, 'case-1');
    await sql(`UPDATE "${schema}".schema_version SET version = $1`, [SCHEMA_VERSION + 1]);
    for (const migrate of [true, false]) {
      await expect(open(schema, { migrate })).rejects.toMatchObject({
        code: 'STORE_SCHEMA_NEWER',
        details: { found: SCHEMA_VERSION + 1, supported: SCHEMA_VERSION, location: `schema ${schema}` },
      });
    }
    await expect(store.migrate()).rejects.toMatchObject({ code: 'STORE_SCHEMA_NEWER' });
    expect(await versionOf(schema)).toEqual([SCHEMA_VERSION + 1]);
    expect(await sql(`SELECT case_id FROM "${schema}".cases`)).toEqual([{ case_id: 'case-1' }]);
  });

  it('with migrate: false, touches nothing; work on an unmigrated schema says to migrate', async () => {
    const schema = freshSchema('nomig');
    const store = await open(schema, { migrate: false });
    expect(await sql('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).toEqual([]);
    const refused = await store.getCase('case-1').catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'STORE_ERROR', details: { schema } });
    expect((refused as Error).message).toMatch(/migrate/);
    expect(await store.migrate()).toEqual({ from: 0, to: SCHEMA_VERSION });
    await seedCase(store, 'case-1');
    expect((await store.getCase('case-1'))?.version).toBe(1);
  });

  it('keeps instants in timestamptz columns and ids in byte order', async () => {
    const schema = freshSchema('types');
    await open(schema);
    const columns = await sql<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
       WHERE table_schema = $1 AND data_type LIKE 'timestamp%' ORDER BY 1, 2`,
      [schema],
    );
    expect(columns.every((c) => c.data_type === 'timestamp with time zone')).toBe(true);
    expect(columns.map((c) => `${c.table_name}.${c.column_name}`)).toEqual([
      'deadlines.due_at',
      'deadlines.lease_until',
      'events.at',
      'outbox.created_at',
      'outbox.lease_until',
      'outbox.next_attempt_at',
    ]);
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    await expect(
      createPostgresStore({ connectionString: TEST_URL, schema: 'x"; DROP' }),
    ).rejects.toMatchObject({ code: 'STORE_INVALID_INPUT' });
  });
});

describe('PostgreSQL store: connections', () => {
  it('reports an unreachable server promptly with STORE_UNREACHABLE, the URL without password, and how to start it', async () => {
    const started = Date.now();
    const e = await createPostgresStore({
      connectionString: 'postgres://postgres:s3cret@127.0.0.1:1/test',
    }).catch((error: unknown) => error);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(e).toBeInstanceOf(StoreError);
    expect(e).toMatchObject({
      code: 'STORE_UNREACHABLE',
      details: { url: 'postgres://postgres@127.0.0.1:1/test' },
    });
    const message = (e as Error).message;
    expect(message).toContain('postgres://postgres@127.0.0.1:1/test');
    expect(message).toContain(START_HINT);
    expect(message).not.toContain('s3cret');
  });

  it('reads DATABASE_URL when no connection is given, and refuses to guess without one', async () => {
    const saved = process.env.DATABASE_URL;
    try {
      delete process.env.DATABASE_URL;
      await expect(createPostgresStore({ schema: 'x' })).rejects.toMatchObject({
        code: 'STORE_INVALID_INPUT',
      });
      process.env.DATABASE_URL = TEST_URL;
      const schema = freshSchema('env');
      const store = await createPostgresStore({ schema });
      stores.push(store);
      await seedCase(store, 'case-1');
      expect(await sql(`SELECT case_id FROM "${schema}".cases`)).toEqual([{ case_id: 'case-1' }]);
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  });

  it("runs on the caller's own pool and leaves it open on close", async () => {
    const pool = new pg.Pool({ connectionString: TEST_URL, max: 2 });
    pools.push(pool);
    const schema = freshSchema('pool');
    const store = await createPostgresStore({ pool, schema });
    expect(store.pool).toBe(pool);
    await seedCase(store, 'case-1');
    await store.close();
    expect((await pool.query(`SELECT count(*)::int AS n FROM "${schema}".events`)).rows).toEqual([{ n: 1 }]);
    await expect(store.getCase('case-1')).rejects.toMatchObject({ code: 'STORE_ERROR' });
  });

  it('names a caller’s pool that cannot connect in STORE_UNREACHABLE', async () => {
    const pool = new pg.Pool({ host: '127.0.0.1', port: 1, user: 'app', password: 'pw', database: 'cases' });
    pools.push(pool);
    await expect(createPostgresStore({ pool })).rejects.toMatchObject({
      code: 'STORE_UNREACHABLE',
      details: { url: 'postgres://app@127.0.0.1:1/cases' },
    });
  });
});

describe('PostgreSQL store: concurrent writers on one database', () => {
  it('lets exactly one of many racing appends on a case win; the rest are CONCURRENCY_CONFLICT', async () => {
    const schema = freshSchema('cas');
    const a = await open(schema);
    const b = await open(schema);
    const first = await seedCase(a, 'case-1', { deadlines: [makeDeadline('case-1')] });
    const results = await Promise.allSettled(
      Array.from({ length: 16 }, (_, i) =>
        (i % 2 ? a : b).append(
          nextBatch(first, {
            count: 1 + (i % 3),
            outbox: [makeOutboxRow('case-1', 2, i + 1)],
            deadlines: [makeDeadline('case-1', 1, { status: 'fired' })],
          }),
        ),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.map((r) => (r.reason as { code: string }).code)).toEqual(
      Array(15).fill('CONCURRENCY_CONFLICT'),
    );
    const events = await a.events('case-1');
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
    expect(await a.outbox({ caseId: 'case-1' })).toHaveLength(1);
  });

  it('turns racing retries of one submission into one case and duplicates, even under new case ids', async () => {
    const schema = freshSchema('idem');
    const a = await open(schema);
    const b = await open(schema);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 ? a : b).append(
          makeBatch(`case-${i}`, {
            idempotency: makeIdempotency('submit-1', `case-${i}`, { fingerprint: 'same-petition' }),
          }),
        ),
      ),
    );
    const created = results.filter((r) => !r.duplicate);
    expect(created).toHaveLength(1);
    const winner = created[0]?.idempotency?.caseId;
    for (const r of results) expect(r).toMatchObject({ version: 1, idempotency: { caseId: winner } });
    expect(await sql(`SELECT case_id FROM "${schema}".cases`)).toEqual([{ case_id: winner }]);
  });

  it('hands out each sequence number once across stores', async () => {
    const schema = freshSchema('seq');
    const a = await open(schema);
    const b = await open(schema);
    const numbers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).nextSequence('doc')),
    );
    expect([...numbers].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });
});

describe('PostgreSQL store: indexes', () => {
  it('answers every query the store makes from an index, on a table large enough for the planner to care', async () => {
    const schema = freshSchema('plan');
    const store = await open(schema);
    const s = `"${schema}"`;
    // 20,000 cases spread over many stages, units, keys; a deadline and an outbox row each.
    await sql(
      `INSERT INTO ${s}.cases SELECT 'c' || lpad(i::text, 6, '0'), 1, 'J' || (i % 20), 'st' || (i % 50),
         'sg' || (i % 50), (ARRAY['green','blue','red'])[1 + i % 3], 'U' || (i % 500), 'I' || i, 'M' || (i % 5000),
         json_build_object('caseId', 'c' || lpad(i::text, 6, '0'))
       FROM generate_series(1, 20000) i;
       INSERT INTO ${s}.events SELECT 'c' || lpad(i::text, 6, '0'), 1,
         timestamptz '2026-03-02' + i * interval '1 minute', '{}' FROM generate_series(1, 20000) i;
       INSERT INTO ${s}.deadlines SELECT 'c' || lpad(i::text, 6, '0') || ':d', 'c' || lpad(i::text, 6, '0'),
         CASE WHEN i % 10 = 0 THEN 'running' ELSE 'fired' END, timestamptz '2026-03-02' + i * interval '1 hour',
         i % 100 = 0, NULL, NULL, '{}' FROM generate_series(1, 20000) i;
       INSERT INTO ${s}.outbox SELECT 'o' || i, 'c' || lpad(i::text, 6, '0'),
         CASE WHEN i % 10 = 0 THEN 'pending' ELSE 'delivered' END, 0,
         timestamptz '2026-03-02' + i * interval '1 minute', NULL, NULL, NULL, NULL,
         timestamptz '2026-03-02' + i * interval '1 minute', '{}' FROM generate_series(1, 20000) i;
       ANALYZE ${s}.cases; ANALYZE ${s}.events; ANALYZE ${s}.deadlines; ANALYZE ${s}.outbox;`,
    );
    // Every statement the store sends while answering, explained as the server would run it.
    const sent: { text: string; values: unknown[] }[] = [];
    const pool = store.pool as unknown as { query: (text: string, values?: unknown[]) => Promise<unknown> };
    const query = pool.query.bind(pool);
    pool.query = (text, values = []) => {
      sent.push({ text, values });
      return query(text, values);
    };
    const now = '2026-03-03T00:00:00.000Z';
    await store.getCase('c000001');
    await store.getIdempotency('k');
    await store.getConfig('h');
    for (const filter of [
      { stage: 'sg1' },
      { stage: ['sg1', 'sg2'] },
      { state: 'st3' },
      { colour: 'red', after: 'c010000' },
      { unit: 'U7' },
      { jurisdictionId: 'J3', limit: 10 },
      { identityKey: 'I7' },
      { matterKey: 'M7' },
      { dueBefore: now },
    ]) {
      await store.query(filter);
    }
    await store.events('c000001');
    await store.eventsBetween('2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z');
    await store.eventsBetween('2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z', {
      after: { caseId: 'c000610', seq: 1 },
    });
    await store.deadlines('c000001');
    await store.provisionalDeadlines();
    await store.outbox({ caseId: 'c000001' });
    await store.outbox({ status: 'dead' });
    // The claims last: they change what they find. Explaining an UPDATE does not run it.
    await store.claimDueDeadlines(now, { owner: 'a', leaseMs: 1000 });
    await store.claimOutbox(now, { owner: 'a', leaseMs: 1000 });
    pool.query = query;
    expect(sent.length).toBeGreaterThan(20);
    const seqScans: string[] = [];
    for (const { text, values } of sent) {
      const rows = (await store.pool.query(`EXPLAIN ${text}`, values)).rows as { 'QUERY PLAN': string }[];
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      if (/Seq Scan/.test(plan)) seqScans.push(`${text}\n${plan}`);
    }
    expect(seqScans).toEqual([]);
  });
});

describe('PostgreSQL store: the overdue query', () => {
  const due = (days: number) =>
    new Date(Date.parse('2026-03-02T01:00:00.000Z') + days * 86_400_000).toISOString();
  const now = due(10);

  /** Case ids in order: closed ones first (as case numbers follow registration), then open ones. */
  async function seedOpenAndClosed(store: PostgresStore) {
    for (let i = 0; i < 6; i++) {
      await seedCase(store, `a${i}`, {
        projection: { stage: 'closed', state: 'closed', colour: 'blue' },
        deadlines: [makeDeadline(`a${i}`, 1, { dueAt: due(-30), status: 'stopped' })],
      });
    }
    // b0 and b2 are overdue on two deadlines each; b1 is due later; b3 only on a paused one.
    await seedCase(store, 'b0', {
      projection: { colour: 'red', identityKey: 'I1' },
      deadlines: [
        makeDeadline('b0', 1, { dueAt: due(1) }),
        makeDeadline('b0', 1, { deadlineId: 'handling', dueAt: due(2) }),
      ],
    });
    await seedCase(store, 'b1', { deadlines: [makeDeadline('b1', 1, { dueAt: due(20) })] });
    await seedCase(store, 'b2', {
      projection: { colour: 'red', stage: 'handling', identityKey: 'I1' },
      deadlines: [
        makeDeadline('b2', 1, { dueAt: due(3) }),
        makeDeadline('b2', 1, { deadlineId: 'handling', dueAt: due(4) }),
      ],
    });
    await seedCase(store, 'b3', { deadlines: [makeDeadline('b3', 1, { dueAt: due(1), status: 'paused' })] });
  }

  it('lists each overdue case once, in case order, paging with `after` and combining with filters', async () => {
    const store = await open(freshSchema('overdue'));
    await seedOpenAndClosed(store);
    const ids = async (q: Parameters<typeof store.query>[0]) => (await store.query(q)).map((p) => p.caseId);
    expect(await ids({ dueBefore: now })).toEqual(['b0', 'b2']);
    expect(await ids({ dueBefore: now, limit: 1 })).toEqual(['b0']);
    expect(await ids({ dueBefore: now, limit: 0 })).toEqual([]);
    expect(await ids({ dueBefore: now, after: 'b0' })).toEqual(['b2']);
    expect(await ids({ dueBefore: now, after: 'b2' })).toEqual([]);
    expect(await ids({ dueBefore: now, stage: ['handling', 'closed'] })).toEqual(['b2']);
    expect(await ids({ dueBefore: now, colour: 'red', after: 'a5' })).toEqual(['b0', 'b2']);
    expect(await ids({ dueBefore: due(2), colour: 'red' })).toEqual(['b0']);
    expect(await ids({ dueBefore: now, colour: ['red'], unit: 'nowhere' })).toEqual([]);
    // By identity key the case index leads; the answer is the same.
    expect(await ids({ dueBefore: now, identityKey: 'I1' })).toEqual(['b0', 'b2']);
    expect(await ids({ dueBefore: now, identityKey: 'I1', after: 'b0' })).toEqual(['b2']);
    expect(await ids({ dueBefore: due(30), limit: 2 })).toEqual(['b0', 'b1']);
    // An instant with an offset is the same instant.
    expect(await ids({ dueBefore: '2026-03-03T09:00:01+08:00' })).toEqual(['b0']);
  });

  it('walks the running-deadline index in case order and stops at the page, however many closed cases precede it', async () => {
    const schema = freshSchema('overplan');
    const store = await open(schema);
    const s = `"${schema}"`;
    // 20,000 closed cases (a fired deadline each) registered before 1,000 open ones, each open
    // case with two running deadlines, overdue but for every tenth case.
    await sql(
      `INSERT INTO ${s}.cases SELECT id, 1, 'J' || (i % 20), CASE WHEN i > 20000 THEN 'open' ELSE 'closed' END,
         'sg' || (i % 50), (ARRAY['green','blue','red'])[1 + i % 3], 'U' || (i % 500), 'I' || i, 'M' || (i % 5000),
         json_build_object('caseId', id)
       FROM generate_series(1, 21000) i, LATERAL (SELECT 'c' || lpad(i::text, 6, '0') AS id) n;
       INSERT INTO ${s}.deadlines SELECT id || ':' || k, id, CASE WHEN i > 20000 THEN 'running' ELSE 'fired' END,
         timestamptz '2026-03-02' + CASE WHEN i % 10 = 0 THEN interval '60 days' ELSE k * interval '1 hour' END,
         false, NULL, NULL, '{}'
       FROM generate_series(1, 21000) i, generate_series(1, 2) k, LATERAL (SELECT 'c' || lpad(i::text, 6, '0') AS id) n;
       ANALYZE ${s}.cases; ANALYZE ${s}.deadlines;`,
    );
    const sent: { text: string; values: unknown[] }[] = [];
    const pool = store.pool as unknown as { query: (text: string, values?: unknown[]) => Promise<unknown> };
    const query = pool.query.bind(pool);
    pool.query = (text, values = []) => {
      sent.push({ text, values });
      return query(text, values);
    };
    const dueBefore = '2026-03-03T00:00:00.000Z';
    const ids = async (q: Parameters<typeof store.query>[0]) => (await store.query(q)).map((p) => p.caseId);
    const open1 = (i: number) => `c${String(20000 + i).padStart(6, '0')}`;
    const expected = Array.from({ length: 1000 }, (_, i) => i + 1)
      .filter((i) => (20000 + i) % 10 !== 0)
      .map(open1);
    const red = expected.filter((id) => Number(id.slice(1)) % 3 === 2);
    expect(await ids({ dueBefore, limit: 10 })).toEqual(expected.slice(0, 10));
    expect(await ids({ dueBefore, limit: 10, after: open1(9) })).toEqual(
      expected.filter((id) => id > open1(9)).slice(0, 10),
    );
    expect(await ids({ dueBefore, colour: 'red', stage: ['sg1', 'sg2', 'sg4', 'sg7'], limit: 2 })).toEqual(
      red.filter((id) => ['1', '2', '4', '7'].includes(String(Number(id.slice(1)) % 50))).slice(0, 2),
    );
    expect(await ids({ dueBefore, colour: 'red', after: 'c000500', limit: 10 })).toEqual(red.slice(0, 10));
    pool.query = query;
    expect(sent).toHaveLength(4);
    for (const { text, values } of sent) {
      const rows = (
        await store.pool.query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${text}`, values)
      ).rows as { 'QUERY PLAN': string }[];
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      // The deadlines come from the new index, in its order: nothing scans a table, sorts, hashes
      // or merges the cases' key order.
      expect(plan).toMatch(/Index (Only )?Scan using deadlines_running_by_case on deadlines d/);
      expect(plan).not.toMatch(/Seq Scan|Sort|Hash|Merge|Materialize/);
      // Each case is looked up by its id, for the deadlines found.
      for (const line of plan.split('\n').filter((l) => / on cases c\b/.test(l))) {
        expect(line).toMatch(/Index (Only )?Scan using \w+ on cases c/);
      }
      expect(plan).toMatch(/Index Cond: \(.*case_id = d\.case_id\)/);
      // And it stops at the page: the entries up to its last case, not the 2,000 of the open
      // cases (nor anything of the 20,000 closed ones before them).
      const read = Number(/deadlines_running_by_case on deadlines d \(actual rows=(\d+)/.exec(plan)?.[1]);
      expect(read).toBeGreaterThan(0);
      expect(read).toBeLessThan(400);
    }
  });

  it('upgrades a version-1 schema: adds the index under the migration lock and keeps the cases', async () => {
    const schema = freshSchema('upgrade');
    const store = await open(schema);
    await seedOpenAndClosed(store);
    await store.close();
    // Back to version 1: undo migrations 3 and 2.
    await sql(
      `DROP TABLE "${schema}".case_readers; ALTER TABLE "${schema}".cases DROP COLUMN petitioner_id;
       DROP INDEX "${schema}".deadlines_running_by_case; UPDATE "${schema}".schema_version SET version = 1`,
    );
    const index = `SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = 'deadlines_running_by_case'`;
    expect(await sql(index, [schema])).toEqual([]);
    const again = await open(schema, { migrate: false });
    expect(await again.migrate()).toEqual({ from: 1, to: SCHEMA_VERSION });
    expect(await versionOf(schema)).toEqual([SCHEMA_VERSION]);
    const found = await sql<{ indexdef: string }>(index, [schema]);
    expect(found).toHaveLength(1);
    expect(found[0]?.indexdef).toMatch(/\(case_id, due_at\) WHERE \(status = 'running'::text\)$/);
    expect((await again.query({ dueBefore: now })).map((p) => p.caseId)).toEqual(['b0', 'b2']);
    // The fixtures' cases have no readers: their responsible unit reads them.
    const readable = { readableBy: { units: ['cn.test.bureau'] }, dueBefore: now };
    expect((await again.query(readable)).map((p) => p.caseId)).toEqual(['b0', 'b2']);
  });
});

describe('PostgreSQL store: readers', () => {
  const OLD_CASES = preReaderCases();

  /**
   * A schema as the store made it at version 2: the shipped migrations up to 2 (never edited once
   * shipped), and the rows its append wrote, without the petitioner column.
   */
  async function writeVersion2Schema(schema: string) {
    const s = `"${schema}"`;
    await sql(
      `CREATE SCHEMA ${s};
       CREATE TABLE ${s}.schema_version (id integer PRIMARY KEY CHECK (id = 1), version integer NOT NULL);
       INSERT INTO ${s}.schema_version (id, version) VALUES (1, 2);
       ${MIGRATIONS.slice(0, 2)
         .map((m) => m(s))
         .join('\n')}`,
    );
    for (const { projection: p, events } of OLD_CASES) {
      await sql(
        `INSERT INTO ${s}.cases (case_id, version, jurisdiction_id, state, stage, colour, responsible_unit,
           identity_key, matter_key, projection) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::json)`,
        [
          p.caseId,
          p.version,
          p.jurisdictionId,
          p.state,
          p.stage,
          p.colour,
          p.responsibleUnit ?? null,
          p.identityKey ?? null,
          p.matterKey ?? null,
          JSON.stringify(p),
        ],
      );
      for (const e of events) {
        await sql(`INSERT INTO ${s}.events (case_id, seq, at, event) VALUES ($1, $2, $3, $4::json)`, [
          e.caseId,
          e.seq,
          e.at,
          JSON.stringify(e),
        ]);
      }
    }
  }

  const readersOf = (schema: string) =>
    sql(`SELECT case_id, unit FROM "${schema}".case_readers ORDER BY case_id COLLATE "C", unit COLLATE "C"`);
  const ids = async (store: PostgresStore, query: CaseQuery) =>
    (await store.query(query)).map((p) => p.caseId);

  it('declares the readers table as the store kit declares it, keyed by unit then case', async () => {
    const schema = freshSchema('readcols');
    await open(schema);
    const declared = await sql<{ column_name: string; data_type: string; is_nullable: string }>(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
       WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
      [schema, READERS_TABLE.name],
    );
    expect(
      declared.map((c) => ({ name: c.column_name, kind: c.data_type, nullable: c.is_nullable === 'YES' })),
    ).toEqual(READERS_TABLE.columns);
    const key = await sql<{ column_name: string }>(
      `SELECT a.attname AS column_name
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, pos)
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
       WHERE n.nspname = $1 AND t.relname = $2 AND i.indisprimary ORDER BY k.pos`,
      [schema, READERS_TABLE.name],
    );
    expect(key.map((k) => k.column_name)).toEqual(READERS_TABLE.primaryKey);
    const indexes = await sql<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname IN
         ('cases_by_petitioner', 'case_readers_by_case') ORDER BY indexname`,
      [schema],
    );
    expect(indexes.map((i) => i.indexdef.replace(/^.* USING btree /, ''))).toEqual([
      '(case_id, unit)',
      '(petitioner_id, case_id)',
    ]);
  });

  it('writes the readers and the petitioner with the case, replacing them on each append', async () => {
    const schema = freshSchema('readwrite');
    const store = await open(schema);
    const first = await seedCase(store, 'c1', {
      projection: { readers: ['U1', 'U2', 'U1'], data: { petitionerId: 'p1' } },
    });
    expect(await readersOf(schema)).toEqual([
      { case_id: 'c1', unit: 'U1' },
      { case_id: 'c1', unit: 'U2' },
    ]);
    expect(await sql(`SELECT petitioner_id FROM "${schema}".cases`)).toEqual([{ petitioner_id: 'p1' }]);
    await store.append(nextBatch(first, { projection: { readers: ['U2', 'U3'], data: {} } }));
    expect(await readersOf(schema)).toEqual([
      { case_id: 'c1', unit: 'U2' },
      { case_id: 'c1', unit: 'U3' },
    ]);
    expect(await sql(`SELECT petitioner_id FROM "${schema}".cases`)).toEqual([{ petitioner_id: null }]);
    // A refused append leaves the readers as they were.
    await expect(store.append(nextBatch(first, { projection: { readers: ['U9'] } }))).rejects.toMatchObject({
      code: 'CONCURRENCY_CONFLICT',
    });
    expect(await readersOf(schema)).toHaveLength(2);
  });

  it('upgrades a version-2 schema: fills the readers and the petitioner from the stored projections', async () => {
    const schema = freshSchema('readup');
    schemas.push(schema);
    await writeVersion2Schema(schema);
    const store = await open(schema, { migrate: false });
    expect(await store.migrate()).toEqual({ from: 2, to: SCHEMA_VERSION });
    expect(await versionOf(schema)).toEqual([SCHEMA_VERSION]);
    expect(await readersOf(schema)).toEqual([
      { case_id: 'o1', unit: 'R1' },
      { case_id: 'o1', unit: 'U1' },
      { case_id: 'o2', unit: 'R1' },
      { case_id: 'o3', unit: 'U7' },
      { case_id: 'o3', unit: 'U8' },
      { case_id: 'o4', unit: 'R2' },
    ]);
    // The store kit's rule, which the memory store applies, says the same.
    expect(await readersOf(schema)).toEqual(
      OLD_CASES.flatMap(({ projection: p }) =>
        caseReaders(p).map((unit) => ({ case_id: p.caseId, unit })),
      ).sort((a, b) => (a.case_id + a.unit < b.case_id + b.unit ? -1 : 1)),
    );
    expect(await sql(`SELECT case_id, petitioner_id FROM "${schema}".cases ORDER BY case_id`)).toEqual([
      { case_id: 'o1', petitioner_id: 'p1' },
      { case_id: 'o2', petitioner_id: 'p2' },
      { case_id: 'o3', petitioner_id: null },
      { case_id: 'o4', petitioner_id: null },
      { case_id: 'o5', petitioner_id: 'p1' },
    ]);
    expect(await ids(store, { readableBy: { units: ['R1'] } })).toEqual(['o1', 'o2']);
    expect(await ids(store, { readableBy: { units: ['U1'] } })).toEqual(['o1']);
    expect(await ids(store, { readableBy: { units: ['U8', 'R2'] } })).toEqual(['o3', 'o4']);
    expect(await ids(store, { readableBy: { units: [], petitionerId: 'p1' } })).toEqual(['o1', 'o5']);
    expect(await ids(store, { readableBy: { units: ['R2'], petitionerId: 'p2' }, limit: 1 })).toEqual(['o2']);
    // The cases go on: the next append replaces what the migration filled in.
    const [o1] = OLD_CASES;
    await store.append(nextBatch(o1!, { projection: { readers: ['U4'], data: { petitionerId: 'p1' } } }));
    expect(await ids(store, { readableBy: { units: ['R1', 'U4'] } })).toEqual(['o1', 'o2']);
    expect(await ids(store, { readableBy: { units: ['U1'] } })).toEqual([]);
  });

  it('finds the readable cases from the readers key and the petitioner index, looking each up by id', async () => {
    const schema = freshSchema('readplan');
    const store = await open(schema);
    const s = `"${schema}"`;
    // 20,000 cases, each read by its unit (of 500) and a district (of 20), and a petitioner's (of
    // 10,000). Projections of a realistic size (a petition and its decisions run to kilobytes):
    // with a few bytes each the table is so small that reading it whole is rightly the cheaper
    // plan, and the test would say nothing about a province's store.
    await sql(
      `INSERT INTO ${s}.cases SELECT id, 1, 'J' || (i % 20), 'st' || (i % 50), 'sg' || (i % 50),
         (ARRAY['green','blue','red'])[1 + i % 3], 'U' || (i % 500), 'I' || i, 'M' || (i % 5000),
         json_build_object('caseId', id, 'data', json_build_object('summary', repeat('信', 500))),
         'P' || (i % 10000)
       FROM generate_series(1, 20000) i, LATERAL (SELECT 'c' || lpad(i::text, 6, '0') AS id) n;
       INSERT INTO ${s}.case_readers SELECT 'c' || lpad(i::text, 6, '0'), u
         FROM generate_series(1, 20000) i, LATERAL (VALUES ('U' || (i % 500)), ('D' || (i % 20))) r(u);
       ANALYZE ${s}.cases; ANALYZE ${s}.case_readers;`,
    );
    const sent: { text: string; values: unknown[] }[] = [];
    const pool = store.pool as unknown as { query: (text: string, values?: unknown[]) => Promise<unknown> };
    const query = pool.query.bind(pool);
    pool.query = (text, values = []) => {
      sent.push({ text, values });
      return query(text, values);
    };
    const id = (i: number) => `c${String(i).padStart(6, '0')}`;
    const matching = (keep: (i: number) => boolean) =>
      Array.from({ length: 20000 }, (_, i) => i + 1)
        .filter(keep)
        .map(id);
    const u7 = (i: number) => i % 500 === 7;
    const p42 = (i: number) => i % 10000 === 42;
    expect(await ids(store, { readableBy: { units: ['U7', 'U8'] }, limit: 5 })).toEqual(
      matching((i) => u7(i) || i % 500 === 8).slice(0, 5),
    );
    expect(await ids(store, { readableBy: { units: ['U7'], petitionerId: 'P42' } })).toEqual(
      matching((i) => u7(i) || p42(i)),
    );
    expect(
      await ids(store, { readableBy: { units: ['U7'], petitionerId: 'P42' }, after: id(10007) }),
    ).toEqual(matching((i) => (u7(i) || p42(i)) && i > 10007));
    expect(await ids(store, { readableBy: { units: [], petitionerId: 'P42' } })).toEqual([id(42), id(10042)]);
    expect(await ids(store, { readableBy: { units: ['U7', 'D3'] }, colour: 'red', limit: 10 })).toEqual(
      matching((i) => (u7(i) || i % 20 === 3) && i % 3 === 2).slice(0, 10),
    );
    pool.query = query;
    expect(sent).toHaveLength(5);
    for (const { text, values } of sent) {
      const rows = (
        await store.pool.query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${text}`, values)
      ).rows as { 'QUERY PLAN': string }[];
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan, text).not.toMatch(/Seq Scan/);
      // The units' readers from the key (by unit), or walked by case beside the cases for a short
      // page: the planner's choice, from an index either way.
      if (/case_readers/.test(text)) {
        expect(plan, text).toMatch(
          /(Index (Only )?Scan using case_readers_(pkey|by_case) on|Bitmap Index Scan on case_readers_pkey)/,
        );
      }
      if (/petitioner_id =/.test(text)) expect(plan, text).toMatch(/cases_by_petitioner on cases/);
      // The cases are looked up by id, or walked in id order for a page: never read whole.
      const casesRead = [...plan.matchAll(/using cases_pkey on cases c \(actual rows=(\d+)/g)].map((m) =>
        Number(m[1]),
      );
      for (const n of casesRead) expect(n, plan).toBeLessThan(2000);
    }
  });
});
