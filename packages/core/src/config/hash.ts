import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { JurisdictionConfig } from './types.js';

/**
 * The identity of a resolved config: SHA-256 (hex) of its canonical JSON (RFC 8785: sorted
 * keys, fixed number forms). Two loads of the same procedure give the same hash whatever the
 * key order, comments or `extends` layout of the YAML, so engines cache compiled machines by
 * it and every event pins the exact procedure it was made under.
 */
export function configHash(config: JurisdictionConfig): string {
  const json = canonicalize(config);
  if (json === undefined) throw new TypeError('configHash: the config is not JSON-serialisable');
  return createHash('sha256').update(json, 'utf8').digest('hex');
}
