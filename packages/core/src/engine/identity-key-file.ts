/**
 * A store's identity key secret kept in a file beside it: what the CLI and the examples use,
 * and what an embedder without a secret store may use. The file is made on first use (32
 * random bytes, base64url, readable by its owner only) and read after; the key id is taken
 * from the secret, so every process opening the same file names the same key.
 */

import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
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
  const secret = Buffer.from(text.trim(), 'base64url');
  if (secret.length < 32) {
    throw new IdentityKeyError(
      'ENGINE_KEY_INVALID',
      `identity key file ${path} must hold at least 32 bytes as base64url on one line; it holds ${secret.length}`,
    );
  }
  return { current: { id: `f-${createHash('sha256').update(secret).digest('hex').slice(0, 12)}`, secret } };
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
