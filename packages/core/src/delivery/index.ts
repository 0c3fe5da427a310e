/** Delivery: the notifier seam, receipt dates (送达), and the outbox dispatcher. */

export type { ReceiptDate } from '../documents/receipt.js';
export { receiptCommand, receiptFor } from '../documents/receipt.js';
export type {
  BackoffOptions,
  Dispatcher,
  DispatcherOptions,
  DispatchOutcome,
  DispatchReport,
  ReceiptRecorder,
} from './dispatcher.js';
export { backoffDelay, createDispatcher } from './dispatcher.js';
export type { DeliveryReceipt, Notifier, NotifierMessage } from './notifier.js';
export { isPermanent, NotifyError } from './notifier.js';
