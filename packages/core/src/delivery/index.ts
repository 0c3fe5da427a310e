/** Delivery: the notifier seam, receipt dates (送达), and the outbox dispatcher. */

export type { ReceiptContext, ReceiptDate, RefusedClaim } from '../documents/receipt.js';
export { receiptBounds, receiptCommand, receiptFor } from '../documents/receipt.js';
export type {
  BackoffOptions,
  Dispatcher,
  DispatcherOptions,
  DispatchOutcome,
  DispatchReport,
  ReceiptRecorder,
} from './dispatcher.js';
export { backoffDelay, createDispatcher } from './dispatcher.js';
export type { DeliveryReceipt, Notifier, NotifierMessage, NotifyCode } from './notifier.js';
export { isPermanent, NotifyError, ReceiptReplyError } from './notifier.js';
export { checkReply, REPLY_LIMITS } from './reply.js';
