/** @xinfang/notify-webhook — signed HTTP POST delivery of xinfang documents and notifications. */

export type { WebhookNotifierOptions } from './webhook.js';
export {
  createWebhookNotifier,
  IDEMPOTENCY_HEADER,
  SIGNATURE_HEADER,
  signWebhookBody,
  verifyWebhookSignature,
} from './webhook.js';
