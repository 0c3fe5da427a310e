/**
 * The statutory periods: each is judged against the Regulations' own figure (STATUTE), on the
 * jurisdiction's calendar, whatever the config says. A period that runs past its end must have
 * turned the case red with a reason for it.
 */

import type { Trace, TracedCase, TracedEvent } from '../driver.js';
import { STATUTE, type StatutoryPeriod, statutoryMatterClass } from '../statute.js';
import {
  civil,
  type DynamicInvariant,
  dutiesStartedBy,
  type Episode,
  entered,
  episodes,
  HANDLED_STAGES,
  isCompleted,
  latenessViolations,
  localTime,
  petitionerDocuments,
  petitionerReachable,
  statutoryDue,
  type Violation,
} from './support.js';

const REGISTRATION = new Set(['registration']);
const TRANSFER = new Set(['transfer']);
const HANDLING = new Set(['handling', 'hearing']);
const REVIEW = new Set(['review']);
const REEXAMINATION = new Set(['reexamination', 'hearing']);
/** Stages that answer a matter: a notice to the petitioner is owed on entering them (Reg. 23). */
const DECIDED = new Set(['handling', 'not-accepted', 'diversion']);

/**
 * Whether the registering body owes a period at registration: a petition bureau always owes its
 * disposal (Reg. 22); another body that received the matter directly owes the written notice of
 * Reg. 23 ¶2, "但信访人的姓名（名称）、住址不清的除外". Judged from the petition as the checker
 * reads it (`petitionerReachable`), not from the rules' `noticeOwed`; the unit's kind is the
 * registry's, the only place a body is named a petition bureau (a config that names every body
 * one owes more, never less).
 */
function registrationPeriodOwed(trace: Trace, c: TracedCase): boolean {
  const unit = c.projection.data.registeringUnit;
  const kind = typeof unit === 'string' ? trace.config.units[unit]?.kind : undefined;
  return kind === 'petition-bureau' || petitionerReachable(c.projection.data.petition);
}

/** Registry kinds of the political-legal organs (政法部门, Reg. 23 ¶4). */
const POLITICAL_LEGAL_ORGANS = new Set(['political-legal', 'court', 'procuratorate', 'public-security']);

/**
 * Reg. 23 ¶4: "政法部门处理涉及诉讼权利救济事项…的告知按照有关规定执行". A political-legal organ
 * holding a litigation-related matter tells the petitioner under its own rules, not within
 * Reg. 23 ¶3's 15 days, so its time to decide is not judged against them. The matter is
 * litigation-related as the checker reads the petition, or as the config's rules classed it
 * (the organ handles it as such; a province may register litigation elements the checker does
 * not read). Only the lateness is left to the organ's rules; a decision it takes still owes its
 * notice.
 */
function timeLeftToOrgan(trace: Trace, c: TracedCase, start: TracedEvent): boolean {
  const kind = start.unit === undefined ? undefined : trace.config.units[start.unit]?.kind;
  if (kind === undefined || !POLITICAL_LEGAL_ORGANS.has(kind)) return false;
  if (statutoryMatterClass(c.projection.data.petition) === 'litigation') return true;
  const classed = (
    c.projection.data.rules as Record<string, { merged?: { route?: unknown } | null }> | undefined
  )?.classification?.merged?.route;
  return classed === 'litigation';
}

function noticeViolations(
  trace: Trace,
  c: TracedCase,
  end: TracedEvent | undefined,
  what: string,
): Violation[] {
  if (!end || !DECIDED.has(end.stage)) return [];
  const docs = petitionerDocuments(trace.config, end);
  // a waived notice answers the duty only when the petitioner could not be written to
  const reachable = petitionerReachable(c.projection.data.petition);
  if (docs.some((d) => !d.waived || !reachable)) return [];
  if (docs.length > 0)
    return [
      {
        caseId: c.caseId,
        seq: end.seq,
        message: `${what} ended with ${end.type} (${end.before} -> ${end.state}) and its notice was waived although the petitioner's name and address are known (Reg. 23)`,
      },
    ];
  return [
    {
      caseId: c.caseId,
      seq: end.seq,
      message: `${what} ended with ${end.type} (${end.before} -> ${end.state}) but no written notice went to the petitioner`,
    },
  ];
}

/** Reg. 22-23: registration is disposed of within 15 days, and the receiving body decides within 15 days. */
export const disposalAndNotice: DynamicInvariant = {
  id: 'disposal-and-notice',
  title:
    'a registered matter is disposed of, and the petitioner told in writing, within the statutory days, or the case is red',
  basis: 'reg-2022 art. 22-23',
  check(trace) {
    const { config } = trace;
    const out: Violation[] = [];
    for (const c of trace.cases) {
      // registration opens at submission and at a reopening; a matter returned after an
      // objection keeps the period it had (docs/decisions.md)
      const reg = episodes(
        c.events,
        (e) =>
          e.seq === 1 ||
          (e.stage === 'registration' &&
            e.beforeStage !== undefined &&
            e.beforeStage !== 'registration' &&
            e.beforeStage !== 'transfer'),
        REGISTRATION,
      );
      for (const ep of registrationPeriodOwed(trace, c) ? reg : []) {
        const due = statutoryDue(trace, civil(trace, ep.start.at), STATUTE.disposal);
        out.push(
          ...latenessViolations(
            trace,
            c,
            ep,
            due,
            'registration',
            `${STATUTE.disposal.days} days (${STATUTE.disposal.basis})`,
          ),
        );
        out.push(...noticeViolations(trace, c, ep.end, 'registration'));
      }
      const tr = episodes(c.events, (e) => e.stage === 'transfer' && entered(config, e), TRANSFER);
      for (const ep of tr) {
        const due = statutoryDue(trace, civil(trace, ep.start.at), STATUTE.acceptance);
        if (!timeLeftToOrgan(trace, c, ep.start))
          out.push(
            ...latenessViolations(
              trace,
              c,
              ep,
              due,
              'the acceptance decision',
              `${STATUTE.acceptance.days} days (${STATUTE.acceptance.basis})`,
            ),
          );
        out.push(...noticeViolations(trace, c, ep.end, 'the acceptance decision'));
      }
    }
    return out;
  },
};

/**
 * Reg. 22-23: periods count from the day the body received the matter ("自收到…之日起"), not
 * from the registration step. A petition received days before it was registered has that much
 * less of its 15 days left: the registration period ends 15 days after `receivedAt`, or the case
 * is red for it.
 */
export const periodsFromReceipt: DynamicInvariant = {
  id: 'periods-from-receipt',
  title:
    'the disposal period counts from the day the matter was received, not from its registration, or the case is red',
  basis: 'reg-2022 art. 22-23',
  check(trace) {
    const out: Violation[] = [];
    for (const c of trace.cases) {
      const first = c.events[0];
      const received = (first?.payload.petition as { receivedAt?: unknown } | undefined)?.receivedAt;
      if (!first || typeof received !== 'string' || !registrationPeriodOwed(trace, c)) continue;
      // the period opened at registration; a reopening opens a new one from its own step
      const [ep] = episodes(c.events, (e) => e.seq === 1, REGISTRATION);
      if (!ep) continue;
      const due = statutoryDue(trace, received, STATUTE.disposal);
      out.push(
        ...latenessViolations(
          trace,
          c,
          ep,
          due,
          `registration of a matter received ${received}`,
          `${STATUTE.disposal.days} days from receipt (${STATUTE.disposal.basis})`,
        ),
      );
    }
    return out;
  },
};

/** Reg. 34: 60 days from acceptance, one extension of at most 30 days, with a notice. */
export const handlingInTime: DynamicInvariant = {
  id: 'handling-in-time',
  title:
    'handling ends within 60 days, plus at most one extension of at most 30 days noticed to the petitioner, or the case is red',
  basis: 'reg-2022 art. 34',
  check(trace, { baseline }) {
    const { config } = trace;
    const out: Violation[] = [];
    const limit = STATUTE.handling.extension;
    // Reg. 34: the extension is approved by the head of the body. Who that is, the baseline
    // says (national.yaml: `head`); a province may not hand the approval to someone else.
    const approvers = (baseline ?? config).deadlines.handling?.extension?.approvedBy ?? [];
    for (const c of trace.cases) {
      const eps = episodes(
        c.events,
        (e) => e.stage === 'handling' && e.beforeStage !== undefined && !HANDLED_STAGES.has(e.beforeStage),
        HANDLING,
      );
      for (const ep of eps) {
        const within = c.events.filter((e) => e.seq > ep.start.seq && (!ep.end || e.seq < ep.end.seq));
        const extensions = within.filter((e) =>
          ((e.payload.deadlines ?? []) as { op?: string }[]).some((r) => r.op === 'extend'),
        );
        let extra = 0;
        for (const [i, x] of extensions.entries()) {
          const days = Number((x.payload.command as { days?: unknown } | undefined)?.days ?? 0);
          const role = config.roles[x.actor.role];
          if (i >= limit.times)
            out.push({
              caseId: c.caseId,
              seq: x.seq,
              message: `extension no. ${i + 1} granted; the Regulations allow ${limit.times}`,
            });
          if (days > limit.maxDays)
            out.push({
              caseId: c.caseId,
              seq: x.seq,
              message: `an extension of ${days} days granted; at most ${limit.maxDays} are allowed`,
            });
          if (!role || role.petitioner || role.system)
            out.push({
              caseId: c.caseId,
              seq: x.seq,
              message: `an extension granted by ${x.actor.role}, not by the body's staff`,
            });
          else if (approvers.length > 0 && !approvers.includes(x.actor.role))
            out.push({
              caseId: c.caseId,
              seq: x.seq,
              message: `an extension granted by ${x.actor.role}; it is approved by the head of the body (${approvers.join(', ')})`,
            });
          if (petitionerDocuments(config, x).length === 0)
            out.push({
              caseId: c.caseId,
              seq: x.seq,
              message: 'an extension granted without a notice to the petitioner',
            });
          if (i === 0) extra = Math.min(days, limit.maxDays);
        }
        const due = statutoryDue(trace, civil(trace, ep.start.at), STATUTE.handling, { extraDays: extra });
        out.push(
          ...latenessViolations(
            trace,
            c,
            ep,
            due,
            'handling',
            `${STATUTE.handling.days}${extra ? `+${extra}` : ''} days (${STATUTE.handling.basis})`,
          ),
        );
      }
    }
    return out;
  },
};

/**
 * The receipt of the opinion the case records before `event`: the latest of the case's receipt
 * records (a RECEIPT's date, a deemed one, a request that was itself the receipt) made since the
 * case last entered the opinion stage. Only what was recorded counts (issue 24, class 1): a
 * window the config opens elsewhere, whatever its `from` says, is no receipt.
 */
function receiptBefore(_trace: Trace, c: TracedCase, event: TracedEvent): string | undefined {
  const idx = c.events.indexOf(event);
  let opened: string | undefined;
  for (let i = idx; i >= 0; i--) {
    const e = c.events[i] as TracedEvent;
    if (e.stage === 'opinion' && e.beforeStage !== 'opinion') {
      opened = e.at;
      break;
    }
  }
  if (opened === undefined) return undefined;
  let found: string | undefined;
  for (const r of c.projection.data.receipts as { receivedAt?: unknown; at?: unknown }[]) {
    if (typeof r.at !== 'string' || typeof r.receivedAt !== 'string') continue;
    if (r.at >= opened && r.at <= event.at) found = r.receivedAt;
  }
  return found;
}

/**
 * The window may not close before the statutory days counted from the receipt the case records
 * (issue 24, class 1), whatever the config calls its starting point: a window opened at the
 * opinion, or on a receipt never recorded, closes on the petitioner before their 30 days. A
 * close is the clock's own move out of the opinion stage into a completed one; which window it
 * closes is told by the case's history (before any review: the review window; after one: the
 * re-examination window).
 */
function windowClosedEarly(
  trace: Trace,
  c: TracedCase,
  stage: 'review' | 'reexamination',
  windowPeriod: StatutoryPeriod,
): Violation[] {
  const out: Violation[] = [];
  c.events.forEach((e, i) => {
    if (e.beforeStage !== 'opinion' || !isCompleted(e.stage) || e.actor?.role !== 'system') return;
    const reviewed = c.events.slice(0, i).some((x) => x.stage === 'review');
    const reexamined = c.events.slice(0, i).some((x) => x.stage === 'reexamination');
    if ((stage === 'review') !== !reviewed || reexamined) return;
    const receipt = receiptBefore(trace, c, e);
    if (receipt === undefined) {
      out.push({
        caseId: c.caseId,
        seq: e.seq,
        message: `the window to ask for ${stage} closed ${localTime(trace.zone, e.at)} though the case records no receipt of the opinion: the ${windowPeriod.days} days count from receipt (${windowPeriod.basis})`,
      });
      return;
    }
    const due = statutoryDue(trace, receipt, windowPeriod);
    if (e.at < due.dueAt)
      out.push({
        caseId: c.caseId,
        seq: e.seq,
        message: `the window to ask for ${stage} closed ${localTime(trace.zone, e.at)}, before the ${windowPeriod.days} days from receipt on ${receipt} ended ${due.due} (${windowPeriod.basis})`,
      });
  });
  return out;
}

function requestAndAnswer(
  trace: Trace,
  stage: 'review' | 'reexamination',
  stages: ReadonlySet<string>,
  windowPeriod: StatutoryPeriod,
  period: StatutoryPeriod,
): Violation[] {
  const out: Violation[] = [];
  for (const c of trace.cases) {
    for (const e of c.events) {
      if (e.stage !== stage || e.beforeStage !== 'opinion') continue;
      const receipt = receiptBefore(trace, c, e);
      if (receipt === undefined) continue;
      // the 30 days are a floor: a jurisdiction that gives the petitioner longer lawfully
      // accepts a request within its own longer window
      const own = trace.config.deadlines[stage === 'review' ? 'reviewWindow' : 'reexaminationWindow'];
      const granted =
        own && (own.unit ?? 'calendar') === windowPeriod.unit && own.days > windowPeriod.days
          ? { ...windowPeriod, days: own.days }
          : windowPeriod;
      const due = statutoryDue(trace, receipt, granted);
      if (e.at >= due.dueAt)
        out.push({
          caseId: c.caseId,
          seq: e.seq,
          message: `${stage} requested ${localTime(trace.zone, e.at)}, after the ${granted.days}-day window from receipt on ${receipt} ended ${due.due} (${windowPeriod.basis})`,
        });
    }
    out.push(...windowClosedEarly(trace, c, stage, windowPeriod));
    const eps = episodes(
      c.events,
      (e) => e.stage === stage && e.beforeStage !== undefined && !stages.has(e.beforeStage),
      stages,
    );
    for (const ep of eps) {
      // hearing time does not count (Reg. 36 ¶2, "听证所需时间"): the hearing's own days as the
      // step entering it records them (its first `date` through its `lastDate`); a hearing that
      // records none pauses the stretch spent in the state that step entered, [from, to). Only a
      // step entering the hearing stage opens a pause, and an unrecorded one ends with the first
      // step out of its state: a later state the config also labels `hearing` (a post-hearing
      // deliberation) adds no paused time (issue 24, class 2)
      const pauses: { from: string; to?: string }[] = [];
      let heldIn: string | undefined;
      const upto = ep.end ? c.events.indexOf(ep.end) : c.events.length;
      for (const e of c.events.slice(c.events.indexOf(ep.start), upto)) {
        const open = pauses.at(-1);
        if (e.stage === 'hearing' && e.beforeStage !== 'hearing' && (!open || open.to !== undefined)) {
          const days = hearingDays(e);
          pauses.push(days ?? { from: civil(trace, e.at) });
          heldIn = days ? undefined : e.state;
        } else if (open && open.to === undefined && e.state !== heldIn) open.to = civil(trace, e.at);
      }
      out.push(...decidedWhilePaused(trace, c, ep, stage, period));
      // a hearing still going on stops the clock: nothing can be late yet; a period that ended
      // in a hearing (a withdrawal) counted no day after the hearing began
      const last = pauses.at(-1);
      if (last && last.to === undefined) {
        if (!ep.end) continue;
        last.to = civil(trace, ep.end.at);
      }
      // a hearing begun and ended on one day pauses no day
      const counted = pauses.filter((x) => x.to !== x.from);
      const due = statutoryDue(trace, civil(trace, ep.start.at), period, { pauses: counted });
      out.push(
        ...latenessViolations(trace, c, ep, due, `the ${stage}`, `${period.days} days (${period.basis})`),
      );
    }
  }
  return out;
}

/**
 * A decision taken while the engine still held the period's clock stopped: the step that ended
 * the period resumed it (a `resume` record of a duty the period's opening step started). Only
 * the hearing's own time is left out (Reg. 36 ¶2); a decision comes after the hearing, so a clock
 * still stopped when it is taken was stopped for more than the hearing, and the days between
 * were never counted, however few. A withdrawal (the petitioner's act) and the clock's own move
 * are not decisions.
 */
function decidedWhilePaused(
  trace: Trace,
  c: TracedCase,
  ep: Episode,
  stage: string,
  period: StatutoryPeriod,
): Violation[] {
  const end = ep.end;
  if (!end || end.stage === 'withdrawn' || end.actor?.role === 'system') return [];
  const duties = dutiesStartedBy(trace.config, ep.start);
  const resumed = ((end.payload.deadlines ?? []) as { deadline?: string; op?: string }[])
    .filter((r) => r.op === 'resume' && duties.has(String(r.deadline)))
    .map((r) => String(r.deadline));
  if (resumed.length === 0) return [];
  const paused = c.events.findLast(
    (e) =>
      e.seq < end.seq &&
      ((e.payload.deadlines ?? []) as { deadline?: string; op?: string }[]).some(
        (r) => r.op === 'pause' && resumed.includes(String(r.deadline)),
      ),
  );
  return [
    {
      caseId: c.caseId,
      seq: end.seq,
      message:
        `the ${stage} was decided (${end.type}, ${end.before} -> ${end.state}) ${localTime(trace.zone, end.at)} while its period ` +
        `(${resumed.join(', ')}) was paused${paused ? ` since ${localTime(trace.zone, paused.at)} (${paused.type})` : ''}: ` +
        `only the hearing's own time is left out, and a decision comes after the hearing (${period.basis})`,
    },
  ];
}

/** The days `[first, last + 1)` a hearing's notice records (payload `date`, `lastDate`), if any. */
function hearingDays(e: TracedEvent): { from: string; to: string } | undefined {
  const command = e.payload.command as { date?: unknown; lastDate?: unknown } | undefined;
  const day = /^\d{4}-\d{2}-\d{2}$/;
  const first = command?.date;
  if (typeof first !== 'string' || !day.test(first)) return undefined;
  const last = typeof command?.lastDate === 'string' && day.test(command.lastDate) ? command.lastDate : first;
  const to = new Date(Date.parse(`${[first, last].sort()[1]}T00:00:00Z`) + 86_400_000)
    .toISOString()
    .slice(0, 10);
  return { from: first, to };
}

/** Reg. 35: a review is requested within 30 days of receipt and answered within 30 days. */
export const reviewInTime: DynamicInvariant = {
  id: 'review-window-and-period',
  title:
    'a review is accepted only within 30 days of receiving the opinion and answered within 30 days, or the case is red',
  basis: 'reg-2022 art. 35',
  check: (trace) => requestAndAnswer(trace, 'review', REVIEW, STATUTE.reviewWindow, STATUTE.review),
};

/** Reg. 36: the same for re-examination, hearing time excluded. */
export const reexaminationInTime: DynamicInvariant = {
  id: 'reexamination-window-and-period',
  title:
    're-examination is accepted only within 30 days of receiving the review opinion and answered within 30 days, hearing time excluded, or the case is red',
  basis: 'reg-2022 art. 36',
  check: (trace) =>
    requestAndAnswer(
      trace,
      'reexamination',
      REEXAMINATION,
      STATUTE.reexaminationWindow,
      STATUTE.reexamination,
    ),
};
