/**
 * What a case's events derive besides its projection: the deadline rows and outbox rows the
 * engine wrote with them. The live path settles each step's effects into rows (`effects.ts`);
 * this runs the same settling over the stored events, so verify and tick can hold every stored
 * row against the one its event made.
 *
 * Dates are the log's: a row's due date, instant and provisional mark come from the event that
 * computed them (its `payload.deadlines` records), and its calendar version from that event, not
 * from today's calendar (a later calendar may count otherwise; a `deadline.moved` event records
 * that). What the settling itself decides (start, days, unit, pauses, extensions, status,
 * recipients, payloads) is recomputed.
 */

import type { CompiledConfig } from '../compiler/compile.js';
import type { QueryCodeRecord } from '../compiler/types.js';
import type { CaseEvent, CaseProjection, DeadlineRow, JsonObject, OutboxRow } from '../store/types.js';
import { settleEffects } from './effects.js';
import {
  type CaseState,
  caseInputOf,
  DEADLINE_MOVED,
  IDENTITY_REKEYED,
  initialStep,
  machineEventOf,
  machineStep,
  projectionOf,
  QUERY_CODE_ISSUED,
  recordsOf,
  type Step,
  SUBMITTED,
  settle,
  withIdentityKey,
  withQueryCode,
} from './fold.js';
import {
  CONFIG_MIGRATED,
  type MigratedDeadline,
  migratedCaseState,
  migratedPayloadOf,
} from './migration-fold.js';
import { migratedRows, migrationDocuments } from './migration-rows.js';
import { withProjectionMac } from './projection-mac.js';
import type { EngineRuntime } from './runtime.js';

/** A case as its events derive it. */
export interface DerivedCase {
  projection: CaseProjection;
  /** Deadline rows by id. */
  rows: Map<string, DeadlineRow>;
  /** Outbox rows by id, as settled (a document row before it was issued). */
  outbox: Map<string, OutboxRow>;
}

/** Folds a case's stored events, settling each step's rows as the live path did. */
export async function deriveCase(
  rt: EngineRuntime,
  compiled: CompiledConfig,
  events: readonly CaseEvent[],
): Promise<DerivedCase> {
  const rows = new Map<string, DeadlineRow>();
  const outbox = new Map<string, OutboxRow>();
  let state: CaseState | undefined;
  let current = compiled;
  for (const e of events) {
    // a `config.migrated` event is made under the version it moves the case to, and so is every event after it
    if (e.type === CONFIG_MIGRATED) current = await rt.configs.forHash(String(e.payload.to), e.caseId);
    state = await deriveEvent(rt, current, { state, rows, outbox }, e);
  }
  const last = events.at(-1);
  if (!state || !last) throw new Error('a case with no events derives nothing');
  return { projection: withProjectionMac(rt.integrity, projectionOf(current, state, last)), rows, outbox };
}

interface Derivation {
  state: CaseState | undefined;
  rows: Map<string, DeadlineRow>;
  outbox: Map<string, OutboxRow>;
}

/** One stored event folded, its rows settled into `d`; returns the state after it. */
async function deriveEvent(
  rt: EngineRuntime,
  compiled: CompiledConfig,
  d: Derivation,
  e: CaseEvent,
): Promise<CaseState> {
  const from = d.state;
  if (from && e.type === IDENTITY_REKEYED) return withIdentityKey(from, String(e.payload.identityKey));
  if (from && e.type === QUERY_CODE_ISSUED) {
    return withQueryCode(from, e.payload.queryCode as unknown as QueryCodeRecord);
  }
  if (from && e.type === DEADLINE_MOVED) {
    datedFromLog(d.rows, e, [...d.rows.keys()]);
    return settle({ ...from, effects: [], taken: false }, recordsOf(e));
  }
  let step: Step;
  let moved: MigratedDeadline[] = [];
  if (e.type === SUBMITTED || !from) step = initialStep(compiled, caseInputOf(e));
  else if (e.type === CONFIG_MIGRATED) {
    const p = migratedPayloadOf(e);
    moved = p.deadlines;
    step = { ...migratedCaseState(from, p), effects: migrationDocuments(e), taken: true };
  } else {
    const mev = machineEventOf(e);
    step = mev ? machineStep(compiled, from, mev) : { ...from, effects: [], taken: false };
  }
  const settled = await settleEffects(
    {
      compiled,
      calendar: rt.configs.calendarOf(compiled),
      caseId: e.caseId,
      seq: e.seq,
      type: e.type,
      at: e.at,
      before: from?.context.data,
      after: step.context.data,
      payload: (e.payload.command as JsonObject | undefined) ?? {},
      issuer: e.actor.unit ?? step.context.data.responsibleUnit,
      loadRows: async () => [...d.rows.values()],
    },
    step.effects,
  );
  const migrated = migratedRows(rt.configs.calendarOf(compiled), compiled, d.rows, moved);
  for (const r of [...migrated, ...settled.rows]) d.rows.set(r.id, r);
  datedFromLog(
    d.rows,
    e,
    [...migrated, ...settled.rows].map((r) => r.id),
  );
  for (const o of settled.outbox) d.outbox.set(o.id, o);
  return settle(step, recordsOf(e));
}

/** Takes the dates of rows `ids` from the event's records, and the event's calendar version. */
function datedFromLog(rows: Map<string, DeadlineRow>, e: CaseEvent, ids: readonly string[]): void {
  for (const rec of recordsOf(e)) {
    const row = rows.get(rec.row);
    if (!row || !ids.includes(rec.row) || rec.dueDate === undefined) continue;
    const explanation = (row.explanation ?? {}) as JsonObject;
    rows.set(rec.row, {
      ...row,
      ...(rec.startDate !== undefined ? { startDate: rec.startDate } : {}),
      dueDate: rec.dueDate,
      ...(rec.dueAt !== undefined ? { dueAt: rec.dueAt } : {}),
      ...(rec.provisional !== undefined ? { provisional: rec.provisional } : {}),
      explanation: { ...explanation, calendarVersion: e.calendarVersion },
    });
  }
}
