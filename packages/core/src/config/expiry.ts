/**
 * The event a deadline's expiry sends: `<deadline id>.expired`. Spelled here once; every
 * reader of a config asks `expiryOf` instead of testing the suffix itself.
 */

/** The suffix of an expiry event type. */
export const EXPIRED_SUFFIX = '.expired';

/** The event type the clock sends when deadline `deadlineId` expires. */
export function expiryEvent(deadlineId: string): string {
  return `${deadlineId}${EXPIRED_SUFFIX}`;
}

/** The deadline an expiry event type names, or undefined for any other event type. */
export function expiryOf(type: string): string | undefined {
  return type.endsWith(EXPIRED_SUFFIX) ? type.slice(0, -EXPIRED_SUFFIX.length) : undefined;
}

/** Whether an event type is a deadline's expiry (sent only by the clock). */
export function isExpiry(type: string): boolean {
  return type.endsWith(EXPIRED_SUFFIX);
}
