/**
 * Runs the province's app on the system clock and a SQLite file:
 *
 *   node --conditions=@xinfang/source --import ./examples/ts-loader/register.mjs \
 *     examples/http-service/main.ts
 *
 * Environment: `PORT` (default 8080; 0 picks a free one), `XINFANG_DB` (default
 * `.xinfang/http-service.sqlite`; its identity key file beside it). It listens on 127.0.0.1.
 * SIGTERM or SIGINT stops it after the requests in flight.
 */

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { identityKeyFile, systemClock } from '@xinfang/core';
import { createSqliteStore } from '@xinfang/storage-sqlite';
import { loadJurisdiction } from '../shared/national.js';
import { createProvinceApp, EXAMPLE_SESSIONS } from './app.js';

const env = process.env;
const db = env.XINFANG_DB ?? '.xinfang/http-service.sqlite';
mkdirSync(dirname(db), { recursive: true });
const store = createSqliteStore({ path: db });
const { app } = await createProvinceApp({
  jurisdiction: loadJurisdiction(),
  store,
  // production reads real time here, and only here
  clock: systemClock(),
  identityKeys: identityKeyFile(`${db}.identity.key`),
  sessions: EXAMPLE_SESSIONS,
});
const url = await app.listen({ port: Number(env.PORT ?? 8080), host: '127.0.0.1' });
console.log(JSON.stringify({ event: 'listening', url }));

const stop = async () => {
  await app.close();
  await store.close();
  console.log(JSON.stringify({ event: 'stopped' }));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
