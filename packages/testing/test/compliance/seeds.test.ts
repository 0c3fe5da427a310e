import { join } from 'node:path';
import { loadCalendarDir, loadConfig, loadConfigOrThrow } from '@xinfang/core';
import { runCheck } from '@xinfang/testing/compliance';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../../..');
const calendars = loadCalendarDir(join(root, 'configs/calendars'));
const calendar = calendars.get('cn-mainland')!;
const national = loadConfigOrThrow(join(root, 'configs/national.yaml'), { calendars }).value;
const fixtures = join(import.meta.dirname, '../fixtures/noncompliant');
const SEEDS = [1, 2, 3, 4, 5];

/**
 * The invariants of the review ladder, the classes of matter and the two kinds of period
 * (issue 18): each non-compliant fixture fails its invariant whatever the seed, not by the luck
 * of one draw.
 */
const cases: [file: string, invariant: string][] = [
  ['review-window-10-days.yaml', 'windows-not-shortened'],
  ['review-window-marked-ceiling.yaml', 'windows-not-shortened'],
  ['handling-marked-floor.yaml', 'deadlines-not-longer'],
  ['review-two-levels-up.yaml', 'review-body-lawful'],
];

describe('issue 18 invariants fail their non-compliant fixture at every one of 5 seeds', () => {
  for (const [file, id] of cases) {
    it(`${file}: ${id}`, async () => {
      const loaded = loadConfig(join(fixtures, file), { calendars, restrictions: 'warning' });
      expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      for (const seed of SEEDS) {
        const report = await runCheck({
          config: loaded.value!,
          calendar,
          baseline: national,
          templates: loaded.templates,
          runs: 60,
          seed,
          only: [id],
          shrink: false,
        });
        const result = report.results.find((r) => r.id === id)!;
        expect(result.ok, `${id} at seed ${seed}`).toBe(false);
      }
    });
  }
});
