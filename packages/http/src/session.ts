/**
 * Sessions of the pages: a petitioner without an account signs in with the case number and the
 * query code on their notice (Reg. 21). The session is a cookie holding an encrypted JWT (`dir`,
 * A256GCM, under the service's session secret): the service keeps no session table, so several
 * instances sharing the secret accept each other's sessions. The cookie is HTTP-only,
 * `SameSite=Strict`, `Path=/`, `Secure` when the service says so, and lives `ttlSeconds`.
 *
 * Forms carry a CSRF token: the session's own random token once signed in, and before that a
 * token in its own cookie that the form must echo (double submit; the cookie is SameSite too).
 */

import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '@xinfang/core';
import { EncryptJWT, jwtDecrypt } from 'jose';

/** A case a query code opened in this session. */
export interface CodeGrant {
  caseId: string;
  code: string;
}

/** What a session holds. */
export interface Session {
  grants: CodeGrant[];
  csrf: string;
}

/** At most this many cases in one session (a representative may hold several codes). */
export const MAX_GRANTS = 5;

export const SESSION_COOKIE = 'xf_session';
export const CSRF_COOKIE = 'xf_csrf';
/** Staff pages' session: the bearer token a member of staff signed in with, sealed. */
export const STAFF_COOKIE = 'xf_staff';

/** Options of {@link createSessions}. */
export interface SessionOptions {
  /** 32 bytes: instances that share it share sessions. @default random per process */
  secret?: Uint8Array;
  clock: Clock;
  /** @default 1800 */
  ttlSeconds?: number;
  /** Mark cookies `Secure` (behind HTTPS). @default false */
  secure?: boolean;
}

/** Session cookies: seal, open, and the Set-Cookie lines. */
export interface Sessions {
  seal(session: Session): Promise<string>;
  open(cookie: string | undefined): Promise<Session | undefined>;
  /** A staff session: the bearer token, for the read-only staff pages. */
  sealBearer(token: string): Promise<string>;
  openBearer(cookie: string | undefined): Promise<string | undefined>;
  cookie(name: string, value: string, maxAge?: number): string;
  newToken(): string;
}

export function createSessions(options: SessionOptions): Sessions {
  const secret = options.secret ?? randomBytes(32);
  if (secret.length !== 32) throw new Error('the session secret must be 32 bytes');
  const ttl = options.ttlSeconds ?? 1800;
  const now = () => Math.floor(options.clock.now().getTime() / 1000);
  return {
    async seal(session) {
      return new EncryptJWT({ grants: session.grants, csrf: session.csrf })
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
        .setIssuedAt(now())
        .setExpirationTime(now() + ttl)
        .encrypt(secret);
    },
    async open(cookie) {
      if (cookie === undefined || cookie.length > 8192) return undefined;
      try {
        const { payload } = await jwtDecrypt(cookie, secret, { currentDate: options.clock.now() });
        const grants = Array.isArray(payload.grants) ? (payload.grants as CodeGrant[]) : [];
        return typeof payload.csrf === 'string' ? { grants, csrf: payload.csrf } : undefined;
      } catch {
        return undefined;
      }
    },
    async sealBearer(token) {
      return new EncryptJWT({ bearer: token })
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
        .setIssuedAt(now())
        .setExpirationTime(now() + ttl)
        .encrypt(secret);
    },
    async openBearer(cookie) {
      if (cookie === undefined || cookie.length > 8192) return undefined;
      try {
        const { payload } = await jwtDecrypt(cookie, secret, { currentDate: options.clock.now() });
        return typeof payload.bearer === 'string' ? payload.bearer : undefined;
      } catch {
        return undefined;
      }
    },
    cookie(name, value, maxAge = ttl) {
      return `${name}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${options.secure ? '; Secure' : ''}`;
    },
    newToken: () => randomBytes(24).toString('base64url'),
  };
}

/** The cookies of a request. */
export function cookiesOf(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

/** Constant-time equality of two tokens (false when either is missing). */
export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
