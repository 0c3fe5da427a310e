/** Notification actions: messages (not documents) for the outbox's notifiers. */

import { type ActionImpl, addEffects } from './types.js';

/**
 * Queues a notification: `{ to: petitioner | responsible-unit | <unit id>, message, template? }`.
 * Not used by the national baseline; a province may tell the petitioner of each step (Reg. 21).
 */
export const notify: ActionImpl = {
  params: ['to', 'message'],
  optional: ['template'],
  apply(args, { to, message, template }) {
    const recipient =
      to === 'responsible-unit'
        ? args.context.data.responsibleUnit
        : to === 'petitioner'
          ? 'petitioner'
          : String(to);
    return addEffects(args.context, {
      kind: 'notification',
      to: recipient,
      message: String(message),
      ...(typeof template === 'string' ? { template } : {}),
    });
  },
};
