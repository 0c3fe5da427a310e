/**
 * Electronic seals. A rendered document and its metadata are canonicalised (RFC 8785 JSON) and
 * signed through a `Sealer`. The built-in sealer is Ed25519 from `node:crypto`, with keys the
 * embedding system supplies; a province plugs in its own seal service (official e-seals follow
 * GB/T 38540 with SM2/SM3 certificates) by implementing the same three members.
 */

import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import canonicalize from 'canonicalize';
import { SealError } from './errors.js';

/** Signs and verifies bytes under one key. `sign` may be remote (a seal service), so async is allowed. */
export interface Sealer {
  /** Names the key, so a verifier picks the right public key (and a rotated key is told apart). */
  readonly keyId: string;
  /** Signature algorithm, recorded in the seal (`Ed25519`, `SM2-with-SM3`, ...). @default 'Ed25519' */
  readonly algorithm?: string;
  sign(bytes: Uint8Array): Uint8Array | Promise<Uint8Array>;
  verify(bytes: Uint8Array, signature: Uint8Array): boolean | Promise<boolean>;
}

/** A key as PEM text, DER bytes in a Buffer (PKCS#8 / SPKI), or a `KeyObject`. */
export type KeyInput = string | Buffer | KeyObject;

/** Options of {@link createEd25519Sealer}: at least one key. */
export interface Ed25519SealerOptions {
  /** The signing key. Absent: the sealer only verifies, and `sign` throws `SEAL_KEY_MISSING`. */
  privateKey?: KeyInput;
  /** The verifying key. @default derived from `privateKey` */
  publicKey?: KeyInput;
  /** @default `ed25519:` + the first 16 hex digits of the SHA-256 of the public key (SPKI DER) */
  keyId?: string;
}

function toPrivate(k: KeyInput): KeyObject {
  if (typeof k !== 'string' && !Buffer.isBuffer(k)) return k;
  return typeof k === 'string'
    ? createPrivateKey(k)
    : createPrivateKey({ key: k, format: 'der', type: 'pkcs8' });
}

function toPublic(k: KeyInput): KeyObject {
  if (typeof k !== 'string' && !Buffer.isBuffer(k)) return k.type === 'private' ? createPublicKey(k) : k;
  return typeof k === 'string'
    ? createPublicKey(k)
    : createPublicKey({ key: k, format: 'der', type: 'spki' });
}

/** The default key id of a public key. */
export function ed25519KeyId(publicKey: KeyInput): string {
  const der = toPublic(publicKey).export({ format: 'der', type: 'spki' });
  return `ed25519:${createHash('sha256').update(der).digest('hex').slice(0, 16)}`;
}

/**
 * An Ed25519 sealer over keys the embedder supplies. Never generates a key: a production
 * path that silently made one would seal with a key nobody can verify against.
 */
export function createEd25519Sealer(options: Ed25519SealerOptions): Sealer {
  const privateKey = options.privateKey === undefined ? undefined : toPrivate(options.privateKey);
  const source = options.publicKey ?? privateKey;
  if (source === undefined) {
    throw new SealError('SEAL_KEY_MISSING', 'createEd25519Sealer needs a privateKey or a publicKey');
  }
  const publicKey = toPublic(source);
  for (const [k, what] of [
    [privateKey, 'privateKey'],
    [publicKey, 'publicKey'],
  ] as const) {
    if (k && k.asymmetricKeyType !== 'ed25519') {
      throw new SealError('SEAL_KEY_MISSING', `${what} is a ${k.asymmetricKeyType} key, not Ed25519`);
    }
  }
  const keyId = options.keyId ?? ed25519KeyId(publicKey);
  return {
    keyId,
    algorithm: 'Ed25519',
    sign(bytes) {
      if (!privateKey)
        throw new SealError('SEAL_KEY_MISSING', `sealer ${keyId} has no private key`, { keyId });
      return sign(null, bytes, privateKey);
    },
    verify(bytes, signature) {
      try {
        return verify(null, bytes, publicKey, signature);
      } catch {
        return false;
      }
    },
  };
}

/** A sealer, or the public key to verify with (a verify-only Ed25519 sealer is made from it). */
export type VerifyKey = Sealer | KeyInput;

function isSealer(key: VerifyKey): key is Sealer {
  return typeof key === 'object' && !Buffer.isBuffer(key) && 'verify' in key && 'keyId' in key;
}

/** The seal over a canonical payload. */
export interface Seal {
  algorithm: string;
  keyId: string;
  /** How the signed bytes were made. */
  canonicalization: 'RFC8785';
  /** Base64 signature over `canonicalize({ format, <body>, algorithm, keyId })`. */
  signature: string;
}

/** One problem a verification found. */
export interface SealProblem {
  code:
    | 'FORMAT'
    | 'CONTENT_HASH'
    | 'KEY_ID'
    | 'SIGNATURE'
    | 'CASE_MISSING'
    | 'LOG_TRUNCATED'
    | 'LOG_REWRITTEN';
  message: string;
  caseId?: string;
}

/** What a verification returns. */
export interface SealVerification {
  ok: boolean;
  problems: SealProblem[];
}

/** The bytes a seal signs: RFC 8785 canonical JSON, UTF-8. */
export function canonicalBytes(value: unknown): Uint8Array {
  const json = canonicalize(value);
  if (json === undefined) throw new SealError('SEAL_INVALID', 'the value to seal is not JSON');
  return Buffer.from(json, 'utf8');
}

/** SHA-256 of a text, as documents record it: `sha256:<hex>`. */
export function contentHash(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

/** Signs `body` under `format`; the key id and algorithm are inside the signed bytes. */
export async function makeSeal(format: string, body: unknown, sealer: Sealer): Promise<Seal> {
  const algorithm = sealer.algorithm ?? 'Ed25519';
  const bytes = canonicalBytes({ format, body, algorithm, keyId: sealer.keyId });
  const signature = await sealer.sign(bytes);
  return {
    algorithm,
    keyId: sealer.keyId,
    canonicalization: 'RFC8785',
    signature: Buffer.from(signature).toString('base64'),
  };
}

/** Checks a seal over `body`; problems are appended to `problems`. */
export async function checkSeal(
  format: string,
  body: unknown,
  seal: Seal | undefined,
  key: VerifyKey,
  problems: SealProblem[],
): Promise<void> {
  if (!seal || typeof seal.signature !== 'string' || typeof seal.keyId !== 'string') {
    problems.push({ code: 'FORMAT', message: 'the seal is missing or malformed' });
    return;
  }
  // a bare public key carries no id: the signature alone decides; a sealer's id must match
  const verifier = isSealer(key) ? key : createEd25519Sealer({ publicKey: key });
  if (isSealer(key) && seal.keyId !== key.keyId) {
    problems.push({ code: 'KEY_ID', message: `sealed with key ${seal.keyId}, verifying with ${key.keyId}` });
  }
  let ok = false;
  try {
    const bytes = canonicalBytes({ format, body, algorithm: seal.algorithm, keyId: seal.keyId });
    ok = await verifier.verify(bytes, Buffer.from(seal.signature, 'base64'));
  } catch {
    ok = false;
  }
  if (!ok) problems.push({ code: 'SIGNATURE', message: `the signature does not match (key ${seal.keyId})` });
}
