/**
 * The reports over a real server on a real SQLite file: each over the cases its caller may read
 * (the accused unit counts nothing of an accusation against it), a petitioner refused, bad
 * queries refused with problems, and the numbers those of core's reports, worked by hand.
 */

import type { ActorRef } from '@xinfang/core';
import { metricsReport, readCaseFacts } from '@xinfang/core/reporting';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportRolesOf } from '../src/context.js';
import { type Body, call, DAY, type Harness, harness, letter, national } from './helpers.js';

let h: Harness;
let url: string;
const ids: string[] = [];

const command = (token: string, id: string, type: string, payload?: object) =>
  call(h, token, 'POST', `/cases/${id}/commands`, { type, ...(payload ? { payload } : {}) });

/** A report over real HTTP. */
async function report(token: string | undefined, path: string) {
  const res = await fetch(`${url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Body };
}

beforeAll(async () => {
  h = await harness();
  // Monday 2026-03-02: the county petition bureau registers three letters about unpaid wages for
  // the county labour bureau, and one accusation against the city government
  for (let n = 1; n <= 3; n++)
    ids.push(String((await call(h, 'token-window', 'POST', '/petitions', letter(n))).body.caseId));
  const accusation = letter(4, {
    kind: 'accusation',
    respondentUnit: 'city-gov',
    accused: { name: '某市长', external: true },
    accusation: '检举某市长违规审批工程',
  });
  ids.push(String((await call(h, 'token-window', 'POST', '/petitions', accusation)).body.caseId));
  const [first, , , fourth] = ids as [string, string, string, string];
  // 03-03: the first goes to the labour bureau, the accusation to the land bureau; 03-04 both
  // take them up (the labour bureau accepts, the land bureau receives the accusation), and the
  // labour bureau answers on 03-09
  h.clock.advance(DAY);
  expect((await command('token-window', first, 'TRANSFER', { unit: 'county-hrss' })).status).toBe(200);
  expect((await command('token-window', fourth, 'TRANSFER', { unit: 'county-land' })).status).toBe(200);
  h.clock.advance(DAY);
  expect((await command('token-hrss', first, 'ACCEPT')).status).toBe(200);
  // an accusation is received, not accepted into handling (Reg. 30)
  expect((await command('token-land', fourth, 'RECEIVE_ACCUSATION')).status).toBe(200);
  h.clock.advance(5 * DAY);
  const opinion = await command('token-hrss', first, 'OPINION', {
    outcome: 'supported',
    findings: '已责令支付',
    legalBasis: [{ law: '中华人民共和国劳动合同法', articles: '第八十五条' }],
  });
  expect(opinion.status).toBe(200);
  // 03-19: the second and third were neither transferred nor handled within 15 days (Reg. 22)
  h.clock.advance(10 * DAY);
  expect((await h.engine.tick()).map((f) => f.caseId).sort()).toEqual([ids[1], ids[2]].sort());
  url = await h.service.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => h?.close());

const totalOf = (b: Body) => b.totals.find((r: Body) => r.key === '*');

describe('GET /reports/metrics', () => {
  it("counts the cases each caller may read, and core's report is what it answers", async () => {
    const bureau = await report('token-window', '/reports/metrics');
    expect(bureau.status).toBe(200);
    // the accusation, received by the land bureau, left the petition procedure: blue (Reg. 30)
    expect(totalOf(bureau.body)).toMatchObject({ cases: 4, colours: { green: 1, blue: 1, red: 2 } });
    // the labour bureau reads the case it handled
    const hrss = await report('token-hrss', '/reports/metrics');
    expect(totalOf(hrss.body)).toMatchObject({ cases: 1, colours: { green: 1, blue: 0, red: 0 } });
    expect(hrss.body.rows.map((r: Body) => r.key)).toContain('county-hrss');
    expect(hrss.body.rows.map((r: Body) => r.key)).not.toContain('county-land');
    // the land bureau reads the accusation it was given, and only that
    expect(totalOf((await report('token-land', '/reports/metrics')).body).cases).toBe(1);
    // the housing bureau, which none of them reached, counts none
    const housing = await report('token-housing', '/reports/metrics');
    expect([housing.status, housing.body.rows, totalOf(housing.body).cases]).toEqual([200, [], 0]);
    // the city government is on the line above every unit that held them (supervision, Reg.
    // 38-40): it counts the three letters, never the accusation against itself (Reg. 30)
    const city = await report('token-city-review', '/reports/metrics');
    expect(totalOf(city.body)).toMatchObject({ cases: 3, colours: { green: 1, blue: 0, red: 2 } });
    const cityYear = await report('token-city-review', '/reports/annual');
    expect([cityYear.body.matters.total, cityYear.body.matters.byKind.map((k: Body) => k.key)]).toEqual([
      3,
      ['appeal'],
    ]);

    // the same as core's report for the same viewer, as of the clock's now
    const viewer: ActorRef = { id: 'u-1001', name: '李登记', role: 'registrar', unit: 'county-bureau' };
    const asOf = h.clock.now().toISOString();
    const read = await readCaseFacts(h.store, { asOf, viewer });
    const direct = metricsReport(read.facts, {
      asOf,
      by: 'unit',
      period: 'all',
      top: 5,
      configs: read.configs,
    });
    expect(bureau.body).toEqual(JSON.parse(JSON.stringify(direct)));
  });

  it('gives the on-time rates worked by hand', async () => {
    const r = totalOf((await report('token-window', '/reports/metrics')).body);
    // acceptance periods: the two transferred on 03-03 met the bureau's 15 days (Reg. 22) and
    // their receiving bodies' acceptance on 03-04 met theirs (Reg. 23); the two left untouched
    // missed the bureau's: 4 of 6
    expect(r.rates.onTimeAcceptance).toEqual({ count: 4, of: 6, rate: 4 / 6 });
    // completion: the one opinion was given 5 days after acceptance, within 60 (Reg. 34)
    expect(r.rates.onTimeCompletion).toEqual({ count: 1, of: 1, rate: 1 });
  });

  it('groups by kind of matter and splits by period, with a range of registration dates', async () => {
    const r = await report(
      'token-window',
      '/reports/metrics?by=kind&period=month&from=2026-03-01&to=2026-03-31',
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ by: 'kind', period: 'month', from: '2026-03-01', to: '2026-04-01' });
    expect(Object.fromEntries(r.body.rows.map((x: Body) => [`${x.key} ${x.period}`, x.cases]))).toEqual({
      'accusation 2026-03': 1,
      'appeal 2026-03': 3,
    });
    // a range before the cases were registered holds none of them
    const before = await report('token-window', '/reports/metrics?to=2026-02-28');
    expect(before.body.rows).toEqual([]);
  });
});

describe('GET /reports/legalization-index', () => {
  it("is each group's index as the metrics give it", async () => {
    const metrics = (await report('token-window', '/reports/metrics')).body;
    const index = await report('token-window', '/reports/legalization-index');
    expect(index.status).toBe(200);
    expect(index.body.rows.map((r: Body) => [r.key, r.cases, r.index])).toEqual(
      metrics.rows.map((r: Body) => [r.key, r.cases, r.index]),
    );
    const total = totalOf(index.body);
    expect(total.index.value).toBeGreaterThan(0);
    expect(total.index.value).toBeLessThanOrEqual(100);
    expect(total.index.components.map((c: Body) => c.component)).toContain('onTimeAcceptance');
    expect(index.body.jurisdictions[0]).toMatchObject({ id: national().loaded.value.jurisdiction.id });
  });
});

describe('GET /reports/annual', () => {
  it('reports the year over the cases the caller may read', async () => {
    const bureau = await report('token-window', '/reports/annual?year=2026');
    expect(bureau.status).toBe(200);
    expect(bureau.body).toMatchObject({ from: '2026-01-01', to: '2027-01-01' });
    expect(bureau.body.matters.total).toBe(4);
    expect(bureau.body.matters.byChannel).toEqual([expect.objectContaining({ key: 'letter', count: 4 })]);
    expect(bureau.body.disposal.transfers).toBe(2);
    // the year of the clock's now by default; the labour bureau counts its one case
    const hrss = await report('token-hrss', '/reports/annual');
    expect([hrss.body.from, hrss.body.matters.total, hrss.body.disposal.transfers]).toEqual([
      '2026-01-01',
      1,
      1,
    ]);
    expect((await report('token-window', '/reports/annual?year=2025')).body.matters.total).toBe(0);
  });
});

describe('who may read reports, and what a bad query gets', () => {
  const routes = ['/reports/metrics', '/reports/legalization-index', '/reports/annual'];

  it('refuses a petitioner and an unsigned request as problems', async () => {
    for (const path of routes) {
      const citizen = await report('token-citizen', path);
      expect(citizen).toMatchObject({
        status: 403,
        type: expect.stringMatching(/^application\/problem\+json/),
        body: { type: 'urn:xinfang:problem:FORBIDDEN', code: 'FORBIDDEN' },
      });
      expect(citizen.body.detail).toContain('/me/cases');
      expect(await report(undefined, path)).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    }
  });

  it('refuses queries it cannot answer, with what to send instead', async () => {
    const bad = async (path: string, detail: RegExp) => {
      const r = await report('token-window', path);
      expect(r, path).toMatchObject({ status: 400, body: { code: 'BAD_REQUEST' } });
      expect(r.body.detail).toMatch(detail);
    };
    await bad('/reports/metrics?by=colour', /by/);
    await bad('/reports/metrics?from=2026-02-30', /from must be a real date/);
    await bad('/reports/metrics?to=9999-12-31', /to must be a real date/);
    await bad('/reports/metrics?from=2026-03-10&to=2026-03-01', /is before from/);
    await bad('/reports/metrics?asOf=2026-03-19', /with its zone/);
    await bad('/reports/legalization-index?asOf=2099-01-01T00:00:00%2B08:00', /after now/);
    await bad('/reports/annual?year=2027', /has not begun/);
    await bad('/reports/metrics?colour=red', /additional/);
  });

  it('answers 501 when the service was not given its store, after judging the caller', async () => {
    const bare = await harness({ withoutStore: true });
    try {
      expect(await call(bare, 'token-window', 'GET', '/reports/metrics')).toMatchObject({
        status: 501,
        body: { type: 'urn:xinfang:problem:REPORTS_UNAVAILABLE' },
      });
      expect(await call(bare, 'token-citizen', 'GET', '/reports/annual')).toMatchObject({ status: 403 });
    } finally {
      await bare.close();
    }
  });

  it('opens reports to the roles the embedder names, never to the petitioner', () => {
    const config = national().loaded.value;
    expect(reportRolesOf(config)).not.toContain('petitioner');
    expect(reportRolesOf(config)).not.toContain('system');
    expect(reportRolesOf(config, ['supervisor'])).toEqual(['supervisor']);
    expect(() => reportRolesOf(config, ['supervisor', 'petitioner'])).toThrow(/petitioner.*no staff role/);
  });
});
