/** Guards over the case's deadlines (as the machine tracks them in `data.deadlines`). */

import type { GuardImpl } from './types.js';

/**
 * No period of the deadline is open or has run out: e.g. the review window has not yet been
 * started by a receipt, so a second receipt cannot restart it (Reg. 35). A stopped period
 * (its duty done) may be started again.
 */
export const deadlineNotStarted: GuardImpl = {
  params: ['deadline'],
  check: ({ context }, { deadline }) => {
    const d = context.data.deadlines[String(deadline)];
    return d === undefined || d.status === 'stopped';
  },
};

/** The deadline's current period is running (not paused, stopped or expired). */
export const deadlineRunning: GuardImpl = {
  params: ['deadline'],
  check: ({ context }, { deadline }) => context.data.deadlines[String(deadline)]?.status === 'running',
};
