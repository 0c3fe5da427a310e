/**
 * Deadline actions. The machine tracks each deadline's status and period in `data.deadlines`
 * and emits an effect per change; the engine computes the dates (it holds the calendars) and
 * records them in the event, so the fold can put them back into the data on replay.
 */

import { compact, getPath, jsonEqual } from '../../base/json.js';
import { civilDate } from '../../calendar/zone.js';
import type { DeadlineDef } from '../../config/types.js';
import { matterClassOf } from '../guards/matter.js';
import { DEADLINE_MISSED, missedDeadlineReason } from '../reasons.js';
import type { CaseData, DeadlineState } from '../types.js';
import { type ActionArgs, type ActionImpl, addEffects, patchData, timeOf } from './types.js';

function setDeadline(args: ActionArgs, id: string, state: DeadlineState) {
  return patchData(args.context, { deadlines: { ...args.context.data.deadlines, [id]: state } });
}

/** The latest receipt date: `from: receipt` deadlines count from it (Reg. 35-36). */
function lastReceiptDate(args: ActionArgs): string | undefined {
  const last = args.context.data.receipts.at(-1);
  return typeof last?.receivedAt === 'string' ? last.receivedAt : undefined;
}

/**
 * The day the body received the matter (`from: received`, Reg. 22-23): the petition's
 * `receivedAt` for the first period; a period opened again (after a reopening) counts from the
 * step that opens it.
 */
function matterReceivedDate(args: ActionArgs, period: number): string | undefined {
  if (period !== 1) return undefined;
  const received = (args.context.data.petition as { receivedAt?: unknown } | undefined)?.receivedAt;
  return typeof received === 'string' ? received : undefined;
}

/** Whether the case is one the period opens for (`onlyWhen`; absent: every case). */
function periodApplies(args: ActionArgs, def: DeadlineDef): boolean {
  const when = def.onlyWhen;
  if (!when) return true;
  const { data } = args.context;
  const kind = args.config.units[data.registeringUnit]?.kind;
  if (when.registeredBy && (kind === undefined || !when.registeredBy.includes(kind))) return false;
  if (when.notRegisteredBy && kind !== undefined && when.notRegisteredBy.includes(kind)) return false;
  if (when.identityKnown !== undefined && data.identityKnown !== when.identityKnown) return false;
  // the unit now responsible (a transfer's action has already set it when the state it enters
  // opens the period) for a matter of the class the rules or staff gave it
  const held = args.config.units[data.responsibleUnit]?.kind;
  const matter = matterClassOf(args.context, args.event)?.value;
  for (const x of when.notHeldFor ?? []) {
    if (held !== undefined && matter !== undefined && x.kinds.includes(held) && x.classes.includes(matter))
      return false;
  }
  return true;
}

/**
 * The unit responsible for the case at the instant `end`: the last change of the responsible
 * unit made before then, else the unit the case started with. A change at `end` itself came
 * after the period ran out (the engine fires a period at its end instant).
 */
function unitAt(data: CaseData, end: string): string {
  let unit = typeof data.transfers[0]?.from === 'string' ? data.transfers[0].from : data.responsibleUnit;
  for (const t of data.transfers) {
    if (typeof t.at === 'string' && t.at < end && typeof t.to === 'string') unit = t.to;
  }
  return unit;
}

/**
 * Whether a fired duty still binds the body now responsible: it holds the case red (no decision
 * that completed the matter has cleared it since) and it ran out while that body was
 * responsible. A statutory period runs once per matter and body (Reg. 34 "自受理之日起60日内";
 * docs/decisions.md): re-entering its state at that body keeps it missed, while a lawful
 * re-transfer to another body, or a reopening after the matter was decided (Reg. 44), opens a
 * period of its own.
 */
function missedHere(args: ActionArgs, id: string, d: DeadlineState): boolean {
  const { data } = args.context;
  const missed = args.context.red.findLast((r) => r.code === DEADLINE_MISSED && r.ref === id);
  const end = d.dueAt ?? missed?.at;
  return missed !== undefined && end !== undefined && unitAt(data, end) === data.responsibleUnit;
}

/**
 * Opens a new period unless one is open (running or paused): re-entering a state after a
 * hearing does not restart its period. `onEntry`: a state's own `starts`; re-entering the state
 * after its duty ran out at the same body (`missedHere`) opens none either: the period stays
 * fired, its due date and its extensions as they were, and the case red. A command's `starts`
 * is a new duty the command itself sets (a further supervision letter, an assignment) and opens
 * one. `fromCommand`: a transition's own `starts`, which may carry a shorter period in payload
 * `days` for `settable` deadlines (Reg. 22).
 */
export const startDeadline: ActionImpl = {
  params: ['deadline'],
  apply(args, { deadline, fromCommand, onEntry }) {
    const id = String(deadline);
    const def = args.config.deadlines[id];
    const prev = args.context.data.deadlines[id];
    if (!def || prev?.status === 'running' || prev?.status === 'paused') return args.context;
    if (!periodApplies(args, def)) return args.context;
    if (prev?.status === 'fired' && onEntry === true && def.kind === 'duty' && missedHere(args, id, prev))
      return args.context;
    const period = (prev?.period ?? 0) + 1;
    const row = `${args.context.data.caseId}:${id}:${period}`;
    const days = args.event.payload?.days;
    const startDate =
      def.from === 'receipt'
        ? lastReceiptDate(args)
        : def.from === 'received'
          ? matterReceivedDate(args, period)
          : undefined;
    const next = setDeadline(args, id, { status: 'running', period, row, extensions: 0 });
    return addEffects(next, {
      kind: 'deadline',
      op: 'start',
      deadline: id,
      row,
      period,
      ...(startDate ? { startDate } : {}),
      ...(fromCommand && def.settable && typeof days === 'number' ? { days } : {}),
    });
  },
};

/**
 * Opens a period only when the command's payload field equals `value`: a supported opinion
 * (`outcome: supported`) owes its follow-through (督促执行, Reg. 32), an explained or
 * unsupported one does not. Otherwise as `starts`.
 */
export const startDeadlineWhen: ActionImpl = {
  params: ['deadline', 'field'],
  optional: ['value'],
  apply(args, { deadline, field, value }) {
    if (!jsonEqual(getPath(args.event.payload ?? {}, String(field)), value)) return args.context;
    return startDeadline.apply(args, { deadline });
  },
};

/**
 * The petitioner's own request under a window counted from receipt, made before any receipt was
 * recorded (issue 24, class 1): whoever asks for a review has evidently received the opinion, so
 * the request is the receipt. It records the receipt as of the request's own day (method
 * `request`) and opens the window and what a receipt opens besides (`starts`: the rating
 * window), counted from that day; the transition's `stops` then closes the window as used. With
 * a receipt already recorded, or the window already opened, it does nothing: the request is an
 * ordinary one inside the window. `checks.ts` lets the request through the closed-window check
 * only in that first case.
 */
export const receiptByRequest: ActionImpl = {
  params: ['window'],
  optional: ['starts'],
  apply(args, { window, starts }) {
    const id = String(window);
    if (args.context.data.deadlines[id] !== undefined) return args.context;
    const zone = args.config.jurisdiction.timezone;
    const at = timeOf(args);
    const receipt = compact({
      receivedAt: civilDate(at, zone),
      method: 'request',
      by: args.event.actor?.id,
      at,
    });
    let next = patchData(args.context, { receipts: [...args.context.data.receipts, receipt] });
    for (const d of [id, ...(Array.isArray(starts) ? starts.map(String) : [])])
      next = startDeadline.apply({ ...args, context: next }, { deadline: d });
    return next;
  },
};

/** Ends the open period: its duty was done or the window used. A fired period stays fired. */
export const stopDeadline: ActionImpl = {
  params: ['deadline'],
  apply(args, { deadline }) {
    const id = String(deadline);
    const d = args.context.data.deadlines[id];
    if (!d || (d.status !== 'running' && d.status !== 'paused')) return args.context;
    const next = setDeadline(args, id, { ...d, status: 'stopped' });
    return addEffects(next, { kind: 'deadline', op: 'stop', deadline: id, row: d.row });
  },
};

/**
 * Stops the clock of a running period (a hearing, Reg. 36). With the deadline's `pauseDates`,
 * the pause covers the days the command records (its first through its last day), not the time
 * until the state is left: the period keeps running with its end moved by those days.
 */
export const pauseDeadline: ActionImpl = {
  params: ['deadline'],
  apply(args, { deadline }) {
    const id = String(deadline);
    const d = args.context.data.deadlines[id];
    if (d?.status !== 'running') return args.context;
    const recorded = recordedPause(args, id);
    // recorded days leave the period running, its end moved by them: it can still run out
    const next = setDeadline(args, id, { ...d, status: recorded.to ? 'running' : 'paused' });
    return addEffects(next, { kind: 'deadline', op: 'pause', deadline: id, row: d.row, ...recorded });
  },
};

/** The days `[from, to)` a command records for the pause of `id`, when the deadline says where. */
function recordedPause(args: ActionArgs, id: string): { from?: string; to?: string } {
  const dates = args.config.deadlines[id]?.pauseDates;
  const payload = args.event.payload ?? {};
  const from = dates ? payload[dates.from] : undefined;
  if (!dates || typeof from !== 'string' || !CIVIL_DATE.test(from)) return {};
  const last = dates.through !== undefined ? payload[dates.through] : undefined;
  const through = typeof last === 'string' && CIVIL_DATE.test(last) && last >= from ? last : from;
  return { from, to: nextDay(through) };
}

const CIVIL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The civil day after `date` (pauses cover whole days, `to` excluded). */
function nextDay(date: string): string {
  const t = Date.parse(`${date}T00:00:00Z`) + 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Restarts the clock of a paused period; the engine moves its due date by the pause. */
export const resumeDeadline: ActionImpl = {
  params: ['deadline'],
  apply(args, { deadline }) {
    const id = String(deadline);
    const d = args.context.data.deadlines[id];
    if (d?.status !== 'paused') return args.context;
    const next = setDeadline(args, id, { ...d, status: 'running' });
    return addEffects(next, { kind: 'deadline', op: 'resume', deadline: id, row: d.row });
  },
};

/** Extends the open period by payload `days` (Reg. 34); the limits were checked before the step. */
export const extendDeadline: ActionImpl = {
  params: ['deadline'],
  apply(args, { deadline }) {
    const id = String(deadline);
    const d = args.context.data.deadlines[id];
    if (!d || (d.status !== 'running' && d.status !== 'paused')) return args.context;
    const payload = args.event.payload ?? {};
    const next = setDeadline(args, id, { ...d, extensions: d.extensions + 1 });
    return addEffects(next, {
      kind: 'deadline',
      op: 'extend',
      deadline: id,
      row: d.row,
      days: Number(payload.days),
      reason: String(payload.reason ?? ''),
      approvedBy: args.event.actor?.id ?? '',
    });
  },
};

/**
 * The period ran out (the engine's tick). A duty deadline turns an open case red (with its
 * article and due date) and is kept as a violation; in a completed case (`completed`) it is
 * kept as a violation only, so a completed case stays blue. A window just closes, and the
 * state's `<id>.expired` transition may move on.
 */
export const deadlineFired: ActionImpl = {
  params: ['deadline'],
  apply(args, { deadline, completed }) {
    const id = String(deadline);
    const d = args.context.data.deadlines[id];
    if (d?.status !== 'running') return args.context;
    let next = setDeadline(args, id, { ...d, status: 'fired' });
    next = addEffects(next, { kind: 'deadline', op: 'fire', deadline: id, row: d.row });
    const def = args.config.deadlines[id];
    if (def?.kind !== 'duty') return next;
    const reason = missedDeadlineReason(id, def, d.dueDate, timeOf(args));
    if (completed === true) return { ...next, violations: [...next.violations, reason] };
    return { ...next, red: [...next.red, reason], violations: [...next.violations, reason] };
  },
};
