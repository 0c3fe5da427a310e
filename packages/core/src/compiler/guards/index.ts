/** Every named guard a config may use, by name. */

import { actorUnitIn, notRecused } from './actors.js';
import {
  dataEquals,
  identityKnown,
  matterNotTerminated,
  payloadEquals,
  payloadIn,
  ruleOutcome,
} from './data.js';
import { deadlineNotStarted, deadlineRunning } from './deadlines.js';
import {
  dateReached,
  datesAhead,
  decisionNotOpen,
  decisionOpen,
  decisionRecorded,
  notAwaitingAnswer,
  notReceivedSince,
} from './decisions.js';
import { representativesChosen } from './group.js';
import { matterClass } from './matter.js';
import { receptionDay } from './reception.js';
import type { GuardImpl } from './types.js';
import {
  commonSuperior,
  lawfulLadderBody,
  notAccused,
  resolvesReference,
  sameGovernment,
  unitsAtLevels,
} from './units.js';

export type { GuardArgs, GuardImpl, GuardRefusal } from './types.js';

/** Guard implementations keyed by the name a config uses in `guard: { type }`. */
export const GUARDS: Readonly<Record<string, GuardImpl>> = {
  notRecused,
  actorUnitIn,
  deadlineNotStarted,
  deadlineRunning,
  dataEquals,
  payloadEquals,
  payloadIn,
  ruleOutcome,
  matterNotTerminated,
  identityKnown,
  commonSuperior,
  notAccused,
  resolvesReference,
  lawfulLadderBody,
  sameGovernment,
  decisionRecorded,
  decisionOpen,
  decisionNotOpen,
  notAwaitingAnswer,
  dateReached,
  datesAhead,
  notReceivedSince,
  receptionDay,
  matterClass,
  representativesChosen,
  unitsAtLevels,
};

/** Names of the guards the compiler implements; the config loader validates against this list. */
export const KNOWN_GUARDS: readonly string[] = Object.freeze(Object.keys(GUARDS));
