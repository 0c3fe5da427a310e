/**
 * A store's identity key secret kept in a file beside it: what the CLI and the examples use,
 * and what an embedder without a secret store may use. The file is made on first use (32
 * random bytes, base64url, readable by its owner only) and read after; the key id is taken
 * from the secret, so every process opening the same file names the same key.
 *
 * Rotation (`rotateIdentityKeyFile`) puts a new secret on the first line and keeps the old ones
 * below it: the first line is `current`, the others `previous`, until `rekeyIdentities` has
 * moved every case and `retireIdentityKeys` drops them.
 */

import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { IdentityKeyError, type IdentityKeys } from './identity-keys.js';

/**
 * The identity keys in the file at `path`, made there first when it does not exist (with
 * `create: false`, a missing file is `ENGINE_KEY_MISSING`). Keep the file with the store and
 * back them up together: a store opened with another secret finds none of its earlier cases.
 */
export function identityKeyFile(path: string, options: { create?: boolean } = {}): IdentityKeys {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    if (options.create === false) {
      throw new IdentityKeyError(
        'ENGINE_KEY_MISSING',
        `no identity key file ${path}: restore it from the store's backup (a new one would find none of the store's earlier cases)`,
      );
    }
    text = createKeyFile(path);
  }
  const [current, ...previous] = secretsOf(path, text);
  return { current: current as IdentityKeys['current'], ...(previous.length > 0 ? { previous } : {}) };
}

/** The secrets of a key file, one per line, newest first, each with the id taken from it. */
function secretsOf(path: string, text: string): IdentityKeys['current'][] {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length === 0) {
    throw new IdentityKeyError(
      'ENGINE_KEY_INVALID',
      `identity key file ${path} is empty: restore it from the store's backup`,
    );
  }
  return lines.map((line, i) => {
    const secret = Buffer.from(line, 'base64url');
    if (secret.length < 32) {
      throw new IdentityKeyError(
        'ENGINE_KEY_INVALID',
        `identity key file ${path}, line ${i + 1}, must hold at least 32 bytes as base64url; it holds ${secret.length}`,
      );
    }
    return { id: `f-${createHash('sha256').update(secret).digest('hex').slice(0, 12)}`, secret };
  });
}

/** Replaces the file's text as one step (a crash leaves the old file or the new, never half of one). */
function replaceFile(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, path);
}

/**
 * Rotates the store's identity key: a new secret becomes current, the old ones stay below it
 * as previous (so earlier cases are still found) until `rekeyIdentities` has moved every case
 * and `retireIdentityKeys` drops them. Returns the keys as the file now holds them.
 */
export function rotateIdentityKeyFile(path: string): IdentityKeys {
  const old = readFileSync(path, 'utf8');
  secretsOf(path, old); // refuse to rotate a file that is not a key file
  replaceFile(path, `${randomBytes(32).toString('base64url')}\n${old.trim()}\n`);
  return identityKeyFile(path, { create: false });
}

/** Keeps only the current secret of the key file (once no case needs the previous ones). */
export function retireIdentityKeys(path: string): IdentityKeys {
  const text = readFileSync(path, 'utf8');
  const first = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '');
  secretsOf(path, text);
  replaceFile(path, `${first}\n`);
  return identityKeyFile(path, { create: false });
}

/** Writes a new secret to `path` unless another process just did; returns the file's text. */
function createKeyFile(path: string): string {
  mkdirSync(dirname(path), { recursive: true });
  let fd: number;
  try {
    // exclusive: two processes opening a new store together must not write two secrets
    fd = openSync(path, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(path, 'utf8');
    throw e;
  }
  const text = `${randomBytes(32).toString('base64url')}\n`;
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return text;
}
