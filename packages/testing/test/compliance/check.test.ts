import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, loadConfigOrThrow } from '@xinfang/core';
import { DYNAMIC_INVARIANTS, runCheck, STATIC_INVARIANTS } from '@xinfang/testing/compliance';
import { describe, expect, it } from 'vitest';
import { calendar, calendars, fixtures, national, nationalLoaded, RUNS, root } from './check-setup.js';

describe('the national baseline', () => {
  // enough runs that the generated cases reach every stage, re-examination's end included
  const deep = Math.max(RUNS, 200);
  it(`holds every statutory invariant over ${deep} generated runs`, async () => {
    // documents rendered, as xinfang check renders them
    const report = await runCheck({
      config: national,
      calendar,
      runs: deep,
      templates: nationalLoaded.templates,
    });
    const failed = report.results
      .filter((r) => !r.ok)
      .map((r) => `${r.id}: ${r.problems.slice(0, 2).join('; ')}`);
    expect(failed).toEqual([]);
    expect(report.results.map((r) => r.id)).toEqual([
      ...STATIC_INVARIANTS.map((i) => i.id),
      ...DYNAMIC_INVARIANTS.map((i) => i.id),
    ]);
    // the structural runs drove every back edge twice and nearly every transition (what is left
    // needs what no generated payload gives: a reception day held, a completion report owed)
    const st = report.structure!;
    expect(st.backTakenTwice).toBe(st.backEdges);
    expect(st.taken / st.edges).toBeGreaterThan(0.75);
    // the runs go deep: every stage of the procedure is reached, re-examination included
    const stages = new Set(report.reached.states.map((s) => national.process.states[s]?.stage));
    for (const stage of [
      'registration',
      'transfer',
      'handling',
      'opinion',
      'review',
      'reexamination',
      'terminated',
    ])
      expect(stages).toContain(stage);
  });
});

const provinces = readdirSync(join(root, 'configs/provinces')).map(
  (name) => `configs/provinces/${name}/${name}.yaml`,
);

describe('the province configs', () => {
  it('there are six', () => expect(provinces.length).toBeGreaterThanOrEqual(6));
  for (const file of provinces) {
    it(`${file} holds every statutory invariant against the national baseline`, async () => {
      const loaded = loadConfigOrThrow(join(root, file), { calendars });
      const report = await runCheck({
        config: loaded.value,
        calendar,
        baseline: national,
        runs: RUNS,
        templates: loaded.templates,
        // the structural runs are judged on national above; here the random runs alone, for time
        structural: false,
      });
      expect(report.results.filter((r) => !r.ok).map((r) => `${r.id}: ${r.problems[0]}`)).toEqual([]);
    });
  }
});

describe('a failing invariant', () => {
  it('is reported with a shrunk, readable counterexample that reproduces from the seed', async () => {
    // the review window opened at the opinion instead of on the recorded receipt
    const loaded = loadConfig(join(fixtures, 'review-window-at-opinion.yaml'), {
      calendars,
      restrictions: 'warning',
    });
    const options = {
      config: loaded.value!,
      calendar,
      runs: 200,
      only: ['review-window-and-period'],
      seed: 7,
      shrinkTimeLimitMs: 8000,
      // the window closes 30 days after the opinion, which only a run that waits that long sees
      structural: true,
    };
    const report = await runCheck(options);
    const ce = report.results[0]?.counterexample;
    expect(ce).toBeDefined();
    expect(ce!.violations[0]?.message).toMatch(
      /the window to ask for review closed .* though the case records no receipt of the opinion/,
    );
    // the timeline names the opinion and the clock that closed the window, with dates and actors
    const text = ce!.timeline.join('\n');
    expect(text).toMatch(/handler@\S+\s+OPINION/);
    expect(text).toMatch(/reviewWindow -> closed/);
    expect(text).toMatch(/\d{4}-\d{2}-\d{2} \w{3} \d{2}:\d{2}/);
    // the same seed finds the same first failing run
    const again = await runCheck({ ...options, shrink: false });
    expect(again.results[0]?.counterexample?.run).toBe(ce!.run);
  });
});
