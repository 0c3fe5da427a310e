/**
 * The schema, as an ordered list of migrations. `MIGRATIONS[n]` takes a database from schema
 * version n to n + 1. Never edit a migration that has shipped: append a new one.
 *
 * Documents (projections, events, rows) are stored whole as JSON text; the columns beside them
 * are copies of what queries filter or sort on, and the instants among them are normalised UTC
 * so that they compare correctly as text.
 */

import { StoreSchemaNewerError } from '@xinfang/core/store-kit';
import type BetterSqlite3 from 'better-sqlite3';

export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE cases (
    case_id          TEXT PRIMARY KEY,
    version          INTEGER NOT NULL,
    jurisdiction_id  TEXT NOT NULL,
    state            TEXT NOT NULL,
    stage            TEXT NOT NULL,
    colour           TEXT NOT NULL,
    responsible_unit TEXT,
    identity_key     TEXT,
    matter_key       TEXT,
    projection       TEXT NOT NULL
  );
  -- (filter, case_id): equality on the filter, then the keyset order, from one index.
  CREATE INDEX cases_by_stage ON cases (stage, case_id);
  CREATE INDEX cases_by_state ON cases (state, case_id);
  CREATE INDEX cases_by_colour ON cases (colour, case_id);
  CREATE INDEX cases_by_unit ON cases (responsible_unit, case_id);
  CREATE INDEX cases_by_jurisdiction ON cases (jurisdiction_id, case_id);
  CREATE INDEX cases_by_identity ON cases (identity_key, case_id);
  CREATE INDEX cases_by_matter ON cases (matter_key, case_id);

  CREATE TABLE events (
    case_id TEXT NOT NULL,
    seq     INTEGER NOT NULL,
    at      TEXT NOT NULL,
    event   TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
  );
  CREATE INDEX events_by_time ON events (at, case_id, seq);

  CREATE TABLE deadlines (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL,
    status      TEXT NOT NULL,
    due_at      TEXT NOT NULL,
    provisional INTEGER NOT NULL,
    lease_owner TEXT,
    lease_until TEXT,
    row         TEXT NOT NULL
  );
  -- A case's rows, and "has a running deadline due before" for overdue queries.
  CREATE INDEX deadlines_by_case ON deadlines (case_id, status, due_at);
  -- Claims scan only running rows, earliest first.
  CREATE INDEX deadlines_due ON deadlines (due_at, id) WHERE status = 'running';
  CREATE INDEX deadlines_provisional ON deadlines (case_id, id)
    WHERE provisional = 1 AND status IN ('running', 'paused');

  CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    case_id         TEXT NOT NULL,
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    receipt         TEXT,
    lease_owner     TEXT,
    lease_until     TEXT,
    created_at      TEXT NOT NULL,
    row             TEXT NOT NULL
  );
  CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'pending';
  CREATE INDEX outbox_by_case ON outbox (case_id, created_at, id);
  CREATE INDEX outbox_by_status ON outbox (status, created_at, id);

  CREATE TABLE idempotency (
    key         TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    case_id     TEXT NOT NULL,
    record      TEXT NOT NULL
  );

  CREATE TABLE configs (
    hash   TEXT PRIMARY KEY,
    config TEXT NOT NULL
  );

  CREATE TABLE sequences (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  );
  `,
  // 2: the overdue page. "Cases with a running deadline due before t, in case order" walked the
  // cases in id order, probing each one's deadlines: case ids follow registration, so a store of
  // long-closed cases was read end to end before the first open one (the time grew with the
  // store). This index holds open cases only, in case order, with the due instant beside each.
  `
  CREATE INDEX deadlines_running_by_case ON deadlines (case_id, due_at) WHERE status = 'running';
  `,
  // 3: reads scoped to the viewer (`CaseQuery.readableBy`). A case's readers get a table of their
  // own, keyed by unit first so "the cases these units read" walks the key; the petitioner gets a
  // column. Both are filled from each stored projection by the store kit's rule (`caseReaders`):
  // its `readers`, or, written before readers existed, its responsible and registering units.
  `
  ALTER TABLE cases ADD COLUMN petitioner_id TEXT;
  CREATE INDEX cases_by_petitioner ON cases (petitioner_id, case_id);
  UPDATE cases SET petitioner_id = json_extract(projection, '$.data.petitionerId')
    WHERE json_type(projection, '$.data.petitionerId') = 'text';

  CREATE TABLE case_readers (
    case_id TEXT NOT NULL,
    unit    TEXT NOT NULL,
    PRIMARY KEY (unit, case_id)
  ) WITHOUT ROWID;
  -- An append replaces a case's readers: found by case.
  CREATE INDEX case_readers_by_case ON case_readers (case_id, unit);
  INSERT OR IGNORE INTO case_readers (case_id, unit)
    SELECT c.case_id, r.value FROM cases c, json_each(c.projection, '$.readers') r
    WHERE json_type(c.projection, '$.readers') = 'array' AND r.type = 'text';
  INSERT OR IGNORE INTO case_readers (case_id, unit)
    SELECT c.case_id, u.value
    FROM cases c, json_each(json_array(json_extract(c.projection, '$.responsibleUnit'),
                                       json_extract(c.projection, '$.data.registeringUnit'))) u
    WHERE coalesce(json_type(c.projection, '$.readers'), 'null') = 'null' AND u.type = 'text';
  `,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings `db` to `SCHEMA_VERSION` in one immediate transaction, so two processes opening a new
 * file at once do not both migrate it. Refuses a file written by a newer version of the store
 * (`STORE_SCHEMA_NEWER`) before touching it.
 */
export function migrate(db: BetterSqlite3.Database): void {
  db.transaction(() => {
    db.exec(
      'CREATE TABLE IF NOT EXISTS schema_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)',
    );
    const row = db.prepare('SELECT version FROM schema_version WHERE id = 1').get() as
      | { version: number }
      | undefined;
    const found = row?.version ?? 0;
    if (found > SCHEMA_VERSION) {
      throw new StoreSchemaNewerError({ found, supported: SCHEMA_VERSION, location: db.name });
    }
    if (found === SCHEMA_VERSION) return;
    for (const migration of MIGRATIONS.slice(found)) db.exec(migration);
    db.prepare(
      'INSERT INTO schema_version (id, version) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version',
    ).run(SCHEMA_VERSION);
  }).immediate();
}
