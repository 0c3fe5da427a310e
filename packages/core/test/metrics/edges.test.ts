/** The edges of the arithmetic: no cases, all late, ratings missing, weights left out. */

import { createMemoryStore } from '@xinfang/core';
import { metricsReport, readCaseFacts } from '@xinfang/core/reporting';
import { describe, expect, it } from 'vitest';
// Parts of the report the package does not export, tested here on their own.
import {
  DEFAULT_INDEX_WEIGHTS,
  indexWeights,
  legalizationIndex,
  ratio,
  repeatIndex,
} from '../../src/metrics/index.js';
import { TEST_IDENTITY_KEYS } from '../keys.js';
import { configs, fact, period } from './facts.js';
import { countyConfig } from './helpers.js';

const ASOF = '2026-05-01T00:00:00.000Z';

describe('no cases', () => {
  it('an empty store reads as nothing, with no instant to be as of', async () => {
    const read = await readCaseFacts(createMemoryStore());
    expect(read).toEqual({ asOf: undefined, facts: [], configs: new Map(), cases: 0 });
    expect(metricsReport([], { asOf: ASOF, configs: new Map() })).toMatchObject({ rows: [], totals: [] });
  });

  it('a period with no case gives every rate and the index as null, not 0 or NaN', () => {
    const r = metricsReport([fact('a')], { asOf: ASOF, configs: configs(), from: '2026-04-01' });
    expect(r.rows).toEqual([]);
    const [total] = r.totals;
    expect(total?.cases).toBe(0);
    expect(total?.colours).toEqual({ green: 0, blue: 0, red: 0 });
    for (const rate of Object.values(total?.rates ?? {}))
      expect(rate).toEqual({ count: 0, of: 0, rate: null });
    expect(total?.index.value).toBeNull();
    expect(total?.index.components.every((c) => c.score === null && c.points === null)).toBe(true);
  });

  it('ratio(0, 0) is null', () => {
    expect(ratio(0, 0)).toEqual({ count: 0, of: 0, rate: null });
    expect(ratio(0, 3)).toEqual({ count: 0, of: 3, rate: 0 });
  });
});

describe('all late', () => {
  it('rates 0 (not null), and the index counts them', () => {
    const late = [
      fact('a', { periods: [period('missed'), period('missed', 'completion')], colour: 'red' }),
      fact('b', { periods: [period('missed')], colour: 'red' }),
    ];
    const [total] = metricsReport(late, { asOf: ASOF, configs: configs() }).totals;
    expect(total?.rates.onTimeAcceptance).toEqual({ count: 0, of: 2, rate: 0 });
    expect(total?.rates.onTimeCompletion).toEqual({ count: 0, of: 1, rate: 0 });
    // repetition is known for both (neither repeats): 1 - 0 scores full
    // county weights: acceptance 3, completion 3, repeat 1 -> (0 + 0 + 1) / 7
    expect(total?.index.value).toBeCloseTo(100 / 7, 10);
  });

  it('a body owing only a period still running gets no row yet', () => {
    const r = metricsReport(
      [fact('a', { periods: [period('pending', 'completion', 'city-gov'), period('met')] })],
      {
        asOf: ASOF,
        configs: configs(),
      },
    );
    expect(r.rows.map((x) => x.key)).toEqual(['county-office']);
  });

  it('pending and lapsed periods are not judged', () => {
    const [total] = metricsReport(
      [fact('a', { periods: [period('pending'), period('lapsed', 'completion')] })],
      {
        asOf: ASOF,
        configs: configs(),
      },
    ).totals;
    expect(total?.rates.onTimeAcceptance.of).toBe(0);
    expect(total?.rates.onTimeCompletion.of).toBe(0);
  });
});

describe('ratings missing', () => {
  it('a window that ran out unrated lowers participation and is never counted satisfied', () => {
    const cases = [
      fact('a', { rating: { status: 'not-rated' } }),
      fact('b', { rating: { status: 'not-rated' } }),
      fact('c', { rating: { status: 'open' } }), // still running: not yet decided
    ];
    const [total] = metricsReport(cases, { asOf: ASOF, configs: configs() }).totals;
    expect(total?.rates.ratingParticipation).toEqual({ count: 0, of: 2, rate: 0 });
    expect(total?.rates.satisfaction).toEqual({ count: 0, of: 0, rate: null });
  });

  it('satisfied and basically satisfied count as satisfied; dissatisfied does not', () => {
    const cases = ['satisfied', 'basically-satisfied', 'dissatisfied'].map((value, i) =>
      fact(`c${i}`, { rating: { status: 'rated', value } }),
    );
    const [total] = metricsReport(cases, { asOf: ASOF, configs: configs() }).totals;
    expect(total?.rates.satisfaction).toEqual({ count: 2, of: 3, rate: 2 / 3 });
    expect(total?.rates.ratingParticipation).toEqual({ count: 3, of: 3, rate: 1 });
  });
});

describe('the index', () => {
  const rates = (over: Record<string, [number, number]>) => {
    const all = Object.fromEntries(Object.keys(DEFAULT_INDEX_WEIGHTS).map((k) => [k, ratio(0, 0)]));
    for (const [k, [n, d]] of Object.entries(over)) all[k] = ratio(n, d);
    return all as Parameters<typeof legalizationIndex>[0];
  };

  it('leaves out components without a rate and renormalises the rest', () => {
    const r = legalizationIndex(
      rates({ onTimeAcceptance: [1, 2], overturnRate: [1, 4] }),
      DEFAULT_INDEX_WEIGHTS,
    );
    // weights 20 and 10: (20 * 0.5 + 10 * 0.75) / 30
    expect(r.value).toBeCloseTo((100 * (20 * 0.5 + 10 * 0.75)) / 30, 10);
    expect(r.components.find((c) => c.component === 'overturnRate')).toMatchObject({
      rate: 0.25,
      score: 0.75,
    });
    expect(r.components.find((c) => c.component === 'satisfaction')).toMatchObject({
      rate: null,
      points: null,
    });
  });

  it('is null when every weighted component is without a rate, or every weight is 0', () => {
    const zero = Object.fromEntries(
      Object.keys(DEFAULT_INDEX_WEIGHTS).map((k) => [k, 0]),
    ) as typeof DEFAULT_INDEX_WEIGHTS;
    expect(legalizationIndex(rates({ onTimeAcceptance: [1, 1] }), zero).value).toBeNull();
    expect(legalizationIndex(rates({}), DEFAULT_INDEX_WEIGHTS).value).toBeNull();
  });

  it('takes the config weights, a component left out weighing 0; the defaults without any', () => {
    const county = indexWeights(countyConfig().value);
    expect(county.fromConfig).toBe(true);
    expect(county.weights.reexaminationRate).toBe(0);
    expect(county.weights.onTimeAcceptance).toBe(3);
    const { reporting: _, ...bare } = countyConfig().value;
    expect(indexWeights(bare)).toEqual({ weights: DEFAULT_INDEX_WEIGHTS, fromConfig: false });
  });
});

describe('repeat petitions', () => {
  it('a case repeats an earlier one of the same petitioner and matter; unknown keys tell nothing', () => {
    const index = repeatIndex([
      { caseId: 'b', createdAt: '2026-03-05T00:00:00Z', identityKey: 'p1', matterKey: 'm1' },
      { caseId: 'a', createdAt: '2026-03-01T00:00:00Z', identityKey: 'p1', matterKey: 'm1' },
      { caseId: 'c', createdAt: '2026-03-01T00:00:00Z', identityKey: 'p1', matterKey: 'm2' },
    ]);
    expect(
      index.isRepeat({ caseId: 'a', createdAt: '2026-03-01T00:00:00Z', identityKey: 'p1', matterKey: 'm1' }),
    ).toBe(false);
    expect(
      index.isRepeat({ caseId: 'b', createdAt: '2026-03-05T00:00:00Z', identityKey: 'p1', matterKey: 'm1' }),
    ).toBe(true);
    expect(
      index.isRepeat({ caseId: 'c', createdAt: '2026-03-01T00:00:00Z', identityKey: 'p1', matterKey: 'm2' }),
    ).toBe(false);
    expect(index.isRepeat({ caseId: 'd', createdAt: '2026-03-09T00:00:00Z', matterKey: 'm1' })).toBeNull();
  });
});

describe('spot checks of a non-acceptance', () => {
  it('count once per decision: checking it again adds nothing, a reopening replaces an upholding check', async () => {
    const { createEngine, ManualClock } = await import('@xinfang/core');
    const { mainland, P, day, petition } = await import('./helpers.js');
    const store = createMemoryStore();
    const clock = new ManualClock(day(0));
    const engine = createEngine({
      configs: [countyConfig().value],
      store,
      clock,
      calendars: [mainland()],
      identityKeys: TEST_IDENTITY_KEYS,
    });
    const refusedCase = async (id: string) => {
      const { caseId } = await engine.submit(petition(id, '办理产权证'), P.clerkOffice);
      await engine.send(caseId, { type: 'REFUSE' }, P.office);
      return caseId;
    };
    const check = (caseId: string) =>
      engine.send(caseId, { type: 'SPOT_CHECK', payload: { finding: 'upheld' } }, P.supervisor);
    // X: upheld three times over; Y: upheld, then reopened; Z: upheld, reopened, refused again,
    // and that second refusal upheld — two decisions, two checks
    const x = await refusedCase('110101199001010066');
    const y = await refusedCase('110101199001010077');
    const z = await refusedCase('110101199001010088');
    clock.set(day(2));
    await check(x);
    await check(x);
    await check(x);
    await check(y);
    await engine.send(y, { type: 'REOPEN' }, P.supervisor);
    await check(z);
    await engine.send(z, { type: 'REOPEN' }, P.supervisor);
    await engine.send(z, { type: 'REFUSE' }, P.office);
    await check(z);
    const read = await readCaseFacts(store, { asOf: day(3) });
    const checks = new Map(read.facts.map((f) => [f.caseId, f.checks.map((c) => [c.kind, c.overturned])]));
    expect(checks.get(x)).toEqual([['spot-check', false]]);
    expect(checks.get(y)).toEqual([['spot-check', true]]);
    expect(checks.get(z)).toEqual([
      ['spot-check', true],
      ['spot-check', false],
    ]);
    const [total] = metricsReport(read.facts, { asOf: day(3), configs: read.configs }).totals;
    expect(total?.overturns.spotCheck).toEqual({ count: 2, of: 4, rate: 0.5 });
  });
});
