/**
 * Sign-on is the embedder's: an `Authenticator` maps a request to a `Principal` (who, in which
 * roles of the config, for which unit). The service turns a principal into the engine's actor
 * and lets the engine decide everything else (what it may read, which commands it may send).
 *
 * Two ship here: bearer JWTs verified with `jose` (issuer, audience, keys from a JWKS file, a
 * JWKS URL or a key set in memory; claims mapped to roles and unit), and a static token table for
 * development, which the service only serves on a loopback address.
 */

import { readFileSync } from 'node:fs';
import type { Clock } from '@xinfang/core';
import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWTPayload, jwtVerify } from 'jose';

/** Who is asking: an id, the config's roles they act in (the first reads), and their unit. */
export interface Principal {
  id: string;
  /** Roles of the jurisdiction config, in order of preference; the first is used for reads. */
  roles: string[];
  /** The unit of the config's registry staff act for; absent for petitioners. */
  unit?: string;
  name?: string;
}

/** What an authenticator sees of a request. */
export interface AuthRequest {
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The peer's address (`req.socket.remoteAddress`). */
  remoteAddress?: string | undefined;
}

/** Maps a request to a principal; undefined when it carries no credential this authenticator knows. */
export interface Authenticator {
  name: string;
  /** The service refuses to listen on any address but loopback with this authenticator. */
  loopbackOnly?: boolean;
  authenticate(req: AuthRequest): Promise<Principal | undefined>;
}

/** The bearer token of `Authorization: Bearer <token>`, if any. */
export function bearerToken(req: AuthRequest): string | undefined {
  const h = req.headers.authorization;
  const value = Array.isArray(h) ? h[0] : h;
  const m = /^Bearer[ \t]+([A-Za-z0-9._~+/=-]+)[ \t]*$/i.exec(value ?? '');
  return m?.[1];
}

/** Whether an address is on the loopback interface (127.0.0.0/8, ::1, ::ffff:127.x). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const a = address.replace(/^::ffff:/i, '');
  return a === '::1' || a === 'localhost' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/**
 * A token table for development and tests: `Authorization: Bearer <token>` is the principal the
 * table names. Loopback only: the service will not listen elsewhere with it, and a request from
 * another address is not signed on even so.
 */
export function staticTokenAuthenticator(table: Readonly<Record<string, Principal>>): Authenticator {
  const tokens = new Map(Object.entries(table));
  return {
    name: 'static-tokens',
    loopbackOnly: true,
    async authenticate(req) {
      if (!isLoopback(req.remoteAddress)) return undefined;
      const token = bearerToken(req);
      return token === undefined ? undefined : tokens.get(token);
    },
  };
}

/** Where the JWT verification keys come from. */
export type JwksSource = { file: string } | { url: string } | { keys: JSONWebKeySet };

/** Options of {@link jwtAuthenticator}. */
export interface JwtAuthenticatorOptions {
  issuer: string | string[];
  audience: string | string[];
  jwks: JwksSource;
  /** Claim names. @default { id: 'sub', name: 'name', roles: 'roles', unit: 'unit' } */
  claims?: { id?: string; name?: string; roles?: string; unit?: string };
  /** The sign-on's role names → the config's roles; absent: claim values are the config's roles. */
  roleMap?: Readonly<Record<string, readonly string[]>>;
  /** The sign-on's unit codes → the registry's unit ids; absent: the claim is the unit id. */
  unitMap?: Readonly<Record<string, string>>;
  /** Accepted algorithms. @default ['RS256', 'ES256', 'EdDSA'] */
  algorithms?: string[];
  /** The time tokens are judged at (their `exp`, `nbf`). @default the system clock */
  clock?: Clock;
}

function keySet(source: JwksSource) {
  if ('keys' in source) return createLocalJWKSet(source.keys);
  if ('file' in source)
    return createLocalJWKSet(JSON.parse(readFileSync(source.file, 'utf8')) as JSONWebKeySet);
  return createRemoteJWKSet(new URL(source.url));
}

function claimStrings(payload: JWTPayload, name: string): string[] {
  const v = payload[name];
  if (typeof v === 'string') return v.split(/[\s,]+/).filter(Boolean);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * Bearer JWTs: the signature (a key of the JWKS), issuer, audience and lifetime are checked by
 * `jose`; the claims become the principal. A token that fails any check signs nobody on (401).
 */
export function jwtAuthenticator(options: JwtAuthenticatorOptions): Authenticator {
  const keys = keySet(options.jwks);
  const c = { id: 'sub', name: 'name', roles: 'roles', unit: 'unit', ...options.claims };
  const algorithms = options.algorithms ?? ['RS256', 'ES256', 'EdDSA'];
  return {
    name: 'jwt',
    async authenticate(req) {
      const token = bearerToken(req);
      if (token === undefined) return undefined;
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer: options.issuer,
          audience: options.audience,
          algorithms,
          ...(options.clock ? { currentDate: options.clock.now() } : {}),
        }));
      } catch {
        return undefined;
      }
      const id = payload[c.id];
      if (typeof id !== 'string' || id === '') return undefined;
      const named = claimStrings(payload, c.roles);
      const roles = options.roleMap ? named.flatMap((r) => options.roleMap?.[r] ?? []) : named;
      const unitClaim = payload[c.unit];
      const unit =
        typeof unitClaim !== 'string' ? undefined : options.unitMap ? options.unitMap[unitClaim] : unitClaim;
      const name = payload[c.name];
      return {
        id,
        roles: [...new Set(roles)],
        ...(unit !== undefined ? { unit } : {}),
        ...(typeof name === 'string' ? { name } : {}),
      };
    },
  };
}
