import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCalendarFile, loadConfigOrThrow } from '@xinfang/core';
import { accessMatrix, stageBoardSuite, storeConformance } from '@xinfang/testing';
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

const root = fileURLToPath(new URL('../../../', import.meta.url));

accessMatrix(
  'sqlite file',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xinfang-sqlite-access-'));
    return {
      store: createSqliteStore({ path: join(dir, 'cases.db') }),
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  },
  () => ({
    config: loadConfigOrThrow(`${root}configs/national.yaml`).value,
    calendar: loadCalendarFile(`${root}configs/calendars/cn-mainland.yaml`),
  }),
);

stageBoardSuite(
  'sqlite file',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xinfang-sqlite-board-'));
    return {
      store: createSqliteStore({ path: join(dir, 'cases.db') }),
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  },
  () => ({
    config: loadConfigOrThrow(`${root}configs/national.yaml`).value,
    calendar: loadCalendarFile(`${root}configs/calendars/cn-mainland.yaml`),
  }),
);
