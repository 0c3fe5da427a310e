/** Guards over the acting person. */

import type { GuardImpl } from './types.js';

/** The actor has not declared an interest in the case (Reg. 28). */
export const notRecused: GuardImpl = {
  check: ({ context, event }) => !context.data.recused.includes(event.actor.id),
};
