import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBatch, seedCase } from '@xinfang/testing';
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
