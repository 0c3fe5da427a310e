/** Every named guard a config may use, by name. */

import { notRecused } from './actors.js';
import { dataEquals, identityKnown, payloadEquals, payloadIn, ruleOutcome } from './data.js';
import { deadlineNotStarted, deadlineRunning } from './deadlines.js';
import type { GuardImpl } from './types.js';
import { commonSuperior } from './units.js';

export type { GuardArgs, GuardImpl, GuardRefusal } from './types.js';

/** Guard implementations keyed by the name a config uses in `guard: { type }`. */
export const GUARDS: Readonly<Record<string, GuardImpl>> = {
  notRecused,
  deadlineNotStarted,
  deadlineRunning,
  dataEquals,
  payloadEquals,
  payloadIn,
  ruleOutcome,
  identityKnown,
  commonSuperior,
};

/** Names of the guards the compiler implements; the config loader validates against this list. */
export const KNOWN_GUARDS: readonly string[] = Object.freeze(Object.keys(GUARDS));
