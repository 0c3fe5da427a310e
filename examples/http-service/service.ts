/**
 * An existing HTTP service (plain `node:http`) that embeds xinfang: its users file petitions
 * and move cases through the procedure with their own accounts and roles.
 *
 *   POST /petitions               register a petition (the body is the petition)
 *   POST /cases/:id/commands      send a command `{ type, payload }`; `If-Match: "<version>"`
 *                                 refuses it if the case moved on; `Idempotency-Key` makes a
 *                                 retry safe
 *   GET  /cases/:id               the case as this user may see it, and the commands they may send
 *   GET  /cases/:id/history       its events
 *   GET  /cases?stage=&colour=&unit=&state=&after=&limit=   staff's board
 *
 * Every request carries `Authorization: Bearer <token>`. The engine does the procedure; this
 * file only translates HTTP and users into engine calls and back.
 */

import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type CaseQuery,
  type CaseStore,
  type CaseView,
  type Clock,
  createDocumentIssuer,
  createEngine,
  type Engine,
  type IdentityKeys,
  type Sealer,
} from '@xinfang/core';
import type { Jurisdiction } from '../shared/national.js';
import { errorResponse, ServiceError } from './errors.js';
import { actorFor, ROLE_MAP, roleForCommand, roleForSubmit, type ServiceUser } from './roles.js';

/** Options of {@link createPetitionService}. */
export interface PetitionServiceOptions {
  jurisdiction: Jurisdiction;
  store: CaseStore;
  /** The engine's only time source: `systemClock()` in production, a `ManualClock` in tests. */
  clock: Clock;
  /** Users by bearer token (the service's sign-on, see `EXAMPLE_USERS`). */
  users: Readonly<Record<string, ServiceUser>>;
  /** Seals each issued document. Absent: documents are rendered and numbered, not sealed. */
  sealer?: Sealer;
  /** The store's identity key secret (`identityKeyFile` beside the database): no ID number is stored in clear. */
  identityKeys: IdentityKeys;
  /** Where unexpected errors are reported. @default console.error */
  log?: (message: string) => void;
}

/** The service: its engine, its request listener, and a way to listen on a port. */
export interface PetitionService {
  engine: Engine;
  /** The request listener, to mount in a server the service already runs. */
  listener: RequestListener;
  /** Listens on `port` (0: any free port) of `host`. */
  listen(port?: number, host?: string): Promise<{ url: string; close(): Promise<void> }>;
}

/** Requests larger than this are refused: a petition with attachments goes by reference. */
const MAX_BODY = 1_048_576;

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const etag = (version: number) => `"${version}"`;

/** `If-Match: "3"` (or `W/"3"`, or `3`) is version 3; `*` or no header pins nothing. */
function expectedVersionOf(req: IncomingMessage): number | undefined {
  const header = req.headers['if-match'];
  if (header === undefined || header.trim() === '*') return undefined;
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (!m)
    throw new ServiceError(400, 'BAD_REQUEST', `If-Match must be a case version like "3", not ${header}`);
  return Number(m[1]);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY)
      throw new ServiceError(413, 'PAYLOAD_TOO_LARGE', `the body exceeds ${MAX_BODY} bytes`);
    chunks.push(chunk);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ServiceError(400, 'BAD_REQUEST', 'the body must be a JSON object');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ServiceError(400, 'BAD_REQUEST', 'the body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** One query parameter as a `CaseQuery` filter: absent, one value, or several (`?stage=a&stage=b`). */
function filter(params: URLSearchParams, name: string): string | string[] | undefined {
  const values = params.getAll(name);
  return values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
}

/** Creates the service over a store; nothing listens until `listen` (or you mount `listener`). */
export function createPetitionService(options: PetitionServiceOptions): PetitionService {
  const { jurisdiction, store, clock, users } = options;
  const log = options.log ?? ((message: string) => console.error(message));
  const config = jurisdiction.loaded.value;
  const engine = createEngine({
    configs: [config],
    store,
    clock,
    calendars: jurisdiction.calendars,
    identityKeys: options.identityKeys,
    // documents are rendered, numbered and sealed as a step issues them; the worker delivers them
    documents: createDocumentIssuer({
      store,
      templates: jurisdiction.loaded.templates,
      ...(options.sealer ? { sealer: options.sealer } : {}),
    }),
  });

  function authenticate(req: IncomingMessage): ServiceUser {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const user = m?.[1] === undefined ? undefined : users[m[1]];
    if (!user) throw new ServiceError(401, 'UNAUTHENTICATED', 'send Authorization: Bearer <your token>');
    return user;
  }

  /**
   * Reads a case for the user. The engine scopes every read: the public see only their own cases,
   * staff those their unit is involved in; any other looks like no case at all (404).
   */
  async function visibleCase(caseId: string, user: ServiceUser): Promise<CaseView> {
    return engine.get(caseId, actorFor(user));
  }

  /** The commands the user may send now, in any of their xinfang roles. */
  async function allowedFor(caseId: string, user: ServiceUser): Promise<string[]> {
    const all = new Set<string>();
    for (const role of ROLE_MAP[user.role]) {
      for (const c of await engine.allowedCommands(caseId, actorFor(user, role))) all.add(c);
    }
    return [...all].sort();
  }

  type Handler = (req: IncomingMessage, user: ServiceUser, url: URL, caseId: string) => Promise<Answer>;

  const submitPetition: Handler = async (req, user) => {
    const petition = await readJson(req);
    const key = req.headers['idempotency-key'];
    const result = await engine.submit(petition, actorFor(user, roleForSubmit(user)), {
      ...(typeof key === 'string' ? { idempotencyKey: key } : {}),
    });
    return {
      status: 201,
      body: result,
      headers: { location: `/cases/${encodeURIComponent(result.caseId)}`, etag: etag(result.version) },
    };
  };

  // the engine lists only what the user may read: the public their own cases, staff their unit's
  const listCases: Handler = async (_req, user, url) => {
    const p = url.searchParams;
    const limit = p.get('limit');
    if (limit !== null && !/^(?:[1-9]\d?|100)$/.test(limit)) {
      throw new ServiceError(400, 'BAD_REQUEST', 'limit must be a whole number from 1 to 100');
    }
    const query: CaseQuery = {};
    for (const name of ['stage', 'colour', 'state'] as const) {
      const value = filter(p, name);
      if (value !== undefined) query[name] = value;
    }
    if (p.has('unit')) query.unit = p.get('unit') as string;
    if (p.has('after')) query.after = p.get('after') as string;
    if (limit !== null) query.limit = Number(limit);
    return { status: 200, body: await engine.query(query, actorFor(user)) };
  };

  const showCase: Handler = async (_req, user, _url, caseId) => {
    const view = await visibleCase(caseId, user);
    return {
      status: 200,
      body: { ...view, allowedCommands: await allowedFor(caseId, user) },
      headers: { etag: etag(view.version) },
    };
  };

  const showHistory: Handler = async (_req, user, _url, caseId) => {
    await visibleCase(caseId, user);
    return { status: 200, body: await engine.history(caseId, actorFor(user)) };
  };

  const sendCommand: Handler = async (req, user, _url, caseId) => {
    const expectedVersion = expectedVersionOf(req);
    const { type, payload } = await readJson(req);
    if (typeof type !== 'string') throw new ServiceError(400, 'BAD_REQUEST', 'a command needs a type');
    if (
      payload !== undefined &&
      (payload === null || typeof payload !== 'object' || Array.isArray(payload))
    ) {
      throw new ServiceError(400, 'BAD_REQUEST', 'a command payload must be a JSON object');
    }
    // the engine refuses a command on a case the user may not read as if it did not exist
    const key = req.headers['idempotency-key'];
    const result = await engine.send(
      caseId,
      { type, ...(payload ? { payload: payload as Record<string, unknown> } : {}) },
      actorFor(user, roleForCommand(config, user, type)),
      {
        ...(expectedVersion !== undefined ? { expectedVersion } : {}),
        ...(typeof key === 'string' ? { idempotencyKey: key } : {}),
      },
    );
    return { status: 200, body: result, headers: { etag: etag(result.version) } };
  };

  const routes: Readonly<Record<string, Handler>> = {
    'POST /petitions': submitPetition,
    'GET /cases': listCases,
    'GET /cases/:id': showCase,
    'GET /cases/:id/history': showHistory,
    'POST /cases/:id/commands': sendCommand,
  };

  async function route(req: IncomingMessage): Promise<Answer> {
    const user = authenticate(req);
    const url = new URL(req.url ?? '/', 'http://service');
    const segments = url.pathname.split('/').filter(Boolean);
    let caseId = '';
    try {
      caseId = decodeURIComponent(segments[1] ?? '');
    } catch {
      throw new ServiceError(400, 'BAD_REQUEST', `${url.pathname} is not a well-formed path`);
    }
    const pattern = segments.map((s, i) => (i === 1 ? ':id' : s)).join('/');
    const handler = routes[`${req.method} /${pattern}`];
    if (!handler) throw new ServiceError(404, 'NOT_FOUND', `no route ${req.method} ${url.pathname}`);
    return handler(req, user, url, caseId);
  }

  const listener: RequestListener = (req: IncomingMessage, res: ServerResponse) => {
    route(req)
      .catch((e: unknown): Answer => {
        const { status, body } = errorResponse(e);
        if (status === 500)
          log(`${req.method} ${req.url}: ${e instanceof Error ? (e.stack ?? e.message) : e}`);
        return { status, body };
      })
      .then(({ status, body, headers }) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(JSON.stringify(body));
      });
  };

  return {
    engine,
    listener,
    async listen(port = 0, host = '127.0.0.1') {
      const server = createServer(listener);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, resolve);
      });
      const { port: bound } = server.address() as AddressInfo;
      return {
        url: `http://${host}:${bound}`,
        close: () =>
          new Promise<void>((resolve, reject) => {
            server.closeIdleConnections();
            server.close((e) => (e ? reject(e) : resolve()));
          }),
      };
    },
  };
}
