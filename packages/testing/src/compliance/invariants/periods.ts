/**
 * A statutory period runs once per matter and responsible body (issue 24, class 8): the body
 * that accepted a matter has 60 days from acceptance (Reg. 34), the reviewing and re-examining
 * bodies 30 days from the request (Reg. 35-36). Re-entering the state that started the period,
 * at the same body, opens no fresh one; the period's end moves later only by the one extension
 * the Regulations allow, within its cap. Judged from the events' deadline records and the
 * national calendar, never from the config's deadline ids: a copy of the period under another
 * name is still the period.
 */

import { computeDeadline } from '@xinfang/core';
import type { Trace, TracedCase, TracedEvent } from '../driver.js';
import { STATUTE, type StatutoryPeriod } from '../statute.js';
import {
  civil,
  type DynamicInvariant,
  dutiesStartedBy,
  entered,
  localTime,
  type Violation,
} from './support.js';

/** The statutory period a stage belongs to; a hearing belongs to the period it interrupts. */
const PERIOD_OF_STAGE: Readonly<Record<string, 'handling' | 'review' | 'reexamination'>> = {
  handling: 'handling',
  review: 'review',
  reexamination: 'reexamination',
};

interface DeadlineRecord {
  deadline?: string;
  row?: string;
  op?: string;
  startDate?: string;
  dueDate?: string;
  dueAt?: string;
}

/** One statutory period at one body: the rows it runs in, its extensions, its latest end. */
interface Running {
  period: StatutoryPeriod;
  name: string;
  unit: string;
  opened: TracedEvent;
  deadlines: Set<string>;
  rows: Set<string>;
  firstStart: string;
  /** Its end as last recorded (the opening, an extension, a pause). */
  dueDate: string;
  extensions: number;
}

const recordsOf = (e: TracedEvent) => (e.payload.deadlines ?? []) as DeadlineRecord[];

/**
 * The latest end the Regulations allow a period started on `start`: its days, plus its extensions
 * at their most, counted on from the end the rest-day rule gave it (the later of the two readings
 * of Reg. 34 a config may take, docs/decisions.md).
 */
function statutoryCap(trace: Trace, start: string, period: StatutoryPeriod): string {
  const ext = period.extension;
  return computeDeadline(trace.calendar, {
    start,
    days: period.days,
    unit: period.unit,
    timezone: trace.zone,
    provisional: true,
    ...(ext
      ? {
          extensions: Array.from({ length: ext.times }, () => ({
            days: ext.maxDays,
            approvedBy: 'statute',
            reason: 'extension',
          })),
          extensionFrom: 'adjusted-end' as const,
        }
      : {}),
  }).dueAt;
}

/** Whether a started row runs at least the whole statutory period from its own start. */
function runsWholePeriod(trace: Trace, r: DeadlineRecord, period: StatutoryPeriod): boolean {
  if (r.startDate === undefined || r.dueAt === undefined) return false;
  const full = computeDeadline(trace.calendar, {
    start: r.startDate,
    days: period.days,
    unit: period.unit,
    timezone: trace.zone,
    provisional: true,
  });
  return r.dueAt >= full.dueAt;
}

function caseViolations(trace: Trace, c: TracedCase): Violation[] {
  const out: Violation[] = [];
  const open = new Map<string, Running>();
  let current: keyof typeof STATUTE | undefined;
  for (const e of c.events) {
    current = PERIOD_OF_STAGE[e.stage] ?? (e.stage === 'hearing' ? current : undefined);
    const records = recordsOf(e);
    // an entry into the period's states that starts a duty at a body that already ran it
    const duties =
      current && e.unit && entered(trace.config, e) ? dutiesStartedBy(trace.config, e) : new Set<string>();
    const starts = records.filter((r) => r.op === 'start' && duties.has(String(r.deadline)));
    if (current && e.unit && starts.length > 0) {
      const key = `${current}|${e.unit}`;
      const running = open.get(key);
      const period: StatutoryPeriod = STATUTE[current];
      if (!running) {
        const last = starts.reduce((a, b) => (String(b.dueAt) > String(a.dueAt) ? b : a));
        open.set(key, {
          period,
          name: current,
          unit: e.unit,
          opened: e,
          deadlines: new Set(starts.map((r) => String(r.deadline))),
          rows: new Set(starts.map((r) => String(r.row))),
          firstStart: String(starts[0]?.startDate ?? civil(trace, e.at)),
          dueDate: String(last.dueDate),
          extensions: 0,
        });
      } else {
        for (const r of starts) {
          const again = running.deadlines.has(String(r.deadline));
          // a shorter duty of its own inside the period (a hearing's) is no second period
          if (!again && !runsWholePeriod(trace, r, period)) continue;
          // the second period is the same one: its extensions count with the first's
          running.rows.add(String(r.row));
          out.push({
            caseId: c.caseId,
            seq: e.seq,
            message:
              `${e.type} (${e.before} -> ${e.state}) opened the ${running.name} period again at ${running.unit}` +
              ` (${r.deadline}, ${r.startDate} to ${r.dueDate}); it opened ${localTime(trace.zone, running.opened.at)}` +
              ` (${running.opened.type}) ending ${running.dueDate} and runs once per matter and body (${period.basis})`,
          });
        }
      }
    }
    for (const running of open.values()) out.push(...changes(trace, c, e, records, running));
  }
  return out;
}

/** What an event's records do to a period's end: an extension counts, a pause moves it lawfully. */
function changes(
  trace: Trace,
  c: TracedCase,
  e: TracedEvent,
  records: readonly DeadlineRecord[],
  running: Running,
): Violation[] {
  const out: Violation[] = [];
  for (const r of records) {
    if (!running.rows.has(String(r.row)) || r.dueAt === undefined) continue;
    if (r.op === 'extend') {
      running.extensions++;
      const allowed = running.period.extension?.times ?? 0;
      if (running.extensions > allowed)
        out.push({
          caseId: c.caseId,
          seq: e.seq,
          message: `extension no. ${running.extensions} of the ${running.name} period at ${running.unit}; the Regulations allow ${allowed} per matter and body (${running.period.basis})`,
        });
      const cap = statutoryCap(trace, running.firstStart, running.period);
      if (r.dueAt > cap)
        out.push({
          caseId: c.caseId,
          seq: e.seq,
          message: `an extension moved the ${running.name} period at ${running.unit} to ${r.dueDate}, past the latest end the Regulations allow from ${running.firstStart} (${running.period.basis})`,
        });
    }
    // a pause (hearing time, Reg. 36) moves the end lawfully; its length is judged by the
    // period's own invariant
    if (r.op === 'extend' || r.op === 'pause' || r.op === 'resume') running.dueDate = String(r.dueDate);
  }
  return out;
}

/** Reg. 34-36: a period runs once per matter and body; one extension, within its cap. */
export const periodRunsOnce: DynamicInvariant = {
  id: 'period-runs-once',
  title:
    'a statutory period runs once per matter and body: re-entering its state opens no fresh one, and its end moves later only by the one extension allowed',
  basis: 'reg-2022 art. 34-36',
  check(trace) {
    return trace.cases.flatMap((c) => caseViolations(trace, c));
  },
};
