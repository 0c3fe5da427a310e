/**
 * What leaves the case: documents owed to the petitioner at every end, accusation material
 * kept from the accused (Reg. 30), and colours that tell the truth about the deadlines.
 */

import { colourOf } from '@xinfang/core';
import { accusationTextOf, accusedUnitOf } from '../driver.js';
import {
  type DynamicInvariant,
  deadlineDef,
  isCompleted,
  petitionerDocuments,
  petitionerReachable,
  type Violation,
} from './support.js';

/** Stages in which a body still owes the petitioner an answer. */
const OWING = new Set(['registration', 'transfer', 'handling', 'hearing', 'review', 'reexamination']);

/** Reg. 23 (and 32-36): every end leaves the petitioner a document, unless identity or address is unclear. */
export const endsDocumented: DynamicInvariant = {
  id: 'end-state-documented',
  title:
    'every end state has issued its document to the petitioner (waived only when identity or address is unclear)',
  basis: 'reg-2022 art. 23, 32-36',
  check(trace) {
    const { config } = trace;
    const out: Violation[] = [];
    for (const c of trace.cases) {
      const { stage, state } = c.projection;
      // a withdrawal is the petitioner's own act: nothing was decided that needs a notice
      if (!isCompleted(stage) || stage === 'withdrawn') continue;
      const lastOwing = c.events.findLastIndex((e) => OWING.has(e.stage));
      const after = c.events.slice(lastOwing + 1);
      const docs = after.flatMap((e) => petitionerDocuments(config, e).map((d) => ({ ...d, seq: e.seq })));
      if (docs.length === 0) {
        const owing = c.events[lastOwing];
        out.push({
          caseId: c.caseId,
          message: `the case ended in ${state} (${stage}) and no document went to the petitioner since ${owing ? `${owing.type} (seq ${owing.seq})` : 'submission'}`,
        });
        continue;
      }
      const reachable = petitionerReachable(c.projection.data.petition);
      for (const d of docs) {
        if (d.waived && reachable)
          out.push({
            caseId: c.caseId,
            seq: d.seq,
            message: `document ${d.document} was waived (${d.waived}) although the petitioner's name and address are known: only an unclear name or address waives it (Reg. 23)`,
          });
        if (d.waived) continue;
        const row = c.outbox.find(
          (r) => r.seq === d.seq && r.kind === 'document' && r.payload.documentId === d.document,
        );
        if (!row)
          out.push({
            caseId: c.caseId,
            seq: d.seq,
            message: `document ${d.document} is listed in the log but nothing was queued to deliver it`,
          });
      }
    }
    return out;
  },
};

/**
 * Every document a step owes can be issued: its template renders with what the case holds at
 * that step. A step whose document cannot render is refused in production (TEMPLATE_RENDER), so
 * the case cannot take it at all: a transfer notice naming the acceptance date, a review
 * opinion naming the body above the top of the registry. Only checked when the check was given
 * the config's templates (`xinfang check` always gives them).
 */
export const documentsRender: DynamicInvariant = {
  id: 'documents-render',
  title: 'every document a step owes renders from its template with what the case holds at that step',
  basis: 'reg-2022 art. 23, 32-36 (the written notices); design (xinfang)',
  check(trace) {
    const out: Violation[] = [];
    for (const t of trace.entries) {
      if (t.code !== 'TEMPLATE_RENDER') continue;
      out.push({
        ...(t.caseId ? { caseId: t.caseId } : {}),
        message: `${t.command ?? t.kind}${t.actor ? ` by ${t.actor.id}` : ''} could not issue its document, so the step cannot be taken: ${(t.message ?? '').split('\n')[0]}`,
      });
    }
    return out;
  },
};

/** Reg. 30: accusation material never goes to the accused person or unit. */
export const accusationKept: DynamicInvariant = {
  id: 'accusation-kept-from-accused',
  title: 'accusation material never goes to the accused person or unit',
  basis: 'reg-2022 art. 30',
  check(trace) {
    const { config } = trace;
    const out: Violation[] = [];
    for (const c of trace.cases) {
      const accused = accusedUnitOf(config, c.projection.data.petition);
      if (accused === undefined) continue;
      // the body the petitioner chose to hand it to is not "sent" anything by the procedure
      const registeredByAccused = c.projection.registeringUnit === accused;
      const handed = c.projection.responsibleUnit === accused && !registeredByAccused;
      if (handed)
        out.push({
          caseId: c.caseId,
          message: `the accusation was handed to the accused unit ${accused} to handle`,
        });
      for (const e of c.events) {
        const target = (e.payload.command as { unit?: unknown } | undefined)?.unit;
        if (target === accused && e.seq > 1 && e.state !== e.before)
          out.push({
            caseId: c.caseId,
            seq: e.seq,
            message: `${e.type} sent the accusation to the accused unit ${accused}`,
          });
      }
      for (const r of c.outbox)
        if (r.recipient === accused && !registeredByAccused)
          out.push({
            caseId: c.caseId,
            seq: r.seq,
            message: `a ${r.kind} (${String(r.payload.documentId ?? r.payload.message ?? '')}) was addressed to the accused unit ${accused}`,
          });
      const leaked = accusationTextOf(config, c.projection.data.petition).filter((t) =>
        c.accusedView?.includes(t),
      );
      if (leaked.length > 0)
        out.push({
          caseId: c.caseId,
          message: `staff of the accused unit ${accused} can read the accusation material ("${leaked[0]}")`,
        });
    }
    return out;
  },
};

interface RowTrack {
  deadline: string;
  dueAt?: string;
  status: 'running' | 'paused' | 'stopped' | 'fired';
  stoppedAt?: string;
  /** Seq of the event that fired or stopped the row. */
  endSeq?: number;
  /** Paused by a step the law gives no pause (see `coloursTruthful`): its clock still runs. */
  unlawfulPause?: boolean;
}

/** Reg. 38-45 (three-colour practice): red exactly when a step was missed or late; completed cases blue with their violations. */
export const coloursTruthful: DynamicInvariant = {
  id: 'colours-truthful',
  title:
    'an open case is red exactly when a duty deadline was missed or met late; a completed case is blue and keeps its violations',
  basis: 'reg-2022 art. 38-45 (supervision of late handling); seed practice (three colours)',
  check(trace) {
    const out: Violation[] = [];
    for (const c of trace.cases) {
      const rows = new Map<string, RowTrack>();
      for (const e of c.events) {
        for (const r of (e.payload.deadlines ?? []) as {
          row?: string;
          deadline?: string;
          op?: string;
          dueAt?: string;
          fromRow?: string;
        }[]) {
          const id = String(r.row);
          // a move to another version carries the period on as its new row (renamed, recounted)
          const carried = r.op === 'migrate' ? rows.get(String(r.fromRow)) : undefined;
          if (carried) {
            rows.delete(String(r.fromRow));
            rows.set(id, { ...carried, deadline: String(r.deadline) });
          }
          const row: RowTrack = rows.get(id) ?? { deadline: String(r.deadline), status: 'running' };
          rows.set(id, row);
          // the law stops a period's clock for a hearing alone (Reg. 36 ¶2): a pause made by any
          // other step (a suspension the config invented, a post-hearing state it also listed)
          // stops nothing, so the period keeps the end it had before it, and the later end the
          // engine dates at the pause or the resume is not taken
          if (r.op === 'pause' && !(e.stage === 'hearing' && e.beforeStage !== 'hearing')) {
            row.unlawfulPause = true;
            continue;
          }
          if (r.op === 'resume' && row.unlawfulPause) {
            row.unlawfulPause = false;
            continue;
          }
          if (r.dueAt) row.dueAt = r.dueAt;
          if (r.op === 'start' || r.op === 'resume') row.status = 'running';
          if (r.op === 'pause') row.status = 'paused';
          if (r.op === 'stop' && row.status !== 'fired') {
            row.status = 'stopped';
            row.stoppedAt = e.at;
            row.endSeq = e.seq;
          }
          if (r.op === 'fire') {
            row.status = 'fired';
            row.endSeq = e.seq;
          }
        }
      }
      // a case reopened after completion (a spot check) starts its procedure afresh: what was
      // missed before stays a violation, and only what is missed since colours it
      const reopened = c.events.findLast(
        (e) => e.beforeStage !== undefined && isCompleted(e.beforeStage) && !isCompleted(e.stage),
      );
      const since = reopened?.seq ?? 0;
      const missed = new Set<string>();
      const missedEver = new Set<string>();
      for (const row of rows.values()) {
        if (deadlineDef(trace, row.deadline)?.kind !== 'duty' || row.dueAt === undefined) continue;
        const fired = row.status === 'fired';
        const stoppedLate =
          row.status === 'stopped' && row.stoppedAt !== undefined && row.stoppedAt >= row.dueAt;
        const overdue = row.status === 'running' && row.dueAt <= trace.lastTick;
        if (!fired && !stoppedLate && !overdue) continue;
        missedEver.add(row.deadline);
        if (overdue || (row.endSeq ?? 0) > since) missed.add(row.deadline);
      }
      const p = c.projection;
      const refs = (list: typeof p.redReasons) =>
        new Set(list.filter((r) => r.code === 'DEADLINE_MISSED').map((r) => String(r.ref)));
      const verdict = colourOf(p);
      if (verdict.colour !== p.colour)
        out.push({
          caseId: c.caseId,
          message: `stored colour ${p.colour}, but its reasons make it ${verdict.colour}`,
        });
      const names = (s: Set<string>) => [...s].sort().join(', ') || 'none';
      if (isCompleted(p.stage)) {
        if (p.colour !== 'blue')
          out.push({ caseId: c.caseId, message: `completed in ${p.state} (${p.stage}) but ${p.colour}` });
        const kept = refs([...p.violations, ...p.redReasons]);
        const lost = [...missedEver].filter((d) => !kept.has(d));
        if (lost.length > 0)
          out.push({
            caseId: c.caseId,
            message: `completed without keeping the violation of ${lost.join(', ')}`,
          });
      } else {
        const open = refs(p.redReasons);
        if ((p.colour === 'red') !== missed.size > 0 || names(open) !== names(missed))
          out.push({
            caseId: c.caseId,
            message: `open in ${p.state} and ${p.colour} with reasons for ${names(open)}, but the deadlines missed or met late are ${names(missed)}`,
          });
      }
    }
    return out;
  },
};
