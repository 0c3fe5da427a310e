/**
 * Which matters run the handling procedure (Reg. 29-31, 34): the handling period, the handling
 * opinion and the review ladder are for matters of Reg. 31 (6). A suggestion is studied and
 * answered (Reg. 29), an accusation goes to the discipline-inspection and supervision body or the
 * competent body (Reg. 30), an appeal of Reg. 31 (1)-(5) to its own procedure. The class is the
 * checker's own reading of the petition (`statutoryMatterClass`), changed only by a
 * reclassification staff recorded with its reason.
 */

import type { TracedEvent } from '../driver.js';
import { MATTER_CLASS_BASIS, statutoryMatterClass } from '../statute.js';
import { type DynamicInvariant, entered, type Violation } from './support.js';

/** Stages of the handling procedure a matter enters on acceptance (Reg. 32-36). */
const HANDLING_PROCEDURE = new Set(['handling', 'hearing', 'opinion', 'review', 'reexamination']);

/**
 * A reclassification as the record shows it: a step by staff (not the petitioner, not the clock)
 * whose payload names a class of matter and gives a reason. Whatever the config calls the step,
 * that is an explicit, recorded decision on the class.
 */
function reclassifiedTo(e: TracedEvent, petitionerRoles: ReadonlySet<string>): string | undefined {
  const command = (e.payload.command ?? {}) as Record<string, unknown>;
  const cls = command.class;
  const reason = command.reason;
  if (typeof cls !== 'string' || !Object.hasOwn(MATTER_CLASS_BASIS, cls)) return undefined;
  if (typeof reason !== 'string' || reason.trim() === '') return undefined;
  if (e.actor.unit === undefined || petitionerRoles.has(e.actor.role)) return undefined;
  return cls;
}

export const handlingOnlyForOpinionMatters: DynamicInvariant = {
  id: 'handling-only-for-opinion-matters',
  title:
    'only a matter of Reg. 31 (6) is taken into handling (its period, the handling opinion, the review ladder); suggestions, accusations and routed appeals go to their own procedure',
  basis: 'reg-2022 art. 29-31, 34',
  check(trace) {
    const { config } = trace;
    const petitionerRoles = new Set(
      Object.entries(config.roles)
        .filter(([, r]) => r.petitioner === true || r.system === true)
        .map(([id]) => id),
    );
    const out: Violation[] = [];
    for (const c of trace.cases) {
      let cls = statutoryMatterClass(c.projection.data.petition);
      let reclassified = false;
      for (const e of c.events) {
        const to = reclassifiedTo(e, petitionerRoles);
        if (to !== undefined) {
          cls = to;
          reclassified = true;
        }
        if (cls === 'opinion' || e.seq === 1 || !entered(config, e)) continue;
        if (!HANDLING_PROCEDURE.has(e.stage)) continue;
        if (e.beforeStage !== undefined && HANDLING_PROCEDURE.has(e.beforeStage)) continue;
        out.push({
          caseId: c.caseId,
          seq: e.seq,
          message:
            `${e.type} took a ${cls} matter (${MATTER_CLASS_BASIS[cls]}${reclassified ? ', as reclassified' : ', as registered'}) ` +
            `from ${e.before} (${e.beforeStage}) into ${e.state} (${e.stage}); only a matter of reg-2022 art. 31 (6) ` +
            `runs the handling period (Reg. 34), the handling opinion and the review ladder`,
        });
      }
    }
    return out;
  },
};
