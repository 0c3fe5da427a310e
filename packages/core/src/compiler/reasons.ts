/** Red reasons: why a case is red, with the step and article, kept as violations after completion. */

import type { DeadlineDef } from '../config/types.js';
import type { RedReason } from '../store/types.js';

/** Reason code of a duty deadline that passed before its duty was done. */
export const DEADLINE_MISSED = 'DEADLINE_MISSED';

/** The red reason of a missed duty deadline: which one, its article, its due date. */
export function missedDeadlineReason(
  deadlineId: string,
  def: DeadlineDef | undefined,
  dueDate: string | undefined,
  at: string,
): RedReason {
  const name = def?.name ? `${deadlineId} (${def.name})` : deadlineId;
  return {
    code: DEADLINE_MISSED,
    message: `deadline ${name} passed on ${dueDate ?? 'its due date'} before its duty was done`,
    ref: deadlineId,
    ...(def?.basis ? { basis: def.basis } : {}),
    at,
  };
}
