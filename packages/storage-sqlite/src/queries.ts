/** The reads: cases by id and by `CaseQuery`, events, deadline and outbox rows. */

import {
  type CaseEvent,
  type CaseProjection,
  type CaseQueryPlan,
  type DeadlineRow,
  deadlinePredicate,
  type OutboxRow,
  type OutboxStatus,
  PETITIONER_ID_COLUMN,
  PROJECTION_COLUMNS,
  PROJECTION_DOCUMENT_COLUMN,
  READERS_TABLE,
  type StoredCaseColumns,
} from '@xinfang/core/store-kit';
import type Database from 'better-sqlite3';
import { type DeadlineDbRow, type OutboxDbRow, readDeadline, readOutbox } from './rows.js';

/** The reads of a SQLite store. */
export interface Reads {
  /** Single-row lookups, each returning the stored JSON text (or undefined). */
  sql: Record<'getCase' | 'getIdempotency' | 'getConfig' | 'events', Database.Statement>;
  cases(plan: CaseQueryPlan): CaseProjection[];
  eventsBetween(
    lo: string,
    hi: string,
    limit: number,
    after?: { caseId: string; seq: number },
  ): CaseEvent[] | undefined;
  outbox(filter: { caseId?: string; status?: OutboxStatus }): OutboxRow[];
  deadlines(caseId: string): DeadlineRow[];
  provisional(): DeadlineRow[];
  caseColumns(caseId: string): StoredCaseColumns | undefined;
}

/** The statements the reads use, prepared once on `db`, and the case query's translation. */
export function readStatements(db: Database.Database): Reads {
  const sql = {
    getCase: db.prepare('SELECT projection FROM cases WHERE case_id = ?').pluck(),
    getIdempotency: db.prepare('SELECT record FROM idempotency WHERE key = ?').pluck(),
    getConfig: db.prepare('SELECT config FROM configs WHERE hash = ?').pluck(),
    events: db.prepare('SELECT event FROM events WHERE case_id = ? AND seq >= ? ORDER BY seq').pluck(),
    eventAt: db.prepare('SELECT at FROM events WHERE case_id = ? AND seq = ?').pluck(),
    eventsBetween: db
      .prepare('SELECT event FROM events WHERE at >= ? AND at < ? ORDER BY at, case_id, seq LIMIT ?')
      .pluck(),
    eventsBetweenAfter: db
      .prepare(
        `SELECT event FROM events WHERE at >= ? AND at < ? AND (at, case_id, seq) > (?, ?, ?)
         ORDER BY at, case_id, seq LIMIT ?`,
      )
      .pluck(),
    deadlines: db.prepare(
      'SELECT row, lease_owner, lease_until FROM deadlines WHERE case_id = ? ORDER BY id',
    ),
    provisional: db.prepare(
      `SELECT row, lease_owner, lease_until FROM deadlines
       WHERE provisional = 1 AND status IN ('running', 'paused') ORDER BY case_id, id`,
    ),
  };

  // The copies beside the documents, as stored, for verify (`CaseStore.caseColumns`).
  const copied = PROJECTION_COLUMNS.filter((c) => c !== PROJECTION_DOCUMENT_COLUMN).map((c) => c.name);
  const copies = {
    columns: db.prepare(`SELECT ${copied.join(', ')} FROM cases WHERE case_id = ?`),
    readers: db.prepare(`SELECT unit FROM ${READERS_TABLE.name} WHERE case_id = ? ORDER BY unit`).pluck(),
    deadlines: db.prepare('SELECT id, status, due_at FROM deadlines WHERE case_id = ? ORDER BY id'),
  };

  // Queries combine optional filters, so their SQL is built per call; the few shapes that occur
  // are prepared once each.
  const statements = new Map<string, Database.Statement>();
  function prepared(text: string): Database.Statement {
    let statement = statements.get(text);
    if (!statement) {
      statement = db.prepare(text);
      statements.set(text, statement);
    }
    return statement;
  }

  /** The cases `plan` selects, each predicate in SQLite's terms. */
  function cases(plan: CaseQueryPlan): CaseProjection[] {
    // An overdue query walks the running deadlines in case order, from a partial index that
    // holds open cases only, and looks each case up: its time depends on how many open cases
    // precede the page, not on how many closed ones the store holds. Grouping by case in index
    // order yields each case once without sorting. Only a filter on a selective column (a
    // petitioner's or a matter's cases, a handful of rows) finds them faster from the cases' own
    // index.
    const overdue =
      deadlinePredicate(plan) !== undefined &&
      !plan.predicates.some((p) => 'column' in p && p.column.selective);
    const key = `${overdue ? 'd' : 'c'}.${plan.orderBy.name}`;
    const where: string[] = [];
    const params: unknown[] = [];
    for (const predicate of plan.predicates) {
      switch (predicate.kind) {
        case 'equals':
          where.push(`c.${predicate.column.name} = ?`);
          params.push(predicate.value);
          break;
        case 'in':
          where.push(`c.${predicate.column.name} IN (SELECT value FROM json_each(?))`);
          params.push(JSON.stringify(predicate.values));
          break;
        case 'readable': {
          // One IN over the union of the units' cases (from the readers table's key, the units
          // bound as one list however many) and the petitioner's (from the petitioner index):
          // the same cases as "IN (the units' cases) OR petitioner_id = ?", but each side found
          // from its index, where an OR can leave the planner walking every case to test each.
          // The page's lower bound is repeated inside, so both index ranges start at the page.
          const branches: string[] = [];
          const bound = plan.after === undefined ? '' : ' AND case_id > ?';
          if (predicate.units.length > 0) {
            branches.push(
              `SELECT case_id FROM ${READERS_TABLE.name} WHERE unit IN (SELECT value FROM json_each(?))${bound}`,
            );
            params.push(JSON.stringify(predicate.units));
            if (plan.after !== undefined) params.push(plan.after);
          }
          if (predicate.petitionerId !== undefined) {
            branches.push(`SELECT case_id FROM cases WHERE ${PETITIONER_ID_COLUMN.name} = ?${bound}`);
            params.push(predicate.petitionerId);
            if (plan.after !== undefined) params.push(plan.after);
          }
          where.push(branches.length ? `c.case_id IN (${branches.join(' UNION ALL ')})` : '0');
          break;
        }
        case 'runningDeadlineBefore':
          where.push(
            overdue
              ? `d.status = 'running' AND d.due_at < ? AND c.case_id = d.case_id`
              : `EXISTS (SELECT 1 FROM deadlines d WHERE d.case_id = c.case_id AND d.status = 'running' AND d.due_at < ?)`,
          );
          params.push(predicate.instant);
          break;
      }
    }
    if (plan.after !== undefined) {
      where.push(`${key} > ?`);
      params.push(plan.after);
    }
    params.push(plan.limit);
    // CROSS JOIN fixes the join order and INDEXED BY the index: without statistics the planner
    // would as soon scan the cases, which is the plan this one replaces.
    const from = overdue ? 'deadlines d INDEXED BY deadlines_running_by_case CROSS JOIN cases c' : 'cases c';
    const order = overdue ? `GROUP BY ${key} ORDER BY ${key}` : `ORDER BY ${key}`;
    const text = `SELECT c.projection FROM ${from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ${order} LIMIT ?`;
    return (
      prepared(text)
        .pluck()
        .all(...params) as string[]
    ).map((s) => JSON.parse(s) as CaseProjection);
  }

  /** Events with `lo <= at < hi`, by time, case and seq, after the event `after` names if given. */
  function eventsBetween(
    lo: string,
    hi: string,
    limit: number,
    after?: { caseId: string; seq: number },
  ): CaseEvent[] | undefined {
    let rows: string[];
    if (after) {
      const at = sql.eventAt.get(after.caseId, after.seq) as string | undefined;
      if (at === undefined) return undefined;
      // Start the index range at the page's last instant, not at `from`, so each page is cheap.
      const start = at > lo ? at : lo;
      rows = sql.eventsBetweenAfter.all(start, hi, at, after.caseId, after.seq, limit) as string[];
    } else {
      rows = sql.eventsBetween.all(lo, hi, limit) as string[];
    }
    return rows.map((s) => JSON.parse(s) as CaseEvent);
  }

  /** Outbox rows in creation order, of one case and/or in one status. */
  function outbox(filter: { caseId?: string; status?: OutboxStatus }) {
    const where: string[] = [];
    const params: string[] = [];
    if (filter.caseId !== undefined) {
      where.push('case_id = ?');
      params.push(filter.caseId);
    }
    if (filter.status !== undefined) {
      where.push('status = ?');
      params.push(filter.status);
    }
    const text = `SELECT * FROM outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id`;
    return (prepared(text).all(...params) as OutboxDbRow[]).map(readOutbox);
  }

  return {
    sql,
    cases,
    eventsBetween,
    outbox,
    deadlines: (caseId: string) => (sql.deadlines.all(caseId) as DeadlineDbRow[]).map(readDeadline),
    provisional: () => (sql.provisional.all() as DeadlineDbRow[]).map(readDeadline),
    caseColumns: (caseId: string) => {
      const columns = copies.columns.get(caseId) as Record<string, string | number | null> | undefined;
      if (!columns) return undefined;
      return {
        columns,
        readers: copies.readers.all(caseId) as string[],
        deadlines: (copies.deadlines.all(caseId) as { id: string; status: string; due_at: string }[]).map(
          (d) => ({
            id: d.id,
            status: d.status,
            dueAt: d.due_at,
          }),
        ),
      };
    },
  };
}
