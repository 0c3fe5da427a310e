import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ephemeralIdentityKeys, ManualClock } from '@xinfang/core';
import { createSqliteStore, type SqliteStore } from '@xinfang/storage-sqlite';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadJurisdiction } from '../shared/national.js';
import { spawnTs } from '../shared/spawn-ts.js';
import { createProvinceApp, EXAMPLE_SESSIONS } from './app.js';

const PETITION = {
  channel: 'online',
  receivedAt: '2026-03-02',
  receivingUnit: 'county-bureau',
  petitioner: {
    name: '王五',
    idNumber: '110101197003030303',
    phone: '13700000000',
    address: '示范县新村 3 栋',
  },
  subject: 'housing',
  summary: '小区加装电梯审批未公示',
  request: '撤销加装电梯审批',
  respondentUnit: 'county-housing',
};

let dir: string;
let store: SqliteStore;
let app: FastifyInstance;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xinfang-example-'));
  store = createSqliteStore({ path: join(dir, 'cases.sqlite') });
  ({ app } = await createProvinceApp({
    jurisdiction: loadJurisdiction(),
    store,
    clock: new ManualClock('2026-03-02T09:00:00+08:00'),
    identityKeys: ephemeralIdentityKeys('example'),
    sessions: EXAMPLE_SESSIONS,
  }));
});
afterEach(async () => {
  await app.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const as = (session: string) => ({ authorization: `Bearer ${session}` });

describe('a fastify app embedding @xinfang/http', () => {
  it("keeps its own routes and serves xinfang's under /xinfang, signed on by its own sessions", async () => {
    expect((await app.inject({ url: '/directory/departments' })).json()).toEqual({
      departments: ['XF-0121', 'ZJ-0121'],
    });
    const filed = await app.inject({
      method: 'POST',
      url: '/xinfang/petitions',
      headers: as('session-citizen'),
      payload: PETITION,
    });
    expect(filed.statusCode).toBe(201);
    const id = filed.json().caseId as string;
    const moved = await app.inject({
      method: 'POST',
      url: `/xinfang/cases/${id}/commands`,
      headers: { ...as('session-window'), 'if-match': '"1"' },
      payload: { type: 'TRANSFER', payload: { unit: 'county-housing' } },
    });
    expect(moved.json()).toMatchObject({ state: 'transferred', responsibleUnit: 'county-housing' });
    const offered = await app.inject({
      url: `/xinfang/cases/${id}/commands`,
      headers: as('session-housing'),
    });
    expect(offered.json().commands).toContain('ACCEPT');
    // the citizen reads their own case; the engine's refusals arrive as problems
    const refused = await app.inject({
      method: 'POST',
      url: `/xinfang/cases/${id}/commands`,
      headers: as('session-citizen'),
      payload: { type: 'ACCEPT' },
    });
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json()).toMatchObject({ code: 'COMMAND_ROLE_FORBIDDEN', status: 403 });
    // the year's report for the window's unit; a citizen gets none
    const annual = await app.inject({ url: '/xinfang/reports/annual', headers: as('session-window') });
    expect(annual.json().matters.total).toBe(1);
    const mine = await app.inject({ url: '/xinfang/reports/annual', headers: as('session-citizen') });
    expect(mine.json()).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    const doc = (await app.inject({ url: '/xinfang/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toContain('/xinfang/petitions');
  });
});

describe('the app as a process', () => {
  it('starts on the system clock, answers, and stops cleanly on SIGTERM', async () => {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    const proc = spawnTs(main, { PORT: '0', XINFANG_DB: join(dir, 'process.sqlite') });
    try {
      const { url } = JSON.parse(await proc.waitFor((l) => l.includes('"listening"'))) as { url: string };
      const res = await fetch(`${url}/xinfang/board`, { headers: as('session-window') });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ cases: [] });
      proc.child.kill('SIGTERM');
      expect(await proc.exited).toEqual({ code: 0, signal: null });
      expect(proc.lines.at(-1)).toBe('{"event":"stopped"}');
    } finally {
      if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
    }
  });
});
