/** Unit actions: transfer, assignment, designation, return after an objection (Reg. 22-24). */

import type { AssignedBy, CaseData } from '../types.js';
import { type ActionImpl, patchData, timeOf } from './types.js';

const MODES = new Set(['transfer', 'assign', 'designate']);

/**
 * Makes the unit in payload field `from` responsible, remembering who moved it and how, so an
 * objection can return it and a completion report can go back (Reg. 22-23). One case, one
 * history: the case id does not change.
 */
export const setResponsibleUnit: ActionImpl = {
  params: ['from'],
  optional: ['mode'],
  apply(args, { from, mode }) {
    const unit = args.event.payload?.[String(from)];
    if (typeof unit !== 'string') return args.context;
    const m = MODES.has(String(mode)) ? (String(mode) as AssignedBy['mode']) : 'transfer';
    const at = timeOf(args);
    const previous = args.context.data.responsibleUnit;
    // a designation is made by the common superior (Reg. 24): an objection goes back to it,
    // not to the body that was responsible before
    const by = m === 'designate' ? (args.event.actor?.unit ?? previous) : previous;
    return patchData(args.context, {
      responsibleUnit: unit,
      assignedBy: { unit: by, mode: m, at },
      transfers: [...args.context.data.transfers, { from: previous, to: unit, mode: m, at }],
    });
  },
};

/**
 * Gives the case back to the unit that transferred it (an objection within 5 working days,
 * Reg. 23); that unit re-transfers it. Nobody has transferred it now, so `assignedBy` is cleared.
 */
export const returnToTransferrer: ActionImpl = {
  apply(args) {
    const by = args.context.data.assignedBy;
    if (!by) return args.context;
    const at = timeOf(args);
    const { assignedBy: _, ...rest } = args.context.data;
    const data: CaseData = {
      ...rest,
      responsibleUnit: by.unit,
      transfers: [...rest.transfers, { from: rest.responsibleUnit, to: by.unit, mode: 'return', at }],
    };
    return { ...args.context, data };
  },
};
