/** Guards over the unit registry. */

import { getPath } from '../json.js';
import type { GuardImpl } from './types.js';

/**
 * The actor decides for the common superior of the bodies named in payload field `of`
 * (Reg. 24: several competent bodies that cannot agree). The actor's unit must be a common
 * ancestor of all of them, or the petition bureau under that ancestor (which acts for it in
 * petition work); the designated `unit` must be one of the bodies; every body must exist.
 */
export const commonSuperior: GuardImpl = {
  params: ['of'],
  readsPayload: true,
  check: ({ event, units }, { of }) => {
    const bodies = getPath(event.payload, String(of));
    if (!Array.isArray(bodies) || bodies.length < 2) return false;
    const list = bodies.map(String);
    if (!list.every((u) => units.has(u))) return false;
    const target = event.payload.unit;
    if (typeof target === 'string' && !list.includes(target)) return false;
    const actorUnit = event.actor.unit;
    if (actorUnit === undefined || !units.has(actorUnit)) return false;
    const common = new Set(
      list
        .flatMap((u) => units.ancestors(u))
        .filter((a) => list.every((u) => units.ancestors(u).includes(a))),
    );
    if (common.has(actorUnit)) return true;
    const parent = units.get(actorUnit)?.parent;
    return units.get(actorUnit)?.kind === 'petition-bureau' && parent !== undefined && common.has(parent);
  },
};
