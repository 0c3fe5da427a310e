/**
 * A `CaseQueryPlan` evaluated in JavaScript, for stores that hold their cases in memory (the
 * in-memory store, a journal replayed on open). SQL stores translate the same predicates instead.
 */

import type { CaseProjection, DeadlineRow } from '../types.js';
import { caseReaders, PETITIONER_ID_COLUMN } from './columns.js';
import type { CasePredicate, CaseQueryPlan, ReadablePredicate } from './query.js';

/** Whether `projection` meets a `readable` predicate whose units are `units`. */
function readable(predicate: ReadablePredicate, units: ReadonlySet<string>, projection: CaseProjection) {
  if (caseReaders(projection).some((unit) => units.has(unit))) return true;
  return (
    predicate.petitionerId !== undefined && PETITIONER_ID_COLUMN.value(projection) === predicate.petitionerId
  );
}

/**
 * Whether `projection` meets a column or readable predicate (`units`: the readable one's units
 * as a set, made once per query); the deadline predicate is the caller's.
 */
function meets(predicate: CasePredicate, projection: CaseProjection, units: ReadonlySet<string>): boolean {
  if (predicate.kind === 'runningDeadlineBefore') return true;
  if (predicate.kind === 'readable') return readable(predicate, units, projection);
  const value = predicate.column.value(projection);
  if (typeof value !== 'string') return false;
  return predicate.kind === 'equals' ? value === predicate.value : predicate.values.includes(value);
}

/**
 * The page `plan` selects. `cases` must come in case-id order (it is read only as far as the
 * page needs, so it may be a lazy iterable); `deadlines` are all the store's deadline rows, read
 * only when the plan has a deadline predicate. Returns the stored projections themselves: copy
 * them before handing them out.
 */
export function selectCases(
  plan: CaseQueryPlan,
  cases: Iterable<CaseProjection>,
  deadlines: Iterable<DeadlineRow>,
): CaseProjection[] {
  let overdue: Set<string> | undefined;
  for (const predicate of plan.predicates) {
    if (predicate.kind !== 'runningDeadlineBefore') continue;
    overdue = new Set();
    for (const row of deadlines) {
      if (row.status === 'running' && row.dueAt < predicate.instant) overdue.add(row.caseId);
    }
  }
  // A plan has at most one readable predicate (one `readableBy`).
  const readableUnits = new Set(plan.predicates.flatMap((p) => (p.kind === 'readable' ? p.units : [])));
  const found: CaseProjection[] = [];
  if (plan.limit === 0) return found;
  for (const projection of cases) {
    const caseId = projection.caseId;
    if (plan.after !== undefined && caseId <= plan.after) continue;
    if (overdue && !overdue.has(caseId)) continue;
    if (!plan.predicates.every((p) => meets(p, projection, readableUnits))) continue;
    found.push(projection);
    if (found.length >= plan.limit) break;
  }
  return found;
}
