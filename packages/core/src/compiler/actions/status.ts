/** Record-keeping actions: decisions, receipts, rule outcomes, recusals, completion. */

import { compact } from '../../base/json.js';
import type { JsonObject } from '../../store/types.js';
import { type ActionImpl, patchData, timeOf } from './types.js';

/**
 * Stores the payload under `data.decisions[as]` with the deciding unit, actor and time. With
 * `answers: <decision>`, the step answers that earlier decision (a reply to a supervision, a
 * report on suggestions): it is marked `answeredAt`, so the guard `decisionOpen` refuses a
 * second answer until a new one is made.
 */
export const recordDecision: ActionImpl = {
  params: ['as'],
  optional: ['answers'],
  apply(args, { as, answers }) {
    const at = timeOf(args);
    const decision: JsonObject = {
      ...(args.event.payload ?? {}),
      ...compact({ unit: args.event.actor?.unit, actor: args.event.actor?.id, at }),
    };
    const decisions = { ...args.context.data.decisions, [String(as)]: decision };
    const answered = typeof answers === 'string' ? decisions[answers] : undefined;
    if (answered !== undefined && answered.answeredAt === undefined)
      decisions[answers as string] = { ...answered, answeredAt: at };
    return patchData(args.context, { decisions });
  },
};

/** Records the petitioner's receipt of the last written document (payload `receivedAt`, `method`). */
export const recordReceipt: ActionImpl = {
  apply(args) {
    const p = args.event.payload ?? {};
    const receipt = compact({
      receivedAt: typeof p.receivedAt === 'string' ? p.receivedAt : undefined,
      method: typeof p.method === 'string' ? p.method : undefined,
      by: args.event.actor?.id,
      at: timeOf(args),
    });
    return patchData(args.context, { receipts: [...args.context.data.receipts, receipt] });
  },
};

/** Keeps the rule decisions made for this event as the case's latest (`data.rules`). */
export const recordRuleDecisions: ActionImpl = {
  apply(args) {
    const d = args.event.decisions;
    if (!d || Object.keys(d).length === 0) return args.context;
    return patchData(args.context, { rules: { ...args.context.data.rules, ...d } });
  },
};

/** Records that the actor declared an interest: they may not act on the case again (Reg. 28). */
export const declareInterest: ActionImpl = {
  apply(args) {
    const id = args.event.actor?.id;
    if (!id || args.context.data.recused.includes(id)) return args.context;
    return patchData(args.context, { recused: [...args.context.data.recused, id] });
  },
};

/** Entering a completed stage closes the open red reasons; they stay in `violations`. */
export const completeCase: ActionImpl = {
  apply(args) {
    return args.context.red.length === 0 ? args.context : { ...args.context, red: [] };
  },
};
