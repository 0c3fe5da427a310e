/**
 * Email notifier: the document as HTML and plain text over SMTP (nodemailer), with the sealed
 * document attached for verification, and the outbox row id in a stable `Message-ID` and an
 * `X-Xinfang-Idempotency-Key` header so a mailbox or a mail-ingesting system drops a repeat.
 *
 * What is mailed is what the sealed document says: the text is the sealed text (checked against
 * its content hash, and against its seal when a `verifyKey` is given) and the HTML is rendered
 * from it here, never taken from the row. A row whose payload differs from its sealed document
 * (a database writer editing `payload.html` or the text) is refused (`NOTIFY_DOCUMENT_MISMATCH`,
 * permanent: dead-lettered at once, for someone to look at).
 */

import { createHash } from 'node:crypto';
import {
  type DeliveryReceipt,
  type Notifier,
  type NotifierMessage,
  NotifyError,
  type SealedDocument,
  textToHtml,
  type VerifyKey,
  verifyDocument,
} from '@xinfang/core';
import { createTransport, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';

/** The header carrying the outbox row id. */
export const EMAIL_IDEMPOTENCY_HEADER = 'X-Xinfang-Idempotency-Key';

/** Options of {@link createEmailNotifier}. */
export interface EmailNotifierOptions {
  /** SMTP transport options, or a nodemailer transporter the province already runs. */
  transport: SMTPTransport.Options | Transporter;
  /** Sender, e.g. `示范县信访局 <xinfang@example.gov.cn>`. */
  from: string;
  /**
   * The address of a message's recipient (a petitioner account or unit id is not an address).
   * Returning undefined is permanent: no retry finds an address. @default the recipient when it contains `@`
   */
  addressOf?: (message: NotifierMessage) => string | undefined | Promise<string | undefined>;
  /** @default `<document name> <number>`, else `信访事项 <case id>` */
  subject?: (message: NotifierMessage) => string;
  /** Domain of the `Message-ID`. @default 'xinfang.invalid' */
  messageIdDomain?: string;
  /** Channel name reported in receipts. @default 'email' */
  channel?: string;
  /**
   * The key documents are sealed with (the sealer's public key, or the sealer): every document
   * row must then carry a sealed document whose seal verifies. Without it a sealed document is
   * still checked against its own content hash, which a writer who can rewrite the whole row
   * defeats; give the key in production. @default none
   */
  verifyKey?: VerifyKey;
}

/** What a document mail says: the sealed text, its name and number. */
interface MailContent {
  text: string;
  html: string;
  name?: string;
  number?: string;
  documentId?: string;
  sealed?: SealedDocument;
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** The stable `Message-ID` of an outbox row: the same row always gets the same id. */
export function messageIdFor(id: string, domain = 'xinfang.invalid'): string {
  return `<${createHash('sha256').update(id).digest('hex').slice(0, 32)}@${domain}>`;
}

/** Creates an SMTP notifier. */
export function createEmailNotifier(options: EmailNotifierOptions): Notifier & { close(): Promise<void> } {
  const channel = options.channel ?? 'email';
  const transporter: Transporter =
    typeof (options.transport as Transporter).sendMail === 'function'
      ? (options.transport as Transporter)
      : createTransport(options.transport as SMTPTransport.Options);
  const addressOf =
    options.addressOf ?? ((m: NotifierMessage) => (m.recipient.includes('@') ? m.recipient : undefined));
  let closed = false;

  async function deliver(message: NotifierMessage): Promise<DeliveryReceipt> {
    const where = { channel, messageId: message.id };
    if (closed) throw new NotifyError('email notifier is closed', { ...where, permanent: false });
    const to = await addressOf(message);
    if (!to) {
      throw new NotifyError(`no email address for recipient ${message.recipient}`, {
        ...where,
        permanent: true,
      });
    }
    const content = await contentOf(message, options.verifyKey, where);
    const { text, html } = content;
    const subject =
      options.subject?.(message) ??
      (content.name
        ? `${content.name}${content.number ? ` ${content.number}` : ''}`
        : `信访事项 ${message.caseId}`);
    const messageId = messageIdFor(message.id, options.messageIdDomain);
    try {
      const info = await transporter.sendMail({
        from: options.from,
        to,
        subject,
        text,
        html,
        messageId,
        textEncoding: 'base64',
        headers: { [EMAIL_IDEMPOTENCY_HEADER]: message.id, 'X-Xinfang-Case': message.caseId },
        ...(content.sealed
          ? {
              attachments: [
                {
                  filename: `${content.documentId ?? 'document'}.sealed.json`,
                  content: JSON.stringify(content.sealed, null, 2),
                  contentType: 'application/json; charset=utf-8',
                },
              ],
            }
          : {}),
      });
      return {
        channel,
        reference: String(info.messageId ?? messageId),
        details: { response: String(info.response ?? '') },
      };
    } catch (e) {
      const err = e as Error & { responseCode?: number; code?: string };
      // 5xx: the server refuses this message for good; 4xx, connection and timeout: try again later
      const permanent = err.responseCode !== undefined && err.responseCode >= 500;
      throw new NotifyError(`SMTP delivery to ${to} failed: ${err.message}`, {
        ...where,
        permanent,
        ...(err.responseCode !== undefined ? { status: err.responseCode } : {}),
        cause: e,
      });
    }
  }

  return {
    channel,
    deliver,
    async close() {
      if (closed) return;
      closed = true;
      transporter.close();
    },
  };
}

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;

/** The row's fields that must equal the sealed document's. */
function differing(message: NotifierMessage, doc: SealedDocument['document']): string[] {
  const p = message.payload;
  const html = textToHtml(doc.text, `${doc.name} ${doc.number}`);
  const checks: [string, unknown, unknown][] = [
    ['caseId', message.caseId, doc.caseId],
    ['recipient', message.recipient, doc.recipient?.id],
    ['documentId', p.documentId, doc.documentId],
    ['number', p.number, doc.number],
    ['text', p.text, doc.text],
    ['contentHash', p.contentHash, doc.contentHash],
    ['name', p.name ?? doc.name, doc.name],
    ['html', p.html ?? html, html],
  ];
  return checks.filter(([, row, sealed]) => row !== sealed).map(([field]) => field);
}

/**
 * What to mail for a message: for a document, the sealed document's own text (verified), else
 * the notification's text. Throws `NOTIFY_DOCUMENT_MISMATCH` when the row and its seal disagree.
 */
async function contentOf(
  message: NotifierMessage,
  verifyKey: VerifyKey | undefined,
  where: { channel: string; messageId: string },
): Promise<MailContent> {
  const p = message.payload;
  const refuse = (reason: string, why: string, fields?: string[]) =>
    new NotifyError(
      `outbox row ${message.id} is not sent: ${why}; issue the document again, do not edit the row`,
      {
        ...where,
        permanent: true,
        mismatch: { reason, ...(fields ? { fields } : {}) },
      },
    );
  if (message.kind !== 'document' || (p.sealed === undefined && verifyKey === undefined)) {
    // a notification, or an unsealed document where no seal is required: its own text
    const text = str(p.text) ?? JSON.stringify(p, null, 2);
    const name = str(p.name);
    const number = str(p.number);
    const title = name ? `${name}${number ? ` ${number}` : ''}` : undefined;
    return { text, html: textToHtml(text, title), ...(name ? { name } : {}), ...(number ? { number } : {}) };
  }
  const sealed = p.sealed as unknown as SealedDocument | undefined;
  if (sealed === undefined) throw refuse('unsealed', 'the document carries no sealed document to verify');
  const doc = sealed?.document;
  if (!doc || typeof doc !== 'object' || typeof doc.text !== 'string')
    throw refuse('seal', 'its sealed document is malformed');
  if (verifyKey !== undefined) {
    const verdict = await verifyDocument(sealed, verifyKey);
    if (!verdict.ok)
      throw refuse('seal', `its seal does not verify (${verdict.problems.map((x) => x.code).join(', ')})`);
  } else if (sha256(doc.text) !== doc.contentHash) {
    throw refuse('seal', 'its sealed text does not match its content hash');
  }
  const fields = differing(message, doc);
  if (fields.length > 0)
    throw refuse('payload-differs', `its ${fields.join(', ')} differ from the sealed document`, fields);
  return {
    text: doc.text,
    html: textToHtml(doc.text, `${doc.name} ${doc.number}`),
    name: doc.name,
    number: doc.number,
    documentId: doc.documentId,
    sealed,
  };
}
