/** Properties of the report over random sets of cases. */

import { fc, test } from '@fast-check/vitest';
import { type CaseFacts, type MetricsReport, metricsReport } from '@xinfang/core/reporting';
import { describe, expect } from 'vitest';
import { configs, fact } from './facts.js';

const ASOF = '2026-06-01T00:00:00.000Z';
const UNITS = ['county-office', 'county-works', 'city-bureau', 'city-gov'];

const periodArb = fc.record({
  deadline: fc.constant('work'),
  row: fc.constant('r'),
  phase: fc.constantFrom('acceptance', 'completion', 'supervision') as fc.Arbitrary<
    'acceptance' | 'completion' | 'supervision'
  >,
  verdict: fc.constantFrom('met', 'missed', 'pending', 'lapsed') as fc.Arbitrary<
    'met' | 'missed' | 'pending' | 'lapsed'
  >,
  owner: fc.constantFrom(...UNITS),
  dueAt: fc.constant('2026-03-20T16:00:00.000Z'),
});

// Flags are drawn independently on purpose: the rates must stay within [0, 1] even for facts
// that no procedure would produce (a re-examination without a review decision, ...).
const caseArb = (i: number) =>
  fc
    .record({
      unit: fc.constantFrom(...UNITS),
      kind: fc.constantFrom('appeal', 'suggestion', 'accusation'),
      day: fc.integer({ min: 1, max: 28 }),
      month: fc.constantFrom('03', '04', '05'),
      colour: fc.constantFrom('green', 'blue', 'red') as fc.Arbitrary<'green' | 'blue' | 'red'>,
      stage: fc.constantFrom('registration', 'handling', 'opinion', 'review', 'closed', 'not-accepted'),
      periods: fc.array(periodArb, { maxLength: 4 }),
      rating: fc.oneof(
        fc.record({
          status: fc.constant('rated' as const),
          value: fc.constantFrom('satisfied', 'basically-satisfied', 'dissatisfied'),
        }),
        fc.record({ status: fc.constantFrom('not-rated', 'open', 'not-owed') as fc.Arbitrary<'not-rated'> }),
      ),
      repeat: fc.constantFrom(true, false, null),
      opinion: fc.boolean(),
      reviewRequested: fc.boolean(),
      reviewDecided: fc.boolean(),
      reexaminationRequested: fc.boolean(),
      checks: fc.array(
        fc.record({
          kind: fc.constantFrom('review', 'reexamination', 'spot-check') as fc.Arbitrary<'review'>,
          overturned: fc.boolean(),
          at: fc.constant('2026-04-01T00:00:00.000Z'),
        }),
        { maxLength: 3 },
      ),
    })
    .map((c): CaseFacts => {
      const registeredDate = `2026-${c.month}-${String(c.day).padStart(2, '0')}`;
      return fact(`XF-${String(i).padStart(4, '0')}`, {
        ...c,
        registeredDate,
        registeredAt: `${registeredDate}T02:00:00.000Z`,
        completed: c.stage === 'closed' || c.stage === 'not-accepted',
      });
    });

const casesArb = fc
  .integer({ min: 0, max: 25 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => caseArb(i))));

const report = (
  facts: CaseFacts[],
  by: 'unit' | 'region' | 'kind' = 'unit',
  period: 'all' | 'month' = 'all',
) => metricsReport(facts, { asOf: ASOF, configs: configs(), by, period });

const allRows = (r: MetricsReport) => [...r.rows, ...r.totals];

describe('metrics over random cases', () => {
  test.prop([
    casesArb,
    fc.constantFrom('unit', 'region', 'kind') as fc.Arbitrary<'unit'>,
    fc.constantFrom('all', 'month') as fc.Arbitrary<'all'>,
  ])(
    'the colour counts sum to the cases, groups to the total, and stages to the cases',
    (facts, by, period) => {
      const r = report(facts, by, period);
      for (const row of allRows(r)) {
        const { green, blue, red } = row.colours;
        expect(green + blue + red).toBe(row.cases);
        expect(Object.values(row.stages).reduce((a, b) => a + b, 0)).toBe(row.cases);
      }
      expect(r.totals.reduce((n, t) => n + t.cases, 0)).toBe(facts.length);
      for (const t of r.totals) {
        const rows = r.rows.filter((x) => x.period === t.period);
        expect(rows.reduce((n, x) => n + x.cases, 0)).toBe(t.cases);
        expect(rows.reduce((n, x) => n + x.colours.red, 0)).toBe(t.colours.red);
      }
    },
  );

  test.prop([casesArb, fc.constantFrom('unit', 'region', 'kind') as fc.Arbitrary<'unit'>])(
    'every rate lies in [0, 1] or is null with nothing to count; the index in [0, 100] or null',
    (facts, by) => {
      for (const row of allRows(report(facts, by))) {
        for (const ratio of [...Object.values(row.rates), ...Object.values(row.overturns)]) {
          expect(ratio.count).toBeGreaterThanOrEqual(0);
          expect(ratio.count).toBeLessThanOrEqual(ratio.of);
          if (ratio.of === 0) expect(ratio.rate).toBeNull();
          else {
            expect(ratio.rate).toBeGreaterThanOrEqual(0);
            expect(ratio.rate).toBeLessThanOrEqual(1);
          }
        }
        const v = row.index.value;
        if (v !== null) {
          expect(Number.isFinite(v)).toBe(true);
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(100 + 1e-9);
        }
      }
    },
  );

  test.prop([casesArb, fc.nat(), fc.nat()])(
    'a case turning from late to on time raises the on-time rate and the index',
    (facts, pickCase, pickPeriod) => {
      const late = facts.flatMap((f, i) =>
        f.periods.flatMap((p, j) =>
          p.verdict === 'missed' && p.phase !== 'supervision' ? [[i, j] as const] : [],
        ),
      );
      if (late.length === 0) return;
      const [i, j] = late[(pickCase + pickPeriod) % late.length] as readonly [number, number];
      const changed = facts.map((f, k) =>
        k !== i
          ? f
          : { ...f, periods: f.periods.map((p, m) => (m === j ? { ...p, verdict: 'met' as const } : p)) },
      );
      const phase = facts[i]?.periods[j]?.phase === 'acceptance' ? 'onTimeAcceptance' : 'onTimeCompletion';
      const owner = facts[i]?.periods[j]?.owner;
      const before = report(facts);
      const after = report(changed);
      for (const [b, a] of [
        [before.totals[0], after.totals[0]],
        [before.rows.find((r) => r.key === owner), after.rows.find((r) => r.key === owner)],
      ]) {
        expect(a?.rates[phase].of).toBe(b?.rates[phase].of);
        expect(a?.rates[phase].count).toBe((b?.rates[phase].count ?? 0) + 1);
        // the rate is weighted (3 in county.yaml) and present before and after: the index rises
        expect(a?.index.value).toBeGreaterThan(b?.index.value ?? Number.NaN);
      }
    },
  );
});
