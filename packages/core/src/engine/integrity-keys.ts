/**
 * The engine's integrity key: what a database writer does not hold. Every event the engine
 * writes carries an HMAC of its hash under this key (`mac: ik:<keyId>:<base64url>`), and the
 * engine's checkpoints are signed with it. The hash chain alone is recomputable by anyone who can
 * write the tables: a re-hashed, renumbered or wholly forged case passes the chain, but not the
 * keys. Since each event's hash covers the one before it, a MAC vouches for the whole log up to
 * its event.
 *
 * The key has the shape of the identity keys (`IdentityKeys`, `identityKeyFile`). Without one the
 * engine derives it from the identity secrets (HKDF-SHA-256, a label of its own), so an engine
 * that already keeps its identity secret outside the database has an integrity key at no cost.
 */

import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { IdentityKeyError, type IdentityKeySecret, type IdentityKeys } from './identity-keys.js';

/** Prefix of an event MAC. */
export const MAC_PREFIX = 'ik:';
/** Bytes an integrity secret needs at least (as an identity secret). */
const MIN_SECRET_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9_.-]{1,32}$/;

/** What checking a MAC found: it matches, it does not, or it names a key the engine was not given. */
export type MacCheck = 'ok' | 'forged' | 'unknown-key' | 'malformed';

/** An integrity key derived from an identity secret: another label, so neither key reveals the other. */
function derived(secret: IdentityKeySecret): IdentityKeySecret {
  const bytes = typeof secret.secret === 'string' ? Buffer.from(secret.secret, 'utf8') : secret.secret;
  const key = Buffer.from(hkdfSync('sha256', bytes, 'xinfang', 'xinfang.integrity.v1', 32));
  // the id stays within 32 characters: `i-` and at most 30 of the identity key's id
  return { id: `i-${secret.id.slice(0, 30)}`, secret: key };
}

/** The integrity keys an engine uses: `integrityKeys` when given, else derived from `identityKeys`. */
export function integrityKeysOf(integrity: IdentityKeys | undefined, identity: IdentityKeys): IdentityKeys {
  if (integrity !== undefined) return integrity;
  return {
    current: derived(identity.current),
    ...(identity.previous ? { previous: identity.previous.map(derived) } : {}),
  };
}

/** The engine's integrity secrets, checked once: MACs events and checkpoints, and checks them. */
export class IntegrityKeyring {
  private readonly secrets = new Map<string, Buffer>();
  readonly currentId: string;

  constructor(keys: IdentityKeys) {
    if (typeof keys !== 'object' || keys === null || typeof keys.current !== 'object' || !keys.current) {
      throw new IdentityKeyError(
        'ENGINE_KEY_INVALID',
        'integrityKeys must be { current: { id, secret }, previous?: [...] }, as identityKeys',
      );
    }
    this.currentId = keys.current.id;
    for (const k of [keys.current, ...(keys.previous ?? [])]) {
      if (typeof k.id !== 'string' || !KEY_ID.test(k.id) || this.secrets.has(k.id)) {
        throw new IdentityKeyError(
          'ENGINE_KEY_INVALID',
          `integrity key id ${JSON.stringify(k.id)} must be 1-32 letters, digits, "_", "-" or ".", each given once`,
          typeof k.id === 'string' ? k.id : undefined,
        );
      }
      const bytes =
        typeof k.secret === 'string' ? Buffer.from(k.secret, 'utf8') : Buffer.from(k.secret ?? []);
      if (bytes.length < MIN_SECRET_BYTES) {
        throw new IdentityKeyError(
          'ENGINE_KEY_INVALID',
          `integrity key ${k.id} needs a secret of at least ${MIN_SECRET_BYTES} bytes (e.g. crypto.randomBytes(32))`,
          k.id,
        );
      }
      this.secrets.set(k.id, bytes);
    }
  }

  /** The MAC of `text` under `purpose` with the current key: `ik:<keyId>:<base64url>`. */
  mac(purpose: string, text: string): string {
    return `${MAC_PREFIX}${this.currentId}:${this.digest(this.currentId, purpose, text)}`;
  }

  /** Whether `mac` is the MAC of `text` under `purpose` with the key it names. */
  check(purpose: string, text: string, mac: unknown): MacCheck {
    if (typeof mac !== 'string' || !mac.startsWith(MAC_PREFIX)) return 'malformed';
    const end = mac.indexOf(':', MAC_PREFIX.length);
    if (end < 0) return 'malformed';
    const id = mac.slice(MAC_PREFIX.length, end);
    if (!this.secrets.has(id)) return 'unknown-key';
    const expected = Buffer.from(this.digest(id, purpose, text));
    const given = Buffer.from(mac.slice(end + 1));
    return given.length === expected.length && timingSafeEqual(given, expected) ? 'ok' : 'forged';
  }

  private digest(id: string, purpose: string, text: string): string {
    const secret = this.secrets.get(id) as Buffer;
    // the purpose keeps an event MAC from standing for a checkpoint, and the reverse
    return createHmac('sha256', secret).update(`${purpose}\n${text}`, 'utf8').digest('base64url');
  }
}

/** What an event's MAC is taken over: its hash, which covers the event and the chain before it. */
export const EVENT_MAC = 'xinfang.event.v1';
