/**
 * Idempotency keys: a retried request with the same key returns the first result and writes
 * nothing; the same key with another request is a conflict, never a silent replay.
 */

import { IdempotencyConflictError } from '../store/errors.js';
import type { ActorRef, CaseStore } from '../store/types.js';
import type { IdempotencyClaim } from './case-tx.js';
import { sha256Canonical } from './hash.js';
import type { CommandResult } from './types.js';

/**
 * The claim a request makes with its key (undefined without a key). Keys are scoped to the
 * actor: the same key from another person is another key, so replaying someone else's key
 * neither returns their result nor reveals their case through a conflict.
 */
export function claimOf(
  key: string | undefined,
  actor: ActorRef,
  request: unknown,
): IdempotencyClaim | undefined {
  if (key === undefined) return undefined;
  const scope = sha256Canonical({
    id: actor?.id ?? null,
    role: actor?.role ?? null,
    unit: actor?.unit ?? null,
    // two people presenting different query codes under one embedder id are two actors
    queryCode: typeof actor?.queryCode === 'string' ? actor.queryCode : null,
  });
  return { key: `${scope.slice(0, 16)}:${key}`, fingerprint: sha256Canonical(request) };
}

/** The first result of a repeated request, or undefined when the key is new (or absent). */
export async function replayed(
  store: CaseStore,
  claim: IdempotencyClaim | undefined,
): Promise<CommandResult | undefined> {
  if (!claim) return undefined;
  const record = await store.getIdempotency(claim.key);
  if (!record) return undefined;
  if (record.fingerprint !== claim.fingerprint) {
    throw new IdempotencyConflictError({
      key: claim.key,
      caseId: record.caseId,
      fingerprint: claim.fingerprint,
      storedFingerprint: record.fingerprint,
    });
  }
  return record.result as unknown as CommandResult;
}
