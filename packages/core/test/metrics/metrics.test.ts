/**
 * Every metric on the county's seven cases (helpers.ts runs them through the engine), each
 * answer worked out here from the script.
 */

import {
  type CaseFacts,
  caseSteps,
  type MetricRow,
  type MetricsReport,
  metricsReport,
  type ReadFacts,
  readCaseFacts,
} from '@xinfang/core/reporting';
import { beforeAll, describe, expect, it } from 'vitest';
import { day, runCounty } from './helpers.js';

let county: Awaited<ReturnType<typeof runCounty>>;
let read: ReadFacts;
let facts: Record<string, CaseFacts>;
let report: MetricsReport;

beforeAll(async () => {
  county = await runCounty();
  read = await readCaseFacts(county.store, { asOf: county.asOf });
  facts = Object.fromEntries(
    Object.entries(county.id).map(([letter, caseId]) => [
      letter,
      read.facts.find((f) => f.caseId === caseId),
    ]),
  ) as Record<string, CaseFacts>;
  report = metricsReport(read.facts, { asOf: county.asOf, configs: read.configs });
});

const row = (r: MetricsReport, key: string) => r.rows.find((x) => x.key === key) as MetricRow;
const counts = (r: MetricRow) =>
  Object.fromEntries(Object.entries(r.rates).map(([k, v]) => [k, [v.count, v.of]]));

describe('the facts of each case', () => {
  it('judges every duty period: met, missed, lapsed, and who owed it', () => {
    const periods = (letter: string) =>
      facts[letter]?.periods.map((p) => [p.deadline, p.phase, p.verdict, p.owner]);
    expect(periods('A')).toEqual([
      ['intake', 'acceptance', 'met', 'county-office'],
      ['work', 'completion', 'met', 'county-office'],
    ]);
    // the city bureau sent B on in time; the works bureau took it after its 15 days
    expect(periods('B')).toEqual([
      ['intake', 'acceptance', 'met', 'city-bureau'],
      ['decide', 'acceptance', 'missed', 'county-works'],
      ['work', 'completion', 'met', 'county-works'],
    ]);
    // the review is owed by the body one level up (the county office's own government, Reg. 35),
    // the re-examination by the one above the body that reviewed (Reg. 36)
    expect(periods('C')).toEqual([
      ['intake', 'acceptance', 'met', 'county-office'],
      ['work', 'completion', 'met', 'county-office'],
      ['appealDuty', 'completion', 'met', 'county-gov'],
      ['secondDuty', 'completion', 'met', 'city-gov'],
    ]);
    // a withdrawal ends the period in time, but no body met it
    expect(periods('D')).toEqual([
      ['intake', 'acceptance', 'met', 'county-office'],
      ['work', 'completion', 'lapsed', 'county-office'],
    ]);
    // refused in time, reopened, taken again in time, answered four days late
    expect(periods('E')).toEqual([
      ['intake', 'acceptance', 'met', 'county-office'],
      ['intake', 'acceptance', 'met', 'county-office'],
      ['work', 'completion', 'missed', 'county-office'],
    ]);
    // the reply to supervision is the supervised body's answer, not a procedure period
    expect(periods('F')).toEqual([
      ['intake', 'acceptance', 'missed', 'county-office'],
      ['answerDuty', 'supervision', 'missed', 'county-office'],
    ]);
    expect(periods('G')).toEqual([['intake', 'acceptance', 'met', 'county-office']]);
  });

  it('reads state, stage and colour as the store has them, ratings, repeats and checks', () => {
    const summary = (letter: string) => {
      const f = facts[letter] as CaseFacts;
      return [f.state, f.stage, f.colour, f.rating.status, f.rating.value, f.repeat, f.ageDays];
    };
    expect(summary('A')).toEqual(['finished', 'closed', 'blue', 'rated', 'satisfied', false, 60]);
    expect(summary('B')).toEqual(['finished', 'closed', 'blue', 'not-rated', undefined, false, 60]);
    expect(summary('C')).toEqual(['final', 'terminated', 'blue', 'rated', 'dissatisfied', false, 60]);
    expect(summary('D')).toEqual(['dropped', 'withdrawn', 'blue', 'not-owed', undefined, false, 60]);
    expect(summary('E')).toEqual(['answered', 'opinion', 'red', 'not-rated', undefined, false, 60]);
    // F repeats A (same id number, same matter); G gave no id number: repetition unknown
    expect(summary('F')).toEqual(['intake', 'registration', 'red', 'not-owed', undefined, true, 30]);
    expect(summary('G')).toEqual(['refused', 'not-accepted', 'blue', 'not-owed', undefined, null, 60]);
    expect(facts.C?.checks.map((c) => [c.kind, c.overturned])).toEqual([
      ['review', true],
      ['reexamination', false],
    ]);
    expect(facts.E?.checks.map((c) => [c.kind, c.overturned])).toEqual([['spot-check', true]]);
    expect(facts.G?.checks.map((c) => [c.kind, c.overturned])).toEqual([['spot-check', false]]);
    expect([
      facts.C?.opinion,
      facts.C?.reviewRequested,
      facts.C?.reviewDecided,
      facts.C?.reexaminationRequested,
    ]).toEqual([true, true, true, true]);
    expect(facts.B?.unit).toBe('county-works');
    expect(facts.B?.registeringUnit).toBe('city-bureau');
    expect(facts.D?.kind).toBe('suggestion');
    expect(facts.G?.kind).toBeUndefined();
  });

  it('agrees with the store: the colour of every case is the stored one', async () => {
    for (const f of read.facts) expect(f.colour).toBe((await county.store.getCase(f.caseId))?.colour);
  });

  it('reads the steps from the config, and replays the machine where that disagrees', async () => {
    const caseId = county.id.C as string;
    const projection = (await county.store.getCase(caseId)) as NonNullable<
      Awaited<ReturnType<typeof county.store.getCase>>
    >;
    const events = await county.store.events(caseId);
    const read = caseSteps(county.config, projection, events);
    expect(read.map((s) => s.toStage)).toEqual([
      'registration',
      'handling',
      'opinion',
      'opinion',
      'review',
      'opinion',
      'reexamination',
      'terminated',
    ]);
    // a projection the inference cannot match (a wrong colour) makes it replay: same steps
    const replayed = caseSteps(county.config, { ...projection, colour: 'red' }, events);
    expect(replayed.map((s) => [s.to, s.red])).toEqual(read.map((s) => [s.to, s.red]));
  });
});

describe('the report by body', () => {
  it('counts cases by colour and stage for the body responsible for them', () => {
    const office = row(report, 'county-office');
    expect(office.name).toBe('测试县信访办');
    expect(office.cases).toBe(6);
    expect(office.colours).toEqual({ green: 0, blue: 4, red: 2 });
    expect(office.stages).toEqual({
      closed: 1,
      terminated: 1,
      withdrawn: 1,
      opinion: 1,
      registration: 1,
      'not-accepted': 1,
    });
    expect(row(report, 'county-works').cases).toBe(1);
  });

  it('computes each rate over its own denominator', () => {
    expect(counts(row(report, 'county-office'))).toEqual({
      onTimeAcceptance: [6, 7], // A C D E E G met, F missed
      onTimeCompletion: [2, 3], // A C met, E late (C's review and re-examination were other bodies')
      satisfaction: [1, 2], // A satisfied, C dissatisfied
      ratingParticipation: [2, 3], // E's window ran out unrated; D, F, G owed no rating
      repeatPetition: [1, 5], // F; G's repetition is unknown
      reviewRate: [1, 3], // of A C E's answers, C's was reviewed
      reexaminationRate: [1, 1],
      overturnRate: [2, 4], // C's review changed, E reopened; C's re-examination and G's check upheld
    });
    const works = row(report, 'county-works');
    expect(counts(works)).toMatchObject({ onTimeAcceptance: [0, 1], onTimeCompletion: [1, 1] });
    // nothing to count a rate of: null, never 0
    expect(works.rates.satisfaction.rate).toBeNull();
    expect(works.rates.ratingParticipation.rate).toBe(0);
    expect(works.rates.reexaminationRate.rate).toBeNull();
    expect(row(report, 'city-bureau')).toMatchObject({ cases: 0, rates: { onTimeAcceptance: { rate: 1 } } });
    // C's review by the county government, its re-examination by the city government
    expect(row(report, 'county-gov').rates.onTimeCompletion).toEqual({ count: 1, of: 1, rate: 1 });
    expect(row(report, 'city-gov').rates.onTimeCompletion).toEqual({ count: 1, of: 1, rate: 1 });
    // the registry's order: province, city, county
    expect(report.rows.map((r) => r.key)).toEqual([
      'city-gov',
      'city-bureau',
      'county-gov',
      'county-office',
      'county-works',
    ]);
  });

  it('splits overturns by where the decision was checked', () => {
    const office = row(report, 'county-office');
    expect(office.overturns.review).toEqual({ count: 1, of: 1, rate: 1 });
    expect(office.overturns.reexamination).toEqual({ count: 0, of: 1, rate: 0 });
    expect(office.overturns.spotCheck).toEqual({ count: 1, of: 2, rate: 0.5 });
  });

  it('totals every case and every period, with the index from the config weights', () => {
    const [total] = report.totals;
    expect(report.totals).toHaveLength(1);
    expect(total?.cases).toBe(7);
    expect(total?.colours).toEqual({ green: 0, blue: 5, red: 2 });
    expect(counts(total as MetricRow)).toEqual({
      onTimeAcceptance: [7, 9],
      onTimeCompletion: [5, 6],
      satisfaction: [1, 2],
      ratingParticipation: [2, 4],
      repeatPetition: [1, 6],
      reviewRate: [1, 4],
      reexaminationRate: [1, 1],
      overturnRate: [2, 4],
    });
    // county.yaml weighs 3 3 2 1 1 0 (0: re-examination left out) 2; lower-is-better rates
    // score 1 - rate; the weights of rates that exist divide the sum
    const points = 3 * (7 / 9) + 3 * (5 / 6) + 2 * (1 / 2) + 1 * (2 / 4) + 1 * (1 - 1 / 6) + 2 * (1 - 2 / 4);
    expect(total?.index.value).toBeCloseTo((100 * points) / 12, 10);
    const satisfaction = total?.index.components.find((c) => c.component === 'satisfaction');
    expect(satisfaction).toEqual({
      component: 'satisfaction',
      weight: 2,
      rate: 0.5,
      score: 0.5,
      points: (100 * 2 * 0.5) / 12,
    });
    expect(total?.index.components.find((c) => c.component === 'reexaminationRate')?.weight).toBe(0);
    expect(report.jurisdictions).toEqual([
      expect.objectContaining({ id: 'cn.test-county', defaultWeights: false }),
    ]);
  });

  it('lists the longest-open cases, oldest first', () => {
    expect(row(report, 'county-office').longestOpen.map((c) => [c.caseId, c.ageDays, c.colour])).toEqual([
      [county.id.E, 60, 'red'],
      [county.id.F, 30, 'red'],
    ]);
    expect(report.totals[0]?.longestOpen[0]).toMatchObject({ unitName: '测试县信访办', stage: 'opinion' });
  });
});

describe('other groupings and periods', () => {
  it('groups by region: bodies of one region together', () => {
    const r = metricsReport(read.facts, { asOf: county.asOf, configs: read.configs, by: 'region' });
    expect(r.rows.map((x) => [x.key, x.name, x.cases])).toEqual([
      ['880100', '测试市人民政府', 0],
      ['880101', '测试县人民政府', 7],
    ]);
    // the city: the bureau's intake of B, and the re-examination of C
    expect(counts(r.rows[0] as MetricRow)).toMatchObject({
      onTimeAcceptance: [1, 1],
      onTimeCompletion: [1, 1],
    });
    // the county: its bodies' periods, and the county government's review of C
    expect(counts(r.rows[1] as MetricRow)).toMatchObject({
      onTimeAcceptance: [6, 8],
      onTimeCompletion: [4, 5],
    });
  });

  it('groups by kind of matter, a case without one under (none)', () => {
    const r = metricsReport(read.facts, { asOf: county.asOf, configs: read.configs, by: 'kind' });
    expect(r.rows.map((x) => [x.key, x.name, x.cases])).toEqual([
      ['(none)', '(未指明)', 1],
      ['appeal', '申诉求决类', 5],
      ['suggestion', '建议意见类', 1],
    ]);
    expect(counts(r.rows[1] as MetricRow)).toMatchObject({ onTimeAcceptance: [5, 7], satisfaction: [1, 2] });
  });

  it('splits by month of registration and keeps to --from/--to', () => {
    const monthly = metricsReport(read.facts, { asOf: county.asOf, configs: read.configs, period: 'month' });
    expect(monthly.totals.map((t) => [t.period, t.cases])).toEqual([
      ['2026-03', 6],
      ['2026-04', 1],
    ]);
    const april = metricsReport(read.facts, { asOf: county.asOf, configs: read.configs, from: '2026-04-01' });
    expect(april.totals[0]).toMatchObject({ cases: 1, colours: { red: 1 } });
    expect(counts(april.totals[0] as MetricRow).onTimeAcceptance).toEqual([0, 1]);
  });

  it('reads the store as of an earlier instant: later steps do not count yet', async () => {
    const early = await readCaseFacts(county.store, { asOf: day(4) });
    expect(early.facts).toHaveLength(6); // F was registered on day 30
    const r = metricsReport(early.facts, { asOf: day(4), configs: early.configs });
    expect(counts(r.totals[0] as MetricRow)).toMatchObject({
      onTimeAcceptance: [6, 6], // B's 15 days at the works bureau are still running: not judged
      onTimeCompletion: [0, 0],
    });
    expect(r.totals[0]?.rates.onTimeCompletion.rate).toBeNull();
    expect(r.totals[0]?.colours).toEqual({ green: 3, blue: 3, red: 0 });
  });

  it('counts a period overdue at the instant as missed before the clock has fired it', async () => {
    // F's intake period ran out at the end of day 42 (2026-04-13); the clock fired it on day 45
    const caseId = county.id.F as string;
    const before = await readCaseFacts(county.store, { asOf: day(43), from: '2026-04-01' });
    const f = before.facts.find((x) => x.caseId === caseId);
    expect(f?.periods.map((p) => p.verdict)).toEqual(['missed']);
    expect(f?.colour).toBe('green');
  });

  it("defaults the instant to the store's latest event", async () => {
    const latest = await readCaseFacts(county.store);
    const events = await Promise.all(Object.values(county.id).map((id) => county.store.events(id)));
    expect(latest.asOf).toBe(
      events
        .flat()
        .map((e) => e.at)
        .sort()
        .at(-1),
    );
    expect(latest.cases).toBe(7);
  });
});
