/** The tamper suite on PostgreSQL: edits made with raw SQL past the store, each found. */

import { fileURLToPath } from 'node:url';
import { loadCalendarFile, loadConfigOrThrow } from '@xinfang/core';
import { tamperSuite } from '@xinfang/testing';
import { afterAll } from 'vitest';
import { createPostgresStore } from '../src/index.js';
import { dropSchema, sql, TEST_URL, uniqueSchema } from './helpers.js';

const schema = uniqueSchema('tamper');
afterAll(() => dropSchema(schema));
const root = fileURLToPath(new URL('../../../', import.meta.url));

tamperSuite(
  'postgres',
  async () => ({
    store: await createPostgresStore({ connectionString: TEST_URL, schema, poolSize: 4 }),
    sql: {
      // the writer's own connection, `?` placeholders numbered as PostgreSQL wants them
      run: (text, params = []) => {
        let n = 0;
        return sql(
          text.replace(/\?/g, () => `$${++n}`),
          params,
        );
      },
      table: (name) => `"${schema}".${name}`,
    },
  }),
  () => ({
    config: loadConfigOrThrow(`${root}configs/national.yaml`).value,
    calendar: loadCalendarFile(`${root}configs/calendars/cn-mainland.yaml`),
  }),
);
