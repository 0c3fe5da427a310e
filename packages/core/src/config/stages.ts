import { COMPLETED_STAGES, type Stage } from './types.js';

/** Whether a stage is one in which a case is complete (the machine ends such states, the board colours them blue). */
export function isCompletedStage(stage: string): boolean {
  return (COMPLETED_STAGES as readonly string[]).includes(stage as Stage);
}
