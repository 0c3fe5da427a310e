/** Three-colour status of cases: green, blue, red, with reasons; the board by form section. */

export { DEADLINE_MISSED, missedDeadlineReason } from '../compiler/reasons.js';
export type { Board, BoardColumn, SectionMark } from './board.js';
export { boardOf, sectionMarks } from './board.js';
export type { ColourInput, ColourVerdict } from './colour.js';
export { colourOf, isCompletedStage } from './colour.js';
export type { CaseRegister, RegisterEntry, RegisterEvent, RegisterSection } from './register.js';
export { registerFields, registerOf } from './register.js';
export type {
  BoardQuery,
  BoardReader,
  ColourCounts,
  OwedStep,
  StageBoard,
  StageBoardCase,
  StageBoardOptions,
  StageBoardPage,
  StageBoardPageOptions,
} from './stage-board.js';
export { owedSteps, stageBoard, stageBoardCase, stageBoardPage } from './stage-board.js';
export type { SupervisionQueueOptions } from './supervision.js';
export { supervisedUnits, supervisionQueue } from './supervision.js';
