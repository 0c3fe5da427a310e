/**
 * A fastify app the province already runs, with its own routes and its own users, that embeds
 * xinfang's HTTP service under `/xinfang`: `app.register(xinfangRoutes, { prefix, ... })`. The
 * routes, their OpenAPI document (`/xinfang/openapi.json`, `/xinfang/docs`), the board and the
 * petitioner's page come from `@xinfang/http`; what stays here is the province's sign-on.
 */

import {
  type CaseStore,
  type Clock,
  createDocumentIssuer,
  createEngine,
  type Engine,
  type IdentityKeys,
} from '@xinfang/core';
import { type Authenticator, bearerToken, type Principal, xinfangRoutes } from '@xinfang/http';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Jurisdiction } from '../shared/national.js';

/** A user as the province's own directory knows them: its role names, its department codes. */
export interface ProvinceUser {
  id: string;
  name: string;
  role: '窗口登记员' | '业务处室经办人' | '分管领导' | '群众';
  department?: string;
}

/** The province's roles → the config's roles (the first reads), and its departments → units. */
const ROLES: Readonly<Record<ProvinceUser['role'], string[]>> = {
  窗口登记员: ['registrar', 'acceptor'],
  业务处室经办人: ['acceptor', 'handler'],
  分管领导: ['head'],
  群众: ['petitioner'],
};
const UNITS: Readonly<Record<string, string>> = { 'XF-0121': 'county-bureau', 'ZJ-0121': 'county-housing' };

/**
 * The province's sign-on as an authenticator: here a session token of its own table, standing in
 * for its real single sign-on. The engine gets a principal in the config's terms.
 */
export function provinceSignOn(sessions: Readonly<Record<string, ProvinceUser>>): Authenticator {
  return {
    name: 'province-sessions',
    async authenticate(req) {
      const token = bearerToken(req);
      const user = token === undefined ? undefined : sessions[token];
      if (!user) return undefined;
      const unit = user.department === undefined ? undefined : UNITS[user.department];
      const principal: Principal = { id: user.id, name: user.name, roles: ROLES[user.role] };
      return unit === undefined ? principal : { ...principal, unit };
    },
  };
}

/** Options of {@link createProvinceApp}. */
export interface ProvinceAppOptions {
  jurisdiction: Jurisdiction;
  store: CaseStore;
  clock: Clock;
  identityKeys: IdentityKeys;
  sessions: Readonly<Record<string, ProvinceUser>>;
}

/** The province's app: its own routes, and xinfang's under `/xinfang`. */
export async function createProvinceApp(
  options: ProvinceAppOptions,
): Promise<{ app: FastifyInstance; engine: Engine }> {
  const { jurisdiction, store, clock } = options;
  const engine = createEngine({
    configs: [jurisdiction.loaded.value],
    store,
    clock,
    calendars: jurisdiction.calendars,
    identityKeys: options.identityKeys,
    documents: createDocumentIssuer({ store, templates: jurisdiction.loaded.templates }),
  });
  const app = Fastify({ logger: false });
  // a route the app had before xinfang
  app.get('/directory/departments', async () => ({ departments: Object.keys(UNITS) }));
  await app.register(xinfangRoutes, {
    prefix: '/xinfang',
    engine,
    config: jurisdiction.loaded.value,
    store, // the reports (`/xinfang/reports/*`) read it
    clock,
    authenticators: [provinceSignOn(options.sessions)],
  });
  return { app, engine };
}

/** Example sessions; never ship a table like this. */
export const EXAMPLE_SESSIONS: Readonly<Record<string, ProvinceUser>> = {
  'session-window': { id: 'u-1001', name: '李登记', role: '窗口登记员', department: 'XF-0121' },
  'session-housing': { id: 'u-2001', name: '赵经办', role: '业务处室经办人', department: 'ZJ-0121' },
  'session-citizen': { id: 'c-7001', name: '王五', role: '群众' },
};
