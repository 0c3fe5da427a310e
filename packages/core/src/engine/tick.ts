/**
 * `tick`: the clock's pass over due deadlines. Claims due rows under a lease (several engine
 * processes may tick one store), then fires each case's rows in due order in one transaction:
 * each firing is a `deadline.expired` event that the machine answers (a window closes, a duty
 * period turns the case red). A row the case no longer runs is brought in line, not fired.
 */

import { compact } from '../base/json.js';
import { expiryEvent } from '../config/expiry.js';
import { ConcurrencyError } from '../store/errors.js';
import type { DeadlineRow, JsonObject } from '../store/types.js';
import { CaseTx, retryOnConflict } from './case-tx.js';
import { type CaseState, DEADLINE_EXPIRED, machineStep } from './fold.js';
import {
  IntegrityError,
  type IntegrityFinding,
  StoredConfigTamperedError,
  TickAfterNowError,
} from './integrity.js';
import { clockActor, type EngineRuntime, nowOf } from './runtime.js';
import type { FiredDeadline } from './types.js';
import { type ConfigChecks, caseProblems } from './verify-case.js';
import { deadlineDiff } from './verify-rows.js';

/** Fires the deadlines due at `now`; returns what fired. */
export async function tickDeadlines(
  rt: EngineRuntime,
  now: Date | string,
  options: { limit?: number } = {},
): Promise<FiredDeadline[]> {
  const at = new Date(now).toISOString();
  const clock = nowOf(rt);
  // a later instant would fire deadlines not yet due and date events in the future
  if (Date.parse(at) > Date.parse(clock)) throw new TickAfterNowError(at, clock);
  const claimed = await rt.store.claimDueDeadlines(at, {
    owner: rt.owner,
    leaseMs: rt.leaseMs,
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
  });
  const byCase = new Map<string, DeadlineRow[]>();
  for (const row of claimed) byCase.set(row.caseId, [...(byCase.get(row.caseId) ?? []), row]);
  const fired: FiredDeadline[] = [];
  // one tick re-hashes each stored config once, however many of its cases fire
  const configs: ConfigChecks = new Map();
  for (const [caseId, due] of byCase) {
    due.sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt) || (a.id < b.id ? -1 : 1));
    try {
      fired.push(...(await retryOnConflict(() => expireCase(rt, caseId, due, at, configs))));
    } catch (e) {
      // a case the log does not vouch for fires nothing; the other cases still fire
      if (e instanceof IntegrityError)
        rt.alarm({ source: 'tick', caseId, problems: [...e.details.problems] });
      else if (!(e instanceof StoredConfigTamperedError)) throw e; // that one raised its alarm
    }
  }
  return fired;
}

/** Fires one case's due rows in one transaction. */
async function expireCase(
  rt: EngineRuntime,
  caseId: string,
  due: DeadlineRow[],
  at: string,
  configs: ConfigChecks,
) {
  const tx = await CaseTx.open(rt, caseId);
  await vouch(rt, tx, due, at, configs);
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

/**
 * Refuses (`IntegrityError`) to fire a case whose stored state its log does not vouch for, or
 * whose claimed rows were not due: a claimed row the store still holds unchanged must be running
 * and due by its own document, or the store's filter columns were edited to hand it over.
 */
async function vouch(
  rt: EngineRuntime,
  tx: CaseTx,
  due: readonly DeadlineRow[],
  at: string,
  configs: ConfigChecks,
): Promise<void> {
  const { problems, version } = await caseProblems(rt, tx.caseId, configs);
  const loaded = tx.projection.version;
  // another writer moved the case between the two reads: judge it again as it is now
  if (version !== loaded)
    throw new ConcurrencyError({ caseId: tx.caseId, expected: loaded, actual: version });
  const findings: IntegrityFinding[] = [...problems];
  const current = new Map((await tx.currentRows()).map((r) => [r.id, r]));
  for (const row of due) {
    const now = current.get(row.id);
    if (!now || deadlineDiff(now, row).length > 0) continue; // rewritten since the claim: stale, not forged
    if (now.status !== 'running' || Date.parse(now.dueAt) > Date.parse(at)) {
      findings.push({
        code: 'CLAIM_NOT_DUE',
        message: `the store handed over deadline row ${row.id} as due at ${at}, but the row is ${now.status} until ${now.dueAt}: its status or due_at column was edited`,
      });
    }
  }
  if (findings.length > 0) throw new IntegrityError(tx.caseId, findings);
}
