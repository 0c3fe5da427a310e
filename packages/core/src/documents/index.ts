/** Documents: the variable contract, rendering, numbers (文号), seals and signed checkpoints. */

export type { CheckTemplatesOptions, DeclarationPosition } from './check.js';
export { checkTemplates } from './check.js';
export type { CheckpointEntry, SignedCheckpoint } from './checkpoint.js';
export { CHECKPOINT_FORMAT, signCheckpoint, verifyCheckpoint } from './checkpoint.js';
export type { DocumentContext, DocumentContextInput, IssuingEvent } from './context.js';
export { buildDocumentContext } from './context.js';
export type { ContextVariable } from './contract.js';
export { DOCUMENT_ROOTS, DOCUMENT_VARIABLES, isContractPath } from './contract.js';
export type { DocumentFileCode } from './errors.js';
export { DocumentFileError, SealError, TemplateError } from './errors.js';
export type {
  DocumentIssuer,
  DocumentIssuerOptions,
  IssuedDocument,
  IssueInput,
  TemplatePaths,
} from './issue.js';
export { createDocumentIssuer } from './issue.js';
export {
  DEFAULT_NUMBER_PATTERN,
  documentPrefix,
  formatDocumentNumber,
  nextDocumentNumber,
  numberSequenceName,
} from './numbering.js';
export type { RenderedDocument } from './render.js';
export { escapeHtml, renderTemplate, textToHtml } from './render.js';
export type {
  Ed25519SealerOptions,
  KeyInput,
  Seal,
  Sealer,
  SealProblem,
  SealVerification,
  VerifyKey,
} from './seal.js';
export { canonicalBytes, contentHash, createEd25519Sealer, ed25519KeyId } from './seal.js';
export type { DocumentRecord, SealedDocument } from './sealed.js';
export { SEALED_DOCUMENT_FORMAT, sealDocument, verifyDocument } from './sealed.js';
export { parseSealedDocument } from './sealed-file.js';
export type { DocumentTexts } from './texts.js';
export { basisText, chineseDate, chineseNumber, DOCUMENT_TEXTS } from './texts.js';
