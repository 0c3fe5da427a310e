/** Shared set-up of the document tests: national's templates and a test key. */

import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createEd25519Sealer, type Sealer } from '../../src/documents/index.js';
import { loadConfigOrThrow } from '../../src/loader/index.js';

export const root = fileURLToPath(new URL('../../../../', import.meta.url));

let loaded: ReturnType<typeof loadConfigOrThrow> | undefined;

/** national.yaml with its template paths, loaded once per file. */
export function national() {
  loaded ??= loadConfigOrThrow(`${root}configs/national.yaml`);
  return loaded;
}

/** A fresh Ed25519 key pair and its sealer (tests only: production keys come from the embedder). */
export function testSealer(keyId?: string): { sealer: Sealer; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    sealer: createEd25519Sealer({ privateKey, publicKey, ...(keyId ? { keyId } : {}) }),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}
