/**
 * The service: a fastify plugin (`xinfangRoutes`) an existing fastify app registers, and
 * `createHttpService`, a fastify app that holds only it, with listen and graceful close.
 *
 * Bodies are JSON (and URL-encoded forms for the pages); the service checks only their envelope
 * with Ajv 2020 (`x-envelope` of a route's body schema), while the schema itself, the config's own,
 * documents the route in `/openapi.json`. Querystrings and parameters are checked whole.
 */

import { randomUUID } from 'node:crypto';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { CaseStore, Clock, Engine, JurisdictionConfig, VerifyKey } from '@xinfang/core';
import { Ajv2020 } from 'ajv/dist/2020.js';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { caseRoutes, commandRoutes, documentRoutes } from './api.js';
import { type Authenticator, isLoopback } from './auth.js';
import { boardRoutes } from './board.js';
import { petitionerRoleOf, type RouteContext, reportRolesOf } from './context.js';
import { HttpError, problemOf } from './errors.js';
import { pageRoutes } from './pages.js';
import { petitionerRoutes } from './petitioner.js';
import { reportRoutes } from './reports.js';
import { type Scheduler, type SchedulerOptions, startScheduler } from './scheduler.js';
import { petitionComponents } from './schemas.js';
import { createSessions } from './session.js';

/** Options of the routes. */
export interface XinfangRoutesOptions {
  engine: Engine;
  /** The config the service describes (its form, commands, names); cases of other versions still run. */
  config: JurisdictionConfig;
  /** Tried in order; the first that signs the request on wins. */
  authenticators: Authenticator[];
  /** Token expiry, session cookies. Core reads no clock of its own; neither does the service. */
  clock: Clock;
  /** 32 bytes shared by every instance (sessions are cookies sealed with it). @default random per process */
  sessionSecret?: Uint8Array;
  /** Mark cookies `Secure` (the service is behind HTTPS). @default false */
  secureCookies?: boolean;
  /** The key seals are checked with (`/cases/:id/documents/:seq/:documentId/verify`). */
  verifyKey?: VerifyKey;
  /**
   * The store the engine writes: the reports (`/reports/*`) read the cases' facts from it, each
   * report over the cases its caller may read. Absent: the reports answer 501.
   */
  store?: CaseStore;
  /**
   * The roles that may read reports. A petitioner never may.
   * @default every staff role of the config
   */
  reportRoles?: readonly string[];
  /** Readiness: resolves when the store answers. @default always ready */
  ready?: () => Promise<void>;
  /** Title of the OpenAPI document. @default the config's jurisdiction name */
  title?: string;
  /** Filled with every route the plugin registers (a check that each is documented). */
  routeTable?: RouteEntry[];
}

/** A registered route. */
export interface RouteEntry {
  method: string;
  url: string;
  /** In `/openapi.json` (pages, the document itself and `/docs` are not). */
  documented: boolean;
}

const ajv = new Ajv2020({ strict: false, allErrors: false, coerceTypes: 'array', useDefaults: true });

type Schema = Record<string, unknown>;

function validatorFor({ schema, httpPart }: { schema: Schema; httpPart?: string }) {
  const target =
    httpPart === 'body' && schema['x-envelope'] !== undefined ? (schema['x-envelope'] as Schema) : schema;
  const check = httpPart === 'body' ? new Ajv2020({ strict: false }).compile(target) : ajv.compile(target);
  return (data: unknown) =>
    check(data)
      ? { value: data }
      : { error: new HttpError(400, 'BAD_REQUEST', describe(check.errors, httpPart)) };
}

function describe(
  errors: { instancePath: string; message?: string }[] | null | undefined,
  part?: string,
): string {
  const first = errors?.[0];
  return first
    ? `${part ?? 'request'}${first.instancePath}: ${first.message ?? 'is invalid'}`
    : `${part} is invalid`;
}

/** The health, readiness and document routes. */
function serviceRoutes(app: FastifyInstance, options: XinfangRoutesOptions, state: { closing: boolean }) {
  app.get('/health', { schema: { tags: ['service'], summary: 'The process is up' } }, async () => ({
    status: 'ok',
  }));
  app.get(
    '/ready',
    { schema: { tags: ['service'], summary: 'The service takes requests (its store answers)' } },
    async () => {
      if (state.closing) throw new HttpError(503, 'SHUTTING_DOWN', 'the service is shutting down');
      try {
        await options.ready?.();
      } catch {
        throw new HttpError(503, 'NOT_READY', 'the store does not answer');
      }
      return { status: 'ready' };
    },
  );
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

/** The routes of the service, as a fastify plugin: `app.register(xinfangRoutes, options)`. */
export async function xinfangRoutes(app: FastifyInstance, options: XinfangRoutesOptions): Promise<void> {
  const state = { closing: false };
  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    for (const method of methods) {
      options.routeTable?.push({
        method,
        url: r.url,
        documented: !(r.schema as { hide?: boolean } | undefined)?.hide,
      });
    }
  });
  app.addHook('onClose', async () => {
    state.closing = true;
  });
  const ctx: RouteContext = {
    engine: options.engine,
    config: options.config,
    authenticators: options.authenticators,
    clock: options.clock,
    sessions: createSessions({
      clock: options.clock,
      ...(options.sessionSecret ? { secret: options.sessionSecret } : {}),
      ...(options.secureCookies ? { secure: true } : {}),
    }),
    petitionerRole: petitionerRoleOf(options.config),
    reportRoles: reportRolesOf(options.config, options.reportRoles),
    base: app.prefix,
    ...(options.verifyKey ? { verifyKey: options.verifyKey } : {}),
    ...(options.store ? { store: options.store } : {}),
  };
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: options.title ?? `${options.config.jurisdiction.name} 信访事项办理服务`,
        version: options.config.jurisdiction.version,
      },
      components: {
        schemas: petitionComponents(options.config) as never,
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
      security: [{ bearer: [] }],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.setValidatorCompiler(validatorFor);
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 65_536 },
    (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    },
  );
  app.setErrorHandler((e, req, reply) => {
    const p = problemOf(e);
    if (p.status >= 500 && p.code === 'INTERNAL') req.log.error({ err: e }, 'request failed');
    return reply
      .code(p.status)
      .type('application/problem+json')
      .send({ ...p, instance: req.url });
  });
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .type('application/problem+json')
      .send({
        ...problemOf(new HttpError(404, 'NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`)),
        instance: req.url,
      }),
  );
  serviceRoutes(app, options, state);
  commandRoutes(app, ctx);
  caseRoutes(app, ctx);
  documentRoutes(app, ctx);
  boardRoutes(app, ctx);
  reportRoutes(app, ctx);
  petitionerRoutes(app, ctx);
  pageRoutes(app, ctx);
}

/** Options of {@link createHttpService}. */
export interface HttpServiceOptions extends XinfangRoutesOptions {
  /** fastify's logger (pino); requests are logged without bodies or personal data. @default false */
  logger?: FastifyServerOptions['logger'];
  /** Largest body accepted. @default 1 MiB */
  bodyLimit?: number;
  /** Deadline ticks and outbox delivery on a schedule (absent: none run in the service). */
  schedule?: Omit<SchedulerOptions, 'engine'>;
}

/** A running service. */
export interface HttpService {
  app: FastifyInstance;
  /** Every route of the service. */
  routes: readonly RouteEntry[];
  /** Listens; with a loopback-only authenticator, refuses any host but loopback. Returns the URL. */
  listen(options?: { port?: number; host?: string }): Promise<string>;
  /** The schedule, when the options gave one. */
  scheduler?: Scheduler;
  /**
   * Stops: no new round of the schedule and no new request (503); the round and the requests in
   * flight finish first.
   */
  close(): Promise<void>;
}

/** A fastify app holding only the service's routes. */
export async function createHttpService(options: HttpServiceOptions): Promise<HttpService> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 1_048_576,
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  const routes: RouteEntry[] = [];
  await app.register(xinfangRoutes, { ...options, routeTable: routes });
  await app.ready();
  const scheduler = options.schedule
    ? startScheduler({ ...options.schedule, engine: options.engine })
    : undefined;
  return {
    app,
    routes,
    ...(scheduler ? { scheduler } : {}),
    async listen({ port = 0, host = '127.0.0.1' } = {}) {
      const loopbackOnly = options.authenticators.find((a) => a.loopbackOnly);
      if (loopbackOnly && !isLoopback(host)) {
        throw new Error(
          `the ${loopbackOnly.name} authenticator is for development: listen on 127.0.0.1, not ${host}`,
        );
      }
      return app.listen({ port, host });
    },
    async close() {
      await Promise.all([scheduler?.stop(), app.close()]);
    },
  };
}
