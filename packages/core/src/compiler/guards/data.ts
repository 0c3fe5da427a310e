/** Guards over the case data, the command payload and rule decisions. */

import { getPath, jsonEqual } from '../json.js';
import type { GuardImpl } from './types.js';

/** A value in the case data equals the given one: `{ path: assignedBy.mode, value: assign }`. */
export const dataEquals: GuardImpl = {
  params: ['path'],
  check: ({ context }, { path, value }) => jsonEqual(getPath(context.data, String(path)), value),
};

/** A payload field equals the given value. */
export const payloadEquals: GuardImpl = {
  params: ['field'],
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

/**
 * A rule set's outcome field equals a value. The outcome decided for this event wins; otherwise
 * the latest recorded for the case (classification runs at submission).
 */
export const ruleOutcome: GuardImpl = {
  params: ['ruleSet', 'field'],
  check: ({ context, event }, { ruleSet, field, equals }) => {
    const id = String(ruleSet);
    const outcome = event.decisions?.[id] ?? context.data.rules[id];
    return outcome !== undefined && jsonEqual(getPath(outcome, String(field)), equals);
  },
};

/** The petitioner can be written to: named, with an address or a phone (Reg. 23). */
export const identityKnown: GuardImpl = {
  check: ({ context }) => context.data.identityKnown,
};
