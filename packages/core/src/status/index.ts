/** Three-colour status of cases: green, blue, red, with reasons. */

export type { ColourInput, ColourVerdict } from './colour.js';
export { colourOf, isCompletedStage } from './colour.js';
export { DEADLINE_MISSED, missedDeadlineReason } from './reasons.js';
