/** The annual report (Reg. 41) and hot spots over the county's cases and hand-built ones. */

import { annualReport, hotSpots, readCaseFacts } from '@xinfang/core/reporting';
import { beforeAll, describe, expect, it } from 'vitest';
// The hot-spot settings a config may override: read by `hotSpots`, not exported.
import { hotSpotSettings } from '../../src/metrics/index.js';
import { TEST_IDENTITY_KEYS } from '../keys.js';
import { configs, fact } from './facts.js';
import { countyConfig, runCounty } from './helpers.js';

describe('the annual report of Reg. 41', () => {
  let read: Awaited<ReturnType<typeof readCaseFacts>>;
  let asOf: string;
  beforeAll(async () => {
    const county = await runCounty();
    asOf = county.asOf;
    read = await readCaseFacts(county.store, { asOf });
  });

  it('counts the matters, their fields and the bodies complained about', () => {
    const r = annualReport(read.facts, { asOf, from: '2026-01-01', to: '2027-01-01', configs: read.configs });
    expect(r.jurisdictions).toEqual([{ id: 'cn.test-county', name: '测试县信访工作规程', version: '1' }]);
    expect(r.matters.total).toBe(7);
    expect(r.matters.byKind).toEqual([
      { key: 'appeal', name: '申诉求决类', count: 5 },
      { key: '(none)', name: '(none)', count: 1 },
      { key: 'suggestion', name: '建议意见类', count: 1 },
    ]);
    expect(r.matters.byChannel).toEqual([{ key: 'letter', name: 'letter', count: 7 }]);
    expect(r.fields).toEqual([{ key: 'housing', name: 'housing', count: 7 }]);
    expect(r.mostComplainedAbout).toEqual([{ key: 'county-works', name: '测试县住建局', count: 7 }]);
  });

  it('counts transfers, supervision, the three suggestions and their adoption, receptions', () => {
    const r = annualReport(read.facts, { asOf, from: '2026-01-01', to: '2027-01-01', configs: read.configs });
    expect(r.disposal).toEqual({ transfers: 1, assignments: 0, designations: 0 });
    expect(r.supervision).toEqual({
      supervised: 1, // F, day 45
      replies: 0,
      answeredOnTime: { count: 0, of: 1, rate: 0 }, // F's reply never came
      reopened: 1, // E
      spotChecksUpheld: 1, // G
      accountability: [],
      byGround: [],
      jointMeetingMeasures: [],
    });
    expect(r.suggestions).toEqual([
      { key: 'improve-work', name: '改进工作建议', made: 1, adopted: 1, notAdopted: 0, pending: 0 },
      { key: 'improve-policy', name: '完善政策建议', made: 1, adopted: 0, notAdopted: 1, pending: 0 },
      { key: 'accountability', name: '追究责任建议', made: 1, adopted: 0, notAdopted: 0, pending: 1 },
    ]);
    expect(r.receptions).toEqual({ booked: 1, held: 1, resolved: 1 });
    expect(r.outcomes).toEqual([{ key: 'explained', name: '诉求无理的思想教育到位', count: 1 }]);
    expect(r.followUps).toBe(0);
  });

  it('counts what was done in the period, whenever its case was registered', () => {
    // April: only F was registered; E's reopening (day 5, March) is out; F's supervision (day
    // 45) and the suggestions on A and B (days 57-58), cases of March, are in
    const r = annualReport(read.facts, { asOf, from: '2026-04-01', to: '2026-05-01', configs: read.configs });
    expect(r.matters.total).toBe(1);
    expect(r.supervision).toMatchObject({ supervised: 1, reopened: 0, spotChecksUpheld: 0 });
    expect(r.disposal.transfers).toBe(0);
    expect(r.suggestions.map((s) => s.made)).toEqual([1, 1, 1]);
    const march = annualReport(read.facts, {
      asOf,
      from: '2026-03-01',
      to: '2026-04-01',
      configs: read.configs,
    });
    expect(march.matters.total).toBe(6);
    expect(march.supervision).toMatchObject({ supervised: 0, reopened: 1, spotChecksUpheld: 1 });
    expect(march.suggestions.map((s) => s.made)).toEqual([0, 0, 0]);
  });
});

describe('hot spots', () => {
  const DAY = 86_400_000;
  const asOf = '2026-05-01T00:00:00.000Z';
  /** A case registered `daysAgo` days before the instant in the region of `unit`. */
  const at = (id: string, daysAgo: number, unit: string, repeat: boolean | null = false) => {
    const registeredAt = new Date(Date.parse(asOf) - daysAgo * DAY + 3_600_000).toISOString();
    return fact(id, {
      registeredAt,
      registeredDate: registeredAt.slice(0, 10),
      registeringUnit: unit,
      repeat,
    });
  };
  const settings = { periodDays: 10, trailingPeriods: 3, factor: 1.5 };

  it('flags a region whose last period exceeds its trailing average by the factor', () => {
    const facts = [
      // county 880101: 2 a period for three periods, then 5 (> 1.5 x 2)
      ...[35, 33, 25, 23, 15, 13].map((d, i) => at(`t${i}`, d, 'county-office')),
      ...[5, 4, 3, 2, 1].map((d, i) => at(`l${i}`, d, 'county-works')),
      // city 880100: 1 a period, then 1: not hot; and one case too old to count
      ...[35, 25, 15, 5, 45].map((d, i) => at(`c${i}`, d, 'city-bureau')),
    ];
    const r = hotSpots(facts, { asOf, configs: configs(), settings });
    expect(r.settings).toEqual(settings);
    expect(r.last).toEqual({ from: '2026-04-21T00:00:00.000Z', to: asOf });
    expect(r.spots.map((s) => [s.key, s.name, s.volume.last, s.volume.trailingAverage, s.hot])).toEqual([
      ['880101', '测试县人民政府', 5, 2, true],
      ['880100', '测试市人民政府', 1, 1, false],
    ]);
  });

  it('names a body by its own name when hot spots are grouped by unit, and ignores unusable overrides', () => {
    const facts = [...[35, 25, 15, 5, 4, 3].map((d, i) => at(`u${i}`, d, 'county-office'))];
    const r = hotSpots(facts, { asOf, configs: configs(), by: 'unit', settings: { ...settings, factor: 0 } });
    expect(r.settings.factor).toBeGreaterThan(0);
    expect(r.spots.map((s) => [s.key, s.name])).toEqual([['county-office', '测试县信访办']]);
  });

  it('counts an average below one case as one: a single new petition is no alarm, two are', () => {
    // the records start 45 days back, before the window: all three trailing periods are history
    const since = at('old', 45, 'county-office');
    const one = hotSpots([since, at('a', 1, 'county-office')], { asOf, configs: configs(), settings });
    expect(one.spots[0]?.hot).toBe(false);
    const two = hotSpots([since, at('a', 1, 'county-office'), at('b', 2, 'county-office')], {
      asOf,
      configs: configs(),
      settings,
    });
    expect(two.spots[0]).toMatchObject({
      volume: { last: 2, trailingAverage: 0, trailingPeriods: 3, hot: true },
      hot: true,
    });
  });

  it('raises no alarm from a lack of history: only periods after the first registration count', () => {
    // a new store: its first cases came 4 days ago; nothing before is history, not silence
    const fresh = [5, 4, 3, 2, 1].map((d, i) => at(`n${i}`, d - 0.5, 'county-works'));
    const none = hotSpots(fresh, { asOf, configs: configs(), settings });
    expect(none.spots[0]).toMatchObject({
      volume: { last: 5, trailingAverage: 0, trailingPeriods: 0, hot: false },
      hot: false,
    });
    // records from 31 days back: two whole trailing periods (2 cases each); the partial third,
    // with the first case in it, is left out
    const young = [...[31, 28, 25, 15, 13].map((d, i) => at(`y${i}`, d, 'county-works')), ...fresh];
    const two = hotSpots(young, { asOf, configs: configs(), settings });
    expect(two.spots[0]?.volume).toEqual({ last: 5, trailingAverage: 2, trailingPeriods: 2, hot: true });
  });

  it('flags a rising repeat rate with at least two repeats, by subject too', () => {
    const facts = [
      // trailing: 6 cases, 1 repeat (1/6); last: 3 cases, 2 repeats (2/3 > 1.5 x 1/6)
      ...[35, 33, 25, 23, 15, 13].map((d, i) => at(`t${i}`, d, 'county-office', i === 0)),
      ...[5, 4, 3].map((d, i) => at(`l${i}`, d, 'county-office', i < 2)),
      // the records start before the window
      at('old', 45, 'county-office'),
    ];
    const r = hotSpots(facts, { asOf, configs: configs(), settings, by: 'subject' });
    expect(r.spots).toEqual([
      {
        key: 'housing',
        name: 'housing',
        jurisdictionId: 'cn.test-county',
        volume: { last: 3, trailingAverage: 2, trailingPeriods: 3, hot: false },
        repeat: {
          last: { count: 2, of: 3, rate: 2 / 3 },
          trailing: { count: 1, of: 6, rate: 1 / 6 },
          hot: true,
        },
        hot: true,
      },
    ]);
    // one repeat alone is not an alarm
    const single = hotSpots(facts.slice(0, 7), { asOf, configs: configs(), settings, by: 'subject' });
    expect(single.spots[0]?.repeat.hot).toBe(false);
  });

  it('takes its settings from the config, the defaults without them', () => {
    expect(hotSpotSettings(countyConfig().value)).toEqual({
      periodDays: 30,
      trailingPeriods: 3,
      factor: 1.5,
    });
    expect(
      hotSpotSettings({
        ...countyConfig().value,
        reporting: { hotSpots: { periodDays: 7, trailingPeriods: 4, factor: 2 } },
      }),
    ).toEqual({ periodDays: 7, trailingPeriods: 4, factor: 2 });
  });
});

describe('reports over a form that names its fields its own way', () => {
  it('read the subject and the body complained of where reporting.fields says', async () => {
    const { fileURLToPath } = await import('node:url');
    const { createEngine, createMemoryStore, loadConfigOrThrow, ManualClock } = await import('@xinfang/core');
    const { mainland, P, day } = await import('./helpers.js');
    const file = fileURLToPath(new URL('./fixtures/county-renamed.yaml', import.meta.url));
    const config = loadConfigOrThrow(file, { calendars: new Map([['cn-mainland', mainland()]]) }).value;
    expect(config.reporting?.fields).toEqual({ subject: 'matter.category', respondent: 'complainedOf' });
    const store = createMemoryStore();
    const engine = createEngine({
      configs: [config],
      store,
      clock: new ManualClock(day(0)),
      calendars: [mainland()],
      identityKeys: TEST_IDENTITY_KEYS,
    });
    const petition = (category: string, complainedOf: string, request: string) => ({
      channel: 'letter',
      kind: 'appeal',
      petitioner: { name: '李四' },
      matter: { category },
      complainedOf,
      request,
    });
    await engine.submit(petition('land', 'county-works', '确认土地权属'), P.clerkOffice);
    await engine.submit(petition('land', 'county-works', '停止违法占地'), P.clerkOffice);
    await engine.submit(petition('labour', 'county-office', '支付工资'), P.clerkOffice);
    const asOf = day(2);
    const read = await readCaseFacts(store, { asOf });
    const r = annualReport(read.facts, { asOf, from: '2026-01-01', to: '2027-01-01', configs: read.configs });
    expect(r.fields).toEqual([
      { key: 'land', name: 'land', count: 2 },
      { key: 'labour', name: 'labour', count: 1 },
    ]);
    expect(r.mostComplainedAbout.map((b) => [b.key, b.count])).toEqual([
      ['county-works', 2],
      ['county-office', 1],
    ]);
  });

  it('refuses at load a reporting field the form does not have, pointing at it', async () => {
    const { parseConfigText } = await import('@xinfang/core');
    const { fileURLToPath } = await import('node:url');
    const file = fileURLToPath(new URL('./fixtures/county-typo.yaml', import.meta.url));
    const r = parseConfigText(
      'extends: ./county-renamed.yaml\nreporting:\n  fields: { subject: matter.categry }\n',
      file,
    );
    expect(r.value).toBeUndefined();
    const d = r.diagnostics.find((x) => x.severity === 'error');
    expect(d).toMatchObject({ code: 'CONFIG_UNKNOWN_REFERENCE', line: 3 });
    expect(d?.message).toMatch(/`subject`.*`matter.categry`/);
    expect(d?.hint).toMatch(/category/);
  });
});
