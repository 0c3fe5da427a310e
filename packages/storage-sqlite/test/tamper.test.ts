/** The tamper suite on a SQLite file: edits made with raw SQL past the store, each found. */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCalendarFile, loadConfigOrThrow } from '@xinfang/core';
import { tamperSuite } from '@xinfang/testing';
import { createSqliteStore } from '../src/index.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

tamperSuite(
  'sqlite file',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xinfang-sqlite-tamper-'));
    const store = createSqliteStore({ path: join(dir, 'cases.db') });
    const db = store.database;
    return {
      store,
      cleanup: () => rm(dir, { recursive: true, force: true }),
      sql: {
        async run(text, params = []) {
          const statement = db.prepare(text);
          if (statement.reader) return statement.all(...params) as Record<string, unknown>[];
          statement.run(...params);
          return [];
        },
        table: (name) => name,
      },
    };
  },
  () => ({
    config: loadConfigOrThrow(`${root}configs/national.yaml`).value,
    calendar: loadCalendarFile(`${root}configs/calendars/cn-mainland.yaml`),
  }),
);
