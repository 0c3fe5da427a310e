/**
 * Reg. 24: a body dissolved or merged into another hands its open matters to its successor
 * (`successor` in the unit registry). `takeOver` lets the successor's staff take over every open
 * case the dissolved body still holds, one page per call: each case gets its own `TAKE_OVER`
 * event through the ordinary command path, so the step is judged (role, authority
 * `successor-of-responsible`, the accused never receiving an accusation), chained and verified
 * like any other. Nothing here moves a case the config would not let the actor move by hand.
 */

import { isXinfangError, XinfangError } from '../base/errors.js';
import { isCompletedStage } from '../config/stages.js';
import type { ActorRef } from '../store/types.js';
import type { EngineRuntime } from './runtime.js';
import { sendCommand } from './send.js';
import type { TakeOverOptions, TakeOverResult } from './types.js';

const PAGE = 100;

/** The command a successor's staff send on each case (national.yaml's group `succession`). */
export const TAKE_OVER = 'TAKE_OVER';

/** Takes over one page of the open cases `from` holds, as `actor` of its successor; see `Engine.takeOver`. */
export async function takeOverCases(
  rt: EngineRuntime,
  from: string,
  actor: ActorRef,
  options: TakeOverOptions = {},
): Promise<TakeOverResult> {
  requireSuccessor(rt, from, actor);
  const limit = Math.max(1, Math.min(options.limit ?? PAGE, 1000));
  // the engine's own listing: the successor reads none of these cases until it holds them
  const page = await rt.store.query({
    unit: from,
    limit,
    ...(options.after !== undefined ? { after: options.after } : {}),
  });
  const result: TakeOverResult = { examined: page.length, moved: [], refused: [], notTaken: 0 };
  const payload = options.note !== undefined ? { note: options.note } : {};
  for (const c of page) {
    if (isCompletedStage(c.stage)) continue;
    try {
      await sendCommand(rt, c.caseId, { type: TAKE_OVER, payload }, actor, { internal: false });
      result.moved.push(c.caseId);
    } catch (e) {
      if (!isXinfangError(e)) throw e;
      // a case the actor may not read (an accusation against the successor itself, Reg. 30) is
      // counted, never named: a body above takes it over
      if (e.code === 'CASE_NOT_FOUND') result.notTaken++;
      else result.refused.push({ caseId: c.caseId, code: e.code, message: e.message });
    }
  }
  if (page.length === limit) result.next = page[page.length - 1]?.caseId;
  return result;
}

/** The actor acts for the unit some loaded jurisdiction names as `from`'s successor. */
function requireSuccessor(rt: EngineRuntime, from: string, actor: ActorRef): void {
  const successors = rt.configs
    .latestConfigs()
    .flatMap((c) => (Object.hasOwn(c.config.units, from) ? [c.config.units[from]?.successor] : []))
    .filter((s): s is string => typeof s === 'string');
  if (successors.length === 0)
    throw new XinfangError(
      'INPUT_INVALID',
      `${from} is not a dissolved unit: no loaded config names a successor for it (units.${from}.successor, Reg. 24)`,
      { field: 'from', expected: 'a unit with a successor', found: from },
    );
  if (actor.unit === undefined || !successors.includes(actor.unit))
    throw new XinfangError(
      'ACTOR_INVALID',
      `${from}'s matters are taken over by staff of ${successors.join(' or ')}, its successor (reg-2022 art. 24); ${actor.unit ?? 'no unit'} is not`,
      { actor },
    );
}
