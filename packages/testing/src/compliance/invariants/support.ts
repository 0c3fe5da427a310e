/**
 * What the invariants share: how a run's events divide into the statutory periods (stated
 * over stages, so any province's state names work), what a statutory period's end is on the
 * calendar, and what the case was marked with.
 */

import {
  COMPLETED_STAGES,
  computeDeadline,
  DEADLINE_EXPIRED,
  type DeadlineDef,
  type JurisdictionConfig,
  type RedReason,
  type TransitionDef,
} from '@xinfang/core';
import { alternativesOf, expiryEvent } from '@xinfang/core/tooling';
import type { Trace, TracedCase, TracedEvent } from '../driver.js';
import type { StatutoryPeriod } from '../statute.js';

/** One violation of an invariant, located in the run. */
export interface Violation {
  message: string;
  caseId?: string;
  seq?: number;
}

/** A statutory invariant checked on every generated run. */
export interface DynamicInvariant {
  id: string;
  title: string;
  basis: string;
  check(trace: Trace, context: InvariantContext): Violation[];
}

export interface InvariantContext {
  /** The config the checked one extends (its deadlines are the ceiling), when there is one. */
  baseline?: JurisdictionConfig;
}

/** Stages a case is in once accepted, up to the end of re-examination. */
export const HANDLED_STAGES = new Set([
  'handling',
  'hearing',
  'opinion',
  'review',
  'reexamination',
  'terminated',
]);

export const isCompleted = (stage: string) => (COMPLETED_STAGES as readonly string[]).includes(stage);

/**
 * The version an event was made under: its own in a run that moved cases to another version
 * (a state, a deadline or a document is read in the version that named it), else `config`.
 */
export function versionOf(config: JurisdictionConfig, e: TracedEvent): JurisdictionConfig {
  return e.config ?? config;
}

/** A deadline's definition in any version the run's cases were on, the run's own first. */
export function deadlineDef(trace: Trace, id: string): DeadlineDef | undefined {
  for (const c of [trace.config, ...(trace.versions ?? [])]) {
    const d = c.deadlines[id];
    if (d) return d;
  }
  return undefined;
}

/** The transition an event took (undefined for the submission and the clock's bookkeeping). */
export function transitionOf(config: JurisdictionConfig, e: TracedEvent): TransitionDef | undefined {
  if (e.before === undefined) return undefined;
  const type = e.type === DEADLINE_EXPIRED ? expiryEvent(String(e.payload.deadline)) : e.type;
  const defs = alternativesOf(versionOf(config, e).process.states[e.before]?.on?.[type]);
  return defs.find((d) => (d.to ?? e.before) === e.state) ?? defs[0];
}

/** Whether the event entered its state (a transition with a target, re-entry included). */
export function entered(config: JurisdictionConfig, e: TracedEvent): boolean {
  return e.seq === 1 || transitionOf(config, e)?.to !== undefined;
}

export interface Episode {
  start: TracedEvent;
  /** The first event that left the episode's stages (or opened a new episode). */
  end?: TracedEvent;
}

/**
 * The periods of a case: each opens at an event `opens` accepts and ends at the first later
 * event whose stage is outside `stages`, or that opens the next period.
 */
export function episodes(
  events: readonly TracedEvent[],
  opens: (e: TracedEvent) => boolean,
  stages: ReadonlySet<string>,
): Episode[] {
  const out: Episode[] = [];
  let open: Episode | undefined;
  for (const e of events) {
    if (open && (!stages.has(e.stage) || opens(e))) {
      open.end = e;
      open = undefined;
    }
    if (!open && opens(e) && stages.has(e.stage)) {
      open = { start: e };
      out.push(open);
    }
  }
  return out;
}

/** When a statutory period that starts on `start` ends (Civil Code: a rest day moves the end on). */
export function statutoryDue(
  trace: Trace,
  start: string,
  period: StatutoryPeriod,
  more: { extraDays?: number; pauses?: { from: string; to?: string }[] } = {},
): { due: string; dueAt: string } {
  const r = computeDeadline(trace.calendar, {
    start,
    days: period.days,
    unit: period.unit,
    timezone: trace.zone,
    provisional: true,
    ...(more.extraDays
      ? { extensions: [{ days: more.extraDays, approvedBy: 'statute', reason: 'extension' }] }
      : {}),
    ...(more.pauses?.length ? { pauses: more.pauses } : {}),
  });
  return { due: r.due, dueAt: r.dueAt };
}

/** Open reasons and kept violations of a case. */
export function reasonsOf(c: TracedCase): RedReason[] {
  return [...c.projection.redReasons, ...c.projection.violations];
}

/** Duty deadlines the event started (its `deadlines` records). */
export function dutiesStartedBy(config: JurisdictionConfig, e: TracedEvent): Set<string> {
  const records = (e.payload.deadlines ?? []) as { deadline?: string; op?: string }[];
  const made = versionOf(config, e);
  return new Set(
    records
      .filter((r) => r.op === 'start' && made.deadlines[String(r.deadline)]?.kind === 'duty')
      .map((r) => String(r.deadline)),
  );
}

/**
 * Whether the petitioner can be written to, judged from the petition as the Regulations put it
 * (Reg. 23: notices are owed unless the name or the address is unclear), never from the config's
 * own rules: a config that waives every notice must not pass. A name that is given and not
 * anonymous, and a postal address or a phone to reach the petitioner by.
 */
export function petitionerReachable(petition: unknown): boolean {
  const p = (petition as { petitioner?: Record<string, unknown> } | undefined)?.petitioner ?? {};
  const given = (v: unknown) => typeof v === 'string' && v.trim() !== '';
  if (p.anonymous === true || !given(p.name) || p.name === '匿名') return false;
  return given(p.address) || given(p.phone);
}

/** An instant's local date, weekday and time in `zone`. */
export function localParts(
  zone: string,
  instant: string,
): { date: string; weekday: string; hour: string; minute: string } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    weekday: 'short',
    hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    weekday: get('weekday'),
    hour: get('hour'),
    minute: get('minute'),
  };
}

/**
 * An instant as `YYYY-MM-DD HH:MM` in the jurisdiction's zone, as the timeline prints it: a
 * violation that quoted UTC beside a local timeline would seem to contradict it.
 */
export function localTime(zone: string, instant: string): string {
  const p = localParts(zone, instant);
  return `${p.date} ${p.hour}:${p.minute}`;
}

/** Documents an event issued (or waived) to the petitioner. */
export function petitionerDocuments(
  config: JurisdictionConfig,
  e: TracedEvent,
): { document: string; waived?: string }[] {
  const docs = (e.payload.documents ?? []) as { document?: string; waived?: string }[];
  const made = versionOf(config, e);
  return docs
    .filter((d) => made.documents[String(d.document)]?.to === 'petitioner')
    .map((d) => ({ document: String(d.document), ...(d.waived ? { waived: d.waived } : {}) }));
}

/**
 * When a period ran past its statutory end, the case must carry a missed-deadline reason for
 * one of the duty deadlines the period's opening event started (open, or kept as a violation).
 */
export function latenessViolations(
  trace: Trace,
  c: TracedCase,
  ep: Episode,
  due: { due: string; dueAt: string },
  what: string,
  days: string,
): Violation[] {
  const endAt = ep.end?.at;
  // the engine fires a deadline at its end instant: a step at that instant is late too
  const late = endAt !== undefined ? endAt >= due.dueAt : trace.lastTick >= due.dueAt;
  if (!late) return [];
  const config = trace.config;
  const covering = dutiesStartedBy(config, ep.start);
  const marked = reasonsOf(c).some(
    (r) => r.code === 'DEADLINE_MISSED' && r.ref !== undefined && covering.has(r.ref) && r.at >= ep.start.at,
  );
  if (marked) return [];
  const started = localTime(trace.zone, ep.start.at);
  const ended = ep.end
    ? `ended ${localTime(trace.zone, ep.end.at)} (${ep.end.type})`
    : `still open at ${localTime(trace.zone, trace.lastTick)}`;
  return [
    {
      caseId: c.caseId,
      seq: ep.start.seq,
      message:
        `${what} opened ${started} (${ep.start.type}) and ${ended}, past the statutory ${days} ending ${due.due}, ` +
        `yet the case carries no missed-deadline reason for it` +
        (covering.size === 0
          ? ' — the step that opened it starts no duty deadline'
          : ` (duty deadlines started then: ${[...covering].join(', ')})`),
    },
  ];
}

export function civil(trace: Trace, instant: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: trace.zone }).format(new Date(instant));
}
