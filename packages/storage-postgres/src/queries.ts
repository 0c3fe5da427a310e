/** The reads: cases by `CaseQuery`, events between instants, deadline and outbox rows. */

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
import type pg from 'pg';
import type { Connection } from './connection.js';
import { type DeadlineDbRow, type OutboxDbRow, readDeadline, readOutbox } from './rows.js';

/** The cases `plan` selects, each predicate in PostgreSQL's terms. */
export async function queryCases(conn: Connection, plan: CaseQueryPlan): Promise<CaseProjection[]> {
  const { s } = conn;
  // An overdue query walks the running deadlines in case order, from a partial index that holds
  // open cases only, and looks each case up by id: its time depends on how many open cases
  // precede the page, not on how many closed ones the store holds. DISTINCT ON in index order
  // yields each case once without sorting, and the LIMIT stops the walk. Only a filter on a
  // selective column (a petitioner's or a matter's cases, a handful of rows) finds them faster
  // from the cases' own index, with the deadlines probed per case.
  const overdue =
    deadlinePredicate(plan) !== undefined &&
    !plan.predicates.some((p) => 'column' in p && p.column.selective);
  const key = `${overdue ? 'd' : 'c'}.${plan.orderBy.name}`;
  const outer: string[] = []; // on the deadlines (overdue) or the cases
  const where: string[] = []; // on the cases
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  for (const predicate of plan.predicates) {
    switch (predicate.kind) {
      case 'equals':
        where.push(`c.${predicate.column.name} = ${param(predicate.value)}`);
        break;
      case 'in':
        where.push(`c.${predicate.column.name} = ANY(${param(predicate.values)}::text[])`);
        break;
      case 'readable': {
        // One IN over the union of the units' cases (from the readers table's key, the units
        // bound as one array however many) and the petitioner's (from the petitioner index): the
        // same cases as "IN (the units' cases) OR petitioner_id = $n", but an OR makes the
        // planner walk every case in id order testing each (it guesses half of them match),
        // where the union finds both sides from their indexes and looks the cases up by id.
        // The page's lower bound is repeated inside, so both index ranges start at the page.
        const branches: string[] = [];
        const bound = plan.after === undefined ? '' : ` AND case_id > ${param(plan.after)}`;
        if (predicate.units.length > 0) {
          branches.push(
            `SELECT case_id FROM ${s}.${READERS_TABLE.name} WHERE unit = ANY(${param(predicate.units)}::text[])${bound}`,
          );
        }
        if (predicate.petitionerId !== undefined) {
          branches.push(
            `SELECT case_id FROM ${s}.cases WHERE ${PETITIONER_ID_COLUMN.name} = ${param(predicate.petitionerId)}${bound}`,
          );
        }
        where.push(branches.length ? `c.case_id IN (${branches.join(' UNION ALL ')})` : 'false');
        break;
      }
      case 'runningDeadlineBefore': {
        const bound = param(predicate.instant);
        outer.push(
          overdue
            ? `d.status = 'running' AND d.due_at < ${bound}`
            : `EXISTS (SELECT 1 FROM ${s}.deadlines d WHERE d.case_id = c.case_id AND d.status = 'running' AND d.due_at < ${bound})`,
        );
        break;
      }
    }
  }
  if (plan.after !== undefined) outer.push(`${key} > ${param(plan.after)}`);
  const limit = param(plan.limit);
  const and = (terms: string[]) => (terms.length ? `WHERE ${terms.join(' AND ')}` : '');
  let r: pg.QueryResult<{ projection: CaseProjection }>;
  if (!overdue) {
    r = await conn.q(
      `SELECT c.projection FROM ${s}.cases c ${and([...where, ...outer])} ORDER BY ${key} LIMIT ${limit}`,
      params,
    );
  } else {
    // The case lookup is a LATERAL subquery with OFFSET 0, which the planner may not flatten
    // into a join: as a join, it is free to merge the deadlines with a walk of the cases' primary
    // key (or hash the lot and sort), the plan this one replaces. A case with several overdue
    // deadlines is looked up once for each; DISTINCT ON keeps its first.
    r = await conn.q(
      `SELECT DISTINCT ON (${key}) c.projection
       FROM ${s}.deadlines d
       CROSS JOIN LATERAL (SELECT c.projection FROM ${s}.cases c
         WHERE c.case_id = d.case_id ${where.map((w) => `AND ${w}`).join(' ')} OFFSET 0) c
       ${and(outer)}
       ORDER BY ${key} LIMIT ${limit}`,
      params,
    );
  }
  return r.rows.map((row) => row.projection);
}

/**
 * Events with `lo <= at < hi`, by time, case and seq, after the event `after` names if given;
 * `undefined` when there is no such event to page after.
 */
export async function eventsBetween(
  conn: Connection,
  lo: string,
  hi: string,
  limit: number,
  after?: { caseId: string; seq: number },
): Promise<CaseEvent[] | undefined> {
  const { s } = conn;
  let r: pg.QueryResult<{ event: CaseEvent }>;
  if (after) {
    const found = await conn.q<{ at: Date }>(`SELECT at FROM ${s}.events WHERE case_id = $1 AND seq = $2`, [
      after.caseId,
      after.seq,
    ]);
    const at = found.rows[0]?.at;
    if (at === undefined) return undefined;
    r = await conn.q(
      `SELECT event FROM ${s}.events
       WHERE at >= $1 AND at < $2 AND (at, case_id, seq) > ($3::timestamptz, $4, $5::integer)
       ORDER BY at, case_id, seq LIMIT $6`,
      [lo, hi, at.toISOString(), after.caseId, after.seq, limit],
    );
  } else {
    r = await conn.q(
      `SELECT event FROM ${s}.events WHERE at >= $1 AND at < $2 ORDER BY at, case_id, seq LIMIT $3`,
      [lo, hi, limit],
    );
  }
  return r.rows.map((row) => row.event);
}

/** A case's deadline rows in id order. */
export async function caseDeadlines(conn: Connection, caseId: string): Promise<DeadlineRow[]> {
  const r = await conn.q<DeadlineDbRow>(
    `SELECT row, lease_owner, lease_until FROM ${conn.s}.deadlines WHERE case_id = $1 ORDER BY id`,
    [caseId],
  );
  return r.rows.map(readDeadline);
}

/** The copies kept beside a case's documents (`CaseStore.caseColumns`), as stored. */
export async function caseColumns(conn: Connection, caseId: string): Promise<StoredCaseColumns | undefined> {
  const names = PROJECTION_COLUMNS.filter((c) => c !== PROJECTION_DOCUMENT_COLUMN).map((c) => c.name);
  const row = await conn.q<Record<string, string | number | null>>(
    `SELECT ${names.join(', ')} FROM ${conn.s}.cases WHERE case_id = $1`,
    [caseId],
  );
  const columns = row.rows[0];
  if (!columns) return undefined;
  const readers = await conn.q<{ unit: string }>(
    `SELECT unit FROM ${conn.s}.${READERS_TABLE.name} WHERE case_id = $1 ORDER BY unit`,
    [caseId],
  );
  const deadlines = await conn.q<{ id: string; status: string; due_at: Date }>(
    `SELECT id, status, due_at FROM ${conn.s}.deadlines WHERE case_id = $1 ORDER BY id`,
    [caseId],
  );
  return {
    columns,
    readers: readers.rows.map((r) => r.unit),
    deadlines: deadlines.rows.map((d) => ({
      id: d.id,
      status: d.status,
      dueAt: new Date(d.due_at).toISOString(),
    })),
  };
}

/** Open provisional deadline rows, by case, then id. */
export async function provisionalDeadlines(conn: Connection): Promise<DeadlineRow[]> {
  const r = await conn.q<DeadlineDbRow>(
    `SELECT row, lease_owner, lease_until FROM ${conn.s}.deadlines
     WHERE provisional AND status IN ('running', 'paused') ORDER BY case_id, id`,
  );
  return r.rows.map(readDeadline);
}

/** Outbox rows in creation order, of one case and/or in one status. */
export async function listOutbox(
  conn: Connection,
  filter: { caseId?: string; status?: OutboxStatus },
): Promise<OutboxRow[]> {
  const where: string[] = [];
  const params: string[] = [];
  if (filter.caseId !== undefined) {
    params.push(filter.caseId);
    where.push(`case_id = $${params.length}`);
  }
  if (filter.status !== undefined) {
    params.push(filter.status);
    where.push(`status = $${params.length}`);
  }
  const r = await conn.q<OutboxDbRow>(
    `SELECT * FROM ${conn.s}.outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id`,
    params,
  );
  return r.rows.map(readOutbox);
}
