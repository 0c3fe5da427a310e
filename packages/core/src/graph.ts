/**
 * `@xinfang/core/graph`: a jurisdiction's process drawn — its states as a Mermaid diagram and as
 * numbered steps (`renderStateDiagram`, `processSteps`, `renderDiagramPage`) — and the laws and
 * articles each step rests on (`legalBasisMap`, `renderLegalBasisPage`).
 */

export type {
  BasisArticle,
  BasisItem,
  BasisItemKind,
  LegalBasisMap,
  PageSource,
  ProcessStep,
  StateDiagramOptions,
} from './graph/index.js';
export {
  legalBasisMap,
  processSteps,
  renderDiagramPage,
  renderLegalBasisPage,
  renderStateDiagram,
} from './graph/index.js';
