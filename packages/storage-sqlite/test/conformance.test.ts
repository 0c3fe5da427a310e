import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeConformance } from '@xinfang/testing';
import { createSqliteStore } from '../src/index.js';

storeConformance('sqlite file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'xinfang-sqlite-'));
  const path = join(dir, 'cases.db');
  return {
    store: createSqliteStore({ path }),
    reopen: async () => createSqliteStore({ path }),
    connect: async () => createSqliteStore({ path }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

storeConformance('sqlite :memory:', async () => ({ store: createSqliteStore({ path: ':memory:' }) }));
