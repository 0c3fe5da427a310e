/**
 * Keyed identity keys. The petitioner's normalised identity (`rules/keys.ts identityKey`, e.g.
 * `petitioner.idNumber:["11010119900101123X"]`) is what a petitioner's earlier cases are found
 * by (Reg. 19, 36). Stored as it is, anyone reading the database could match a guessed ID
 * number; so the engine stores only an HMAC-SHA-256 of it under a secret of the store:
 * `hk:<keyId>:<base64url MAC>`. Without the secret a guess cannot be checked; with it, the
 * same person still gets the same key in every case of the store.
 *
 * The key id travels in the key, so a store re-keyed from one secret to the next (rotation)
 * can be searched under each while `rekeyIdentities` moves its cases over.
 */

import { createHmac, randomBytes } from 'node:crypto';
import { XinfangError } from '../base/errors.js';

/** One secret of a store's identity keys. */
export interface IdentityKeySecret {
  /**
   * Names the secret in every key made with it (`hk:<id>:...`): letters, digits, `_`, `-`, `.`,
   * at most 32. Not secret; never reuse an id for another secret.
   */
  id: string;
  /**
   * At least 32 bytes of random data (a string counts as its UTF-8 bytes). Keep it beside the
   * store it keys, as secret as the store's credentials: whoever holds it can test a guessed
   * ID number against the store, and a store opened with another secret finds no earlier case.
   */
  secret: Uint8Array | string;
}

/**
 * The secrets of a store's identity keys (`EngineOptions.identityKeys`). New keys are made with
 * `current`; a case whose key was made with one of `previous` (or stored in clear, before
 * keyed keys) is still found as an earlier case, until `engine.rekeyIdentities()` moves it to
 * `current`. To rotate: make a new secret `current`, move the old one to `previous`, run
 * `rekeyIdentities` until it reports nothing left, then drop the old secret.
 */
export interface IdentityKeys {
  current: IdentityKeySecret;
  previous?: readonly IdentityKeySecret[];
}

/** The prefix of a keyed identity key; a stored key without it is in clear (written before keyed keys). */
export const KEYED_PREFIX = 'hk:';

/** Fewer bytes than this are refused: an HMAC key shorter than its hash weakens it. */
const MIN_SECRET_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9_.-]{1,32}$/;

/** `createEngine` was given no identity keys, or unusable ones. */
export class IdentityKeyError extends XinfangError<'ENGINE_KEY_MISSING' | 'ENGINE_KEY_INVALID'> {
  static override readonly brand: string = 'IdentityKeyError';

  constructor(code: 'ENGINE_KEY_MISSING' | 'ENGINE_KEY_INVALID', message: string, keyId?: string) {
    super(code, message, code === 'ENGINE_KEY_INVALID' && keyId !== undefined ? { keyId } : {});
  }
}

/**
 * Fresh random identity keys, for a store that lives one run only (a scenario, a compliance
 * check, a test on a memory store). A store kept on disk needs its secret kept with it: with a
 * new one, no earlier case of the store is found again.
 */
export function ephemeralIdentityKeys(id = 'ephemeral'): IdentityKeys {
  return { current: { id, secret: randomBytes(MIN_SECRET_BYTES) } };
}

/** The key id of a stored identity key: undefined for one in clear. */
export function keyIdOf(key: string): string | undefined {
  if (!key.startsWith(KEYED_PREFIX)) return undefined;
  const end = key.indexOf(':', KEYED_PREFIX.length);
  return end < 0 ? undefined : key.slice(KEYED_PREFIX.length, end);
}

/** The engine's identity keys, checked once: makes keys and says under which forms to look one up. */
export class IdentityKeyring {
  private readonly secrets: Map<string, Buffer>;
  readonly currentId: string;

  private constructor(keys: IdentityKeys) {
    this.currentId = keys.current.id;
    this.secrets = new Map();
    for (const k of [keys.current, ...(keys.previous ?? [])]) {
      if (this.secrets.has(k.id)) {
        throw new IdentityKeyError(
          'ENGINE_KEY_INVALID',
          `identity key id ${k.id} is given twice: give each secret its own id`,
          k.id,
        );
      }
      this.secrets.set(k.id, secretBytes(k));
    }
  }

  /** Checks `identityKeys` as `createEngine` was given them. */
  static from(keys: IdentityKeys | undefined): IdentityKeyring {
    if (keys === undefined || keys === null) {
      throw new IdentityKeyError(
        'ENGINE_KEY_MISSING',
        'createEngine needs identityKeys: { current: { id, secret } }, a secret of at least 32 random bytes kept with the store ' +
          '(e.g. a file beside the database, readable only by the service), so that no ID number is stored in clear; ' +
          'a store that lives one run (a test, a scenario) may pass ephemeralIdentityKeys()',
      );
    }
    if (typeof keys !== 'object' || typeof keys.current !== 'object' || keys.current === null) {
      throw new IdentityKeyError(
        'ENGINE_KEY_INVALID',
        'identityKeys must be { current: { id, secret }, previous?: [...] }',
      );
    }
    return new IdentityKeyring(keys);
  }

  /** The keyed form of a plain identity key under the current secret. */
  keyOf(plain: string): string;
  keyOf(plain: string | undefined): string | undefined;
  keyOf(plain: string | undefined): string | undefined {
    return plain === undefined ? undefined : this.keyUnder(this.currentId, plain);
  }

  /**
   * Every form a case of this petitioner may be stored under: the current key, each previous
   * one, and the clear key of a case not yet re-keyed. The clear key is only looked up, never
   * written.
   */
  lookups(plain: string | undefined): string[] {
    if (plain === undefined) return [];
    return [...[...this.secrets.keys()].map((id) => this.keyUnder(id, plain)), plain];
  }

  /** Whether a stored key was made with the current secret (nothing left to re-key). */
  isCurrent(key: string): boolean {
    return keyIdOf(key) === this.currentId;
  }

  /** Whether the engine holds the secret of key id `id`. */
  knows(id: string): boolean {
    return this.secrets.has(id);
  }

  /** The keyed form of `plain` under secret `id` (which must be known). */
  keyUnder(id: string, plain: string): string {
    const secret = this.secrets.get(id);
    if (!secret) throw new Error(`no identity key secret ${id}`);
    return `${KEYED_PREFIX}${id}:${createHmac('sha256', secret).update(plain, 'utf8').digest('base64url')}`;
  }
}

function secretBytes(k: IdentityKeySecret): Buffer {
  if (typeof k.id !== 'string' || !KEY_ID.test(k.id)) {
    throw new IdentityKeyError(
      'ENGINE_KEY_INVALID',
      `identity key id ${JSON.stringify(k.id)} must be 1-32 letters, digits, "_", "-" or "." (it is written into every key)`,
      typeof k.id === 'string' ? k.id : undefined,
    );
  }
  const bytes =
    typeof k.secret === 'string'
      ? Buffer.from(k.secret, 'utf8')
      : k.secret instanceof Uint8Array
        ? Buffer.from(k.secret)
        : undefined;
  if (!bytes || bytes.length < MIN_SECRET_BYTES) {
    throw new IdentityKeyError(
      'ENGINE_KEY_INVALID',
      `identity key ${k.id} needs a secret of at least ${MIN_SECRET_BYTES} bytes (e.g. crypto.randomBytes(32)), got ${bytes?.length ?? 'none'}`,
      k.id,
    );
  }
  return bytes;
}
