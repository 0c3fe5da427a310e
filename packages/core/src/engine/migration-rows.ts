/** The deadline rows a `config.migrated` event makes, on the live path and on every derivation. */

import type { Calendar, DeadlineRequest } from '../calendar/index.js';
import type { CompiledConfig } from '../compiler/compile.js';
import type { Effect } from '../compiler/types.js';
import type { CaseEvent, DeadlineRow } from '../store/types.js';
import { recomputeRow } from './effects.js';
import type { MigratedDeadline } from './migration-fold.js';

/**
 * The rows a move makes: each running period's row counted again from its recorded request on the
 * new version's calendar, under its (possibly new) id; a renamed period's old row is stopped.
 */
export function migratedRows(
  calendar: Calendar,
  compiled: CompiledConfig,
  rows: ReadonlyMap<string, DeadlineRow>,
  records: readonly MigratedDeadline[],
): DeadlineRow[] {
  const out: DeadlineRow[] = [];
  for (const m of records) {
    const old = rows.get(m.fromRow);
    const def = compiled.config.deadlines[m.deadline];
    if (!old || !def) continue;
    const request = m.request as unknown as DeadlineRequest;
    const base: DeadlineRow = {
      ...old,
      id: m.row,
      deadlineId: m.deadline,
      kind: def.kind,
      startDate: request.start,
    };
    out.push(recomputeRow(calendar, base, request, def.basis));
    if (m.row !== m.fromRow) out.push({ ...old, status: 'stopped' });
  }
  return out;
}

/** The document effects a `config.migrated` event owes (its `payload.owed`, document ids). */
export function migrationDocuments(event: CaseEvent): Effect[] {
  const owed = event.payload.owed;
  return Array.isArray(owed) ? owed.map((d) => ({ kind: 'document', document: String(d) }) as Effect) : [];
}
