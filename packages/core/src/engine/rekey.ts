/**
 * `rekeyIdentities`: moves each case whose identity key is in clear (written before keyed keys)
 * or made with a previous secret to the current secret. A stored chain is never rewritten
 * (that is the forgery `verify` detects); the case gets an `identity.rekeyed` event instead,
 * whose fold replaces `data.identityKey`, so the projection and the store's index move with it
 * and a replay reproduces them.
 *
 * The event links the old key to the new without holding either in clear: it carries the old
 * key's keyed form under the current secret. Whoever holds the secret can check the link
 * against a copy of the old log; nobody else learns anything from it.
 */

import { identityKey as identityKeyOf } from '../rules/index.js';
import type { CaseProjection, JsonObject } from '../store/types.js';
import { CaseTx, retryOnConflict } from './case-tx.js';
import { type CaseState, IDENTITY_REKEYED, withIdentityKey } from './fold.js';
import { keyIdOf } from './identity-keys.js';
import { clockActor, type EngineRuntime, nowOf } from './runtime.js';
import type { RekeyOptions, RekeyResult } from './types.js';

const PAGE = 100;

/** What re-keying one case came to. */
type CaseOutcome =
  | { kind: 'rekeyed'; seq: number; from: string | null }
  | { kind: 'current' }
  | { kind: 'unknown-key'; keyId: string }
  | { kind: 'mismatched' };

/** Re-keys up to `limit` cases after `after`, in case-id order; see `Engine.rekeyIdentities`. */
export async function rekeyIdentities(rt: EngineRuntime, options: RekeyOptions = {}): Promise<RekeyResult> {
  const limit = Math.max(1, Math.min(options.limit ?? PAGE, 1000));
  const page = await rt.store.query({
    limit,
    ...(options.after !== undefined ? { after: options.after } : {}),
  });
  const result: RekeyResult = { rekeyed: [], unknownKey: [], mismatched: [], examined: page.length };
  for (const p of page) {
    // the page is only a hint: a case is judged again inside its transaction
    if (!needsRekey(rt, p)) continue;
    const outcome = await retryOnConflict(() => rekeyCase(rt, p.caseId));
    if (outcome.kind === 'rekeyed')
      result.rekeyed.push({ caseId: p.caseId, seq: outcome.seq, from: outcome.from });
    else if (outcome.kind === 'unknown-key')
      result.unknownKey.push({ caseId: p.caseId, keyId: outcome.keyId });
    else if (outcome.kind === 'mismatched') result.mismatched.push(p.caseId);
  }
  const last = page.at(-1)?.caseId;
  if (page.length === limit && last !== undefined) result.next = last;
  return result;
}

function needsRekey(rt: EngineRuntime, p: CaseProjection): boolean {
  return p.identityKey !== undefined && !rt.keys.isCurrent(p.identityKey);
}

/** Re-keys one case in one transaction: one `identity.rekeyed` event, or nothing. */
async function rekeyCase(rt: EngineRuntime, caseId: string): Promise<CaseOutcome> {
  const tx = await CaseTx.open(rt, caseId);
  const from = tx.state as CaseState;
  const old = from.context.data.identityKey;
  if (old === undefined || rt.keys.isCurrent(old)) return { kind: 'current' };
  const oldKeyId = keyIdOf(old);
  let next: string;
  if (oldKeyId === undefined) {
    // a clear key is the plain key itself, as the code of its day normalised it: keyed as it is,
    // it keeps matching the other cases of its day
    next = rt.keys.keyOf(old);
  } else {
    if (!rt.keys.knows(oldKeyId)) return { kind: 'unknown-key', keyId: oldKeyId };
    // a keyed key cannot be undone: the plain key is made again from the petition, and must
    // give the stored key under its own secret, or the case is left for someone to look at
    const plain = identityKeyOf(tx.compiled.config, from.context.data.petition);
    if (plain === undefined || rt.keys.keyUnder(oldKeyId, plain) !== old) return { kind: 'mismatched' };
    next = rt.keys.keyOf(plain);
  }
  const payload: JsonObject = {
    identityKey: next,
    keyId: rt.keys.currentId,
    // the link: the old key under the current secret (for a clear key, the new key itself);
    // hidden with the identity key from a viewer who may not see personal fields
    previousIdentityKey: { keyId: oldKeyId ?? null, link: rt.keys.keyOf(old) },
  };
  const event = tx.recordState(
    { type: IDENTITY_REKEYED, at: nowOf(rt), actor: clockActor(rt), payload },
    withIdentityKey(from, next),
  );
  await tx.commit();
  return { kind: 'rekeyed', seq: event.seq, from: oldKeyId ?? null };
}
