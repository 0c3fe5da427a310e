/**
 * What a `config.migrated` event does to a case, as pure functions the live path
 * (`migrate.ts`) and every replay (`fold.ts`, `derive.ts`) share: the state the plan mapped the
 * case to, its data fields renamed, its deadlines renamed, and the rows of its running periods
 * recomputed from the requests the event records. The event is chained under the new version's
 * hash; every event after it is folded by the new version's machine.
 */

import type { CaseContext, CaseData, DeadlineState } from '../compiler/types.js';
import type { CaseEvent, JsonObject } from '../store/types.js';

/** A case between events (`CaseState` of `fold.ts`, which folds these events). */
interface CaseState {
  state: string;
  context: CaseContext;
}

/** Event type of a case moved to another config version by a migration plan. */
export const CONFIG_MIGRATED = 'config.migrated';

/** A running period as a `config.migrated` event records it (a `DeadlineRecord` with op `migrate`). */
export interface MigratedDeadline {
  op: 'migrate';
  /** The deadline's id and row after the move. */
  deadline: string;
  row: string;
  startDate: string;
  dueDate: string;
  dueAt: string;
  provisional: boolean;
  /** The deadline's id and row before the move. */
  fromDeadline: string;
  fromRow: string;
  rule: 'keep' | 'restart' | 'recompute';
  /** The request the new row is counted from. */
  request: JsonObject;
  /** The due date and instant before the move. */
  previous: { dueDate: string; dueAt: string };
}

/** The parts of a `config.migrated` payload the fold reads. */
export interface MigratedPayload {
  from: string;
  to: string;
  state: { from: string; to: string };
  /** Data paths renamed, `[old, new]`, in order. */
  fields: [string, string][];
  /** Deadline ids renamed, `[old, new]` (every period of them, running or not). */
  renamed: [string, string][];
  deadlines: MigratedDeadline[];
}

/** The payload of a `config.migrated` event, as stored. */
export function migratedPayloadOf(event: CaseEvent): MigratedPayload {
  return event.payload as unknown as MigratedPayload;
}

/** The case state right after the move, before the event's documents and dates are settled. */
export function migratedCaseState(from: CaseState, p: MigratedPayload): CaseState {
  let data = from.context.data;
  for (const [a, b] of p.fields) data = renamedField(data, a, b);
  const deadlines: Record<string, DeadlineState> = { ...data.deadlines };
  for (const [a, b] of p.renamed) {
    const d = deadlines[a];
    if (!d) continue;
    delete deadlines[a];
    deadlines[b] = d;
  }
  for (const m of p.deadlines) {
    const d = deadlines[m.deadline];
    if (!d) continue;
    deadlines[m.deadline] = { ...d, row: m.row, ...(m.rule === 'restart' ? { extensions: 0 } : {}) };
  }
  return {
    state: p.state.to,
    context: { ...from.context, data: { ...data, deadlines }, effects: [] },
  };
}

/** The case data with the value at `from` (a dotted path) moved to `to`; unchanged when absent. */
export function renamedField(data: CaseData, from: string, to: string): CaseData {
  const value = getPath(data as unknown as JsonObject, from.split('.'));
  if (value === undefined) return data;
  const removed = setPath(data as unknown as JsonObject, from.split('.'), undefined);
  return setPath(removed, to.split('.'), value) as unknown as CaseData;
}

/** The value at a path of the case data (undefined when any step is missing). */
export function getPath(obj: unknown, path: readonly string[]): unknown {
  let v: unknown = obj;
  for (const seg of path) {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.hasOwn(v, seg)) return undefined;
    v = (v as Record<string, unknown>)[seg];
  }
  return v;
}

function setPath(obj: JsonObject, path: readonly string[], value: unknown): JsonObject {
  const [head, ...rest] = path;
  if (head === undefined) return obj;
  const copy: Record<string, unknown> = { ...obj };
  if (rest.length === 0) {
    if (value === undefined) delete copy[head];
    else copy[head] = value;
    return copy as JsonObject;
  }
  const inner = copy[head];
  const base =
    inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? (inner as JsonObject) : {};
  copy[head] = setPath(base, rest, value);
  return copy as JsonObject;
}
