import { storeConformance } from '@xinfang/testing';
import { createPostgresStore } from '../src/index.js';
import { dropSchema, TEST_URL, uniqueSchema } from './helpers.js';

// A schema per test: migrations run on each fresh one, which the suite also exercises.
storeConformance('postgres', async () => {
  const schema = uniqueSchema('conf');
  const open = () => createPostgresStore({ connectionString: TEST_URL, schema, poolSize: 4 });
  return {
    store: await open(),
    reopen: open,
    connect: open,
    cleanup: () => dropSchema(schema),
  };
});
