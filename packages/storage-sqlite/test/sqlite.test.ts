import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ColumnKind, PROJECTION_COLUMNS } from '@xinfang/core/store-kit';
import { makeBatch, makeDeadline, seedCase } from '@xinfang/testing';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore, SCHEMA_VERSION } from '../src/index.js';

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
    db.exec('DROP INDEX deadlines_running_by_case; UPDATE schema_version SET version = 1');
    db.close();
    const again = createSqliteStore({ path });
    expect(schemaVersion(path)).toBe(SCHEMA_VERSION);
    const index = "SELECT count(*) FROM sqlite_master WHERE name = 'deadlines_running_by_case'";
    expect(again.database.prepare(index).pluck().get()).toBe(1);
    expect((await again.query({ dueBefore: now })).map((p) => p.caseId)).toEqual(['b0', 'b2']);
    await again.close();
  });
});
