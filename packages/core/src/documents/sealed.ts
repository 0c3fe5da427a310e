/**
 * The sealed document: what is delivered, filed and verified (`xinfang doc verify`). The
 * plain text is sealed, with the metadata that makes it a legal act: case, document type and
 * number, issuing body, date, basis, recipient, and the hash of the text.
 */

import {
  checkSeal,
  contentHash,
  makeSeal,
  type Seal,
  type Sealer,
  type SealVerification,
  type VerifyKey,
} from './seal.js';

/** Format tag of a sealed document (part of the signed bytes). */
export const SEALED_DOCUMENT_FORMAT = 'xinfang.sealed-document.v1';

/** What a seal covers. */
export interface DocumentRecord {
  caseId: string;
  /** Document type id (`acceptance-notice`). */
  documentId: string;
  name: string;
  /** 文号. */
  number: string;
  issuedBy: { unit: string; name: string };
  /** Civil date of issue (`YYYY-MM-DD`, jurisdiction zone) and the instant of the issuing event. */
  date: string;
  issuedAt: string;
  basis: string;
  recipient: { id: string; name: string; kind: string };
  /** The event that issued it. */
  event?: { type: string; seq: number };
  /** The rendered plain text. */
  text: string;
  /** `sha256:<hex>` of `text`. */
  contentHash: string;
}

/** A document and its seal: the file `xinfang doc verify` reads. */
export interface SealedDocument {
  format: typeof SEALED_DOCUMENT_FORMAT;
  document: DocumentRecord;
  seal: Seal;
}

/** Seals a document (its `contentHash` is computed from its text). */
export async function sealDocument(
  doc: Omit<DocumentRecord, 'contentHash'> & { contentHash?: string },
  sealer: Sealer,
): Promise<SealedDocument> {
  const document: DocumentRecord = { ...doc, contentHash: contentHash(doc.text) };
  return {
    format: SEALED_DOCUMENT_FORMAT,
    document,
    seal: await makeSeal(SEALED_DOCUMENT_FORMAT, document, sealer),
  };
}

/**
 * Verifies a sealed document: the format, the text against its hash, the key id (when a
 * sealer is given) and the signature over everything. Any changed character fails.
 */
export async function verifyDocument(sealed: unknown, key: VerifyKey): Promise<SealVerification> {
  const problems: SealVerification['problems'] = [];
  const s = sealed as Partial<SealedDocument> | null;
  if (
    !s ||
    typeof s !== 'object' ||
    s.format !== SEALED_DOCUMENT_FORMAT ||
    !s.document ||
    typeof s.document !== 'object'
  ) {
    problems.push({
      code: 'FORMAT',
      message: `not a sealed document (expected format ${SEALED_DOCUMENT_FORMAT})`,
    });
    return { ok: false, problems };
  }
  const doc = s.document;
  if (typeof doc.text !== 'string' || doc.contentHash !== contentHash(doc.text)) {
    problems.push({ code: 'CONTENT_HASH', message: 'the text does not match its content hash' });
  }
  await checkSeal(SEALED_DOCUMENT_FORMAT, doc, s.seal, key, problems);
  return { ok: problems.length === 0, problems };
}
