import { type ErrorDetails, StoreError, XinfangError } from '@xinfang/core';

/** How to start the server on the hosts xinfang is developed and tested on (Debian's packaging). */
export const START_HINT = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';

/**
 * The PostgreSQL server could not be reached (refused, timed out, unknown host, shut down). Says
 * which URL was tried, without its password, and how to start a local server. The operation may
 * be retried once the server is up.
 */
export class StoreUnreachableError extends StoreError {
  static override readonly brand: string = 'StoreUnreachableError';

  override readonly code = 'STORE_UNREACHABLE';
  declare readonly details: Readonly<ErrorDetails['STORE_UNREACHABLE']>;

  constructor(details: ErrorDetails['STORE_UNREACHABLE'], options?: ErrorOptions) {
    super(
      `cannot reach PostgreSQL at ${details.url} (${details.reason}). Is the server running? ` +
        `Start it (on a Debian host: ${START_HINT}), or point connectionString or DATABASE_URL ` +
        'at a server that is up.',
      details,
      options,
    );
  }
}

// Socket-level failures: the server is not there, or went away.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ENOENT', // a Unix socket path with no server behind it
]);
// SQLSTATEs that mean "not now" rather than "not this": shutting down, starting up, and the
// connection-exception class 08.
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03']);

/** True when `e` says the server cannot be reached, as opposed to refusing what was asked. */
export function isUnreachable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08')) return true;
  }
  // pg reports a connect timeout and a dropped connection by message only.
  return /connection timeout|timeout expired|Connection terminated/i.test(e.message);
}

/** The socket error's code, or the first line of the message. */
export function reasonOf(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = (e as { code?: unknown }).code;
  const message = e.message.split('\n')[0] ?? '';
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}

/** `connectionString` with its password (in the URL or as `password=`) replaced by nothing. */
export function redactUrl(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    url.password = '';
    url.searchParams.delete('password');
    return url.toString();
  } catch {
    // A libpq keyword string (`host=... password=...`).
    return connectionString.replace(/password\s*=\s*('[^']*'|\S+)/gi, 'password=***');
  }
}

/** A description of where a caller's pool connects, without its password. */
export function describePool(options: {
  connectionString?: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
}): string {
  if (options.connectionString) return redactUrl(options.connectionString);
  const user = options.user ? `${encodeURIComponent(options.user)}@` : '';
  return `postgres://${user}${options.host ?? 'localhost'}:${options.port ?? 5432}/${options.database ?? ''}`;
}

/** Keeps xinfang's own errors; wraps anything else from the backend as a `StoreError`. */
export function toStoreError(e: unknown, url: string, schema: string): XinfangError {
  if (e instanceof XinfangError) return e;
  if (isUnreachable(e)) return new StoreUnreachableError({ url, reason: reasonOf(e) }, { cause: e });
  const sqlState = (e as { code?: unknown }).code;
  if (sqlState === '42P01' || sqlState === '3F000') {
    return new StoreError(
      `the xinfang tables are missing in schema ${schema} at ${url}: migrate it ` +
        '(createPostgresStore with migrate: true, or store.migrate())',
      { url, schema, sqlState },
      { cause: e },
    );
  }
  return new StoreError(
    `PostgreSQL store failed: ${reasonOf(e)}`,
    typeof sqlState === 'string' ? { sqlState, url } : { url },
    { cause: e },
  );
}
