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
  const known = Object.isFrozen(config) ? memo.get(config) : undefined;
  if (known !== undefined) return known;
  const json = canonicalize(config);
  if (json === undefined) throw new TypeError('configHash: the config is not JSON-serialisable');
  const hash = createHash('sha256').update(json, 'utf8').digest('hex');
  if (Object.isFrozen(config)) memo.set(config, hash);
  return hash;
}

/**
 * Hashes of configs frozen with {@link freezeConfig}: such a config cannot change, so its hash
 * is computed once instead of each time an engine is created (the compliance check creates
 * one per generated run). A config that is not frozen may be edited in place, so it is hashed
 * every time.
 */
const memo = new WeakMap<object, string>();

/** Deep-freezes a resolved config (in place) so that its hash can be remembered. */
export function freezeConfig<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) freezeConfig(v);
    Object.freeze(value);
  }
  return value;
}
