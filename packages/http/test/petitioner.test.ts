import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, DAY, type Harness, harness, letter } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => h.close());

const command = (token: string, id: string, type: string, payload?: object) =>
  call(h, token, 'POST', `/cases/${id}/commands`, { type, ...(payload ? { payload } : {}) });

/** A letter registered by the window clerk: its id and the query code printed on the notice. */
async function registered(n: number) {
  const r = await call(h, 'token-window', 'POST', '/petitions', letter(n));
  expect(r.status).toBe(201);
  return { id: String(r.body.caseId), code: String(r.body.queryCodes[0].code) };
}

const cookieOf = (setCookie: unknown) =>
  String(Array.isArray(setCookie) ? setCookie[0] : setCookie).split(';')[0] as string;

describe("the petitioner's routes", () => {
  it('signs in with the query code, sees only that case, reads its timeline and documents, and rates', async () => {
    const mine = await registered(1);
    const other = await registered(2);

    // a wrong code opens nothing and says no more than for a case that does not exist
    const wrong = await call(h, undefined, 'POST', '/sign-in', { caseId: mine.id, code: other.code });
    expect(wrong).toMatchObject({ status: 404, body: { code: 'CASE_NOT_FOUND' } });
    expect(wrong.headers['set-cookie']).toBeUndefined();

    const signedIn = await call(h, undefined, 'POST', '/sign-in', {
      caseId: mine.id,
      code: mine.code.toLowerCase(),
    });
    expect(signedIn).toMatchObject({ status: 200, body: { cases: [mine.id] } });
    const setCookie = String(signedIn.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    let cookie = cookieOf(signedIn.headers['set-cookie']);

    const cases = await call(h, undefined, 'GET', '/me/cases', undefined, { cookie });
    expect(cases.body.cases.map((c: { caseId: string }) => c.caseId)).toEqual([mine.id]);
    expect(
      await call(h, undefined, 'GET', `/me/cases/${other.id}/timeline`, undefined, { cookie }),
    ).toMatchObject({ status: 404 });
    expect(await call(h, undefined, 'GET', '/me/cases')).toMatchObject({ status: 401 });

    // the procedure runs: transfer to the labour bureau, acceptance, opinion, receipt
    h.clock.advance(DAY);
    await command('token-window', mine.id, 'TRANSFER', { unit: 'county-hrss' });
    h.clock.advance(DAY);
    await command('token-hrss', mine.id, 'ACCEPT');
    h.clock.advance(10 * DAY);
    await command('token-hrss', mine.id, 'OPINION', {
      outcome: 'supported',
      findings: '已责令支付',
      legalBasis: [{ law: '中华人民共和国劳动合同法', articles: '第八十五条' }],
    });
    h.clock.advance(DAY);
    expect(
      await command('token-hrss', mine.id, 'RECEIPT', { receivedAt: '2026-03-15', method: 'in-person' }),
    ).toMatchObject({ status: 200 });

    // the session lasted 30 minutes; the petitioner signs in again
    expect(await call(h, undefined, 'GET', '/me/cases', undefined, { cookie })).toMatchObject({
      status: 401,
    });
    const again = await call(h, undefined, 'POST', '/sign-in', { caseId: mine.id, code: mine.code });
    cookie = cookieOf(again.headers['set-cookie']);
    const csrf = String(again.body.csrf);
    const timeline = await call(h, undefined, 'GET', `/me/cases/${mine.id}/timeline`, undefined, { cookie });
    expect(timeline.status).toBe(200);
    expect(timeline.body.timeline.map((t: { text: string }) => t.text)).toEqual([
      '信访事项已登记',
      '转送',
      '受理',
      '出具信访处理意见书',
      '送达（信访人收到处理意见书）',
    ]);
    expect(timeline.body.timeline.at(-1).stateName).toBe('已出具处理意见，复查申请期内');
    // the documents addressed to the petitioner, numbered and sealed
    const names = timeline.body.documents.map((d: { name: string }) => d.name);
    expect(names.length).toBeGreaterThan(0);
    expect(timeline.body.documents.every((d: { sealed?: object }) => d.sealed !== undefined)).toBe(true);

    // a rating without the session's CSRF token is refused; with it, recorded
    expect(
      await call(h, undefined, 'POST', `/me/cases/${mine.id}/rating`, { rating: 'satisfied' }, { cookie }),
    ).toMatchObject({
      status: 403,
      body: { code: 'CSRF_INVALID' },
    });
    const rated = await call(
      h,
      undefined,
      'POST',
      `/me/cases/${mine.id}/rating`,
      { rating: 'satisfied' },
      { cookie, 'x-csrf-token': csrf },
    );
    expect(rated).toMatchObject({ status: 200, body: { caseId: mine.id } });
    const events = (await call(h, 'token-window', 'GET', `/cases/${mine.id}/history`)).body.events;
    expect(events.at(-1)).toMatchObject({ type: 'RATE', payload: { command: { rating: 'satisfied' } } });
    // the window closed with the rating
    expect(
      await call(
        h,
        undefined,
        'POST',
        `/me/cases/${mine.id}/rating`,
        { rating: 'dissatisfied' },
        { cookie, 'x-csrf-token': csrf },
      ),
    ).toMatchObject({
      status: 422,
      body: { code: 'COMMAND_WINDOW_CLOSED' },
    });
  });

  it('checks a document seal', async () => {
    const { id } = await registered(3);
    // the transfer issues a notice to the petitioner (Reg. 22)
    expect(await command('token-window', id, 'TRANSFER', { unit: 'county-hrss' })).toMatchObject({
      status: 200,
    });
    const docs = await call(h, 'token-window', 'GET', `/cases/${id}/documents`);
    expect(docs.status).toBe(200);
    const doc = docs.body.documents.find((d: { sealed?: object }) => d.sealed);
    expect(doc).toBeDefined();
    const ok = await call(
      h,
      'token-window',
      'GET',
      `/cases/${id}/documents/${doc.seq}/${doc.documentId}/verify`,
    );
    expect(ok).toMatchObject({ status: 200, body: { ok: true, problems: [] } });
    expect(
      await call(h, 'token-window', 'GET', `/cases/${id}/documents/${doc.seq}/no-such-doc/verify`),
    ).toMatchObject({ status: 404 });
    // nobody else's documents: the land bureau reads no such case
    expect(await call(h, 'token-land', 'GET', `/cases/${id}/documents`)).toMatchObject({
      status: 404,
      body: { code: 'CASE_NOT_FOUND' },
    });
  });
});
