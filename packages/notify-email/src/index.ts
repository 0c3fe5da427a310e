/** @xinfang/notify-email — delivery of xinfang documents by SMTP (nodemailer). */

export type { EmailNotifierOptions } from './email.js';
export { createEmailNotifier, EMAIL_IDEMPOTENCY_HEADER, messageIdFor } from './email.js';
