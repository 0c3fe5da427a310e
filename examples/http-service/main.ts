/**
 * Runs the example service on the system clock and a SQLite file:
 *
 *   node --conditions=@xinfang/source --import ./examples/ts-loader/register.mjs \
 *     examples/http-service/main.ts
 *
 * Environment: `PORT` (default 8080; 0 picks a free one), `HOST` (default 127.0.0.1),
 * `XINFANG_DB` (default `.xinfang/http-service.sqlite`), `XINFANG_IDENTITY_KEY` (the store's
 * identity key file, default `<XINFANG_DB>.identity.key`, made on first use), `XINFANG_CONFIG` (default
 * `configs/national.yaml`), `XINFANG_SEAL_KEY` (a PKCS#8 PEM file with the Ed25519 key that
 * seals documents; without it documents are not sealed). SIGTERM or SIGINT stops it after the
 * requests in flight.
 */

import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createEd25519Sealer, identityKeyFile, systemClock } from '@xinfang/core';
import { createSqliteStore } from '@xinfang/storage-sqlite';
import { loadJurisdiction } from '../shared/national.js';
import { EXAMPLE_USERS } from './roles.js';
import { createPetitionService } from './service.js';

const env = process.env;
const db = env.XINFANG_DB ?? '.xinfang/http-service.sqlite';
mkdirSync(dirname(db), { recursive: true });
const store = createSqliteStore({ path: db });
const service = createPetitionService({
  jurisdiction: loadJurisdiction(env.XINFANG_CONFIG),
  store,
  // the store's identity key secret, made beside it on first use (back it up with the database)
  identityKeys: identityKeyFile(env.XINFANG_IDENTITY_KEY ?? `${db}.identity.key`),
  // production reads real time here, and only here
  clock: systemClock(),
  users: EXAMPLE_USERS,
  ...(env.XINFANG_SEAL_KEY
    ? { sealer: createEd25519Sealer({ privateKey: readFileSync(env.XINFANG_SEAL_KEY, 'utf8') }) }
    : {}),
});
const server = await service.listen(Number(env.PORT ?? 8080), env.HOST ?? '127.0.0.1');
console.log(JSON.stringify({ event: 'listening', url: server.url }));

const stop = async () => {
  await server.close();
  await store.close();
  console.log(JSON.stringify({ event: 'stopped' }));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
