/**
 * Turns a step's effects into rows: deadline rows computed on the jurisdiction's calendar, and
 * outbox rows for documents owed and notifications. Also returns what to record in the event
 * (the computed dates, the documents owed or waived), so the log explains itself and replays.
 */

import { compact, toJson } from '../base/json.js';
import { type Calendar, civilDate, computeDeadline, type DeadlineRequest } from '../calendar/index.js';
import type { CompiledConfig } from '../compiler/compile.js';
import type { CaseData, Effect } from '../compiler/types.js';
import type { DeadlineDef } from '../config/types.js';
import type { DeadlineRow, Json, JsonObject, OutboxRow } from '../store/types.js';
import type { DeadlineRecord } from './fold.js';

/** What one step produced besides its event. */
export interface SettledEffects {
  records: DeadlineRecord[];
  documents: JsonObject[];
  notifications: JsonObject[];
  rows: DeadlineRow[];
  outbox: OutboxRow[];
}

/** Everything `settleEffects` needs about the step. */
export interface EffectContext {
  compiled: CompiledConfig;
  calendar: Calendar;
  caseId: string;
  seq: number;
  type: string;
  at: string;
  /** Case data before and after the step (recipients are resolved against them). */
  before: CaseData | undefined;
  after: CaseData;
  /** The command payload (copied into document rows for the renderer). */
  payload: JsonObject;
  /** The unit that issues documents: the actor's, else the responsible unit. */
  issuer: string | undefined;
  /** Loads the case's current deadline rows (lazily: most steps touch none). */
  loadRows: () => Promise<DeadlineRow[]>;
}

/** Computes a deadline from its stored request, on `calendar`. */
export function compute(calendar: Calendar, request: DeadlineRequest) {
  return computeDeadline(calendar, request);
}

function explanation(
  request: DeadlineRequest,
  result: ReturnType<typeof computeDeadline>,
  basis: string,
): Json {
  return toJson({
    request,
    basis,
    calendarId: result.calendarId,
    calendarVersion: result.calendarVersion,
    provisionalReason: result.provisionalReason,
    suspended: result.suspended,
    trace: result.trace,
  }) as unknown as Json;
}

/** The request a row was computed from. */
export function requestOf(row: DeadlineRow): DeadlineRequest | undefined {
  const e = row.explanation as { request?: DeadlineRequest } | null;
  return e && typeof e === 'object' && !Array.isArray(e) ? e.request : undefined;
}

/** The row recomputed with a changed request (pauses, extensions, a new calendar). */
export function recomputeRow(
  calendar: Calendar,
  row: DeadlineRow,
  request: DeadlineRequest,
  basis: string,
): DeadlineRow {
  const result = compute(calendar, request);
  return {
    ...row,
    dueDate: result.due,
    dueAt: result.dueAt,
    provisional: result.provisional,
    explanation: explanation(request, result, basis),
    extensions: (request.extensions ?? []).map((x) => toJson(x) as unknown as JsonObject),
    pauses: (request.pauses ?? []).map((x) => toJson(x) as unknown as JsonObject),
  };
}

function recipientOf(ctx: EffectContext, to: string): string {
  const { before, after, compiled } = ctx;
  switch (to) {
    case 'petitioner':
      return after.petitionerId ?? 'petitioner';
    case 'responsible-unit':
      return after.responsibleUnit;
    case 'transferrer':
      return before?.assignedBy?.unit ?? after.assignedBy?.unit ?? after.responsibleUnit;
    case 'superior':
      return compiled.units.superior(after.responsibleUnit) ?? after.responsibleUnit;
    case 'suggestion-addressee': {
      const addressee = after.decisions.suggestion?.to;
      return typeof addressee === 'string' ? addressee : after.responsibleUnit;
    }
    default:
      return to;
  }
}

/** The rows and records a step's effects produce so far, and the rows it touched. */
interface Settling {
  ctx: EffectContext;
  today: string;
  out: SettledEffects;
  touched: Map<string, DeadlineRow>;
  rowOf(id: string): Promise<DeadlineRow | undefined>;
}

/** Settles the effects of one step into rows and event records. */
export async function settleEffects(ctx: EffectContext, effects: readonly Effect[]): Promise<SettledEffects> {
  const touched = new Map<string, DeadlineRow>();
  let loaded: Map<string, DeadlineRow> | undefined;
  const s: Settling = {
    ctx,
    today: civilDate(ctx.at, ctx.compiled.config.jurisdiction.timezone),
    out: { records: [], documents: [], notifications: [], rows: [], outbox: [] },
    touched,
    rowOf: async (id) => {
      if (touched.has(id)) return touched.get(id);
      loaded ??= new Map((await ctx.loadRows()).map((r) => [r.id, r]));
      return loaded.get(id);
    },
  };
  for (const e of effects) {
    if (e.kind === 'document') settleDocument(s, e);
    else if (e.kind === 'notification') settleNotification(s, e);
    else if (e.op === 'start') startDeadline(s, e);
    else await changeDeadline(s, e);
  }
  s.out.rows = [...touched.values()];
  return s.out;
}

type DocumentEffect = Extract<Effect, { kind: 'document' }>;
type NotificationEffect = Extract<Effect, { kind: 'notification' }>;
type StartEffect = Extract<Effect, { kind: 'deadline'; op: 'start' }>;
type DeadlineEffect = Exclude<Effect, DocumentEffect | NotificationEffect | StartEffect>;

/** A document owed (or waived): recorded in the event, and an outbox row unless waived. */
function settleDocument({ ctx, out }: Settling, e: DocumentEffect): void {
  const { caseId, at } = ctx;
  const def = ctx.compiled.config.documents[e.document];
  const recipient = recipientOf(ctx, def?.to ?? 'petitioner');
  out.documents.push(compact({ document: e.document, to: recipient, waived: e.waived }));
  if (e.waived || !def) return;
  out.outbox.push({
    id: `${caseId}:${ctx.seq}:${e.document}`,
    caseId,
    seq: ctx.seq,
    channel: 'document',
    recipient,
    kind: 'document',
    payload: toJson<JsonObject>({
      documentId: e.document,
      name: def.name,
      basis: def.basis,
      template: def.template,
      to: def.to,
      caseId,
      event: ctx.type,
      seq: ctx.seq,
      issuedBy: ctx.issuer ?? null,
      at,
      decision: ctx.payload,
    }),
    status: 'pending',
    attempts: 0,
    nextAttemptAt: at,
    createdAt: at,
  });
}

/** A notification: recorded in the event and queued in the outbox. */
function settleNotification({ ctx, out }: Settling, e: NotificationEffect): void {
  const { caseId, at } = ctx;
  out.notifications.push(compact({ to: e.to, message: e.message, template: e.template }));
  out.outbox.push({
    id: `${caseId}:${ctx.seq}:notify:${out.notifications.length}`,
    caseId,
    seq: ctx.seq,
    channel: 'notification',
    recipient: e.to,
    kind: 'notification',
    payload: compact({ caseId, event: ctx.type, seq: ctx.seq, message: e.message, template: e.template, at }),
    status: 'pending',
    attempts: 0,
    nextAttemptAt: at,
    createdAt: at,
  });
}

/** A period starts: its row is computed on the calendar from today (or the effect's start date). */
function startDeadline(s: Settling, e: StartEffect): void {
  const { ctx } = s;
  const { config } = ctx.compiled;
  const def = config.deadlines[e.deadline];
  if (!def) return;
  const request: DeadlineRequest = {
    start: e.startDate ?? s.today,
    days: e.days ?? def.days,
    unit: def.unit ?? 'calendar',
    provisional: true,
    timezone: config.jurisdiction.timezone,
    ...(config.jurisdiction.cutoff ? { cutoff: config.jurisdiction.cutoff } : {}),
  };
  const blank: DeadlineRow = {
    id: e.row,
    caseId: ctx.caseId,
    deadlineId: e.deadline,
    kind: def.kind,
    status: 'running',
    startDate: request.start,
    dueDate: '',
    dueAt: ctx.at,
    provisional: false,
    explanation: null,
    extensions: [],
    pauses: [],
  };
  const row = recomputeRow(ctx.calendar, blank, request, def.basis);
  s.touched.set(row.id, row);
  s.out.records.push({
    deadline: e.deadline,
    row: row.id,
    op: 'start',
    startDate: row.startDate,
    dueDate: row.dueDate,
    dueAt: row.dueAt,
    provisional: row.provisional,
  });
}

/** A running period stops, fires, pauses, resumes or is extended: its row is recomputed. */
async function changeDeadline(s: Settling, e: DeadlineEffect): Promise<void> {
  const def = s.ctx.compiled.config.deadlines[e.deadline];
  if (!def) return;
  const row = await s.rowOf(e.row);
  if (!row) {
    s.out.records.push({ deadline: e.deadline, row: e.row, op: e.op });
    return;
  }
  const next = changedRow(s, e, def, row);
  s.touched.set(next.id, next);
  const dated = e.op === 'resume' || e.op === 'extend' || e.op === 'pause';
  s.out.records.push({
    deadline: e.deadline,
    row: next.id,
    op: e.op,
    ...(dated ? { dueDate: next.dueDate, dueAt: next.dueAt, provisional: next.provisional } : {}),
  });
}

/** The row after a change; a row without its stored request can only stop or fire. */
function changedRow(s: Settling, e: DeadlineEffect, def: DeadlineDef, row: DeadlineRow): DeadlineRow {
  const { calendar } = s.ctx;
  const request = requestOf(row);
  if (e.op === 'stop') return { ...row, status: 'stopped' };
  if (e.op === 'fire') return { ...row, status: 'fired' };
  if (!request) return row;
  if (e.op === 'pause') {
    // the recorded days of a hearing (`pauseDates`), else from today until resumed
    const pause = e.from !== undefined ? { from: e.from, ...(e.to ? { to: e.to } : {}) } : { from: s.today };
    const pauses = [...(request.pauses ?? []), pause];
    // recorded days leave nothing open: the period runs on, its end moved by them, and runs out
    // (red) if the body has not answered by then, hearing or no hearing
    const status = pause.to === undefined ? 'paused' : 'running';
    return { ...recomputeRow(calendar, row, { ...request, pauses }, def.basis), status };
  }
  if (e.op === 'resume') {
    const pauses = [...(request.pauses ?? [])];
    const open = pauses.findLastIndex((p) => p.to === undefined);
    // pauses cover whole days [from, to): a hearing begun and ended the same day pauses none
    if (open >= 0 && (pauses[open] as { from: string }).from === s.today) pauses.splice(open, 1);
    else if (open >= 0) pauses[open] = { ...(pauses[open] as { from: string }), to: s.today };
    return { ...recomputeRow(calendar, row, { ...request, pauses }, def.basis), status: 'running' };
  }
  if (e.op === 'extend') {
    const extension = {
      days: e.days,
      approvedBy: e.approvedBy,
      reason: e.reason,
      ...(def.extension?.unit ? { unit: def.extension.unit } : {}),
    };
    const extensions = [...(request.extensions ?? []), extension];
    const from = def.extension?.from === 'adjusted-end' ? { extensionFrom: 'adjusted-end' as const } : {};
    const cap = def.extension?.totalDays ? { extensionTotalDays: def.extension.totalDays } : {};
    return recomputeRow(calendar, row, { ...request, extensions, ...from, ...cap }, def.basis);
  }
  return row;
}
