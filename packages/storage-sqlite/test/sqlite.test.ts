import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CaseQuery,
  type ColumnKind,
  caseReaders,
  PROJECTION_COLUMNS,
  READERS_TABLE,
} from '@xinfang/core/store-kit';
import { makeBatch, makeDeadline, nextBatch, preReaderCases, seedCase } from '@xinfang/testing';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore, SCHEMA_VERSION, type SqliteStore } from '../src/index.js';
import { MIGRATIONS } from '../src/schema.js';

let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xinfang-sqlite-'));
  path = join(dir, 'cases.db');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function schemaVersion(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT version FROM schema_version').pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('SQLite store: schema and options', () => {
  it('migrates a new file once and records the schema version', async () => {
    await createSqliteStore({ path }).close();
    expect(schemaVersion(path)).toBe(SCHEMA_VERSION);
    const store = createSqliteStore({ path });
    await seedCase(store, 'case-1');
    await store.close();
    const again = createSqliteStore({ path });
    expect((await again.getCase('case-1'))?.version).toBe(1);
    await again.close();
    expect(schemaVersion(path)).toBe(SCHEMA_VERSION);
  });

  it('declares the cases table as the store kit declares the projection columns', async () => {
    await createSqliteStore({ path }).close();
    const db = new Database(path, { readonly: true });
    const declared = db.prepare('PRAGMA table_info(cases)').all() as {
      name: string;
      type: string;
      notnull: number;
      pk: number;
    }[];
    db.close();
    // Instants and documents are text in SQLite: normalised UTC compares correctly as text.
    const types: Record<ColumnKind, string> = {
      text: 'TEXT',
      integer: 'INTEGER',
      timestamp: 'TEXT',
      json: 'TEXT',
    };
    // SQLite lets a text key without NOT NULL hold NULL (kept for old files); the store writes none.
    const nullable = (c: { notnull: number; pk: number }) => c.notnull === 0 && c.pk === 0;
    expect(declared.map((c) => ({ name: c.name, type: c.type, nullable: nullable(c) }))).toEqual(
      PROJECTION_COLUMNS.map((c) => ({ name: c.name, type: types[c.kind], nullable: c.nullable })),
    );
  });

  it('refuses a file written by a newer schema with STORE_SCHEMA_NEWER and leaves it untouched', async () => {
    await createSqliteStore({ path }).close();
    const db = new Database(path);
    db.prepare('UPDATE schema_version SET version = ?').run(SCHEMA_VERSION + 1);
    db.close();
    expect(() => createSqliteStore({ path })).toThrow(
      expect.objectContaining({
        code: 'STORE_SCHEMA_NEWER',
        details: { found: SCHEMA_VERSION + 1, supported: SCHEMA_VERSION, location: path },
      }),
    );
    expect(schemaVersion(path)).toBe(SCHEMA_VERSION + 1);
  });

  it('runs in WAL mode with synchronous FULL by default, NORMAL on request', async () => {
    const full = createSqliteStore({ path });
    expect(full.database.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(full.database.pragma('synchronous', { simple: true })).toBe(2);
    expect(full.database.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(full.capabilities).toEqual({ durable: true, multiProcess: true });
    await full.close();
    const normal = createSqliteStore({ path, synchronous: 'NORMAL', busyTimeoutMs: 250 });
    expect(normal.database.pragma('synchronous', { simple: true })).toBe(1);
    expect(normal.database.pragma('busy_timeout', { simple: true })).toBe(250);
    await normal.close();
    const memory = createSqliteStore({ path: ':memory:' });
    expect(memory.capabilities).toEqual({ durable: false, multiProcess: false });
    await memory.close();
  });

  it("uses the caller's own connection and leaves it open on close", async () => {
    const db = new Database(path);
    const store = createSqliteStore({ database: db });
    await seedCase(store, 'case-1');
    await store.close();
    expect(db.open).toBe(true);
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(1);
    await expect(store.getCase('case-1')).rejects.toMatchObject({ code: 'STORE_ERROR' });
    db.close();
  });

  it('needs a path or a database', () => {
    expect(() => createSqliteStore({})).toThrow(expect.objectContaining({ code: 'STORE_INVALID_INPUT' }));
  });

  it('reports a database locked by another process as STORE_ERROR after the busy timeout, writing nothing', async () => {
    const store = createSqliteStore({ path, busyTimeoutMs: 50 });
    const other = new Database(path);
    other.prepare('BEGIN IMMEDIATE').run();
    try {
      const started = Date.now();
      await expect(store.append(makeBatch('case-1'))).rejects.toMatchObject({
        code: 'STORE_ERROR',
        details: { sqliteCode: 'SQLITE_BUSY' },
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(40);
    } finally {
      other.prepare('ROLLBACK').run();
      other.close();
    }
    expect(await store.getCase('case-1')).toBeUndefined();
    await store.append(makeBatch('case-1'));
    await store.close();
  });
});

describe('SQLite store: the overdue query', () => {
  const due = (days: number) =>
    new Date(Date.parse('2026-03-02T01:00:00.000Z') + days * 86_400_000).toISOString();
  const now = due(10);

  /** Case ids in order: closed ones first (as case numbers follow registration), then open ones. */
  async function seedOpenAndClosed(store: ReturnType<typeof createSqliteStore>) {
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
    const store = createSqliteStore({ path });
    await seedOpenAndClosed(store);
    const ids = async (q: Parameters<typeof store.query>[0]) => (await store.query(q)).map((p) => p.caseId);
    expect(await ids({ dueBefore: now })).toEqual(['b0', 'b2']);
    expect(await ids({ dueBefore: now, limit: 1 })).toEqual(['b0']);
    expect(await ids({ dueBefore: now, after: 'b0' })).toEqual(['b2']);
    expect(await ids({ dueBefore: now, after: 'b2' })).toEqual([]);
    expect(await ids({ dueBefore: now, stage: ['handling', 'closed'] })).toEqual(['b2']);
    expect(await ids({ dueBefore: now, colour: 'red', after: 'a5' })).toEqual(['b0', 'b2']);
    expect(await ids({ dueBefore: due(2), colour: 'red' })).toEqual(['b0']);
    // By identity key the case index leads; the answer is the same.
    expect(await ids({ dueBefore: now, identityKey: 'I1' })).toEqual(['b0', 'b2']);
    expect(await ids({ dueBefore: now, identityKey: 'I1', after: 'b0' })).toEqual(['b2']);
    expect(await ids({ dueBefore: due(30), limit: 2 })).toEqual(['b0', 'b1']);
    await store.close();
  });

  it('walks the running-deadline index in case order, without scanning the cases or sorting', async () => {
    let last = '';
    const db = new Database(path, {
      verbose: (text) => {
        last = String(text);
      },
    });
    const store = createSqliteStore({ database: db });
    await seedOpenAndClosed(store);
    for (const query of [{ dueBefore: now }, { dueBefore: now, colour: 'red', after: 'a1' }]) {
      await store.query(query);
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${last}`).all() as { detail: string }[]).map(
        (r) => r.detail,
      );
      expect(plan[0]).toMatch(/^(SCAN|SEARCH) d USING COVERING INDEX deadlines_running_by_case\b/);
      expect(plan.join('\n')).not.toMatch(/SCAN c|TEMP B-TREE/);
    }
    await store.close();
    db.close();
  });

  it('upgrades a version-1 file: adds the index and keeps the cases', async () => {
    const store = createSqliteStore({ path });
    await seedOpenAndClosed(store);
    await store.close();
    const db = new Database(path);
    // Back to version 1: undo migrations 3 and 2.
    db.exec(`DROP TABLE case_readers; DROP INDEX cases_by_petitioner; ALTER TABLE cases DROP COLUMN petitioner_id;
      DROP INDEX deadlines_running_by_case; UPDATE schema_version SET version = 1`);
    db.close();
    const again = createSqliteStore({ path });
    expect(schemaVersion(path)).toBe(SCHEMA_VERSION);
    const index = "SELECT count(*) FROM sqlite_master WHERE name = 'deadlines_running_by_case'";
    expect(again.database.prepare(index).pluck().get()).toBe(1);
    expect((await again.query({ dueBefore: now })).map((p) => p.caseId)).toEqual(['b0', 'b2']);
    // The fixtures' cases have no readers: their responsible unit reads them.
    const readable = { readableBy: { units: ['cn.test.bureau'] }, dueBefore: now };
    expect((await again.query(readable)).map((p) => p.caseId)).toEqual(['b0', 'b2']);
    await again.close();
  });
});

describe('SQLite store: readers', () => {
  const OLD_CASES = preReaderCases();

  /**
   * A file as the store made it at schema version 2: the shipped migrations up to 2 (never
   * edited once shipped), and the rows its append wrote, without the petitioner column.
   */
  function writeVersion2File(file: string) {
    const db = new Database(file);
    db.exec(MIGRATIONS.slice(0, 2).join('\n'));
    db.exec('CREATE TABLE schema_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)');
    db.exec('INSERT INTO schema_version (id, version) VALUES (1, 2)');
    const insertCase = db.prepare(
      `INSERT INTO cases (case_id, version, jurisdiction_id, state, stage, colour, responsible_unit,
         identity_key, matter_key, projection) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertEvent = db.prepare('INSERT INTO events (case_id, seq, at, event) VALUES (?, ?, ?, ?)');
    for (const { projection: p, events } of OLD_CASES) {
      insertCase.run(
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
      );
      for (const e of events) insertEvent.run(e.caseId, e.seq, e.at, JSON.stringify(e));
    }
    db.close();
  }

  const readersOf = (db: Database.Database) =>
    db.prepare('SELECT case_id, unit FROM case_readers ORDER BY case_id, unit').all();
  const ids = async (store: SqliteStore, query: CaseQuery) => (await store.query(query)).map((p) => p.caseId);

  it('declares the readers table as the store kit declares it, keyed by unit then case', async () => {
    await createSqliteStore({ path }).close();
    const db = new Database(path, { readonly: true });
    const declared = db.prepare(`PRAGMA table_info(${READERS_TABLE.name})`).all() as {
      name: string;
      type: string;
      notnull: number;
      pk: number;
    }[];
    const petitioner = db
      .prepare("SELECT sql FROM sqlite_master WHERE name = 'cases_by_petitioner'")
      .pluck()
      .get() as string;
    db.close();
    expect(
      declared.map((c) => ({ name: c.name, kind: c.type.toLowerCase(), nullable: c.notnull === 0 })),
    ).toEqual(READERS_TABLE.columns);
    const key = declared.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
    expect(key.map((c) => c.name)).toEqual(READERS_TABLE.primaryKey);
    expect(petitioner).toMatch(/ON cases \(petitioner_id, case_id\)/);
  });

  it('writes the readers and the petitioner with the case, replacing them on each append', async () => {
    const store = createSqliteStore({ path });
    const first = await seedCase(store, 'c1', {
      projection: { readers: ['U1', 'U2', 'U1'], data: { petitionerId: 'p1' } },
    });
    expect(readersOf(store.database)).toEqual([
      { case_id: 'c1', unit: 'U1' },
      { case_id: 'c1', unit: 'U2' },
    ]);
    await store.append(nextBatch(first, { projection: { readers: ['U2', 'U3'], data: {} } }));
    expect(readersOf(store.database)).toEqual([
      { case_id: 'c1', unit: 'U2' },
      { case_id: 'c1', unit: 'U3' },
    ]);
    expect(store.database.prepare('SELECT petitioner_id FROM cases').pluck().all()).toEqual([null]);
    // A refused append leaves the readers as they were.
    await expect(store.append(nextBatch(first, { projection: { readers: ['U9'] } }))).rejects.toMatchObject({
      code: 'CONCURRENCY_CONFLICT',
    });
    expect(readersOf(store.database)).toHaveLength(2);
    await store.close();
  });

  it('upgrades a version-2 file: fills the readers and the petitioner from the stored projections', async () => {
    writeVersion2File(path);
    const store = createSqliteStore({ path });
    expect(schemaVersion(path)).toBe(SCHEMA_VERSION);
    expect(readersOf(store.database)).toEqual([
      { case_id: 'o1', unit: 'R1' },
      { case_id: 'o1', unit: 'U1' },
      { case_id: 'o2', unit: 'R1' },
      { case_id: 'o3', unit: 'U7' },
      { case_id: 'o3', unit: 'U8' },
      { case_id: 'o4', unit: 'R2' },
    ]);
    // The store kit's rule, which the memory store applies, says the same.
    expect(readersOf(store.database)).toEqual(
      OLD_CASES.flatMap(({ projection: p }) =>
        caseReaders(p).map((unit) => ({ case_id: p.caseId, unit })),
      ).sort((a, b) => (a.case_id + a.unit < b.case_id + b.unit ? -1 : 1)),
    );
    expect(store.database.prepare('SELECT case_id, petitioner_id FROM cases ORDER BY case_id').all()).toEqual(
      [
        { case_id: 'o1', petitioner_id: 'p1' },
        { case_id: 'o2', petitioner_id: 'p2' },
        { case_id: 'o3', petitioner_id: null },
        { case_id: 'o4', petitioner_id: null },
        { case_id: 'o5', petitioner_id: 'p1' },
      ],
    );
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
    await store.close();
  });

  it('finds the units’ cases from the readers key and the petitioner’s from its index', async () => {
    let last = '';
    const db = new Database(path, {
      verbose: (text) => {
        last = String(text);
      },
    });
    const store = createSqliteStore({ database: db });
    for (let i = 0; i < 30; i++) {
      await seedCase(store, `c${String(i).padStart(2, '0')}`, {
        projection: { readers: [`U${i % 5}`], data: { petitionerId: `p${i % 7}` } },
      });
    }
    const queries: CaseQuery[] = [
      { readableBy: { units: ['U1', 'U2'] }, limit: 5 },
      { readableBy: { units: ['U1'], petitionerId: 'p3' }, limit: 5 },
      { readableBy: { units: ['U1'], petitionerId: 'p3' }, after: 'c10' },
      { readableBy: { units: [], petitionerId: 'p3' } },
    ];
    for (const query of queries) {
      await store.query(query);
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${last}`).all() as { detail: string }[])
        .map((r) => r.detail)
        .join('\n');
      const { units, petitionerId } = query.readableBy ?? { units: [] };
      const bound = query.after === undefined ? '' : ' AND case_id>\\?';
      if (units.length > 0) {
        expect(plan).toMatch(new RegExp(`SEARCH case_readers USING PRIMARY KEY \\(unit=\\?${bound}\\)`));
      }
      if (petitionerId !== undefined) {
        expect(plan).toMatch(
          new RegExp(
            `SEARCH cases USING (COVERING )?INDEX cases_by_petitioner \\(petitioner_id=\\?${bound}\\)`,
          ),
        );
      }
      // Nothing is read whole: the cases are looked up by id.
      expect(plan).not.toMatch(/\bSCAN (case_readers|cases|c)\b/);
    }
    await store.close();
    db.close();
  });
});
