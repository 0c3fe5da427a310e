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

/**
 * Addresses the suggestion just recorded (`decisions.suggestion`, Reg. 40) to the body that must
 * answer whether it adopts it: a suggestion to improve work to the supervised body (the
 * responsible unit); one to improve policy to the people's government at the suggesting
 * bureau's own level (本级党委和政府); one to hold someone accountable to the body with power
 * over the person (有管理权限的机关: the responsible unit's own government, for a government the
 * one above it). The answer (`REPORT_ADOPTION`, authority `addressee-of-suggestion`) and the
 * three-suggestions letter (`to: suggestion-addressee`) go to that body.
 */
export const addressSuggestion: ActionImpl = {
  apply(args) {
    const { data } = args.context;
    const suggestion = data.decisions.suggestion;
    if (suggestion === undefined) return args.context;
    const { units } = args;
    const governmentOf = (unit: string | undefined) =>
      unit === undefined ? undefined : (units.government(unit) ?? unit);
    const responsible = data.responsibleUnit;
    const kind = suggestion.kind;
    const to =
      kind === 'improve-policy'
        ? governmentOf(args.event.actor?.unit)
        : kind === 'accountability'
          ? units.get(responsible)?.kind === 'government'
            ? (units.get(responsible)?.parent ?? responsible)
            : governmentOf(responsible)
          : responsible;
    if (to === undefined) return args.context;
    return patchData(args.context, { decisions: { ...data.decisions, suggestion: { ...suggestion, to } } });
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
