/**
 * The order of the procedure and who may take its steps: acceptance before handling, once;
 * no second acceptance of a terminated matter; decisions by the body's staff, requests by the
 * petitioner; refused commands change nothing; the log stays verifiable.
 */

import { DEADLINE_EXPIRED } from '@xinfang/core';
import type { Trace } from '../driver.js';
import { sameMatterKey } from '../statute.js';
import {
  civil,
  type DynamicInvariant,
  entered,
  HANDLED_STAGES,
  isCompleted,
  type Violation,
} from './support.js';

/** Reg. 32 (and 23): handling follows acceptance, and a matter is accepted once. */
export const acceptedOnce: DynamicInvariant = {
  id: 'accepted-before-handled',
  title: 'nothing is handled without being accepted, and nothing is accepted twice',
  basis: 'reg-2022 art. 23, 32',
  check(trace) {
    const out: Violation[] = [];
    for (const c of trace.cases) {
      let acceptances = 0;
      for (const e of c.events) {
        if (!HANDLED_STAGES.has(e.stage)) continue;
        if (e.beforeStage !== undefined && HANDLED_STAGES.has(e.beforeStage)) continue;
        if (e.seq === 1) {
          out.push({
            caseId: c.caseId,
            seq: e.seq,
            message: `the case starts in stage ${e.stage}, before any acceptance`,
          });
          continue;
        }
        // a later step into a handled stage (an approved termination after the case closed)
        // is fine once the matter was accepted; without acceptance it skipped the procedure
        if (e.stage !== 'handling' && acceptances > 0) continue;
        if (e.stage !== 'handling') {
          out.push({
            caseId: c.caseId,
            seq: e.seq,
            message: `${e.type} took the case from ${e.before} (${e.beforeStage}) straight to ${e.state} (${e.stage}) without accepting it`,
          });
          continue;
        }
        // Reg. 23: the body that will handle the matter accepts it itself; a step that hands the
        // case to another body and puts it into handling at once skipped that body's decision
        if (e.unit !== undefined && e.actor.unit !== undefined && e.actor.unit !== e.unit)
          out.push({
            caseId: c.caseId,
            seq: e.seq,
            message: `${e.type} by ${e.actor.unit} put the case into handling at ${e.unit}, which never accepted it (${e.before} -> ${e.state})`,
          });
        acceptances++;
        if (acceptances > 1)
          out.push({
            caseId: c.caseId,
            seq: e.seq,
            message: `${e.type} accepted the case a second time (${e.before} -> ${e.state})`,
          });
      }
    }
    return out;
  },
};

/**
 * Reg. 36: once re-examined (terminated), the same matter on the same facts is not accepted
 * again. "The same matter" is the checker's own key (`sameMatterKey`: petitioner, respondent
 * unit, subject, request), never the config's `matterKey`, which a province may have made too
 * narrow (a receipt date in it lets the same matter in again on another day).
 */
export const noReacceptance: DynamicInvariant = {
  id: 'terminated-not-reaccepted',
  title: 'after termination, the same matter on the same facts is not accepted again',
  basis: 'reg-2022 art. 36',
  check(trace) {
    const out: Violation[] = [];
    for (const a of trace.cases) {
      const ended = a.events.find((e) => e.stage === 'terminated');
      if (!ended) continue;
      const key = sameMatterKey(a.projection.data.petition);
      for (const b of trace.cases) {
        if (b === a || sameMatterKey(b.projection.data.petition) !== key) continue;
        // a petition the registrar recorded as bringing new facts or reasons is not "the same
        // facts and reasons" that Reg. 36 ¶3 bars (the form's `newFacts`)
        if ((b.projection.data.petition as { newFacts?: unknown } | undefined)?.newFacts === true) continue;
        for (const e of b.events) {
          if (e.at <= ended.at || e.stage !== 'handling') continue;
          if (e.beforeStage !== undefined && HANDLED_STAGES.has(e.beforeStage)) continue;
          // a supervisor who reopened the refusal found the facts or reasons new (Reg. 44): the
          // matter key is only the rules' guess at "the same facts", and that finding overrides it
          const reopened = b.events.some(
            (r) =>
              r.seq < e.seq &&
              r.beforeStage !== undefined &&
              isCompleted(r.beforeStage) &&
              r.stage === 'registration',
          );
          if (reopened) continue;
          out.push({
            caseId: b.caseId,
            seq: e.seq,
            message: `${b.caseId} accepted (${e.type}) the matter ${a.caseId} terminated on ${civil(trace, ended.at)}`,
          });
        }
      }
    }
    return out;
  },
};

/** Stages in which a body handles a matter: an opinion issued from them is the first decision. */
const HANDLING_STAGES = new Set(['handling', 'hearing']);

/** Stages entered by a body's decision, and stages entered by the petitioner's request. */
const DECISIONS = new Set(['transfer', 'handling', 'not-accepted', 'diversion', 'opinion', 'terminated']);
const REQUESTS = new Set(['review', 'reexamination', 'withdrawn']);

/** Reg. 17, 22-36: decisions are the body's, requests are the petitioner's, expiries the clock's. */
export const properParty: DynamicInvariant = {
  id: 'proper-party',
  title:
    "every decision is taken by the body's staff, every request by the petitioner; review and re-examination by a body above the one decided",
  basis: 'reg-2022 art. 17, 22-36',
  check(trace) {
    const { config } = trace;
    const out: Violation[] = [];
    // above on either line: the territorial parents, or a line department above (Reg. 35-36;
    // exactly which body one level up is review-body-lawful's question)
    const above = (unit: string | undefined, of: string | undefined): boolean => {
      const seen = new Set<string>();
      const walk = (from: string | undefined): boolean => {
        if (from === undefined || seen.has(from)) return false;
        seen.add(from);
        const u = config.units[from];
        return u?.parent === unit || u?.line === unit || walk(u?.parent) || walk(u?.line);
      };
      return unit !== undefined && walk(of);
    };
    for (const c of trace.cases) {
      // who decided what the petitioner asks to have reviewed, and re-examined (Reg. 35-36)
      let opinionBy: string | undefined;
      let reviewBy: string | undefined;
      for (const e of c.events) {
        if (e.seq === 1 || e.type === DEADLINE_EXPIRED || !entered(config, e)) continue;
        const decidedAbove = (checked: string | undefined, what: string, article: string) => {
          if (checked === undefined || above(e.actor.unit, checked)) return;
          out.push({
            caseId: c.caseId,
            seq: e.seq,
            message: `${e.type} decided the ${what} at ${e.actor.unit ?? 'no unit'}, which is not above ${checked}, the body whose decision it checks (${article})`,
          });
        };
        const decides = e.stage !== 'withdrawn' && e.stage !== 'hearing';
        if (e.beforeStage === 'review' && e.stage !== 'review' && decides) {
          decidedAbove(opinionBy, 'review', 'reg-2022 art. 35');
          reviewBy = e.actor.unit;
        }
        if (e.beforeStage === 'reexamination' && e.stage !== 'reexamination' && decides)
          decidedAbove(reviewBy, 're-examination', 'reg-2022 art. 36');
        if (e.stage === 'opinion' && e.beforeStage !== undefined && HANDLING_STAGES.has(e.beforeStage))
          opinionBy = e.actor.unit;
        const role = config.roles[e.actor.role];
        const staff = role !== undefined && !role.petitioner && !role.system;
        // every move that ends a matter (a settlement, a closure) is the body's decision too,
        // whatever the config calls the stage; only the petitioner's own withdrawal is theirs
        const ends = isCompleted(e.stage) && e.stage !== 'withdrawn' && e.beforeStage !== e.stage;
        if ((DECISIONS.has(e.stage) || ends) && !staff)
          out.push({
            caseId: c.caseId,
            seq: e.seq,
            message: `${e.type} (${e.before} -> ${e.state}, a decision) was taken by ${e.actor.role}, not by staff of a body`,
          });
        if (
          e.stage !== 'withdrawn' &&
          REQUESTS.has(e.stage) &&
          e.beforeStage === 'opinion' &&
          !role?.petitioner
        )
          out.push({
            caseId: c.caseId,
            seq: e.seq,
            message: `${e.type} (${e.before} -> ${e.state}, the petitioner's request) was sent by ${e.actor.role}`,
          });
        if (e.stage === 'withdrawn' && !role?.petitioner)
          out.push({
            caseId: c.caseId,
            seq: e.seq,
            message: `${e.type} withdrew the petition, sent by ${e.actor.role}`,
          });
      }
    }
    return out;
  },
};

/** A command from a role the transition does not list, or one the state does not have, never changes a case. */
export const refusalsChangeNothing: DynamicInvariant = {
  id: 'refusals-change-nothing',
  title:
    'a command from a role the transition does not allow (or not allowed in the state) is refused and never changes a case',
  basis: 'reg-2022 art. 6 (lawful procedure); design (xinfang)',
  check(trace) {
    const out: Violation[] = [];
    for (const t of trace.entries) {
      const actor = t.actor ? `${t.actor.role}${t.actor.unit ? ` of ${t.actor.unit}` : ''}` : '';
      if ((t.kind === 'wrong-role' || t.kind === 'wrong-command') && t.outcome === 'ok')
        out.push({
          ...(t.caseId ? { caseId: t.caseId } : {}),
          message:
            t.kind === 'wrong-role'
              ? `${t.command} in ${t.from} was accepted from ${actor}, a role its transition does not list`
              : `${t.command} was accepted in ${t.from}, where the state has no such command`,
        });
      if (t.outcome === 'refused' && t.unchanged === false)
        out.push({
          ...(t.caseId ? { caseId: t.caseId } : {}),
          message: `${t.command} from ${actor} was refused (${t.code}) but the stored case changed`,
        });
    }
    return out;
  },
};

/** Every command either happens or is refused with a coded error; every log replays and verifies. */
export const soundRecord: DynamicInvariant = {
  id: 'record-sound',
  title: 'every command succeeds or is refused with a coded error, and every case log verifies and replays',
  basis: 'reg-2022 art. 8 (records); design (xinfang)',
  check(trace: Trace) {
    const out: Violation[] = [];
    for (const t of trace.entries)
      if (t.outcome === 'crashed')
        out.push({
          ...(t.caseId ? { caseId: t.caseId } : {}),
          message: `${t.kind} ${t.command ?? ''} crashed: ${(t.message ?? '').split('\n')[0]}`,
        });
    for (const c of trace.cases)
      if (!c.verified.ok)
        out.push({ caseId: c.caseId, message: `the log does not verify: ${c.verified.problems.join('; ')}` });
    return out;
  },
};
