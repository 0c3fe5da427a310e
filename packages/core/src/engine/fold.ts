/**
 * The pure fold of a case: stored events -> machine steps -> case state and projection. The
 * engine uses the same functions live (run the machine, compute the deadline dates, store the
 * event with them) and on replay (run the machine, take the dates from the stored event), so a
 * replay reproduces the projection exactly without consulting today's calendars.
 */

import { initialTransition, transition } from 'xstate';
import { toJson } from '../base/json.js';
import type { CompiledConfig } from '../compiler/compile.js';
import type {
  CaseContext,
  CaseData,
  CaseInput,
  Effect,
  MachineEvent,
  QueryCodeRecord,
} from '../compiler/types.js';
import { expiryEvent } from '../config/expiry.js';
import { colourOf } from '../status/colour.js';
import type { CaseEvent, CaseProjection, JsonObject } from '../store/types.js';
import { CONFIG_MIGRATED, migratedCaseState, migratedPayloadOf } from './migration-fold.js';
import { readersOf } from './readers.js';

/** A case between events: its state id and context (no pending effects). */
export interface CaseState {
  state: string;
  context: CaseContext;
}

/** The result of one machine step, before the engine settles its effects. */
export interface Step {
  state: string;
  context: CaseContext;
  effects: Effect[];
  /** False when no transition was enabled (nothing changed). */
  taken: boolean;
}

/** What the engine computed for a deadline effect, stored in the event (`payload.deadlines`). */
export interface DeadlineRecord {
  deadline: string;
  row: string;
  op: 'start' | 'stop' | 'pause' | 'resume' | 'extend' | 'fire' | 'move' | 'migrate';
  startDate?: string;
  dueDate?: string;
  dueAt?: string;
  provisional?: boolean;
}

/** Event type of a case's first event. */
export const SUBMITTED = 'SUBMITTED';
/** Event type of an expiry found by `tick`. */
export const DEADLINE_EXPIRED = 'deadline.expired';
/** Event type of a due date moved by a new calendar version. */
export const DEADLINE_MOVED = 'deadline.moved';
/**
 * Event type of a case's identity key moved to the current secret (`rekey.ts`). It takes no
 * machine step; its `payload.identityKey` replaces `data.identityKey`.
 */
export const IDENTITY_REKEYED = 'identity.rekeyed';
/**
 * Event type of a query code issued after registration (a lost code, a new representative, a
 * rotated key; `query-codes.ts`). It takes no machine step; its `payload.queryCode` replaces the
 * holder's record, or adds one.
 */
export const QUERY_CODE_ISSUED = 'query-code.issued';

/** Runs the initial step of a new case. */
export function initialStep(compiled: CompiledConfig, input: CaseInput): Step {
  const [snapshot] = initialTransition(compiled.machine, input);
  return {
    state: String(snapshot.value),
    context: snapshot.context,
    effects: snapshot.context.effects,
    taken: true,
  };
}

/** Runs one machine step from a settled case state. */
export function machineStep(compiled: CompiledConfig, from: CaseState, event: MachineEvent): Step {
  const snapshot = compiled.machine.resolveState({
    value: from.state,
    context: { ...from.context, effects: [] },
  });
  const [next] = transition(compiled.machine, snapshot, event);
  return {
    state: String(next.value),
    context: next.context,
    effects: next.context.effects,
    taken: next !== snapshot,
  };
}

/** Clears a step's effects and writes the computed deadline dates into the case data. */
export function settle(step: Step, records: readonly DeadlineRecord[]): CaseState {
  let data: CaseData = step.context.data;
  for (const r of records) {
    const d = data.deadlines[r.deadline];
    if (!d || d.row !== r.row || r.dueDate === undefined) continue;
    data = {
      ...data,
      deadlines: {
        ...data.deadlines,
        [r.deadline]: {
          ...d,
          ...(r.startDate !== undefined ? { startDate: r.startDate } : {}),
          dueDate: r.dueDate,
          ...(r.dueAt !== undefined ? { dueAt: r.dueAt } : {}),
          ...(r.provisional !== undefined ? { provisional: r.provisional } : {}),
        },
      },
    };
  }
  return { state: step.state, context: { ...step.context, data, effects: [] } };
}

/** The machine event a stored event stands for (undefined: it changes no state, only dates). */
export function machineEventOf(event: CaseEvent): MachineEvent | undefined {
  const p = event.payload;
  if (
    event.type === DEADLINE_MOVED ||
    event.type === IDENTITY_REKEYED ||
    event.type === QUERY_CODE_ISSUED ||
    event.type === CONFIG_MIGRATED
  ) {
    return undefined;
  }
  if (event.type === DEADLINE_EXPIRED) {
    return { type: expiryEvent(String(p.deadline)), payload: p, actor: event.actor, at: event.at };
  }
  const decisions = p.decisions as Record<string, JsonObject> | undefined;
  return {
    type: event.type,
    payload: (p.command as JsonObject | undefined) ?? {},
    actor: event.actor,
    at: event.at,
    ...(decisions ? { decisions } : {}),
  };
}

/** The `initialTransition` input a stored `SUBMITTED` event stands for. */
export function caseInputOf(event: CaseEvent): CaseInput {
  const p = event.payload;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const identityKey = str(p.identityKey);
  const matterKey = str(p.matterKey);
  const petitionerId = str(p.petitionerId);
  const responsibleUnit = str(p.responsibleUnit);
  const queryCodes = p.queryCodes as unknown as QueryCodeRecord[] | undefined;
  const decisions = p.decisions as Record<string, JsonObject> | undefined;
  return {
    caseId: event.caseId,
    petition: (p.petition as JsonObject | undefined) ?? {},
    registeringUnit: String(p.registeringUnit),
    identityKnown: p.identityKnown === true,
    actor: event.actor,
    at: event.at,
    ...(identityKey !== undefined ? { identityKey } : {}),
    ...(matterKey !== undefined ? { matterKey } : {}),
    ...(petitionerId !== undefined ? { petitionerId } : {}),
    ...(responsibleUnit !== undefined ? { responsibleUnit } : {}),
    ...(Array.isArray(queryCodes) ? { queryCodes } : {}),
    ...(decisions ? { decisions } : {}),
  };
}

/** The records a stored event carries. */
export function recordsOf(event: CaseEvent): DeadlineRecord[] {
  const r = event.payload.deadlines;
  return Array.isArray(r) ? (r as unknown as DeadlineRecord[]) : [];
}

/**
 * Folds one stored event onto the case state (replay). `compiled` is the version the event was
 * made under: from a `config.migrated` event on, the version it moved the case to
 * ({@link hashAfter}).
 */
export function replayEvent(
  compiled: CompiledConfig,
  from: CaseState | undefined,
  event: CaseEvent,
): CaseState {
  if (event.type === SUBMITTED || from === undefined) {
    return settle(initialStep(compiled, caseInputOf(event)), recordsOf(event));
  }
  if (event.type === IDENTITY_REKEYED) return withIdentityKey(from, String(event.payload.identityKey));
  if (event.type === QUERY_CODE_ISSUED) {
    return withQueryCode(from, event.payload.queryCode as unknown as QueryCodeRecord);
  }
  if (event.type === CONFIG_MIGRATED) {
    const moved = migratedCaseState(from, migratedPayloadOf(event));
    return settle({ ...moved, effects: [], taken: true }, recordsOf(event));
  }
  const mev = machineEventOf(event);
  const step: Step = mev ? machineStep(compiled, from, mev) : { ...from, effects: [], taken: false };
  return settle(step, recordsOf(event));
}

/**
 * The config hash the events after `event` are folded under: a `config.migrated` event's new
 * version, else the one before it.
 */
export function hashAfter(current: string, event: CaseEvent): string {
  return event.type === CONFIG_MIGRATED ? String(event.payload.to) : current;
}

/** The case state with its identity key replaced (an `identity.rekeyed` event), nothing else changed. */
export function withIdentityKey(s: CaseState, identityKey: string): CaseState {
  return { state: s.state, context: { ...s.context, data: { ...s.context.data, identityKey }, effects: [] } };
}

/** The case state with a holder's query code replaced or added (a `query-code.issued` event). */
export function withQueryCode(s: CaseState, record: QueryCodeRecord): CaseState {
  const others = (s.context.data.queryCodes ?? []).filter((q) => q.holder !== record.holder);
  const queryCodes = [...others, record].sort((a, b) => a.holder.localeCompare(b.holder));
  return { state: s.state, context: { ...s.context, data: { ...s.context.data, queryCodes }, effects: [] } };
}

/** The settled case state a stored projection holds. */
export function caseStateOf(projection: CaseProjection): CaseState {
  return {
    state: projection.state,
    context: {
      data: projection.data as unknown as CaseData,
      red: projection.redReasons,
      violations: projection.violations,
      effects: [],
    },
  };
}

/** The projection of a case state after the event `last`. */
export function projectionOf(compiled: CompiledConfig, s: CaseState, last: CaseEvent): CaseProjection {
  const { data } = s.context;
  const stage = compiled.stageOf(s.state) ?? 'registration';
  const { colour } = colourOf({ stage, redReasons: s.context.red });
  return toJson({
    caseId: last.caseId,
    jurisdictionId: compiled.config.jurisdiction.id,
    configVersion: compiled.config.jurisdiction.version,
    configHash: compiled.hash,
    version: last.seq,
    state: s.state,
    stage,
    colour,
    redReasons: s.context.red,
    violations: s.context.violations,
    responsibleUnit: data.responsibleUnit,
    registeringUnit: data.registeringUnit,
    identityKey: data.identityKey,
    matterKey: data.matterKey,
    createdAt: data.submittedAt,
    updatedAt: last.at,
    headHash: last.hash,
    data: data as unknown as JsonObject,
    readers: readersOf(compiled, s.state, data),
  });
}
