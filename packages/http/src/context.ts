/**
 * What every route shares: the engine, the config it shows, sign-on and sessions, and the
 * translation of a principal into the engine's actor. The engine judges every command and scopes
 * every read; the service's one rule of its own is which roles get reports (never a petitioner),
 * and each report is still scoped by the engine's read rule.
 */

import type { ActorRef, CaseStore, Clock, Engine, JurisdictionConfig, VerifyKey } from '@xinfang/core';
import type { FastifyRequest } from 'fastify';
import type { Authenticator, Principal } from './auth.js';
import { HttpError } from './errors.js';
import type { Sessions } from './session.js';

/** Everything a route needs. */
export interface RouteContext {
  engine: Engine;
  config: JurisdictionConfig;
  authenticators: readonly Authenticator[];
  sessions: Sessions;
  clock: Clock;
  /** The key documents' seals are checked with; absent: the verify route answers 501. */
  verifyKey?: VerifyKey;
  /** The prefix the routes are mounted under ('' at the root): pages link and redirect under it. */
  base: string;
  /** The petitioner role of the config (the one marked `petitioner: true`). */
  petitionerRole: string;
  /** The store the engine writes, which the reports read; absent: the reports answer 501. */
  store?: CaseStore;
  /** The roles that may read reports (each over the cases it may read); never the petitioner's. */
  reportRoles: readonly string[];
}

/** The principal of a request, or undefined when no authenticator signs it on. */
export async function principalOf(ctx: RouteContext, req: FastifyRequest): Promise<Principal | undefined> {
  const request = { headers: req.headers, remoteAddress: req.socket?.remoteAddress };
  for (const a of ctx.authenticators) {
    const p = await a.authenticate(request);
    if (p) return p;
  }
  return undefined;
}

/** The principal of a request, or 401. */
export async function requirePrincipal(ctx: RouteContext, req: FastifyRequest): Promise<Principal> {
  const p = await principalOf(ctx, req);
  if (!p || p.roles.length === 0) {
    throw new HttpError(401, 'UNAUTHENTICATED', 'send Authorization: Bearer <token> of a signed-on user');
  }
  return p;
}

/** The principal acting in one of its roles (the first by default). */
export function actorOf(p: Principal, role: string = p.roles[0] ?? ''): ActorRef {
  return {
    id: p.id,
    role,
    ...(p.unit !== undefined ? { unit: p.unit } : {}),
    ...(p.name ? { name: p.name } : {}),
  };
}

/** The roles the config names for `command` in any state. */
function rolesFor(config: JurisdictionConfig, command: string): Set<string> {
  const named = new Set<string>();
  for (const state of Object.values(config.process.states)) {
    const on = state.on?.[command];
    for (const t of Array.isArray(on) ? on : on ? [on] : []) for (const r of t.roles) named.add(r);
  }
  return named;
}

/**
 * The role a principal sends `command` in: the first of theirs the config names for it. The
 * engine checks the role again in the case's state, so a principal with none of them is sent in
 * their first role and refused there (403).
 */
export function roleForCommand(config: JurisdictionConfig, p: Principal, command: string): string {
  const named = rolesFor(config, command);
  return p.roles.find((r) => named.has(r)) ?? p.roles[0] ?? '';
}

/** The role a principal registers a petition in: registrar when they have it, else their first. */
export function roleForSubmit(config: JurisdictionConfig, p: Principal): string {
  const registrar = p.roles.find((r) => r === 'registrar' || config.roles[r]?.petitioner);
  return registrar ?? p.roles[0] ?? '';
}

/** The petitioner role a config names (`petitioner: true`). */
export function petitionerRoleOf(config: JurisdictionConfig): string {
  const found = Object.entries(config.roles).find(([, r]) => r.petitioner)?.[0];
  if (found === undefined) throw new Error(`config ${config.jurisdiction.id} names no petitioner role`);
  return found;
}

/**
 * The roles reports are open to: those asked for, each a staff role of the config, or by default
 * every staff role (neither the petitioner's nor the system's). A misnamed role fails at start-up,
 * not at the first report.
 */
export function reportRolesOf(config: JurisdictionConfig, asked?: readonly string[]): string[] {
  const staff = Object.entries(config.roles)
    .filter(([, r]) => !r.petitioner && !r.system)
    .map(([id]) => id);
  if (asked === undefined) return staff;
  const wrong = asked.filter((r) => !staff.includes(r));
  if (wrong.length > 0) {
    throw new Error(
      `reportRoles names ${wrong.join(', ')}, which ${wrong.length > 1 ? 'are' : 'is'} no staff role of ${config.jurisdiction.id}: use some of ${staff.join(', ')}`,
    );
  }
  return [...asked];
}

/** `If-Match: "3"` (or `W/"3"`, `3`) pins version 3; `*` or none pins nothing. */
export function expectedVersionOf(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '*') return undefined;
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(value.trim());
  if (!m)
    throw new HttpError(
      400,
      'PRECONDITION_INVALID',
      `If-Match must be a case version like "3", not ${value}`,
    );
  return Number(m[1]);
}

/** An `Idempotency-Key` header (1-200 visible characters), or undefined. */
export function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,200}$/.test(value)) {
    throw new HttpError(400, 'BAD_REQUEST', 'Idempotency-Key must be 1 to 200 visible ASCII characters');
  }
  return value;
}

export const etag = (version: number): string => `"${version}"`;
