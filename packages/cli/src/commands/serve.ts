import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type CaseStore,
  createDispatcher,
  createEngine,
  type IdentityKeys,
  identityKeyFile,
  type JurisdictionConfig,
  systemClock,
  XinfangError,
} from '@xinfang/core';
import {
  type Authenticator,
  advisoryLeader,
  createHttpService,
  jwtAuthenticator,
  type Principal,
  staticTokenAuthenticator,
} from '@xinfang/http';
import { createWebhookNotifier } from '@xinfang/notify-webhook';
import { createSqliteStore } from '@xinfang/storage-sqlite';
import type { Command } from 'commander';
import { loadJurisdictionForRun, resolvePath } from '../context.js';
import type { CliIo } from '../io.js';
import { isPostgresUrl } from '../report/source.js';

/** Options of `xinfang serve`. */
export interface ServeOptions {
  db: string;
  schema?: string;
  config: string;
  port: string;
  host: string;
  tokens?: string;
  jwtIssuer?: string;
  jwtAudience?: string;
  jwks?: string;
  keyFile?: string;
  tickEvery: string;
  webhookUrl?: string;
}

/** The environment variable holding the webhook's HMAC secret: a secret never goes on a command line. */
export const WEBHOOK_SECRET_ENV = 'XINFANG_WEBHOOK_SECRET';

/** A running `xinfang serve`; `stopped` settles once a signal (or `stop`) closed it. */
export interface Serving {
  url: string;
  stop(): Promise<void>;
  stopped: Promise<void>;
}

async function openStore(
  io: CliIo,
  opts: ServeOptions,
): Promise<{ store: CaseStore; keys: IdentityKeys; pool?: unknown }> {
  if (isPostgresUrl(opts.db)) {
    if (!opts.keyFile)
      throw new XinfangError('CLI_USAGE', 'a PostgreSQL store needs --key-file (its identity secret)');
    const { createPostgresStore } = await import('@xinfang/storage-postgres');
    const store = await createPostgresStore({
      connectionString: opts.db,
      applicationName: 'xinfang-serve',
      ...(opts.schema ? { schema: opts.schema } : {}),
    });
    return { store, keys: identityKeyFile(resolvePath(io, opts.keyFile)), pool: store.pool };
  }
  if (opts.schema !== undefined)
    throw new XinfangError('CLI_USAGE', '--schema names a PostgreSQL schema: give --db a postgres:// URL');
  const path = resolvePath(io, opts.db);
  mkdirSync(dirname(path), { recursive: true });
  const keyFile = opts.keyFile ? resolvePath(io, opts.keyFile) : `${path}.identity.key`;
  return { store: createSqliteStore({ path }), keys: identityKeyFile(keyFile) };
}

/**
 * Development sign-on when none is given: a token per unit of the registry, staff in every staff
 * role there, written beside the store (`<db>.tokens.json`, new each start) and served on
 * loopback only.
 */
function devTokens(config: JurisdictionConfig): Record<string, Principal> {
  const staff = Object.entries(config.roles)
    .filter(([, r]) => !r.petitioner && !r.system)
    .map(([id]) => id);
  const out: Record<string, Principal> = {};
  for (const [unit, def] of Object.entries(config.units ?? {})) {
    out[`${unit}.${randomBytes(9).toString('base64url')}`] = {
      id: `dev-${unit}`,
      name: def.name,
      roles: staff,
      unit,
    };
  }
  return out;
}

function authenticators(
  io: CliIo,
  opts: ServeOptions,
  config: JurisdictionConfig,
): { list: Authenticator[]; note: string } {
  if (opts.jwtIssuer || opts.jwtAudience || opts.jwks) {
    if (!opts.jwtIssuer || !opts.jwtAudience || !opts.jwks) {
      throw new XinfangError(
        'CLI_USAGE',
        'JWT sign-on needs --jwt-issuer, --jwt-audience and --jwks together',
      );
    }
    const jwks = /^https?:\/\//.test(opts.jwks) ? { url: opts.jwks } : { file: resolvePath(io, opts.jwks) };
    return {
      list: [jwtAuthenticator({ issuer: opts.jwtIssuer, audience: opts.jwtAudience, jwks })],
      note: `JWT from ${opts.jwtIssuer}`,
    };
  }
  if (opts.tokens) {
    const table = JSON.parse(readFileSync(resolvePath(io, opts.tokens), 'utf8')) as Record<string, Principal>;
    return {
      list: [staticTokenAuthenticator(table)],
      note: `static tokens of ${opts.tokens} (loopback only)`,
    };
  }
  const table = devTokens(config);
  const file = isPostgresUrl(opts.db)
    ? resolvePath(io, '.xinfang/serve.tokens.json')
    : `${resolvePath(io, opts.db)}.tokens.json`;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(table, null, 2)}\n`, { mode: 0o600 });
  return {
    list: [staticTokenAuthenticator(table)],
    note: `development tokens, one per unit, in ${file} (loopback only)`,
  };
}

/** Starts the service; resolves once it listens. SIGTERM or SIGINT stops it after the work in flight. */
export async function serve(io: CliIo, opts: ServeOptions): Promise<Serving> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new XinfangError('CLI_USAGE', `--port must be 0 to 65535, not ${opts.port}`);
  const every = Number(opts.tickEvery);
  if (!Number.isFinite(every) || every < 1)
    throw new XinfangError('CLI_USAGE', `--tick-every must be at least 1 (seconds), not ${opts.tickEvery}`);
  const secret = process.env[WEBHOOK_SECRET_ENV];
  if (opts.webhookUrl && !secret)
    throw new XinfangError('CLI_USAGE', `--webhook-url needs the HMAC secret in ${WEBHOOK_SECRET_ENV}`);
  if (!isPostgresUrl(opts.db) && !existsSync(resolvePath(io, opts.db)))
    io.err(`no store at ${opts.db} yet: starting an empty one`);
  const { loaded, calendars } = loadJurisdictionForRun(io, opts.config);
  const auth = authenticators(io, opts, loaded.value);
  const { store, keys, pool } = await openStore(io, opts);
  const clock = systemClock();
  const engine = createEngine({
    configs: [loaded.value],
    store,
    clock,
    calendars,
    identityKeys: keys,
    owner: `serve-${process.pid}`,
  });
  // documents and notices leave through the webhook after each tick; without one they wait in
  // the outbox for whatever delivers them elsewhere (a worker beside the service)
  const webhook =
    opts.webhookUrl && secret ? createWebhookNotifier({ url: opts.webhookUrl, secret }) : undefined;
  const dispatcher = webhook
    ? createDispatcher({
        store,
        notifiers: { document: webhook, notification: webhook },
        clock,
        owner: `serve-${process.pid}`,
        // a delivered opinion records its receipt by the channel's rule in the config
        config: loaded.value,
        receipts: engine,
        onDead: (row, error) => io.err(`delivery ${row.id} dead-lettered: ${error}`),
      })
    : undefined;
  const leader = pool ? advisoryLeader(pool as Parameters<typeof advisoryLeader>[0]) : undefined;
  const service = await createHttpService({
    engine,
    config: loaded.value,
    store, // the reports read it
    authenticators: auth.list,
    clock,
    logger: { level: 'info', redact: ['req.headers.authorization', 'req.headers.cookie'] },
    ready: async () => {
      await store.query({ limit: 1 });
    },
    schedule: {
      everyMs: every * 1000,
      ...(dispatcher ? { dispatcher } : {}),
      ...(leader ? { leader: leader.leader } : {}),
      onError: (e) => io.err(`tick failed: ${String(e)}`),
    },
  });
  let url: string;
  try {
    url = await service.listen({ port, host: opts.host });
  } catch (e) {
    await service.close();
    await webhook?.close();
    await store.close();
    throw e;
  }
  io.out(
    `xinfang serves ${loaded.value.jurisdiction.name} at ${url}  (board ${url}/staff/board · petitioners ${url}/my · API ${url}/docs)`,
  );
  io.out(`sign-on: ${auth.note}`);
  if (opts.webhookUrl) io.out(`delivery: documents and notices to ${opts.webhookUrl} after each tick`);
  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((r) => {
    resolveStopped = r;
  });
  let stopping: Promise<void> | undefined;
  const onSignal = () => void stop();
  const stop = () => {
    stopping ??= (async () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      // the requests and the delivery round in flight finish first: a document handed to the
      // receiver is marked delivered before the store closes
      await service.close();
      await webhook?.close();
      await leader?.release();
      await store.close();
      resolveStopped();
    })();
    return stopping;
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return { url, stop, stopped };
}

/** `xinfang serve`. */
export function register(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description(
      "serve the engine over HTTP: the API, /openapi.json, /docs, the three-colour board and the petitioner's page",
    )
    .option('--db <file|url>', 'SQLite file, or a postgres:// URL', '.xinfang/demo.sqlite')
    .option('--schema <name>', 'PostgreSQL schema')
    .option('--config <file>', 'jurisdiction config', 'configs/national.yaml')
    .option('--port <n>', 'port (0: any free one)', '8080')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--tokens <file>', 'static token table (JSON: token → { id, roles, unit }), loopback only')
    .option('--jwt-issuer <iss>', 'accept bearer JWTs from this issuer')
    .option('--jwt-audience <aud>', 'audience the JWTs must name')
    .option('--jwks <file|url>', 'JWKS with the keys JWTs are signed with')
    .option(
      '--key-file <file>',
      "the store's identity key file (default: <db>.identity.key beside a SQLite file)",
    )
    .option('--tick-every <seconds>', 'seconds between deadline ticks', '60')
    .option(
      '--webhook-url <url>',
      `deliver documents and notices to this webhook after each tick (HMAC secret in ${WEBHOOK_SECRET_ENV})`,
    )
    .action(async (opts: ServeOptions) => {
      const running = await serve(io, opts);
      await running.stopped;
    });
}
