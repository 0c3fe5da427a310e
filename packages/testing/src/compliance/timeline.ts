/**
 * A run as an auditor reads it: one line per step with the local date and time, who acted,
 * what they sent, and what the case did; clock moves with the deadlines they fired.
 */

import type { Trace, TraceEntry } from './driver.js';
import { localParts } from './invariants/support.js';

function local(trace: Trace, instant: string): string {
  const { date, weekday, hour, minute } = localParts(trace.zone, instant);
  let kind = '';
  if (trace.calendar.covers(date)) {
    const info = trace.calendar.dayInfo(date);
    if (info.reason === 'holiday') kind = ' holiday';
    else if (info.reason === 'weekend') kind = ' rest day';
    else if (info.reason === 'adjusted-workday') kind = ' adjusted workday';
  }
  return `${date} ${weekday} ${hour}:${minute}${kind}`;
}

function payloadText(p: TraceEntry['payload']): string {
  if (!p || Object.keys(p).length === 0) return '';
  const text = JSON.stringify(p);
  return ` ${text.length > 120 ? `${text.slice(0, 117)}...` : text}`;
}

function line(trace: Trace, t: TraceEntry): string | undefined {
  const when = local(trace, t.at).padEnd(33);
  if (t.kind === 'advance') {
    if (t.outcome !== 'ok') return undefined;
    return `${when} clock${t.fired?.length ? `  fired: ${t.fired.join('; ')}` : ''}`;
  }
  if (t.outcome === 'skipped') return undefined;
  if (t.kind === 'migrate') return migrationLines(when, t).join('\n');
  const who = t.actor ? `${t.actor.role}${t.actor.unit ? `@${t.actor.unit}` : ''}` : '';
  if (t.kind === 'submit' || t.kind === 'resubmit') {
    const what = t.kind === 'submit' ? 'SUBMIT' : 'SUBMIT again (same matter)';
    return t.outcome === 'ok'
      ? `${when} ${who.padEnd(28)} ${what} -> ${t.caseId} ${t.to}`
      : `${when} ${who.padEnd(28)} ${what} refused ${t.code}: ${t.message}`;
  }
  const cmd = `${t.command}${payloadText(t.payload)}`;
  if (t.outcome === 'ok') return `${when} ${who.padEnd(28)} ${cmd}  ${t.from} -> ${t.to}`;
  const note = t.kind === 'wrong-role' || t.kind === 'wrong-command' ? ` [${t.kind} probe]` : '';
  return `${when} ${who.padEnd(28)} ${cmd}  refused ${t.code ?? 'CRASH'}${note}${t.unchanged === false ? ' (BUT THE CASE CHANGED)' : ''}`;
}

/** The move to the plan's new version: what each case became, and the cases left where they were. */
function migrationLines(when: string, t: TraceEntry): string[] {
  const m = t.migration;
  const head = `${when} ${'redeploy'.padEnd(28)} MIGRATE by plan ${m?.plan ?? '?'}`;
  if (t.outcome !== 'ok') return [`${head} failed ${t.code ?? 'CRASH'}: ${t.message}`];
  const moved = (m?.moved ?? []).map((x) => `${' '.repeat(34)}  moved ${x}`);
  const left = (m?.left ?? []).map((x) => `${' '.repeat(34)}  left on its version ${x}`);
  return [moved.length + left.length === 0 ? `${head}: no open case to move` : head, ...moved, ...left];
}

/** The run as readable lines, then the final state of each case. */
export function renderTimeline(trace: Trace): string[] {
  const out: string[] = [];
  for (const t of trace.entries) {
    const l = line(trace, t);
    if (l) out.push(...l.split('\n'));
  }
  for (const c of trace.cases) {
    const p = c.projection;
    const reasons = [...p.redReasons, ...p.violations].map((r) => `${r.ref ?? r.code}`).join(', ');
    out.push(`=> ${c.caseId}: ${p.state} (${p.stage}), ${p.colour}${reasons ? `, reasons: ${reasons}` : ''}`);
  }
  return out;
}
