/**
 * Query codes (Reg. 21): a petitioner without an account (a letter or a visit registered by
 * staff) follows their case, rates it and asks for review with a code given at registration.
 * The code is an ownership credential, so the engine keeps only its keyed hash (HMAC-SHA-256
 * under the store's identity-key secret, bound to the case id) and its last four characters,
 * which notices print so a holder can tell codes apart. Group representatives (Reg. 20) hold one
 * each.
 *
 * A person presents a code as `{ id, role: <petitioner role>, queryCode }`. The engine checks it
 * against the case and lets the person act as the code's holder (`query-code:<n>`); nobody can
 * claim a holder's id without the code, because the engine accepts such an id only on an actor
 * object it made itself.
 */

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { isPetitionerRole } from '../compiler/checks.js';
import type { CompiledConfig } from '../compiler/compile.js';
import type { CaseData, QueryCodeRecord } from '../compiler/types.js';
import type { ActorRef } from '../store/types.js';
import { ActorInvalidError, CaseNotFoundError } from './errors.js';
import { type IdentityKeyring, keyIdOf } from './identity-keys.js';

/** The actor id prefix of query-code holders: reserved, never accepted from outside. */
export const HOLDER_PREFIX = 'query-code:';

/** Crockford's base 32: no I, L, O or U, so a code read aloud or copied by hand survives. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 16 characters: 80 random bits. */
const LENGTH = 16;

/** At most this many holders per case: Reg. 20 limits a group's representatives to five. */
export const MAX_HOLDERS = 5;

/** Where random bytes come from; `createEngine({ random })` replaces it (tests, a hardware source). */
export type RandomSource = (bytes: number) => Uint8Array;

export const defaultRandom: RandomSource = (n) => randomBytes(n);

/** A new code, `XXXX-XXXX-XXXX-XXXX`. */
export function newQueryCode(random: RandomSource): string {
  const bytes = random(LENGTH);
  let out = '';
  for (let i = 0; i < LENGTH; i++) out += ALPHABET[(bytes[i] ?? 0) % 32];
  return out.match(/.{4}/g)?.join('-') ?? out;
}

/** A code as typed, in canonical form (case, dashes and spaces ignored; O read as 0, I and L as 1). */
export function canonicalCode(code: string): string | undefined {
  if (typeof code !== 'string' || code.length > 64) return undefined;
  const c = code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return c.length === LENGTH && [...c].every((ch) => ALPHABET.includes(ch)) ? c : undefined;
}

function hashUnder(keys: IdentityKeyring, keyId: string, caseId: string, canonical: string): string {
  return keys.keyUnder(keyId, `query-code\u0000${caseId}\u0000${canonical}`);
}

/** The record a case keeps of `code` given to `holder`. */
export function queryCodeRecord(
  keys: IdentityKeyring,
  caseId: string,
  holder: string,
  code: string,
): QueryCodeRecord {
  const canonical = canonicalCode(code) as string;
  return { holder, hash: hashUnder(keys, keys.currentId, caseId, canonical), hint: canonical.slice(-4) };
}

/** The holder `code` opens on this case, or undefined. Hashes under retired secrets still count while held. */
export function holderOf(
  keys: IdentityKeyring,
  caseId: string,
  data: Pick<CaseData, 'queryCodes'>,
  code: string,
): string | undefined {
  const canonical = canonicalCode(code);
  if (canonical === undefined) return undefined;
  for (const q of data.queryCodes ?? []) {
    const keyId = keyIdOf(q.hash);
    if (keyId === undefined || !keys.knows(keyId)) continue;
    const a = Buffer.from(hashUnder(keys, keyId, caseId, canonical));
    const b = Buffer.from(q.hash);
    if (a.length === b.length && timingSafeEqual(a, b)) return q.holder;
  }
  return undefined;
}

/** Actor objects the engine made for a checked code: the only ones that may carry a holder id. */
const checked = new WeakSet<ActorRef>();

/** Whether `actor` may carry the id it carries: a holder id only on an actor made by `presentedActor`. */
export function holderIdRefused(actor: ActorRef): boolean {
  return typeof actor.id === 'string' && actor.id.startsWith(HOLDER_PREFIX) && !checked.has(actor);
}

/**
 * The actor a request acts as on this case: itself, or, when it presents a query code, the
 * code's holder. A code that opens nothing is CASE_NOT_FOUND, as for a case that does not exist,
 * so codes cannot be tried against case ids to learn which exist.
 */
export function presentedActor(
  compiled: CompiledConfig,
  keys: IdentityKeyring,
  caseId: string,
  data: Pick<CaseData, 'queryCodes'>,
  actor: ActorRef,
): ActorRef {
  if (actor?.queryCode === undefined) return actor;
  if (!isPetitionerRole(compiled.config, actor.role)) {
    throw new ActorInvalidError('a query code is presented by a petitioner, not by staff', {
      id: String(actor.id),
      role: String(actor.role),
    });
  }
  const holder = holderOf(keys, caseId, data, String(actor.queryCode));
  if (holder === undefined) throw new CaseNotFoundError(caseId);
  const made: ActorRef = { id: holder, role: actor.role };
  checked.add(made);
  return made;
}
