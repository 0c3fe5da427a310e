/** @xinfang/notify-amqp — delivery of xinfang documents and notifications to RabbitMQ. */

export type { AmqpNotifier, AmqpNotifierOptions } from './amqp.js';
export { createAmqpNotifier } from './amqp.js';
