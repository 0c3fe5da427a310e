import type { Stage } from '../config/types.js';

/** How a stage is drawn: a light fill so the Chinese state names stay legible, a darker border. */
export interface StageStyle {
  fill: string;
  stroke: string;
}

/**
 * One colour per stage, so a reader sees at a glance where the procedure is (registration
 * blue, handling green, review and re-examination warm, end states grey). Keyed by the fixed
 * stage vocabulary: a province's own state names get the colour of the stage they declare.
 */
export const STAGE_STYLES: Readonly<Record<Stage, StageStyle>> = {
  registration: { fill: '#dbeafe', stroke: '#1d4ed8' },
  transfer: { fill: '#e0e7ff', stroke: '#4338ca' },
  acceptance: { fill: '#cffafe', stroke: '#0e7490' },
  handling: { fill: '#dcfce7', stroke: '#15803d' },
  hearing: { fill: '#ecfccb', stroke: '#4d7c0f' },
  opinion: { fill: '#fef9c3', stroke: '#a16207' },
  review: { fill: '#ffedd5', stroke: '#c2410c' },
  reexamination: { fill: '#fee2e2', stroke: '#b91c1c' },
  diversion: { fill: '#f3e8ff', stroke: '#7e22ce' },
  'not-accepted': { fill: '#fce7f3', stroke: '#be185d' },
  terminated: { fill: '#e5e7eb', stroke: '#374151' },
  closed: { fill: '#f1f5f9', stroke: '#475569' },
  withdrawn: { fill: '#f5f5f4', stroke: '#78716c' },
  supervision: { fill: '#fef3c7', stroke: '#b45309' },
};

/** Text colour of every state box: dark on the light fills above. */
export const STATE_TEXT_COLOUR = '#111827';

/** The boxes that list commands shared by several states: white, dashed. */
export const SHARED_COMMANDS_STYLE = 'fill:#ffffff,stroke:#9ca3af,stroke-dasharray:4 3,color:#374151';
