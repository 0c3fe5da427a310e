/**
 * The real server every test here runs against, and a schema per test that is dropped after.
 * Tests never skip when the server is down: creating a store then fails with
 * `STORE_UNREACHABLE`, whose message says how to start PostgreSQL.
 */

import pg from 'pg';

/** The server under test; `XINFANG_TEST_DATABASE_URL` points elsewhere (never `DATABASE_URL`,
 * which may name a database that matters). */
export const TEST_URL = process.env.XINFANG_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let counter = 0;
/** A schema name no other test (nor a parallel run) uses. */
export function uniqueSchema(prefix: string): string {
  const random = Math.random().toString(36).slice(2, 8);
  return `xf_test_${prefix}_${process.pid}_${++counter}_${random}`;
}

/** Drops `schema` and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Runs one query on the test database, outside any store. */
export async function sql<R extends pg.QueryResultRow = pg.QueryResultRow>(
  text: string,
  values: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: TEST_URL });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}
