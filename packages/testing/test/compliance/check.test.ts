import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCalendarDir, loadConfig, loadConfigOrThrow } from '@xinfang/core';
import { DYNAMIC_INVARIANTS, runCheck, STATIC_INVARIANTS } from '@xinfang/testing/compliance';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../../..');
const calendars = loadCalendarDir(join(root, 'configs/calendars'));
const calendar = calendars.get('cn-mainland')!;
const nationalLoaded = loadConfigOrThrow(join(root, 'configs/national.yaml'), { calendars });
const national = nationalLoaded.value;
const fixtures = join(import.meta.dirname, '../fixtures/noncompliant');
/** Runs per property here; `xinfang check` defaults to 100 and the auditor raises it (1,000 in the bench). */
const RUNS = Number(process.env.XINFANG_CHECK_RUNS ?? 60);

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
      });
      expect(report.results.filter((r) => !r.ok).map((r) => `${r.id}: ${r.problems[0]}`)).toEqual([]);
    });
  }
});

const cases = readdirSync(fixtures)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => {
    const text = readFileSync(join(fixtures, f), 'utf8');
    const id = /^# invariant: ([a-z-]+)/m.exec(text)?.[1];
    return { file: f, id: id as string };
  });

describe('deliberately non-compliant configs', () => {
  it('there are at least twelve, each naming a known invariant', () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
    const known = new Set([...STATIC_INVARIANTS, ...DYNAMIC_INVARIANTS].map((i) => i.id));
    for (const c of cases) expect(known, c.file).toContain(c.id);
  });

  for (const c of cases) {
    it(`${c.file} is caught by ${c.id}`, async () => {
      const loaded = loadConfig(join(fixtures, c.file), { calendars, restrictions: 'warning' });
      expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const report = await runCheck({
        config: loaded.value!,
        calendar,
        baseline: national,
        templates: loaded.templates,
        runs: Math.max(RUNS * 5, 300),
        only: [c.id],
        shrink: false,
      });
      const result = report.results.find((r) => r.id === c.id)!;
      expect(result.ok, `${c.id} should fail for ${c.file}`).toBe(false);
      expect(result.problems.length).toBeGreaterThan(0);
    });
  }
});

const lawful = join(import.meta.dirname, '../fixtures/compliant');

describe('lawful variations a province may make', () => {
  const files = readdirSync(lawful).filter((f) => f.endsWith('.yaml'));
  it('there are some, each saying why it is lawful', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const f of files) expect(readFileSync(join(lawful, f), 'utf8'), f).toMatch(/^# lawful: /);
  });
  for (const file of files) {
    it(`${file} passes every invariant`, async () => {
      const loaded = loadConfig(join(lawful, file), { calendars, restrictions: 'warning' });
      expect(
        loaded.diagnostics.filter((d) => d.severity !== 'warning' || d.code.startsWith('CONFIG_L')),
      ).toEqual([]);
      const report = await runCheck({
        config: loaded.value!,
        calendar,
        baseline: national,
        templates: loaded.templates,
        runs: RUNS,
        shrink: false,
      });
      expect(report.results.filter((r) => !r.ok).map((r) => `${r.id}: ${r.problems[0]}`)).toEqual([]);
    });
  }
});

describe('a failing invariant', () => {
  it('is reported with a shrunk, readable counterexample that reproduces from the seed', async () => {
    const loaded = loadConfig(join(fixtures, 'review-window-60-days.yaml'), {
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
    };
    const report = await runCheck(options);
    const ce = report.results[0]?.counterexample;
    expect(ce).toBeDefined();
    expect(ce!.violations[0]?.message).toMatch(/review requested .* after the 30-day window from receipt/);
    // the timeline names the receipt and the late request, with dates and actors
    const text = ce!.timeline.join('\n');
    expect(text).toMatch(/RECEIPT/);
    expect(text).toMatch(/petitioner\s+REQUEST_REVIEW/);
    expect(text).toMatch(/\d{4}-\d{2}-\d{2} \w{3} \d{2}:\d{2}/);
    // the same seed finds the same first failing run
    const again = await runCheck({ ...options, shrink: false });
    expect(again.results[0]?.counterexample?.run).toBe(ce!.run);
  });
});
