/**
 * `applyCalendar`: a new version of a holiday calendar (the State Council's schedule for a new
 * year, a correction). Every open deadline counted on it is recomputed from its stored request;
 * each due date that moves, or stops being provisional, is a `deadline.moved` event on its case.
 */

import type { Calendar } from '../calendar/index.js';
import { localCalendar } from '../calendar/index.js';
import type { JsonObject } from '../store/types.js';
import { CaseTx, retryOnConflict } from './case-tx.js';
import { recomputeRow, requestOf } from './effects.js';
import { DEADLINE_MOVED, type DeadlineRecord } from './fold.js';
import { clockActor, type EngineRuntime, nowOf } from './runtime.js';
import type { MovedDeadline } from './types.js';

const PAGE = 100;

/** Loads a calendar version and moves every open deadline it changes; returns what moved. */
export async function applyCalendarVersion(rt: EngineRuntime, calendar: Calendar): Promise<MovedDeadline[]> {
  rt.configs.setCalendar(calendar);
  const moved: MovedDeadline[] = [];
  for (const jurisdictionId of rt.configs.jurisdictionsOn(calendar.id)) {
    let after: string | undefined;
    for (;;) {
      const page = await rt.store.query({ jurisdictionId, limit: PAGE, ...(after ? { after } : {}) });
      for (const p of page) moved.push(...(await retryOnConflict(() => moveCase(rt, p.caseId, calendar))));
      if (page.length < PAGE) break;
      after = page.at(-1)?.caseId;
    }
  }
  return moved;
}

/** Moves one case's open deadlines onto `calendar`, one event per moved row, in one transaction. */
async function moveCase(rt: EngineRuntime, caseId: string, calendar: Calendar): Promise<MovedDeadline[]> {
  const tx = await CaseTx.open(rt, caseId);
  const { compiled } = tx;
  if (compiled.config.jurisdiction.calendar !== calendar.id) return [];
  const open = (await tx.currentRows()).filter((r) => r.status === 'running' || r.status === 'paused');
  const actor = clockActor(rt);
  const at = nowOf(rt);
  const out: MovedDeadline[] = [];
  const counted = localCalendar(calendar, compiled.config.jurisdiction);
  for (const row of open) {
    const request = requestOf(row);
    if (!request) continue;
    const next = recomputeRow(counted, row, request, compiled.config.deadlines[row.deadlineId]?.basis ?? '');
    if (next.dueDate === row.dueDate && next.provisional === row.provisional) continue;
    const record: DeadlineRecord = {
      deadline: row.deadlineId,
      row: row.id,
      op: 'move',
      dueDate: next.dueDate,
      dueAt: next.dueAt,
      provisional: next.provisional,
    };
    const from = { dueDate: row.dueDate, provisional: row.provisional };
    const to = { dueDate: next.dueDate, provisional: next.provisional };
    const payload: JsonObject = {
      deadline: row.deadlineId,
      row: row.id,
      from: { ...from, dueAt: row.dueAt },
      to: { ...to, dueAt: next.dueAt },
      calendarId: calendar.id,
      calendarVersion: calendar.version,
    };
    const event = tx.recordDates({ type: DEADLINE_MOVED, at, actor, payload }, [record], [next]);
    out.push({ caseId, deadlineId: row.deadlineId, row: row.id, from, to, seq: event.seq });
  }
  await tx.commit();
  return out;
}
