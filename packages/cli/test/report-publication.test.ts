/**
 * `xinfang report <db> --index-publication <period>` over a real SQLite file: Zhejiang's
 * monthly publication of the legalization index (configs/provinces/zhejiang, weights
 * acceptance 0.25, completion 0.25, satisfaction 0.2, participation 0.05, repeat 0.15, review
 * 0.04, re-examination 0.03, overturn 0.03). The cases, by hand (November 2026 has no holiday):
 *
 * 1. Monday 11-02, a letter straight to the Tonglu human-resources bureau. Accepted 11-03 (its
 *    written notice was due 11-17: met); not supported 11-10 (handling due 12-03: met); received
 *    11-11, rated satisfied 11-12.
 * 2. Monday 11-02, a letter to the Tonglu petition bureau about housing. Zhejiang's 5 working
 *    days end Monday 11-09 (11-03, 04, 05, 06, 09); transferred only 11-12: missed, and the
 *    bureau owed it. The housing bureau's 15 days end 11-27; it accepts 11-30: missed. Its
 *    handling (due 12-30) still runs at the end of November.
 * 3. Monday 10-26 to the human-resources bureau, never answered: registered in October, so not
 *    in November's publication (its notice, due 11-10, would make the bureau's acceptance 1/2).
 * 4. Wednesday 12-02, a letter to the petition bureau: the store runs past November, so the
 *    publication is as of the end of November (2026-12-01 00:00 Beijing) and leaves it out.
 *
 * Rows, each index = 100 × Σ weight × score / Σ weight over the components with a figure:
 * - human-resources bureau (case 1): acceptance 1/1, completion 1/1, satisfaction 1/1,
 *   participation 1/1, repeat 0/1 (scores 1), review 0/1 (scores 1): 100.
 * - housing bureau (case 2, responsible at the instant): acceptance 0/1, repeat 0/1:
 *   100 × 0.15 / (0.25 + 0.15) = 37.5.
 * - petition bureau (no case, its missed disposal): acceptance 0/1: 0.
 * - total: acceptance 1/3, completion 1/1, satisfaction 1/1, participation 1/1, repeat 0/2,
 *   review 0/1: 100 × (0.25/3 + 0.25 + 0.2 + 0.05 + 0.15 + 0.04) / 0.94 = 82.2695...
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type ActorRef,
  createEngine,
  ephemeralIdentityKeys,
  loadCalendarDir,
  loadConfigOrThrow,
  ManualClock,
} from '@xinfang/core';
import type { IndexPublication } from '@xinfang/core/reporting';
import { createSqliteStore } from '@xinfang/storage-sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIo, runCli } from '../src/index.js';

const root = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'xinfang-publication-'));
const db = join(dir, 'zhejiang.sqlite');
const nationalDb = join(dir, 'national.sqlite');
const ids: Record<number, string> = {};

const staff = (role: string, unit: string): ActorRef => ({ id: `${role}@${unit}`, role, unit });
/** 09:00 Beijing on a civil date, plus `minutes`. */
const at = (date: string, minutes = 0) =>
  new Date(Date.parse(`${date}T09:00:00+08:00`) + minutes * 60_000).toISOString();

function petition(
  n: number,
  receivedAt: string,
  receivingUnit: string,
  subject: string,
  respondentUnit: string,
) {
  return {
    channel: 'letter',
    receivedAt,
    receivingUnit,
    petitioner: {
      name: `信访人${n}`,
      idNumber: `33012219800101${String(n).padStart(3, '0')}X`,
      phone: `1390000000${n}`,
      address: '桐庐县城南街道迎春南路 8 号',
    },
    subject,
    summary: '事实与理由',
    request: `诉求${n}`,
    respondentUnit,
  };
}

beforeAll(async () => {
  const calendars = loadCalendarDir(resolve(root, 'configs/calendars'));
  const zhejiang = loadConfigOrThrow(resolve(root, 'configs/provinces/zhejiang/zhejiang.yaml'), {
    calendars,
  }).value;
  const store = createSqliteStore({ path: db });
  const clock = new ManualClock(at('2026-10-26'));
  const engine = createEngine({
    configs: [zhejiang],
    store,
    clock,
    calendars,
    identityKeys: ephemeralIdentityKeys('publication-test'),
  });
  const step = async (date: string, minutes = 0) => {
    clock.set(at(date, minutes));
    await engine.tick();
  };
  const submit = async (n: number, date: string, unit: string, subject: string, respondent: string) => {
    await step(date);
    ids[n] = (
      await engine.submit(petition(n, date, unit, subject, respondent), staff('registrar', unit), {
        petitionerId: `p-${n}`,
      })
    ).caseId;
  };
  const send = async (n: number, date: string, type: string, actor: ActorRef, payload = {}) => {
    await step(date, n);
    await engine.send(ids[n] as string, { type, payload }, actor);
  };
  await submit(3, '2026-10-26', 'tl-hrss', 'labour', 'tl-hrss');
  await submit(1, '2026-11-02', 'tl-hrss', 'labour', 'tl-hrss');
  await submit(2, '2026-11-02', 'tl-bureau', 'housing', 'tl-housing');
  await send(1, '2026-11-03', 'ACCEPT', staff('acceptor', 'tl-hrss'));
  await send(1, '2026-11-10', 'OPINION', staff('handler', 'tl-hrss'), {
    outcome: 'not-supported',
    findings: '经调查核实，诉求缺乏依据。',
    legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
  });
  await send(1, '2026-11-11', 'RECEIPT', staff('registrar', 'tl-hrss'), { receivedAt: '2026-11-11' });
  await send(1, '2026-11-12', 'RATE', { id: 'p-1', role: 'petitioner' }, { rating: 'satisfied' });
  await send(2, '2026-11-12', 'TRANSFER', staff('acceptor', 'tl-bureau'), { unit: 'tl-housing' });
  await send(2, '2026-11-30', 'ACCEPT', staff('acceptor', 'tl-housing'));
  await submit(4, '2026-12-02', 'tl-bureau', 'labour', 'tl-hrss');
  await step('2026-12-03');
  await store.close();

  // a store whose jurisdiction declares no publication
  const national = loadConfigOrThrow(resolve(root, 'configs/national.yaml'), { calendars }).value;
  const other = createSqliteStore({ path: nationalDb });
  const nationalEngine = createEngine({
    configs: [national],
    store: other,
    clock: new ManualClock(at('2026-11-02')),
    calendars,
    identityKeys: ephemeralIdentityKeys('publication-test'),
  });
  await nationalEngine.submit(
    petition(9, '2026-11-02', 'county-bureau', 'labour', 'county-hrss'),
    staff('registrar', 'county-bureau'),
    { petitionerId: 'p-9' },
  );
  await other.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function report(...args: string[]) {
  const io = bufferIo(root);
  const code = await runCli(['report', ...args], io);
  return { code, out: io.stdout(), err: io.stderr() };
}

async function json(...args: string[]): Promise<IndexPublication> {
  const r = await report(db, '--format', 'json', '--index-publication', ...args);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as IndexPublication;
}

const points = (p: IndexPublication['rows'][number] | undefined) =>
  Object.fromEntries((p?.components ?? []).filter((c) => c.rate !== null).map((c) => [c.component, c.rate]));

describe('xinfang report --index-publication (Zhejiang, monthly)', () => {
  it('ranks the bodies of November by their index, as worked out by hand', async () => {
    const p = await json('2026-11');
    expect(p).toMatchObject({
      jurisdictionId: 'cn.zhejiang',
      cadence: 'monthly',
      by: 'unit',
      period: '2026-11',
      from: '2026-11-01',
      to: '2026-12-01',
      // the store ran into December: published as of the end of November, Beijing time
      asOf: '2026-11-30T16:00:00.000Z',
      endsAt: '2026-11-30T16:00:00.000Z',
      complete: true,
      illustrative: true,
      weights: expect.objectContaining({ onTimeAcceptance: 0.25, repeatPetition: 0.15 }),
    });
    expect(p.rows.map((r) => [r.rank, r.key, r.cases])).toEqual([
      [1, 'tl-hrss', 1],
      [2, 'tl-housing', 1],
      [3, 'tl-bureau', 0],
    ]);
    expect(p.rows[0]?.index).toBeCloseTo(100, 9);
    expect(points(p.rows[0])).toEqual({
      onTimeAcceptance: 1,
      onTimeCompletion: 1,
      satisfaction: 1,
      ratingParticipation: 1,
      repeatPetition: 0,
      reviewRate: 0,
    });
    expect(p.rows[1]?.index).toBeCloseTo(37.5, 9);
    expect(points(p.rows[1])).toEqual({ onTimeAcceptance: 0, repeatPetition: 0 });
    expect(p.rows[2]?.index).toBe(0);
    expect(p.total.cases).toBe(2);
    expect(p.total.rank).toBeNull();
    expect(p.total.index).toBeCloseTo((100 * (0.25 / 3 + 0.25 + 0.2 + 0.05 + 0.15 + 0.04)) / 0.94, 9);
  });

  it('publishes a month still running as provisional, as of the instant asked', async () => {
    const p = await json('2026-11', '--as-of', '2026-11-20T12:00:00+08:00');
    expect(p.asOf).toBe('2026-11-20T04:00:00.000Z');
    expect(p.complete).toBe(false);
    // on 11-20 the housing bureau's 15 days (due 11-27) still ran: its only figure is repeat 0/1,
    // so it scores 100 as the human-resources bureau does; the two share rank 1, in the
    // registry's order, and the petition bureau (its missed disposal) is third
    expect(p.rows.map((r) => [r.rank, r.key])).toEqual([
      [1, 'tl-hrss'],
      [1, 'tl-housing'],
      [3, 'tl-bureau'],
    ]);
    expect(points(p.rows[1])).toEqual({ repeatPetition: 0 });
    const r = await report(db, '--index-publication', '2026-11', '--as-of', '2026-11-20T12:00:00+08:00');
    expect(r.out).toContain('provisional: the period ends 2026-11-30T16:00:00.000Z');
  });

  it('prints the table and the CSV of the same figures', async () => {
    const table = await report(db, '--index-publication', '2026-11');
    expect(table.code).toBe(0);
    expect(table.out).toContain('2026-11 (monthly, by unit)');
    expect(table.out).toContain('cases registered 2026-11-01 to 2026-11-30');
    expect(table.out).toContain('illustrative');
    expect(table.out).toMatch(/\n1\s+桐庐县人力资源和社会保障局\s+1\s+100\.0/);
    expect(table.out).toMatch(/\n2\s+桐庐县住房和城乡建设局\s+1\s+37\.5/);
    const csv = await report(db, '--index-publication', '2026-11', '--format', 'csv');
    const lines = csv.out.trimEnd().split('\r\n');
    expect(lines[0]?.split(',').slice(0, 7)).toEqual([
      'jurisdiction',
      'period',
      'rank',
      'key',
      'name',
      'cases',
      'index',
    ]);
    expect(lines.slice(1).map((l) => l.split(',').slice(2, 4))).toEqual([
      ['1', 'tl-hrss'],
      ['2', 'tl-housing'],
      ['3', 'tl-bureau'],
      ['', '*'],
    ]);
  });

  it('refuses a period not of the cadence, and a store whose jurisdiction publishes none, with their codes', async () => {
    for (const bad of ['2026-Q4', '2026-13', '2026']) {
      const r = await report(db, '--index-publication', bad);
      expect(r.code, bad).not.toBe(0);
      expect(r.err, bad).toContain('REPORT_PERIOD_INVALID');
    }
    const none = await report(nationalDb, '--index-publication', '2026-11');
    expect(none.code).not.toBe(0);
    expect(none.err).toContain('REPORT_NOT_PUBLISHED');
    const both = await report(db, '--index-publication', '2026-11', '--annual');
    expect(both.err).toContain('CLI_USAGE');
  });
});
