/** Guards over the case data, the command payload and rule decisions. */

import { getPath, jsonEqual } from '../../base/json.js';
import type { JsonObject } from '../../store/types.js';
import type { GuardArgs, GuardImpl } from './types.js';

/** A value in the case data equals the given one: `{ path: assignedBy.mode, value: assign }`. */
export const dataEquals: GuardImpl = {
  params: ['path'],
  optional: ['value'],
  check: ({ context }, { path, value }) => jsonEqual(getPath(context.data, String(path)), value),
};

/** A payload field equals the given value. */
export const payloadEquals: GuardImpl = {
  params: ['field'],
  optional: ['value'],
  readsPayload: true,
  check: ({ event }, { field, value }) => jsonEqual(getPath(event.payload, String(field)), value),
};

/** A payload field is one of the given values. */
export const payloadIn: GuardImpl = {
  params: ['field', 'values'],
  readsPayload: true,
  check: ({ event }, { field, values }) =>
    Array.isArray(values) && values.some((v) => jsonEqual(getPath(event.payload, String(field)), v)),
};

/** A recorded decision's merged outcome (the `Decision.merged` of the rules module). */
function mergedOutcome(decision: JsonObject | undefined): unknown {
  return decision === undefined ? undefined : decision.merged;
}

function ruleOutcomeValue({ context, event }: GuardArgs, ruleSet: unknown, field: unknown) {
  const id = String(ruleSet);
  const decision = event.decisions?.[id] ?? context.data.rules[id];
  return { decision, value: getPath(mergedOutcome(decision), String(field)) };
}

/**
 * A rule set's decision allows the step: its merged outcome's `field` equals `equals`, or
 * (`notEquals`) is anything but that value — absent included, so a case decided before the
 * rule set existed is not refused. The decision made for this event wins; otherwise the latest
 * recorded for the case (acceptance runs at submission). `overriddenBy`: a case-data path
 * (`decisions.reopening`) whose presence lifts the guard: a person with the authority to
 * correct the rules' outcome has done so (a supervisor's reopening, Reg. 44).
 */
export const ruleOutcome: GuardImpl = {
  params: ['ruleSet', 'field'],
  optional: ['equals', 'notEquals', 'overriddenBy'],
  check: (args, { ruleSet, field, equals, notEquals, overriddenBy }) => {
    if (typeof overriddenBy === 'string' && getPath(args.context.data, overriddenBy) !== undefined)
      return true;
    const { decision, value } = ruleOutcomeValue(args, ruleSet, field);
    if (notEquals !== undefined) return !jsonEqual(value, notEquals);
    return decision !== undefined && jsonEqual(value, equals);
  },
  explain: (args, { ruleSet, field, equals, notEquals }) => {
    const { decision, value } = ruleOutcomeValue(args, ruleSet, field);
    const merged = mergedOutcome(decision) as JsonObject | null | undefined;
    const fired = Array.isArray(decision?.fired) ? (decision.fired as JsonObject[]) : [];
    const rules = fired.map((f) => `${String(f.ruleId)}${f.basis ? ` (${String(f.basis)})` : ''}`);
    const command = typeof merged?.command === 'string' ? merged.command : undefined;
    const reason = typeof merged?.refusal === 'string' ? merged.refusal : undefined;
    const wanted = notEquals !== undefined ? `not ${JSON.stringify(notEquals)}` : JSON.stringify(equals);
    const why =
      decision === undefined
        ? `rule set ${String(ruleSet)} has decided nothing for this case`
        : `rule set ${String(ruleSet)} decided ${String(field)} = ${JSON.stringify(value ?? null)} (needs ${wanted})` +
          (rules.length > 0 ? ` by rule ${rules.join(', ')}` : '');
    const instead = command ? `; send ${command}${reason ? ` with reason ${reason}` : ''} instead` : '';
    return {
      code: 'COMMAND_RULE_REFUSED',
      message: `${args.event.type} refused: ${why}${instead}`,
      details: {
        guard: 'ruleOutcome',
        ruleSet: String(ruleSet),
        field: String(field),
        value: value ?? null,
        rules: fired.map((f) => String(f.ruleId)),
        ...(command ? { suggestion: command } : {}),
        ...(reason ? { reason } : {}),
      },
    };
  },
};

/** Written notices are owed: the petitioner can be written to, as the rules decided (Reg. 23; see `noticeOwed`). */
export const identityKnown: GuardImpl = {
  check: ({ context }) => context.data.identityKnown,
};

/**
 * The matter's procedure has not ended: the rule set's merged outcome does not say `field:
 * true` (national: `terminated`, set by the repeat rules when the same matter was re-examined
 * or its review windows lapsed, Reg. 36). A terminated matter is not transferred, assigned or
 * designated as if new: the transfer notice would promise an acceptance decision that may not be
 * made (issue 18 §5). `overriddenBy` lifts it as for `ruleOutcome` (a supervisor's reopening).
 */
export const matterNotTerminated: GuardImpl = {
  params: ['ruleSet', 'field'],
  optional: ['overriddenBy'],
  check: (args, { ruleSet, field, overriddenBy }) =>
    ruleOutcome.check(args, { ruleSet, field, notEquals: true, overriddenBy }),
  explain: (args, { ruleSet, field }) => {
    const { decision } = ruleOutcomeValue(args, ruleSet, field);
    const merged = mergedOutcome(decision) as JsonObject | null | undefined;
    const fired = Array.isArray(decision?.fired) ? (decision.fired as JsonObject[]) : [];
    const ended = fired.filter((f) => (f.outcome as JsonObject | undefined)?.[String(field)] === true);
    const rules = (ended.length > 0 ? ended : fired).map(
      (f) => `${String(f.ruleId)}${f.basis ? ` (${String(f.basis)})` : ''}`,
    );
    const command = typeof merged?.command === 'string' ? merged.command : undefined;
    const reason = typeof merged?.refusal === 'string' ? merged.refusal : undefined;
    return {
      code: 'COMMAND_MATTER_TERMINATED',
      message:
        `${args.event.type} refused: the procedure of this matter has ended (rule ${rules.join(', ')}); ` +
        'it is not transferred or assigned as if new, since no body may decide to accept it' +
        (command ? `; send ${command}${reason ? ` with reason ${reason}` : ''} instead` : ''),
      details: {
        ruleSet: String(ruleSet),
        rules: (ended.length > 0 ? ended : fired).map((f) => String(f.ruleId)),
        ...(command ? { suggestion: command } : {}),
        ...(reason ? { reason } : {}),
      },
    };
  },
};
