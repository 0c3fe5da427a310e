/**
 * The review ladder as the Regulations write it (Reg. 35-36): a handling opinion is reviewed by
 * "原办理机关、单位的上一级机关、单位", its own people's government (for a government, the
 * government one level up) or its competent department one level up; the review is re-examined
 * one level above the body that actually reviewed. Worked out here from the registry's levels,
 * kinds and lines, not with the engine's own reading of them.
 */

import { DEADLINE_EXPIRED, type JurisdictionConfig, LEVELS } from '@xinfang/core';
import { type DynamicInvariant, entered, type Violation } from './support.js';

/** The bodies one level up from `unit`, as the auditor reads the registry. */
export function lawfulLadder(config: JurisdictionConfig, unit: string): string[] {
  const units = config.units;
  const u = Object.hasOwn(units, unit) ? units[unit] : undefined;
  if (!u) return [];
  const level = LEVELS.indexOf(u.level);
  const out: string[] = [];
  const seen = new Set([unit]);
  for (let p = u.parent; p !== undefined && !seen.has(p) && Object.hasOwn(units, p); p = units[p]?.parent) {
    seen.add(p);
    const a = units[p];
    if (a?.kind !== 'government') continue;
    const wanted = u.kind === 'government' ? level - 1 : level;
    if (LEVELS.indexOf(a.level) === wanted) out.push(p);
    break;
  }
  const line = u.line === undefined ? undefined : units[u.line];
  if (
    line &&
    u.kind !== 'government' &&
    line.kind !== 'government' &&
    LEVELS.indexOf(line.level) === level - 1
  )
    out.push(u.line as string);
  return out;
}

/** Stages in which a body handles a matter: an opinion issued from them is the first decision. */
const HANDLING = new Set(['handling', 'hearing']);

export const reviewBodyLawful: DynamicInvariant = {
  id: 'review-body-lawful',
  title:
    'a review is decided one level up from the unit that issued the opinion (its own government or its line department), a re-examination one level above the body that reviewed',
  basis: 'reg-2022 art. 35-36',
  check(trace) {
    const { config } = trace;
    const out: Violation[] = [];
    for (const c of trace.cases) {
      let opinionBy: string | undefined;
      let reviewBy: string | undefined;
      for (const e of c.events) {
        if (e.seq === 1 || e.type === DEADLINE_EXPIRED || !entered(config, e)) continue;
        const decides = e.stage !== 'withdrawn' && e.stage !== 'hearing';
        const judge = (decided: string | undefined, what: string, article: string) => {
          if (decided === undefined) return;
          const lawful = lawfulLadder(config, decided);
          if (e.actor.unit !== undefined && lawful.includes(e.actor.unit)) return;
          out.push({
            caseId: c.caseId,
            seq: e.seq,
            message: `${e.type} decided the ${what} of ${decided}'s decision at ${e.actor.unit ?? 'no unit'}; one level up from ${decided} is ${lawful.length > 0 ? lawful.join(' or ') : 'no body in the registry'} (${article})`,
          });
        };
        if (e.beforeStage === 'review' && e.stage !== 'review' && decides) {
          judge(opinionBy, 'review', 'reg-2022 art. 35');
          reviewBy = e.actor.unit;
        }
        if (e.beforeStage === 'reexamination' && e.stage !== 'reexamination' && decides)
          judge(reviewBy, 're-examination', 'reg-2022 art. 36');
        if (e.stage === 'opinion' && e.beforeStage !== undefined && HANDLING.has(e.beforeStage))
          opinionBy = e.actor.unit;
      }
    }
    return out;
  },
};
