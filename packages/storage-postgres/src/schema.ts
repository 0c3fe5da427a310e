/**
 * The schema, as an ordered list of migrations. `MIGRATIONS[n]` takes a schema from version n to
 * n + 1. Never edit a migration that has shipped: append a new one.
 *
 * Documents (projections, events, rows) are stored whole in `json` columns; the columns beside
 * them are copies of what queries filter or sort on. `json`, not `jsonb`: `json` keeps the exact
 * text it was given, which an event's hash covers, and it accepts `\u0000` in strings, which
 * `jsonb` refuses (a petition pasted from a word processor may carry one). Instants are
 * `timestamptz`, so they compare as instants whatever offset they were written with. Ids are
 * `COLLATE "C"`: cases page in byte order, the order the other stores use, whatever the
 * database's locale.
 */

import { StoreSchemaNewerError } from '@xinfang/core/store-kit';
import type pg from 'pg';

/** `MIGRATIONS[n](schema)` is the SQL that takes `schema` (a quoted identifier) from n to n + 1. */
export const MIGRATIONS: readonly ((s: string) => string)[] = [
  (s) => `
  CREATE TABLE ${s}.cases (
    case_id          text COLLATE "C" PRIMARY KEY,
    version          integer NOT NULL CHECK (version >= 0),
    jurisdiction_id  text NOT NULL,
    state            text NOT NULL,
    stage            text NOT NULL,
    colour           text NOT NULL,
    responsible_unit text,
    identity_key     text,
    matter_key       text,
    projection       json NOT NULL
  );
  -- (filter, case_id): equality on the filter, then the keyset order, from one index.
  CREATE INDEX cases_by_stage ON ${s}.cases (stage, case_id);
  CREATE INDEX cases_by_state ON ${s}.cases (state, case_id);
  CREATE INDEX cases_by_colour ON ${s}.cases (colour, case_id);
  CREATE INDEX cases_by_unit ON ${s}.cases (responsible_unit, case_id);
  CREATE INDEX cases_by_jurisdiction ON ${s}.cases (jurisdiction_id, case_id);
  CREATE INDEX cases_by_identity ON ${s}.cases (identity_key, case_id);
  CREATE INDEX cases_by_matter ON ${s}.cases (matter_key, case_id);

  CREATE TABLE ${s}.events (
    case_id text COLLATE "C" NOT NULL,
    seq     integer NOT NULL CHECK (seq >= 1),
    at      timestamptz NOT NULL,
    event   json NOT NULL,
    -- The last line of defence against two writers appending the same seq.
    PRIMARY KEY (case_id, seq)
  );
  CREATE INDEX events_by_time ON ${s}.events (at, case_id, seq);

  CREATE TABLE ${s}.deadlines (
    id          text COLLATE "C" PRIMARY KEY,
    case_id     text COLLATE "C" NOT NULL,
    status      text NOT NULL,
    due_at      timestamptz NOT NULL,
    provisional boolean NOT NULL,
    lease_owner text,
    lease_until timestamptz,
    row         json NOT NULL
  );
  -- A case's rows, and "has a running deadline due before" for overdue queries.
  CREATE INDEX deadlines_by_case ON ${s}.deadlines (case_id, status, due_at);
  -- Claims scan only running rows, earliest first.
  CREATE INDEX deadlines_due ON ${s}.deadlines (due_at, id) WHERE status = 'running';
  CREATE INDEX deadlines_provisional ON ${s}.deadlines (case_id, id)
    WHERE provisional AND status IN ('running', 'paused');

  CREATE TABLE ${s}.outbox (
    id              text COLLATE "C" PRIMARY KEY,
    case_id         text COLLATE "C" NOT NULL,
    status          text NOT NULL,
    attempts        integer NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    last_error      text,
    receipt         json,
    lease_owner     text,
    lease_until     timestamptz,
    created_at      timestamptz NOT NULL,
    row             json NOT NULL
  );
  CREATE INDEX outbox_due ON ${s}.outbox (next_attempt_at, id) WHERE status = 'pending';
  CREATE INDEX outbox_by_case ON ${s}.outbox (case_id, created_at, id);
  CREATE INDEX outbox_by_status ON ${s}.outbox (status, created_at, id);
  CREATE INDEX outbox_by_created ON ${s}.outbox (created_at, id);

  CREATE TABLE ${s}.idempotency (
    key         text COLLATE "C" PRIMARY KEY,
    fingerprint text NOT NULL,
    case_id     text COLLATE "C" NOT NULL,
    record      json NOT NULL
  );

  CREATE TABLE ${s}.configs (
    hash   text COLLATE "C" PRIMARY KEY,
    config json NOT NULL
  );

  -- A row per name, bumped in place: a number handed out is committed at once and never
  -- handed out again, whatever happens to the transaction that asked for it.
  CREATE TABLE ${s}.sequences (
    name  text COLLATE "C" PRIMARY KEY,
    value bigint NOT NULL
  );
  `,
  // 2: the overdue page. "Cases with a running deadline due before t, in case order" was a semi
  // join the planner answered by walking the cases' primary key and probing each case's
  // deadlines: case ids follow registration, so a store of long-closed cases was read end to end
  // before the first open one (the time grew with the store). This index holds open cases only,
  // in case order, with the due instant beside each, so the page reads it in order and stops.
  // A plain CREATE INDEX: CONCURRENTLY cannot run inside the migration's transaction. It holds
  // off writes to deadlines (reads go on) for one scan of the table while it builds.
  (s) => `
  CREATE INDEX deadlines_running_by_case ON ${s}.deadlines (case_id, due_at) WHERE status = 'running';
  `,
  // 3: reads scoped to the viewer (`CaseQuery.readableBy`). A case's readers get a table of their
  // own, keyed by unit first so "the cases these units read" walks the key; the petitioner gets a
  // column. Both are filled from each stored projection by the store kit's rule (`caseReaders`):
  // its `readers`, or, written before readers existed, its responsible and registering units.
  // Adding a nullable column is a catalog change; filling it rewrites each case row once, inside
  // the migration's transaction (writers to the cases wait for it; readers go on).
  (s) => `
  ALTER TABLE ${s}.cases ADD COLUMN petitioner_id text;
  UPDATE ${s}.cases SET petitioner_id = projection->'data'->>'petitionerId'
    WHERE json_typeof(projection->'data'->'petitionerId') = 'string';
  CREATE INDEX cases_by_petitioner ON ${s}.cases (petitioner_id, case_id);

  CREATE TABLE ${s}.case_readers (
    case_id text COLLATE "C" NOT NULL,
    unit    text NOT NULL,
    PRIMARY KEY (unit, case_id)
  );
  INSERT INTO ${s}.case_readers (case_id, unit)
  SELECT DISTINCT c.case_id, u.value #>> '{}'
  FROM ${s}.cases c
  CROSS JOIN LATERAL json_array_elements(CASE
      WHEN json_typeof(c.projection->'readers') = 'array' THEN c.projection->'readers'
      WHEN coalesce(json_typeof(c.projection->'readers'), 'null') = 'null'
        THEN json_build_array(c.projection->'responsibleUnit', c.projection->'data'->'registeringUnit')
      ELSE '[]'::json END) AS u(value)
  WHERE json_typeof(u.value) = 'string';
  -- An append replaces a case's readers: found by case.
  CREATE INDEX case_readers_by_case ON ${s}.case_readers (case_id, unit);
  `,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** `name` as a quoted SQL identifier. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** What `migrate` found and left. */
export interface MigrationResult {
  /** The schema version before (0: no schema). */
  from: number;
  /** The schema version after: `SCHEMA_VERSION`. */
  to: number;
}

async function readVersion(client: pg.ClientBase, schema: string): Promise<number> {
  // Asks the catalog tables with this statement's snapshot, not `to_regclass`: that answers from
  // the session's catalog cache, which may not yet know of a schema another process created while
  // this one waited for the migration lock, and then this one would create it again.
  const exists = await client.query<{ present: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relname = 'schema_version') AS present`,
    [schema],
  );
  if (!exists.rows[0]?.present) return 0;
  const row = await client.query<{ version: number }>(
    `SELECT version FROM ${quoteIdentifier(schema)}.schema_version WHERE id = 1`,
  );
  return row.rows[0]?.version ?? 0;
}

function refuseNewer(found: number, schema: string): void {
  if (found > SCHEMA_VERSION) {
    throw new StoreSchemaNewerError({ found, supported: SCHEMA_VERSION, location: `schema ${schema}` });
  }
}

/**
 * The stored schema version (0: none), refusing one newer than this code (`STORE_SCHEMA_NEWER`).
 * Reads only: a process that may not run DDL can still check.
 */
export async function checkVersion(client: pg.ClientBase, schema: string): Promise<number> {
  const found = await readVersion(client, schema);
  refuseNewer(found, schema);
  return found;
}

/**
 * Brings `schema` to `SCHEMA_VERSION` in one transaction holding an advisory lock named after the
 * schema, so processes starting together migrate one after another: the first does the work, the
 * others find it done. Refuses a schema written by a newer version (`STORE_SCHEMA_NEWER`) before
 * touching it. A schema already current is recognised without the lock and without DDL.
 */
export async function migrate(client: pg.ClientBase, schema: string): Promise<MigrationResult> {
  const current = await checkVersion(client, schema);
  if (current === SCHEMA_VERSION) return { from: current, to: current };
  const s = quoteIdentifier(schema);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `xinfang.migrate:${schema}`,
    ]);
    // Read again under the lock: another process may have migrated while this one waited.
    const found = await checkVersion(client, schema);
    if (found < SCHEMA_VERSION) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${s}.schema_version
           (id integer PRIMARY KEY CHECK (id = 1), version integer NOT NULL)`,
      );
      for (const migration of MIGRATIONS.slice(found)) await client.query(migration(s));
      await client.query(
        `INSERT INTO ${s}.schema_version (id, version) VALUES (1, $1)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version`,
        [SCHEMA_VERSION],
      );
    }
    await client.query('COMMIT');
    return { from: found, to: SCHEMA_VERSION };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}
