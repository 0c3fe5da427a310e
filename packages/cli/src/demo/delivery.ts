/**
 * The demo's delivery: an Ed25519 seal and a webhook receiver, both made up on the spot.
 *
 * A demo is not a production path. Here the demo generates the seal's key pair and the
 * webhook's HMAC secret itself, because there is no embedding system to supply them; a real
 * deployment loads both from its own key store (core never generates a key).
 */

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEd25519Sealer, type JsonObject, type Sealer } from '@xinfang/core';
import {
  createWebhookNotifier,
  IDEMPOTENCY_HEADER,
  SIGNATURE_HEADER,
  verifyWebhookSignature,
} from '@xinfang/notify-webhook';

/** A key pair for this run only: its public half is printed so the notice can be checked. */
export function demoSealer(): { sealer: Sealer; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    sealer: createEd25519Sealer({ privateKey, publicKey }),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

/** What the province's own system received: one entry per idempotency key. */
export interface DemoReceiver {
  url: string;
  /** Messages by idempotency key (a repeat replaces nothing). */
  received: Map<string, JsonObject>;
  /** Requests whose signature header did not verify (refused with 401). */
  badSignatures: number;
  /** Requests that repeated a key already received (acknowledged, not stored again). */
  duplicates: number;
  close(): Promise<void>;
}

const bodyOf = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/**
 * A receiver on 127.0.0.1 (an ephemeral port) standing in for a province's information
 * system: checks each request's HMAC signature against the raw body and drops repeats by key.
 */
export async function startReceiver(secret: Buffer): Promise<DemoReceiver> {
  const state = { badSignatures: 0, duplicates: 0 };
  const received = new Map<string, JsonObject>();
  const server: Server = createServer((req, res) => {
    bodyOf(req).then(
      (raw) => {
        if (!verifyWebhookSignature(raw, req.headers[SIGNATURE_HEADER.toLowerCase()] as string, secret)) {
          state.badSignatures++;
          res.writeHead(401).end('bad signature');
          return;
        }
        const key = String(req.headers[IDEMPOTENCY_HEADER.toLowerCase()] ?? '');
        if (received.has(key)) state.duplicates++;
        else received.set(key, JSON.parse(raw.toString('utf8')) as JsonObject);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      },
      () => res.writeHead(400).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/xinfang`,
    received,
    get badSignatures() {
      return state.badSignatures;
    },
    get duplicates() {
      return state.duplicates;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

/** The receiver, and a webhook notifier posting to it, under a fresh secret. */
export async function demoWebhook() {
  const secret = randomBytes(32);
  const receiver = await startReceiver(secret);
  const notifier = createWebhookNotifier({ url: receiver.url, secret });
  return { receiver, notifier };
}
