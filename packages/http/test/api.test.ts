import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Body, call, DAY, type Harness, harness, letter, ONLINE_PETITION } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => h.close());

const command = (
  token: string,
  id: string,
  type: string,
  payload?: object,
  headers: Record<string, string> = {},
) => call(h, token, 'POST', `/cases/${id}/commands`, { type, ...(payload ? { payload } : {}) }, headers);

/** The problem a refusal answers with; asserts the case did not move. */
async function refused(
  id: string,
  status: number,
  code: string,
  send: () => Promise<{ status: number; headers: Record<string, unknown>; body: Body }>,
) {
  const before = (await call(h, 'token-window', 'GET', `/cases/${id}`)).body.version;
  const r = await send();
  expect(r.status).toBe(status);
  expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(r.body).toMatchObject({ type: `urn:xinfang:problem:${code}`, code, status });
  expect((await call(h, 'token-window', 'GET', `/cases/${id}`)).body.version).toBe(before);
  return r.body;
}

describe('the API on a SQLite file', () => {
  it('registers, sends with If-Match and Idempotency-Key, and refuses with stable problem types', async () => {
    const filed = await call(h, 'token-citizen', 'POST', '/petitions', ONLINE_PETITION);
    expect(filed).toMatchObject({
      status: 201,
      body: { state: 'registered', stage: 'registration', version: 1 },
    });
    expect(filed.headers.etag).toBe('"1"');
    const id = String(filed.body.caseId);
    expect(filed.headers.location).toBe(`cases/${id}`);

    // the engine judges every command: role, visibility, state, payload, unknown command
    await refused(id, 403, 'COMMAND_ROLE_FORBIDDEN', () =>
      command('token-city-review', id, 'TRANSFER', { unit: 'county-housing' }),
    );
    await refused(id, 404, 'CASE_NOT_FOUND', () => command('token-housing', id, 'ACCEPT'));
    await refused(id, 400, 'COMMAND_PAYLOAD_INVALID', () => command('token-window', id, 'TRANSFER', {}));
    const unknown = await refused(id, 400, 'COMMAND_UNKNOWN', () =>
      command('token-window', id, 'TRANSFRE', { unit: 'county-housing' }),
    );
    expect(unknown.details).toMatchObject({ suggestion: 'TRANSFER', state: 'registered' });
    await refused(id, 409, 'COMMAND_NOT_ALLOWED_IN_STATE', () =>
      command('token-citizen', id, 'REQUEST_REVIEW'),
    );
    // a stale If-Match is the precondition failing
    await refused(id, 412, 'CONCURRENCY_CONFLICT', () =>
      command('token-window', id, 'TRANSFER', { unit: 'county-housing' }, { 'if-match': '"0"' }),
    );
    await refused(id, 400, 'PRECONDITION_INVALID', () =>
      command('token-window', id, 'TRANSFER', { unit: 'county-housing' }, { 'if-match': 'yesterday' }),
    );
    // the envelope: a command needs a type
    await refused(id, 400, 'BAD_REQUEST', () =>
      call(h, 'token-window', 'POST', `/cases/${id}/commands`, { payload: {} }),
    );

    h.clock.advance(DAY);
    const key = { 'if-match': '"1"', 'idempotency-key': 'transfer-0001' };
    const moved = await command('token-window', id, 'TRANSFER', { unit: 'county-housing' }, key);
    expect(moved).toMatchObject({
      status: 200,
      body: { state: 'transferred', version: 2, responsibleUnit: 'county-housing' },
    });
    expect(moved.headers.etag).toBe('"2"');
    // a retry with the same key is answered again, and nothing more is written
    const again = await command('token-window', id, 'TRANSFER', { unit: 'county-housing' }, key);
    expect(again.body).toEqual(moved.body);
    await refused(id, 422, 'IDEMPOTENCY_CONFLICT', () =>
      command('token-window', id, 'ASSIGN', { unit: 'county-hrss' }, { 'idempotency-key': 'transfer-0001' }),
    );

    // now the housing bureau reads it and may accept; the commands offered are the ones accepted
    const allowed = await call(h, 'token-housing', 'GET', `/cases/${id}/commands`);
    expect(allowed.body.commands).toContain('ACCEPT');
    expect(await command('token-housing', id, 'ACCEPT')).toMatchObject({
      status: 200,
      body: { state: 'accepted' },
    });

    const history = await call(h, 'token-window', 'GET', `/cases/${id}/history?verify=true`);
    expect(history.body.events.map((e: { type: string }) => e.type)).toEqual([
      'SUBMITTED',
      'TRANSFER',
      'ACCEPT',
    ]);
    expect(history.body.verification).toMatchObject({ ok: true });
    expect((await call(h, 'token-window', 'GET', `/cases/${id}/history`)).body.verification).toBeUndefined();
  });

  it('answers bad requests, missing sign-on and unknown routes as problems', async () => {
    expect(await call(h, undefined, 'POST', '/petitions', ONLINE_PETITION)).toMatchObject({
      status: 401,
      body: { type: 'urn:xinfang:problem:UNAUTHENTICATED' },
    });
    expect(await call(h, 'no-such-token', 'GET', '/board')).toMatchObject({ status: 401 });
    const { summary: _, ...withoutSummary } = ONLINE_PETITION;
    expect(await call(h, 'token-citizen', 'POST', '/petitions', withoutSummary)).toMatchObject({
      status: 400,
      body: { code: 'PETITION_INVALID' },
    });
    const notJson = await call(h, 'token-citizen', 'POST', '/petitions', '{"channel": "online"', {
      'content-type': 'application/json',
    });
    expect(notJson).toMatchObject({ status: 400, body: { code: 'BAD_REQUEST' } });
    expect(await call(h, 'token-window', 'GET', '/no/such/route')).toMatchObject({
      status: 404,
      body: { type: 'urn:xinfang:problem:NOT_FOUND' },
    });
    expect(await call(h, 'token-window', 'GET', '/board?limit=1000')).toMatchObject({
      status: 400,
      body: { code: 'BAD_REQUEST' },
    });
    // staff of an uninvolved unit: the case does not exist for them
    const filed = await call(h, 'token-citizen', 'POST', '/petitions', {
      ...ONLINE_PETITION,
      summary: '另一件',
    });
    expect(await call(h, 'token-hrss', 'GET', `/cases/${filed.body.caseId}`)).toMatchObject({
      status: 404,
      body: { code: 'CASE_NOT_FOUND' },
    });
    expect(await call(h, 'token-citizen-2', 'GET', `/cases/${filed.body.caseId}`)).toMatchObject({
      status: 404,
    });
  });

  it('pages the board with a cursor and counts every page', async () => {
    const ids: string[] = [];
    for (let n = 1; n <= 5; n++)
      ids.push(String((await call(h, 'token-window', 'POST', '/petitions', letter(n))).body.caseId));
    const all: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const r = await call(
        h,
        'token-window',
        'GET',
        `/board?stage=registration&limit=2${after ? `&after=${encodeURIComponent(after)}` : ''}`,
      );
      expect(r.status).toBe(200);
      expect(r.body.cases.length).toBeLessThanOrEqual(2);
      all.push(...r.body.cases.map((c: { caseId: string }) => c.caseId));
      after = r.body.next;
      pages++;
    } while (after !== undefined);
    // the five letters and the earlier tests' second online petition sit in registration
    expect(all).toEqual([...all].sort());
    for (const id of ids) expect(all).toContain(id);
    expect(pages).toBeGreaterThanOrEqual(3);
    const counts = await call(h, 'token-window', 'GET', '/board/counts?stage=registration');
    expect(counts.body.total).toEqual({ green: all.length, blue: 0, red: 0 });
    // every stage of the config, in its order; only registration has any
    expect(Object.keys(counts.body.byStage)[0]).toBe('registration');
    expect(
      Object.entries(counts.body.byStage).filter(([, n]) => Object.values(n as object).some((x) => x > 0)),
    ).toEqual([['registration', { green: all.length, blue: 0, red: 0 }]]);
    // a unit that reads none of them counts none
    expect((await call(h, 'token-land', 'GET', '/board/counts?stage=registration')).body.total).toEqual({
      green: 0,
      blue: 0,
      red: 0,
    });
  });
});
