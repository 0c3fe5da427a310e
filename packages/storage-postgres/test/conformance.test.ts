import { storeConformance } from '@xinfang/testing';
import { afterAll } from 'vitest';
import { createPostgresStore } from '../src/index.js';
import { dropSchema, sql, TEST_URL, uniqueSchema } from './helpers.js';

// One schema for the file, emptied after each test: migrating a fresh schema per test would
// spend most of the suite's time on DDL (the migration tests cover fresh schemas).
const schema = uniqueSchema('conf');
afterAll(() => dropSchema(schema));

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
