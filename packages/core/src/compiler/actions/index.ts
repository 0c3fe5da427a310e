/** Every action the compiler knows, by name: those a config may name, and its own internal ones. */

import {
  deadlineFired,
  extendDeadline,
  pauseDeadline,
  receiptByRequest,
  resumeDeadline,
  startDeadline,
  startDeadlineWhen,
  stopDeadline,
} from './deadlines.js';
import { issueDocument } from './documents.js';
import { notify } from './notifications.js';
import {
  addressSuggestion,
  completeCase,
  declareInterest,
  recordDecision,
  recordReceipt,
  recordRuleDecisions,
} from './status.js';
import type { ActionImpl } from './types.js';
import {
  answerObjection,
  recordLadderBody,
  resolveReference,
  returnToObjector,
  returnToTransferrer,
  setResponsibleUnit,
  takeOver,
} from './units.js';

export type { ActionArgs, ActionImpl } from './types.js';

/** Actions a config may name in `actions: [{ type, params }]`. */
export const CONFIG_ACTIONS: Readonly<Record<string, ActionImpl>> = {
  setResponsibleUnit,
  takeOver,
  returnToTransferrer,
  returnToObjector,
  answerObjection,
  resolveReference,
  recordLadderBody,
  recordDecision,
  addressSuggestion,
  recordReceipt,
  pauseDeadline,
  resumeDeadline,
  startDeadlineWhen,
  receiptByRequest,
  notify,
};

/** Actions the compiler wires from `starts`, `stops`, `issues`, `extends`, `pausedBy` and stages. */
export const INTERNAL_ACTIONS: Readonly<Record<string, ActionImpl>> = {
  startDeadline,
  stopDeadline,
  extendDeadline,
  deadlineFired,
  issueDocument,
  recordRuleDecisions,
  declareInterest,
  completeCase,
};

/** Names of the actions a config may use; the config loader validates against this list. */
export const KNOWN_ACTIONS: readonly string[] = Object.freeze(Object.keys(CONFIG_ACTIONS));
