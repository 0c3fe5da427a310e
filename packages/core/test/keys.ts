/**
 * The identity keys of the tests' engines: a fixed secret, so an engine restarted on the same
 * store (a restart test) keys identities as the first one did. Never a production secret.
 */

import type { IdentityKeys } from '../src/engine/index.js';

export const TEST_IDENTITY_KEYS: IdentityKeys = {
  current: { id: 'test', secret: 'xinfang-test-identity-secret-32-bytes!' },
};

/** The integrity key of tests whose engines share a store under different identity secrets. */
export const TEST_INTEGRITY_KEYS: IdentityKeys = {
  current: { id: 'test-integrity', secret: 'xinfang-test-integrity-secret-32-bytes!' },
};
