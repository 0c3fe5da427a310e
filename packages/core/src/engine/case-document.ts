/**
 * A document the case issued, read back from its outbox row: what `engine.documents` returns.
 * With a document issuer the row holds the rendered text and, with a sealer, the sealed
 * document (`xinfang doc verify` checks it); without one, only what was owed.
 */

import type { JsonObject, OutboxRow } from '../store/types.js';

/** One issued (or owed) document of a case. */
export interface CaseDocument {
  /** The document type (`acceptance-notice`). */
  documentId: string;
  name: string;
  /** The event that issued it. */
  seq: number;
  event: string;
  /** Who it is addressed to: the petitioner's account id, a unit id. */
  recipient: string;
  /** The unit that issued it. */
  issuedBy: string | null;
  issuedAt: string;
  basis: string | null;
  /** Delivery: pending, delivered, or dead (gave up). */
  delivery: OutboxRow['status'];
  /** 文号, the rendered text and its hash: present once the engine's issuer rendered it. */
  number?: string;
  text?: string;
  contentHash?: string;
  /** The sealed document, when the issuer seals. */
  sealed?: JsonObject;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The issued document an outbox row of kind `document` holds. */
export function caseDocumentOf(row: OutboxRow): CaseDocument {
  const p = row.payload;
  const number = str(p.number);
  const text = str(p.text);
  const contentHash = str(p.contentHash);
  const sealed = p.sealed;
  return {
    documentId: String(p.documentId),
    name: String(p.name ?? p.documentId),
    seq: row.seq,
    event: String(p.event ?? ''),
    recipient: row.recipient,
    issuedBy: str(p.issuedBy) ?? null,
    issuedAt: str(p.at) ?? row.createdAt,
    basis: str(p.basis) ?? null,
    delivery: row.status,
    ...(number !== undefined ? { number } : {}),
    ...(text !== undefined ? { text } : {}),
    ...(contentHash !== undefined ? { contentHash } : {}),
    ...(sealed && typeof sealed === 'object' && !Array.isArray(sealed) ? { sealed } : {}),
  };
}
