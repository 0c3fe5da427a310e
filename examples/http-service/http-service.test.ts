import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { identityKeyFile, ManualClock } from '@xinfang/core';
import { createSqliteStore, type SqliteStore } from '@xinfang/storage-sqlite';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Jurisdiction, loadJurisdiction } from '../shared/national.js';
import { spawnTs } from '../shared/spawn-ts.js';
import { EXAMPLE_USERS } from './roles.js';
import { createPetitionService } from './service.js';

const DAY = 86_400_000;

/** An online petition of 王五 (token-citizen) about a housing matter, to the county petition bureau. */
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

interface Reply {
  status: number;
  body: Record<string, unknown> & Record<string, unknown>[];
  etag: string | null;
}

let jurisdiction: Jurisdiction;
let dir: string;
let store: SqliteStore;
let clock: ManualClock;
let server: { url: string; close(): Promise<void> };

beforeAll(() => {
  jurisdiction = loadJurisdiction();
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xinfang-http-'));
  store = createSqliteStore({ path: join(dir, 'cases.sqlite') });
  clock = new ManualClock('2026-03-02T09:00:00+08:00');
  const service = createPetitionService({
    jurisdiction,
    store,
    clock,
    users: EXAMPLE_USERS,
    identityKeys: identityKeyFile(join(dir, 'cases.sqlite.identity.key')),
  });
  server = await service.listen(0);
});

afterEach(async () => {
  await server.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

async function call(
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const res = await fetch(server.url + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  return { status: res.status, body: (await res.json()) as Reply['body'], etag: res.headers.get('etag') };
}

const command = (
  token: string,
  caseId: string,
  type: string,
  payload?: object,
  headers?: Record<string, string>,
) => call(token, 'POST', `/cases/${caseId}/commands`, { type, ...(payload ? { payload } : {}) }, headers);

/** What a refusal must not change: the case's version and its whole event log. */
async function snapshot(caseId: string) {
  const view = await call('token-window', 'GET', `/cases/${caseId}`);
  const history = await call('token-window', 'GET', `/cases/${caseId}/history`);
  return { version: view.body.version, etag: view.etag, state: view.body.state, history: history.body };
}

/** Sends a command that must be refused with `status` and `code`, and checks nothing changed. */
async function refused(
  caseId: string,
  status: number,
  code: string,
  send: () => Promise<Reply>,
): Promise<Reply> {
  const before = await snapshot(caseId);
  const reply = await send();
  expect({ status: reply.status, code: reply.body.code }).toEqual({ status, code });
  expect(typeof reply.body.message).toBe('string');
  expect(await snapshot(caseId)).toEqual(before);
  return reply;
}

async function submitted(): Promise<string> {
  const reply = await call('token-citizen', 'POST', '/petitions', PETITION);
  expect(reply.status).toBe(201);
  return String(reply.body.caseId);
}

describe('an existing HTTP service embedding xinfang', () => {
  it('takes one petition from registration to termination over HTTP, refusing what the procedure forbids', async () => {
    // 王五 files online; the county petition bureau registers it
    const filed = await call('token-citizen', 'POST', '/petitions', PETITION);
    expect(filed).toMatchObject({
      status: 201,
      body: { state: 'registered', stage: 'registration', colour: 'green', version: 1 },
      etag: '"1"',
    });
    const id = String(filed.body.caseId);

    // refusals write nothing: same version, same log. The city government's reviewer reads the
    // case (the body one level up) but does not transfer; the county housing bureau is not
    // involved yet, so to it the case does not exist
    await refused(id, 403, 'COMMAND_ROLE_FORBIDDEN', () =>
      command('token-city-review', id, 'TRANSFER', { unit: 'county-housing' }),
    );
    await refused(id, 404, 'CASE_NOT_FOUND', () =>
      command('token-housing-head', id, 'TRANSFER', { unit: 'county-housing' }),
    );
    await refused(id, 409, 'CONCURRENCY_CONFLICT', () =>
      command('token-window', id, 'TRANSFER', { unit: 'county-housing' }, { 'if-match': '"0"' }),
    );
    const unknown = await refused(id, 400, 'COMMAND_UNKNOWN', () =>
      command('token-window', id, 'TRANSFRE', { unit: 'county-housing' }),
    );
    expect(unknown.body.details).toMatchObject({ suggestion: 'TRANSFER', state: 'registered' });
    await refused(id, 409, 'COMMAND_NOT_ALLOWED_IN_STATE', () =>
      command('token-citizen', id, 'REQUEST_REVIEW'),
    );
    // before the transfer the housing bureau is not involved: its acceptor cannot see the case
    // (the unit check itself is shown below: the city reviewer may not re-examine its own review)
    await refused(id, 404, 'CASE_NOT_FOUND', () => command('token-housing', id, 'ACCEPT'));
    await refused(id, 400, 'COMMAND_PAYLOAD_INVALID', () => command('token-window', id, 'TRANSFER', {}));

    // the window clerk transfers it to the housing bureau; a retry with the same key is answered again
    clock.advance(DAY);
    const key = { 'if-match': '"1"', 'idempotency-key': 'transfer-0001' };
    const transferred = await command('token-window', id, 'TRANSFER', { unit: 'county-housing' }, key);
    expect(transferred).toMatchObject({
      status: 200,
      body: { state: 'transferred', version: 2 },
      etag: '"2"',
    });
    const retried = await command('token-window', id, 'TRANSFER', { unit: 'county-housing' }, key);
    expect(retried).toEqual(transferred);
    expect((await snapshot(id)).history).toHaveLength(2);

    // the housing bureau's clerk sees what they may do, accepts (as acceptor) and gives the opinion (as handler)
    clock.advance(DAY);
    const atHousing = await call('token-housing', 'GET', `/cases/${id}`);
    expect(atHousing.body).toMatchObject({ responsibleUnit: 'county-housing', version: 2 });
    expect(atHousing.body.allowedCommands).toContain('ACCEPT');
    expect(await command('token-housing', id, 'ACCEPT')).toMatchObject({ body: { state: 'accepted' } });
    clock.advance(20 * DAY);
    expect(
      await command('token-housing', id, 'OPINION', {
        outcome: 'not-supported',
        findings: '审批程序合法，已依法公示',
      }),
    ).toMatchObject({ body: { state: 'opinion-issued' } });
    clock.advance(2 * DAY);
    expect(
      await command('token-housing', id, 'RECEIPT', { receivedAt: '2026-03-26', method: 'in-person' }),
    ).toMatchObject({ status: 200 });
    // the review window already runs from that receipt: a second one fails the guard
    await refused(id, 422, 'COMMAND_GUARD_FAILED', () =>
      command('token-housing', id, 'RECEIPT', { receivedAt: '2026-03-26' }),
    );

    // 王五 asks for a review; the city government reviews, the province re-examines
    clock.advance(5 * DAY);
    expect(await command('token-citizen', id, 'REQUEST_REVIEW', { reason: '公示地点不当' })).toMatchObject({
      body: { state: 'in-review', stage: 'review' },
    });
    clock.advance(10 * DAY);
    expect(await command('token-city-review', id, 'REVIEW_DECISION', { outcome: 'upheld' })).toMatchObject({
      body: { state: 'review-decided' },
    });
    clock.advance(2 * DAY);
    await command('token-city-review', id, 'RECEIPT', { receivedAt: '2026-04-12' });
    clock.advance(5 * DAY);
    expect(
      await command('token-citizen', id, 'REQUEST_REEXAMINATION', { reason: '复查未听取意见' }),
    ).toMatchObject({ body: { state: 'in-reexamination' } });
    // re-examination is for the body one level above the reviewer
    await refused(id, 403, 'COMMAND_UNIT_FORBIDDEN', () =>
      command('token-city-review', id, 'REEXAMINATION_DECISION', { outcome: 'upheld' }),
    );
    clock.advance(10 * DAY);
    const version = (await snapshot(id)).version;
    const done = await command(
      'token-province-review',
      id,
      'REEXAMINATION_DECISION',
      { outcome: 'upheld', findings: '复查意见正确' },
      { 'if-match': `"${version}"` },
    );
    expect(done).toMatchObject({
      status: 200,
      body: { state: 'terminated', stage: 'terminated', colour: 'blue' },
    });

    // the log: every step, by whom, each event chained to the one before
    const history = (await call('token-window', 'GET', `/cases/${id}/history`)).body;
    expect(history.map((e) => [e.type, (e.actor as { id: string }).id])).toEqual([
      ['SUBMITTED', 'c-7001'],
      ['TRANSFER', 'u-1001'],
      ['ACCEPT', 'u-2001'],
      ['OPINION', 'u-2001'],
      ['RECEIPT', 'u-2001'],
      ['REQUEST_REVIEW', 'c-7001'],
      ['REVIEW_DECISION', 'u-3001'],
      ['RECEIPT', 'u-3001'],
      ['REQUEST_REEXAMINATION', 'c-7001'],
      ['REEXAMINATION_DECISION', 'u-4001'],
    ]);
    expect(history.map((e) => e.prevHash)).toEqual(['', ...history.slice(0, -1).map((e) => e.hash)]);
    const final = await call('token-citizen', 'GET', `/cases/${id}`);
    expect(final.body).toMatchObject({ state: 'terminated', violations: [], version: 10 });
    expect(final.etag).toBe('"10"');
  });

  it('refuses a malformed or invalid petition and writes nothing', async () => {
    expect(await call(undefined, 'POST', '/petitions', PETITION)).toMatchObject({
      status: 401,
      body: { code: 'UNAUTHENTICATED' },
    });
    expect(await call('token-citizen', 'POST', '/petitions', '{"channel": "online"')).toMatchObject({
      status: 400,
      body: { code: 'BAD_REQUEST' },
    });
    const { summary: _, ...withoutSummary } = PETITION;
    const invalid = await call('token-citizen', 'POST', '/petitions', withoutSummary);
    expect(invalid).toMatchObject({ status: 400, body: { code: 'PETITION_INVALID' } });
    expect(JSON.stringify(invalid.body.details)).toContain('summary');
    // a member of the public files online only; a letter is registered by staff
    expect(
      await call('token-citizen', 'POST', '/petitions', { ...PETITION, channel: 'letter' }),
    ).toMatchObject({
      status: 403,
      body: { code: 'COMMAND_ROLE_FORBIDDEN' },
    });
    expect((await call('token-window', 'GET', '/cases')).body).toEqual({ cases: [] });
    expect(await call('token-window', 'GET', '/cases/XF-2026-000001')).toMatchObject({
      status: 404,
      body: { code: 'CASE_NOT_FOUND' },
    });
  });

  it('shows the public their own cases only, and staff a board filtered by stage, colour and unit', async () => {
    const id = await submitted();
    const own = await call('token-citizen', 'GET', `/cases/${id}`);
    expect(own.status).toBe(200);
    expect((own.body.data as { petition: { petitioner: object } }).petition.petitioner).toMatchObject({
      name: '王五',
    });
    expect(own.body.allowedCommands).toEqual(['WITHDRAW']);
    // another citizen cannot tell the case exists, nor act on it
    expect(await call('token-citizen-2', 'GET', `/cases/${id}`)).toMatchObject({
      status: 404,
      body: { code: 'CASE_NOT_FOUND' },
    });
    await refused(id, 404, 'CASE_NOT_FOUND', () => command('token-citizen-2', id, 'WITHDRAW'));
    // the public list their own cases, and only those
    expect(await call('token-citizen', 'GET', '/cases')).toMatchObject({
      status: 200,
      body: { cases: [{ caseId: id }] },
    });
    expect(await call('token-citizen-2', 'GET', '/cases')).toMatchObject({
      status: 200,
      body: { cases: [] },
    });

    await command('token-window', id, 'TRANSFER', { unit: 'county-housing' });
    const board = (query: string) =>
      call('token-window', 'GET', `/cases${query}`).then((r) =>
        (r.body.cases as { caseId: string }[]).map((c) => c.caseId),
      );
    expect(await board('?stage=transfer&unit=county-housing')).toEqual([id]);
    expect(await board('?stage=registration&stage=transfer')).toEqual([id]);
    expect(await board('?colour=red')).toEqual([]);
    expect(await board('?unit=county-bureau')).toEqual([]);
    expect(await call('token-window', 'GET', '/cases?limit=1000')).toMatchObject({ status: 400 });
    expect(await call('token-window', 'DELETE', `/cases/${id}`)).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND' },
    });
  });
});

describe('the service as a process', () => {
  it('starts on the system clock, answers, and stops cleanly on SIGTERM', async () => {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    const proc = spawnTs(main, { PORT: '0', XINFANG_DB: join(dir, 'process.sqlite') });
    try {
      const { url } = JSON.parse(await proc.waitFor((l) => l.includes('"listening"'))) as { url: string };
      const res = await fetch(`${url}/cases`, { headers: { authorization: 'Bearer token-window' } });
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
