/**
 * What a `CaseQuery` means, defined once. `planQuery` checks a query and turns it into typed
 * predicates (all of which a case must satisfy), an order and a page; a store that holds its
 * cases in memory evaluates the plan with `selectCases`, a SQL store translates each predicate
 * kind into its own dialect. Either way every store answers a query alike and refuses the same
 * malformed ones with `STORE_INVALID_INPUT`.
 */

import { StoreInputError } from '../errors.js';
import type { CaseQuery, ReadableBy } from '../types.js';
import { CASE_ID_COLUMN, type ColumnFilter, FILTER_COLUMNS, type ProjectionColumn } from './columns.js';
import { normaliseInstant, resolveLimit } from './input.js';

/** A projection column a `CaseQuery` field filters on. */
export type FilterColumn = ProjectionColumn & { filter: ColumnFilter };

/**
 * One condition a case must meet:
 * - `equals`: the column holds `value` (a case without the field never matches);
 * - `in`: the column holds one of `values` (none, when the list is empty);
 * - `readable`: one of the case's readers (`caseReaders`: the `READERS_TABLE` rows of a SQL
 *   store) is in `units`, or `petitionerId` is given and equals the case's
 *   `PETITIONER_ID_COLUMN` (none, when `units` is empty and no `petitionerId` is given);
 * - `runningDeadlineBefore`: the case has a deadline row with status `running` and
 *   `dueAt < instant` (strictly; paused, stopped and fired rows do not count).
 */
export type CasePredicate =
  | { kind: 'equals'; column: FilterColumn; value: string }
  | { kind: 'in'; column: FilterColumn; values: readonly string[] }
  | ReadablePredicate
  | { kind: 'runningDeadlineBefore'; instant: string };

/** The `readable` predicate: `CaseQuery.readableBy`, checked. */
export interface ReadablePredicate {
  kind: 'readable';
  units: readonly string[];
  petitionerId?: string;
}

/**
 * The most units one `readableBy` may name. A viewer holds a few units; a list this long is a
 * caller's bug, and a store binds the list as one parameter it must hold in memory.
 */
export const MAX_READABLE_UNITS = 10_000;

/** A checked `CaseQuery`: every predicate holds for each case listed. */
export interface CaseQueryPlan {
  /** Column predicates in column order, then the readable predicate, then the deadline one. */
  predicates: readonly CasePredicate[];
  /** Cases are listed by this column ascending, comparing ids as bytes (`COLLATE "C"`). */
  orderBy: ProjectionColumn;
  /** Keyset paging: only cases whose id sorts strictly after this one. */
  after?: string;
  /** At most this many cases. */
  limit: number;
}

const PAGING_FIELDS = ['readableBy', 'dueBefore', 'after', 'limit'] as const;
const KNOWN_FIELDS: ReadonlySet<string> = new Set([...FILTER_COLUMNS.map((c) => c.filter), ...PAGING_FIELDS]);

function refuse(message: string, details: Record<string, unknown>): never {
  throw new StoreInputError(message, details);
}

/**
 * Checks `query` and returns its plan. Throws `StoreInputError` (`STORE_INVALID_INPUT`) for a
 * field `CaseQuery` does not have (a typo would otherwise list every case), a filter that is not
 * a string or a list of strings, a `readableBy` that is not `{ units, petitionerId? }` (units a
 * list of at most `MAX_READABLE_UNITS` strings, the petitioner a string), an `after` that is not
 * a string, a `dueBefore` that is not an instant, or a `limit` that is not a non-negative integer.
 * Fields given as `undefined` are absent.
 */
export function planQuery(query: CaseQuery): CaseQueryPlan {
  if (typeof query !== 'object' || query === null || Array.isArray(query)) {
    refuse(`a case query must be an object of filters, got ${JSON.stringify(query)}`, { value: query });
  }
  for (const [field, value] of Object.entries(query)) {
    if (value !== undefined && !KNOWN_FIELDS.has(field)) {
      refuse(
        `unknown case query field ${JSON.stringify(field)}: use one of ${[...KNOWN_FIELDS].join(', ')}`,
        {
          field,
        },
      );
    }
  }
  const predicates: CasePredicate[] = [];
  for (const column of FILTER_COLUMNS) {
    const value: unknown = query[column.filter];
    if (value === undefined) continue;
    if (typeof value === 'string') predicates.push({ kind: 'equals', column, value });
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      predicates.push({ kind: 'in', column, values: [...value] });
    } else {
      refuse(`${column.filter} must be a string or a list of strings, got ${JSON.stringify(value)}`, {
        field: column.filter,
        value,
      });
    }
  }
  if (query.readableBy !== undefined) predicates.push(readablePredicate(query.readableBy));
  if (query.dueBefore !== undefined) {
    predicates.push({
      kind: 'runningDeadlineBefore',
      instant: normaliseInstant(query.dueBefore, 'dueBefore'),
    });
  }
  if (query.after !== undefined && typeof query.after !== 'string') {
    refuse(`after must be a case id, got ${JSON.stringify(query.after)}`, {
      field: 'after',
      value: query.after,
    });
  }
  return {
    predicates,
    orderBy: CASE_ID_COLUMN,
    ...(query.after !== undefined ? { after: query.after } : {}),
    limit: resolveLimit(query.limit),
  };
}

/** `readableBy` checked; a field given as `undefined` is absent, any other field refused. */
function readablePredicate(readableBy: ReadableBy): ReadablePredicate {
  const refuseIt = (why: string, shown: unknown = readableBy): never =>
    refuse(`readableBy ${why}, got ${JSON.stringify(shown)}`, { field: 'readableBy', value: shown });
  if (typeof readableBy !== 'object' || readableBy === null || Array.isArray(readableBy)) {
    refuseIt('must be an object { units, petitionerId? }');
  }
  for (const [field, value] of Object.entries(readableBy)) {
    // A misspelt field would otherwise be ignored, and a viewer's scope silently lost.
    if (value !== undefined && field !== 'units' && field !== 'petitionerId') {
      refuseIt(`has an unknown field ${JSON.stringify(field)}: use units, petitionerId`);
    }
  }
  const { units, petitionerId } = readableBy;
  if (!Array.isArray(units) || !units.every((u) => typeof u === 'string')) {
    refuseIt('.units must be a list of unit ids');
  }
  if (units.length > MAX_READABLE_UNITS) {
    refuseIt(`.units may name at most ${MAX_READABLE_UNITS} units`, { units: units.length });
  }
  if (petitionerId !== undefined && typeof petitionerId !== 'string') {
    refuseIt('.petitionerId must be a string');
  }
  return { kind: 'readable', units: [...units], ...(petitionerId !== undefined ? { petitionerId } : {}) };
}

/** The plan's deadline predicate, if it has one. */
export function deadlinePredicate(
  plan: CaseQueryPlan,
): Extract<CasePredicate, { kind: 'runningDeadlineBefore' }> | undefined {
  return plan.predicates.find((p) => p.kind === 'runningDeadlineBefore');
}
