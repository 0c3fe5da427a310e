/**
 * Issuing a document: build its context from the case and the step, render it strictly, give
 * it a number, seal it. The engine calls this for each document a step owes, before it
 * appends the step, and stores the result in the document's outbox row; the dispatcher then
 * delivers exactly what was sealed.
 */

import { civilDate } from '../calendar/zone.js';
import type { CaseData } from '../compiler/types.js';
import type { DocumentDef, JurisdictionConfig } from '../config/types.js';
import type { CaseStore, JsonObject, OutboxRow } from '../store/types.js';
import { buildDocumentContext, type DocumentContext, type IssuingEvent } from './context.js';
import { TemplateError } from './errors.js';
import { nextDocumentNumber } from './numbering.js';
import { renderTemplate } from './render.js';
import { contentHash, type Sealer } from './seal.js';
import { type DocumentRecord, type SealedDocument, sealDocument } from './sealed.js';
import type { DocumentTexts } from './texts.js';

/** Where each document's template is: `LoadResult.templates`, or a lookup per config. */
export type TemplatePaths =
  | Readonly<Record<string, string>>
  | ((config: JurisdictionConfig, documentId: string) => string | undefined);

/** Options of {@link createDocumentIssuer}. */
export interface DocumentIssuerOptions {
  /** Draws document numbers (`nextSequence`). */
  store: Pick<CaseStore, 'nextSequence'>;
  templates: TemplatePaths;
  /** Seals each document. Absent: documents are rendered and numbered but not sealed. */
  sealer?: Sealer;
  /** @default DOCUMENT_TEXTS */
  texts?: DocumentTexts;
}

/** What one document issue needs. */
export interface IssueInput {
  config: JurisdictionConfig;
  documentId: string;
  /** Case data after the issuing step. */
  data: CaseData;
  /** Case data before it (absent for the first step). */
  before?: CaseData;
  event: IssuingEvent;
  /** Unit id of the issuing body. */
  issuer: string;
  /** Recipient id (as the outbox row holds it). */
  recipient: string;
}

/** An issued document. */
export interface IssuedDocument {
  record: DocumentRecord;
  /** Plain text (sealed) and its escaped HTML form. */
  text: string;
  html: string;
  number: string;
  contentHash: string;
  sealed?: SealedDocument;
  context: DocumentContext;
}

/** Issues documents; one per embedding process. */
export interface DocumentIssuer {
  issue(input: IssueInput): Promise<IssuedDocument>;
  /**
   * Issues the document an engine outbox row (`kind: 'document'`) stands for and returns the
   * row's new payload: the row's own fields plus `number`, `text`, `html`, `contentHash` and
   * `sealed`. `deadlines` are the step's deadline records (an extension's new due date).
   */
  issueRow(
    row: Pick<OutboxRow, 'caseId' | 'seq' | 'recipient' | 'payload'>,
    input: {
      config: JurisdictionConfig;
      /** Case data after the step, and before it (who passed the case on, for a return). */
      data: CaseData;
      before?: CaseData;
      deadlines?: IssuingEvent['deadlines'];
      actor?: IssuingEvent['actor'];
    },
  ): Promise<JsonObject>;
}

/** Creates the issuer an engine (or a test) calls for each document a step owes. */
export function createDocumentIssuer(options: DocumentIssuerOptions): DocumentIssuer {
  const issue = (input: IssueInput): Promise<IssuedDocument> => issueDocument(options, input);
  return {
    issue,
    issueRow: (row, input) => issueRow(issue, row, input),
  };
}

/** The document's definition and template path; a document with neither cannot be issued. */
function templateOf(
  options: DocumentIssuerOptions,
  { config, documentId }: Pick<IssueInput, 'config' | 'documentId'>,
): { def: DocumentDef; path: string } {
  const { templates } = options;
  const def = config.documents[documentId];
  const path = typeof templates === 'function' ? templates(config, documentId) : templates[documentId];
  if (!def || path === undefined) {
    throw new TemplateError(`no template for document ${documentId} in ${config.jurisdiction.id}`, {
      document: documentId,
    });
  }
  return { def, path };
}

async function issueDocument(options: DocumentIssuerOptions, input: IssueInput): Promise<IssuedDocument> {
  const { config, documentId, data, before, event, issuer, recipient } = input;
  const { def, path } = templateOf(options, input);
  const date = civilDate(event.at, config.jurisdiction.timezone);
  const draft = buildDocumentContext({
    config,
    documentId,
    data,
    ...(before ? { before } : {}),
    event,
    issuer,
    recipient,
    number: '〔待编号〕',
    ...(options.texts ? { texts: options.texts } : {}),
  });
  // render once before drawing a number, so a template that fails burns no number
  await renderTemplate(path, draft, { documentId });
  const { number } = await nextDocumentNumber(options.store, config, issuer, date);
  // the number is the one thing the draft lacks (building the context again costs more)
  const context: DocumentContext = { ...draft, doc: { ...draft.doc, number } };
  const title = `${def.name} ${number}`;
  const { text, html } = await renderTemplate(path, context, { documentId, title });
  const doc = recordOf(input, { def, number, date, context, text });
  const sealed = options.sealer ? await sealDocument(doc, options.sealer) : undefined;
  const record: DocumentRecord = sealed?.document ?? { ...doc, contentHash: contentHash(doc.text) };
  return {
    record,
    text,
    html,
    number,
    contentHash: record.contentHash,
    context,
    ...(sealed ? { sealed } : {}),
  };
}

/** The rendered document as the seal covers it (its content hash still to come). */
function recordOf(
  { data, documentId, event, issuer, recipient }: IssueInput,
  made: { def: DocumentDef; number: string; date: string; context: DocumentContext; text: string },
): Omit<DocumentRecord, 'contentHash'> {
  const { def, number, context } = made;
  return {
    caseId: data.caseId,
    documentId,
    name: def.name,
    number,
    issuedBy: { unit: issuer, name: String(context.body?.name ?? issuer) },
    date: made.date,
    issuedAt: event.at,
    basis: def.basis,
    recipient: {
      id: recipient,
      name: String(context.recipient?.name ?? recipient),
      kind: String(context.recipient?.kind ?? 'petitioner'),
    },
    event: { type: event.type, seq: event.seq },
    text: made.text,
  };
}

/** Issues the document an outbox row stands for; the row's payload with the issued document. */
async function issueRow(
  issue: DocumentIssuer['issue'],
  row: Parameters<DocumentIssuer['issueRow']>[0],
  { config, data, before, deadlines, actor }: Parameters<DocumentIssuer['issueRow']>[1],
): Promise<JsonObject> {
  const p = row.payload;
  const issued = await issue({
    config,
    documentId: String(p.documentId),
    data,
    ...(before ? { before } : {}),
    issuer: typeof p.issuedBy === 'string' ? p.issuedBy : data.responsibleUnit,
    recipient: row.recipient,
    event: {
      type: String(p.event),
      seq: row.seq,
      at: String(p.at),
      command: (p.decision as JsonObject | undefined) ?? {},
      ...(deadlines ? { deadlines } : {}),
      ...(actor ? { actor } : {}),
    },
  });
  return {
    ...p,
    number: issued.number,
    text: issued.text,
    html: issued.html,
    contentHash: issued.contentHash,
    ...(issued.sealed ? { sealed: issued.sealed as unknown as JsonObject } : {}),
  };
}
