import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type MetricsReport, metricsReport, readCaseFacts } from '@xinfang/core/reporting';
import { createPostgresStore } from '@xinfang/storage-postgres';
import { createSqliteStore } from '@xinfang/storage-sqlite';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIo, runCli } from '../src/index.js';
import { displayWidth } from '../src/report/text.js';
import { runNationalCases } from './report-cases.js';

const root = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'xinfang-report-'));
const db = join(dir, 'cases.sqlite');
const PG_URL = process.env.XINFANG_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
let ids: Record<number, string>;
let end: string;

beforeAll(async () => {
  const store = createSqliteStore({ path: db });
  ({ ids, end } = await runNationalCases(store));
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function report(...args: string[]) {
  const io = bufferIo(root);
  const code = await runCli(['report', ...args], io);
  return { code, out: io.stdout(), err: io.stderr() };
}

async function json<T = MetricsReport>(...args: string[]): Promise<T> {
  const r = await report(db, '--format', 'json', ...args);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as T;
}

const counts = (row: MetricsReport['totals'][number] | undefined) =>
  Object.fromEntries(Object.entries(row?.rates ?? {}).map(([k, v]) => [k, [v.count, v.of]]));

describe('xinfang report over a SQLite file', () => {
  it('computes every rate of the four national cases (worked out in report-cases.ts)', async () => {
    const r = await json();
    expect(r.asOf).toBe(end); // the store's latest event: day 60's tick closed 1 and 2
    const [total] = r.totals;
    expect(total?.cases).toBe(4);
    // 1 and 2 closed (2 late, so blue with its violation kept), 3 awaiting review, 4 never disposed of
    expect(total?.colours).toEqual({ green: 1, blue: 2, red: 1 });
    expect(counts(total)).toEqual({
      onTimeAcceptance: [4, 6], // 1's transfer and acceptance, 3's non-acceptance and acceptance; 2 and 4 late
      // 1, 2, 3 answered and 3's review decided in time; 1's opinion supported the request and
      // its follow-through (督促执行, Reg. 32: 30 days) was never recorded
      onTimeCompletion: [4, 5],
      satisfaction: [1, 1],
      ratingParticipation: [1, 3], // 2 never rated, 3's window ran out while under review
      repeatPetition: [1, 4], // 4 repeats 1
      reviewRate: [1, 3],
      reexaminationRate: [0, 1],
      overturnRate: [2, 2], // 3's review changed the opinion; its non-acceptance was reopened
    });
    expect(r.rows.map((x) => [x.key, x.name, x.cases])).toEqual([
      ['county-gov', '示范县人民政府', 0],
      ['county-bureau', '示范县信访局', 1],
      ['county-hrss', '示范县人力资源和社会保障局', 2],
      ['county-housing', '示范县住房和城乡建设局', 1],
    ]);
    // the bureau transferred 1 in time and never disposed of 4; the labour bureau accepted 1
    // in time and 2 late
    expect(counts(r.rows[1]).onTimeAcceptance).toEqual([1, 2]);
    expect(counts(r.rows[2]).onTimeAcceptance).toEqual([1, 2]);
    expect(r.jurisdictions).toEqual([
      expect.objectContaining({
        id: 'cn.national',
        defaultWeights: false,
        weights: expect.objectContaining({ onTimeAcceptance: 0.2 }),
      }),
    ]);
    expect(total?.longestOpen.map((c) => c.caseId)).toEqual([ids[3], ids[4]]);
  });

  it('prints the JSON of the library computing from the same file, and the colours the store has', async () => {
    const store = createSqliteStore({ path: db });
    const read = await readCaseFacts(store);
    const cases = await store.query({ limit: 100 });
    await store.close();
    expect(await json()).toEqual(
      JSON.parse(
        JSON.stringify(metricsReport(read.facts, { asOf: read.asOf as string, configs: read.configs })),
      ),
    );
    const [total] = (await json()).totals;
    for (const colour of ['green', 'blue', 'red'] as const)
      expect(total?.colours[colour]).toBe(cases.filter((c) => c.colour === colour).length);
  });

  it('prints CSV: one line per body and the total, the exact counts and rates', async () => {
    const r = await report(db, '--format', 'csv');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\r\n');
    const header = lines[0]?.split(',') ?? [];
    expect(header.slice(0, 9)).toEqual([
      'jurisdiction',
      'period',
      'by',
      'key',
      'name',
      'cases',
      'green',
      'blue',
      'red',
    ]);
    expect(lines).toHaveLength(1 + 4 + 1);
    const total = Object.fromEntries(header.map((h, i) => [h, lines.at(-1)?.split(',')[i]]));
    expect(total).toMatchObject({
      key: '*',
      name: '合计',
      cases: '4',
      onTimeAcceptance_count: '4',
      onTimeAcceptance_of: '6',
      onTimeAcceptance_rate: String(4 / 6),
      reexaminationRate_rate: '0',
      overturn_reexamination_rate: '', // nothing to count: empty, not 0
      stage_closed: '2',
    });
    expect(Number(total.index)).toBe((await json()).totals[0]?.index.value);
  });

  it('prints a table a terminal lines up, bodies by name, n/a where there is nothing to count', async () => {
    const r = await report(db);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    const start = lines.findIndex((l) => l.startsWith('body'));
    const main = lines.slice(start, start + 2 + 5);
    expect(main.at(-1)).toMatch(/^合计\s+4\s+1\s+2\s+1\s+66\.7%\s+80\.0%/);
    // every line of the table is as wide as its header (Chinese characters take two columns)
    for (const l of main) expect(displayWidth(l)).toBe(displayWidth(main[0] as string));
    expect(r.out).toContain('示范县人力资源和社会保障局');
    expect(main[2]).toMatch(/^示范县人民政府\s+0 .* n\/a/);
    expect(r.out).toContain('按期受理率');
    expect(r.out).toMatch(/index weights \(cn\.national 2022\.1\): accept 0\.2/);
    expect(r.out).toContain('open longest:');
    expect(r.out).toContain(`${ids[4]}  示范县信访局`);
  });

  it('groups by region and by kind of matter', async () => {
    const byRegion = await json('--by', 'region');
    expect(byRegion.rows.map((x) => [x.key, x.name, x.cases])).toEqual([['990121', '示范县人民政府', 4]]);
    const byKind = await json('--by', 'kind');
    expect(byKind.rows.map((x) => [x.key, x.name, x.cases])).toEqual([['appeal', '申诉求决类', 4]]);
  });

  it('keeps to --from and --to (registration dates, both inclusive) and splits by --period', async () => {
    expect((await json('--to', '2026-03-02')).totals[0]?.cases).toBe(4);
    const none = await json('--from', '2026-03-03');
    expect(none.rows).toEqual([]);
    expect(none.totals[0]).toMatchObject({ cases: 0, index: { value: null } });
    expect(Object.values(none.totals[0]?.rates ?? {}).every((x) => x.rate === null)).toBe(true);
    const table = await report(db, '--from', '2026-03-03');
    expect(table.out).toMatch(/^合计\s+0\s+0\s+0\s+0\s+n\/a\s+n\/a/m);
    const monthly = await json('--period', 'quarter');
    expect(monthly.totals.map((t) => [t.period, t.cases])).toEqual([['2026-Q1', 4]]);
  });

  it('reports as of an earlier instant with --as-of', async () => {
    const early = await json('--as-of', '2026-03-06T12:00:00+08:00');
    expect(early.asOf).toBe('2026-03-06T04:00:00.000Z');
    // day 4: nothing answered yet, nothing late yet; 1 and 3 accepted, 2 and 4 still in time
    expect(counts(early.totals[0])).toMatchObject({ onTimeAcceptance: [4, 4], onTimeCompletion: [0, 0] });
    expect(early.totals[0]?.colours).toEqual({ green: 4, blue: 0, red: 0 });
  });

  it("warns, and still reports, when --as-of is after the store's latest event", async () => {
    const r = await report(db, '--format', 'json', '--as-of', '2030-01-01T00:00:00+08:00');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(
      /^warning: --as-of 2029-12-31T16:00:00.000Z is after the store's latest event \(.*\): periods still running then count as missed/,
    );
    expect(JSON.parse(r.out).asOf).toBe('2029-12-31T16:00:00.000Z');
  });

  it('prints the annual report of Reg. 41 with --annual', async () => {
    const r = await json<{
      from: string;
      to: string;
      matters: { total: number };
      fields: unknown[];
      mostComplainedAbout: unknown[];
      disposal: unknown;
      supervision: unknown;
      suggestions: unknown[];
      receptions: unknown;
    }>('--annual');
    expect([r.from, r.to]).toEqual(['2026-01-01', '2027-01-01']);
    expect(r.matters.total).toBe(4);
    expect(r.fields).toEqual([
      { key: 'labour', name: 'labour', count: 3 },
      { key: 'housing', name: 'housing', count: 1 },
    ]);
    expect(r.mostComplainedAbout).toEqual([
      { key: 'county-hrss', name: '示范县人力资源和社会保障局', count: 3 },
      { key: 'county-housing', name: '示范县住房和城乡建设局', count: 1 },
    ]);
    expect(r.disposal).toEqual({ transfers: 1, assignments: 0, designations: 0 });
    expect(r.supervision).toEqual({
      supervised: 1,
      replies: 1,
      answeredOnTime: { count: 2, of: 2, rate: 1 }, // the reply and the adoption report, in time
      reopened: 1,
      spotChecksUpheld: 0,
      accountability: [],
      // the supervision letter names its ground, counted under its article and item (Reg. 45 (1))
      byGround: [
        {
          key: 'delay',
          name: '推诿、敷衍、拖延信访事项办理或者未在规定期限内办结信访事项',
          basis: 'reg-2022 art. 45 (1)',
          count: 1,
          supervised: 1,
          accountability: 0,
        },
      ],
      jointMeetingMeasures: [],
    });
    expect(r.suggestions[0]).toEqual({
      key: 'improve-work',
      name: '改进工作建议',
      made: 1,
      adopted: 1,
      notAdopted: 0,
      pending: 0,
    });
    expect(r.receptions).toEqual({ booked: 1, held: 1, resolved: 1 });
    const table = await report(db, '--annual');
    expect(table.out).toContain('信访工作年度报告');
    expect(table.out).toMatch(/改进工作建议\s+1\s+1\s+0\s+0/);
    expect(table.out).toMatch(/未在规定期限内办结信访事项\s+reg-2022 art\. 45 \(1\)\s+1\s+0/);
    const csv = await report(db, '--annual', '--format', 'csv', '--from', '2026-03-01', '--to', '2026-03-31');
    expect(csv.out).toContain('suggestions.adopted,improve-work,改进工作建议,1\r\n');
    expect(csv.out).toContain('matters,total,,4\r\n');
  });

  it('looks for hot spots with --hot-spots, and raises none from a lack of history', async () => {
    // four petitions in the county in the week to day 3, and no records before: the four weeks
    // before are no history to compare with, so there is no alarm, and the table says why
    const r = await json<{
      spots: { key: string; name: string; hot: boolean; volume: { last: number; trailingPeriods: number } }[];
    }>('--hot-spots', '--as-of', '2026-03-05T00:00:00+08:00');
    expect(r.spots.map((s) => [s.key, s.name, s.volume.last, s.volume.trailingPeriods, s.hot])).toEqual([
      ['990121', '示范县人民政府', 4, 0, false],
    ]);
    const bySubject = await report(db, '--hot-spots', 'subject', '--as-of', '2026-03-05T00:00:00+08:00');
    expect(bySubject.out).toMatch(/labour\s+3\s+no history\s/);
    expect(bySubject.out).toMatch(/· 0 hot\n/);
  });

  it('refuses bad input with CLI_USAGE and writes nothing', async () => {
    const missing = join(dir, 'missing.sqlite');
    const r1 = await report(missing);
    expect([r1.code, r1.err]).toEqual([2, expect.stringMatching(/error CLI_USAGE: no SQLite file at/)]);
    expect(existsSync(missing)).toBe(false);

    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a database');
    const r2 = await report(text);
    expect(r2.err).toMatch(/CLI_USAGE: .* is not a SQLite file/);
    expect(readFileSync(text, 'utf8')).toBe('not a database');

    // a SQLite file of something else: refused, and not turned into a store
    const other = join(dir, 'other.sqlite');
    const raw = new Database(other);
    raw.exec('CREATE TABLE notes (text TEXT)');
    raw.close();
    const r3 = await report(other);
    expect(r3.code).toBe(2);
    expect(r3.err).toMatch(/CLI_USAGE: .* is not an xinfang store/);
    const check = new Database(other, { readonly: true });
    expect(check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual([
      'notes',
    ]);
    check.close();

    for (const [args, message] of [
      [['--by', 'street'], /--by must be one of unit, region, kind/],
      [['--format', 'xml'], /--format must be one of table, json, csv/],
      [['--period', 'week'], /--period must be one of all, year, quarter, month/],
      [['--from', '2026-02-30'], /--from must be a real date YYYY-MM-DD from 1000-01-01 to 9998-12-31/],
      [['--to', '9999-12-31'], /--to must be a real date/],
      [['--from', '0001-01-01'], /--from must be a real date YYYY-MM-DD from 1000-01-01/],
      [['--as-of', '2026-02-30T00:00:00+08:00'], /--as-of must be a real instant/],
      [['--as-of', '2026-01-01T24:00:00Z'], /--as-of must be a real instant/],
      [['--as-of', '2026-01-01T08:00:00+15:00'], /--as-of must be a real instant/],
      [['--from', '2026-04-01', '--to', '2026-03-01'], /--to \(2026-03-01\) is before --from/],
      [['--as-of', '2026-05-01'], /--as-of must be a real instant with its zone/],
      [['--annual', '--hot-spots'], /ask for one at a time/],
      [['--hot-spots', 'street'], /--hot-spots must be one of region, unit, subject/],
    ] as const) {
      const r = await report(db, ...args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
    }
  });
});

describe('xinfang report over PostgreSQL', () => {
  it('reads the same cases from a postgres:// URL as from the SQLite file', async () => {
    const schema = `xf_test_report_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const store = await createPostgresStore({ connectionString: PG_URL, schema });
    try {
      await runNationalCases(store);
      const fromPg = await report(PG_URL, '--schema', schema, '--format', 'json');
      expect(fromPg.err).toBe('');
      expect(JSON.parse(fromPg.out)).toEqual(await json());
      const annual = await report(PG_URL, '--schema', schema, '--annual', '--format', 'csv');
      expect(annual.out).toBe((await report(db, '--annual', '--format', 'csv')).out);
    } finally {
      await store.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await store.close();
    }
  });

  it('says clearly when the server cannot be reached', async () => {
    const r = await report('postgres://postgres@127.0.0.1:1/test');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /error STORE_UNREACHABLE: cannot reach PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/test/,
    );
  });
});
