/**
 * Views of a config for people: the process as a Mermaid state diagram, and the legal-basis
 * map (each article to what implements it), with the Markdown pages `docs/` keeps of them.
 */

export type { Citation, ParsedBasis } from './citations.js';
export { parseBasis } from './citations.js';
export type { StageStyle } from './colours.js';
export { STAGE_STYLES } from './colours.js';
export { IdMap, mermaidText } from './labels.js';
export type { BasisArticle, BasisItem, BasisItemKind, LegalBasisMap } from './legal-basis.js';
export { legalBasisMap } from './legal-basis.js';
export type { PageSource } from './markdown.js';
export { markdownText, renderDiagramPage, renderLegalBasisPage } from './markdown.js';
export type { StateDiagramOptions } from './mermaid.js';
export { DEFAULT_SHARE_AT, renderStateDiagram, stageClass } from './mermaid.js';
export type { ProcessStep } from './steps.js';
export { processSteps } from './steps.js';
