/**
 * The three colours of a case (Shaanxi practice): green = in progress within the procedure,
 * blue = completed, red = the procedure was not followed. A red reason stays open until the
 * case completes; a case completed late is blue and keeps its reasons as violations.
 */

import { isCompletedStage } from '../config/stages.js';
import type { Colour, RedReason } from '../store/types.js';

export { isCompletedStage };

/** What the colour is computed from: a projection or anything shaped like one. */
export interface ColourInput {
  stage: string;
  redReasons: readonly RedReason[];
  violations?: readonly RedReason[];
}

/** The colour and why: red lists the open reasons; blue may still carry kept violations. */
export interface ColourVerdict {
  colour: Colour;
  reasons: RedReason[];
  violations: RedReason[];
}

/** The colour of a case: red while a reason is open, else blue when completed, else green. */
export function colourOf(c: ColourInput): ColourVerdict {
  const reasons = [...c.redReasons];
  const violations = [...(c.violations ?? [])];
  if (reasons.length > 0) return { colour: 'red', reasons, violations };
  return { colour: isCompletedStage(c.stage) ? 'blue' : 'green', reasons, violations };
}
