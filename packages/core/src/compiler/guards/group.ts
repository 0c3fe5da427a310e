/**
 * A group visit (集体访) chooses at most 5 representatives (Reg. 20). One that came with more is
 * registered all the same (Reg. 22: every matter is registered), but the body takes it up only
 * once the group has chosen its representatives: it gives written guidance, records the names,
 * and only then accepts, transfers or assigns the matter.
 */

import { getPath } from '../../base/json.js';
import type { JsonObject } from '../../store/types.js';
import type { GuardArgs, GuardImpl, GuardRefusal } from './types.js';

interface Requirement {
  /** The rules ask the group to choose representatives. */
  required: boolean;
  max: number;
  representatives: number;
}

function requirementOf({ context, event }: GuardArgs, params: Record<string, unknown>): Requirement {
  const ruleSet = typeof params.ruleSet === 'string' ? params.ruleSet : 'acceptance';
  const decision = (event.decisions?.[ruleSet] ?? context.data.rules[ruleSet]) as JsonObject | undefined;
  const merged = (decision?.merged ?? {}) as JsonObject;
  const max = typeof merged.maxRepresentatives === 'number' ? merged.maxRepresentatives : 5;
  const reps = getPath(context.data.petition, 'group.representatives');
  return {
    required: merged.requirement === 'choose-representatives',
    max,
    representatives: typeof reps === 'number' ? reps : 0,
  };
}

function recorded(args: GuardArgs, params: Record<string, unknown>): unknown[] | undefined {
  if (typeof params.payloadField === 'string') {
    const sent = getPath(args.event.payload, params.payloadField);
    return Array.isArray(sent) ? sent : undefined;
  }
  const as = typeof params.recordedAs === 'string' ? params.recordedAs : 'representatives';
  const decision = args.context.data.decisions[as] as JsonObject | undefined;
  const list = decision?.representatives;
  return Array.isArray(list) ? list : undefined;
}

/**
 * The group has chosen its representatives when the rules ask it to (rule outcome
 * `requirement: choose-representatives`): a recorded decision (`recordedAs`, default
 * `representatives`) lists at most `maxRepresentatives` of them. A matter the rules ask nothing
 * of passes. With `payloadField`, the command's own list is judged (the step that records them:
 * a province may allow fewer than 5, which a payload schema shared by all cannot know).
 */
export const representativesChosen: GuardImpl = {
  optional: ['ruleSet', 'recordedAs', 'payloadField', 'guide', 'record'],
  readsPayload: true,
  possible: (args, params) => params.payloadField !== undefined || representativesChosen.check(args, params),
  check: (args, params) => {
    const r = requirementOf(args, params);
    if (!r.required) return true;
    const list = recorded(args, params);
    return list !== undefined && list.length >= 1 && list.length <= r.max;
  },
  explain: (args, params): GuardRefusal => {
    const r = requirementOf(args, params);
    const guide = typeof params.guide === 'string' ? params.guide : 'GUIDE_REPRESENTATIVES';
    const record = typeof params.record === 'string' ? params.record : 'RECORD_REPRESENTATIVES';
    if (typeof params.payloadField === 'string') {
      const sent = recorded(args, params)?.length ?? 0;
      return {
        code: 'COMMAND_REPRESENTATIVES_NOT_CHOSEN',
        message:
          `${args.event.type} refused: ${sent} representatives named, and the rules allow this group at most ` +
          `${r.max} (reg-2022 art. 20); send ${record} with at most ${r.max} names`,
        details: {
          guard: 'representativesChosen',
          representatives: sent,
          maxRepresentatives: r.max,
          suggestion: record,
        },
      };
    }
    return {
      code: 'COMMAND_REPRESENTATIVES_NOT_CHOSEN',
      message:
        `${args.event.type} refused: the group visit came with ${r.representatives} representatives and the ` +
        `acceptance rules allow it at most ${r.max} (reg-2022 art. 20: at most 5); the matter is taken up ` +
        `once the group has chosen them: ` +
        `send ${guide} (the written guidance), then ${record} with the names of at most ${r.max}`,
      details: {
        guard: 'representativesChosen',
        representatives: r.representatives,
        maxRepresentatives: r.max,
        suggestion: record,
      },
    };
  },
};
