/**
 * A small TCP proxy on 127.0.0.1 for outage tests: put it in front of a real server (an HTTP
 * receiver, RabbitMQ) and switch it to refuse or hang connections, then back. Outages are
 * made here, never by stopping a shared server.
 */

import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * `pass`: forward both ways. `refuse`: close each new connection at once (the client sees a
 * reset). `hang`: accept and never answer (the client times out). `drop-replies`: forward to
 * the server but drop its answers (the server acts, the client never hears: at-least-once
 * delivery then repeats a message the receiver already has).
 */
export type ProxyMode = 'pass' | 'refuse' | 'hang' | 'drop-replies';

export interface TcpProxy {
  readonly host: string;
  readonly port: number;
  readonly mode: ProxyMode;
  /** Connections accepted so far (each attempt, in any mode). */
  readonly accepted: number;
  /**
   * Switches the mode. `refuse` and `hang` also cut the connections already open (a broker
   * connection held across the outage breaks, as it would in a real one); `drop-replies`
   * keeps them, silencing their answers. @default cut true
   */
  setMode(mode: ProxyMode, options?: { cut?: boolean }): void;
  /** Cuts every open connection now, whatever the mode. */
  cutAll(): void;
  close(): Promise<void>;
}

/** Starts a proxy to `target` on 127.0.0.1 (a free port unless `port` is given). */
export async function startTcpProxy(options: {
  target: { host?: string; port: number };
  port?: number;
}): Promise<TcpProxy> {
  const targetHost = options.target.host ?? '127.0.0.1';
  let mode: ProxyMode = 'pass';
  let accepted = 0;
  const open = new Set<Socket>();
  const track = (s: Socket) => {
    open.add(s);
    s.on('close', () => open.delete(s));
    // a reset on one side is the point of the exercise, not a crash
    s.on('error', () => s.destroy());
  };

  const server: Server = createServer((client) => {
    accepted++;
    track(client);
    if (mode === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    if (mode === 'hang') return;
    const upstream = createConnection({ host: targetHost, port: options.target.port });
    track(upstream);
    // chunk by chunk, so a mode switched mid-connection takes effect on the next chunk
    client.on('data', (chunk) => {
      if (mode !== 'hang') upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (mode === 'pass') client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const cutAll = () => {
    for (const s of open) s.resetAndDestroy();
    open.clear();
  };

  return {
    host: '127.0.0.1',
    port,
    get mode() {
      return mode;
    },
    get accepted() {
      return accepted;
    },
    setMode(next, { cut = true } = {}) {
      mode = next;
      if ((next === 'refuse' || next === 'hang') && cut) cutAll();
    },
    cutAll,
    close: () =>
      new Promise<void>((resolve) => {
        cutAll();
        server.close(() => resolve());
      }),
  };
}
