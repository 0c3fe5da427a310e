/**
 * Email notifier: the document as HTML and plain text over SMTP (nodemailer), with the sealed
 * document attached for verification, and the outbox row id in a stable `Message-ID` and an
 * `X-Xinfang-Idempotency-Key` header so a mailbox or a mail-ingesting system drops a repeat.
 */

import { createHash } from 'node:crypto';
import {
  type DeliveryReceipt,
  type Notifier,
  type NotifierMessage,
  NotifyError,
  textToHtml,
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
    const p = message.payload;
    const text = str(p.text) ?? JSON.stringify(p, null, 2);
    const html = str(p.html) ?? textToHtml(text);
    const subject =
      options.subject?.(message) ??
      (str(p.name) ? `${p.name}${str(p.number) ? ` ${p.number}` : ''}` : `信访事项 ${message.caseId}`);
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
        ...(p.sealed
          ? {
              attachments: [
                {
                  filename: `${str(p.documentId) ?? 'document'}.sealed.json`,
                  content: JSON.stringify(p.sealed, null, 2),
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
