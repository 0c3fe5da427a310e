import { fileURLToPath } from 'node:url';
import { loadCalendarFile, loadConfigOrThrow } from '@xinfang/core';
import { accessMatrix, stageBoardSuite, storeConformance } from '@xinfang/testing';
import { afterAll } from 'vitest';
import { createPostgresStore } from '../src/index.js';
import { dropSchema, sql, TEST_URL, uniqueSchema } from './helpers.js';

// One schema for the file, emptied after each test: migrating a fresh schema per test would
// spend most of the suite's time on DDL (the migration tests cover fresh schemas).
const schema = uniqueSchema('conf');
afterAll(() => dropSchema(schema));
// the access matrix keeps its cases for the whole block: a schema of its own
const accessSchema = uniqueSchema('access');
afterAll(() => dropSchema(accessSchema));

storeConformance('postgres', async () => {
  const open = () => createPostgresStore({ connectionString: TEST_URL, schema, poolSize: 4 });
  return {
    store: await open(),
    reopen: open,
    connect: open,
    cleanup: async () => {
      await sql(
        `TRUNCATE ${['cases', 'events', 'deadlines', 'outbox', 'idempotency', 'configs', 'sequences']
          .map((table) => `"${schema}".${table}`)
          .join(', ')}`,
      );
    },
  };
});

const root = fileURLToPath(new URL('../../../', import.meta.url));

accessMatrix(
  'postgres',
  async () => ({
    store: await createPostgresStore({ connectionString: TEST_URL, schema: accessSchema, poolSize: 4 }),
  }),
  () => ({
    config: loadConfigOrThrow(`${root}configs/national.yaml`).value,
    calendar: loadCalendarFile(`${root}configs/calendars/cn-mainland.yaml`),
  }),
);

stageBoardSuite(
  'postgres',
  async () => {
    const schema = uniqueSchema('board');
    return {
      store: await createPostgresStore({ connectionString: TEST_URL, schema, poolSize: 4 }),
      cleanup: () => dropSchema(schema),
    };
  },
  () => ({
    config: loadConfigOrThrow(`${root}configs/national.yaml`).value,
    calendar: loadCalendarFile(`${root}configs/calendars/cn-mainland.yaml`),
  }),
);
