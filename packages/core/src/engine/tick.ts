/**
 * `tick`: the clock's pass over due deadlines. Claims due rows under a lease (several engine
 * processes may tick one store), then fires each case's rows in due order in one transaction:
 * each firing is a `deadline.expired` event that the machine answers (a window closes, a duty
 * period turns the case red). A row the case no longer runs is brought in line, not fired.
 */

import { compact } from '../base/json.js';
import { expiryEvent } from '../config/expiry.js';
import type { DeadlineRow, JsonObject } from '../store/types.js';
import { CaseTx, retryOnConflict } from './case-tx.js';
import { type CaseState, DEADLINE_EXPIRED, machineStep } from './fold.js';
import { clockActor, type EngineRuntime } from './runtime.js';
import type { FiredDeadline } from './types.js';

/** Fires the deadlines due at `now`; returns what fired. */
export async function tickDeadlines(
  rt: EngineRuntime,
  now: Date | string,
  options: { limit?: number } = {},
): Promise<FiredDeadline[]> {
  const at = new Date(now).toISOString();
  const claimed = await rt.store.claimDueDeadlines(at, {
    owner: rt.owner,
    leaseMs: rt.leaseMs,
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
  });
  const byCase = new Map<string, DeadlineRow[]>();
  for (const row of claimed) byCase.set(row.caseId, [...(byCase.get(row.caseId) ?? []), row]);
  const fired: FiredDeadline[] = [];
  for (const [caseId, due] of byCase) {
    due.sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt) || (a.id < b.id ? -1 : 1));
    fired.push(...(await retryOnConflict(() => expireCase(rt, caseId, due, at))));
  }
  return fired;
}

/** Fires one case's due rows in one transaction. */
async function expireCase(rt: EngineRuntime, caseId: string, due: DeadlineRow[], at: string) {
  const tx = await CaseTx.open(rt, caseId);
  const { compiled } = tx;
  const actor = clockActor(rt);
  const fired: FiredDeadline[] = [];
  for (const row of due) {
    const state = tx.state as CaseState;
    const d = state.context.data.deadlines[row.deadlineId];
    if (!d || d.row !== row.id || d.status !== 'running') {
      // The row is stale (the case moved on under another writer): bring it in line.
      tx.putRow({ ...(tx.changedRow(row.id) ?? row), status: d && d.row === row.id ? d.status : 'stopped' });
      continue;
    }
    const payload: JsonObject = compact({
      deadline: row.deadlineId,
      kind: row.kind,
      row: row.id,
      dueDate: row.dueDate,
      dueAt: row.dueAt,
      basis: compiled.config.deadlines[row.deadlineId]?.basis,
    });
    const step = machineStep(compiled, state, { type: expiryEvent(row.deadlineId), payload, actor, at });
    const event = await tx.step(step, { type: DEADLINE_EXPIRED, at, actor, payload });
    fired.push({
      caseId,
      deadlineId: row.deadlineId,
      row: row.id,
      kind: row.kind,
      seq: event.seq,
      state: (tx.state as CaseState).state,
    });
  }
  await tx.commit();
  return fired;
}
