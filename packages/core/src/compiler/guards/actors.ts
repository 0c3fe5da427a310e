/** Guards over the acting person. */

import type { GuardImpl } from './types.js';

/** The actor has not declared an interest in the case (Reg. 28). */
export const notRecused: GuardImpl = {
  check: ({ context, event }) => !context.data.recused.includes(event.actor.id),
};

function unitList(units: unknown): string[] {
  return Array.isArray(units) ? units.map(String) : [];
}

/**
 * The actor acts for one of the named units: a step a local rule reserves to one body, such
 * as Shanghai's termination approved by the city petition bureau. Authority (`responsible`,
 * `superior-of-...`) says where a body stands relative to the case; this names the body.
 */
export const actorUnitIn: GuardImpl = {
  params: ['units'],
  check: ({ event }, { units }) =>
    event.actor.unit !== undefined && unitList(units).includes(event.actor.unit),
  explain: ({ event, units: registry }, { units }) => {
    const names = unitList(units).map((u) => registry.get(u)?.name ?? u);
    return {
      code: 'COMMAND_UNIT_FORBIDDEN',
      message: `${event.type} may be taken only by staff of ${names.join(', ')}; ask that body to take it`,
      details: { guard: 'actorUnitIn', units: unitList(units), actorUnit: event.actor.unit ?? null },
    };
  },
};
