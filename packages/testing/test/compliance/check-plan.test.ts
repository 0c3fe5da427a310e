/**
 * `runCheck` with a migration plan: every run drives its case on national.yaml, moves it by the
 * plan through the real `engine.migrate` at a drawn step, and drives it on under the new version
 * (configs/migration/national-v2.yaml); the invariants judge the whole history. The lawful plan
 * of docs/migration.md passes; a plan the loader accepts but that closes cases being handled is
 * caught, and its counterexample shows the move in the timeline.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigOrThrow, type MigrationPlan, parsePlanText } from '@xinfang/core';
import { type CheckPlan, runCheck, runCheckScenario, scenarioArbitrary } from '@xinfang/testing/compliance';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendar, calendars, national, nationalLoaded, root } from './check-setup.js';

const v2 = loadConfigOrThrow(join(root, 'configs/migration/national-v2.yaml'), { calendars });
const fixtures = join(import.meta.dirname, '../fixtures/migration');

/** A plan fixture's body under the header naming the two versions' hashes, checked by the loader. */
function planOf(file: string): CheckPlan {
  const text = `migration: ${file.replace(/\.yaml$/, '')}\nfrom: "${nationalLoaded.hash}"\nto: "${v2.hash}"\n${readFileSync(join(fixtures, file), 'utf8')}`;
  const r = parsePlanText(text, file, { from: national, to: v2.value, calendar });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { plan: r.plan as MigrationPlan, to: v2.value, templates: v2.templates };
}

// few runs: each moves its cases once and drives them on; the auditor raises --runs
const RUNS = Number(process.env.XINFANG_CHECK_PLAN_RUNS ?? 20);

describe('xinfang check with a migration plan', () => {
  it('the runs move cases mid-way: renamed states, recounted periods, the notice owed', async () => {
    const plan = planOf('lawful-v2.yaml');
    const scenarios = fc.sample(scenarioArbitrary(national, calendar, { migrate: true }), {
      numRuns: 60,
      seed: 7,
    });
    const moved: string[] = [];
    const handling = (m: string) =>
      / accepted -> accepted; handling recompute: due \S+ -> \S+; owes handling-period-notice$/.test(m);
    const served = (m: string) => / opinion-issued -> opinion-served/.test(m);
    // runs until a move has caught a case in handling and one with its opinion issued (most runs
    // move their cases earlier: a migration is drawn at any step)
    for (const s of scenarios) {
      if (moved.some(handling) && moved.some(served)) break;
      expect(s.migrateAt).toBeTypeOf('number');
      const trace = await runCheckScenario(s, {
        config: national,
        calendar,
        templates: nationalLoaded.templates,
        plan,
      });
      const entry = trace.entries.find((e) => e.kind === 'migrate');
      expect(entry?.outcome).toBe('ok');
      moved.push(...(entry?.migration?.moved ?? []));
      // a moved case verifies across the move, and its events after it are the new version's
      for (const c of trace.cases) {
        expect(c.verified.ok, c.verified.problems.join('; ')).toBe(true);
        const at = c.events.findIndex((e) => e.type === 'config.migrated');
        if (at < 0) continue;
        expect(c.events.slice(0, at).every((e) => e.configHash === nationalLoaded.hash)).toBe(true);
        expect(c.events.slice(at).every((e) => e.configHash === v2.hash)).toBe(true);
      }
    }
    expect(moved.some(handling)).toBe(true);
    expect(moved.some(served)).toBe(true);
  });

  it('passes the lawful plan national -> national-v2 on every invariant', async () => {
    const report = await runCheck({
      config: national,
      calendar,
      templates: nationalLoaded.templates,
      plan: planOf('lawful-v2.yaml'),
      runs: RUNS,
      shrink: false,
    });
    expect(report.plan).toMatchObject({ id: 'lawful-v2', from: nationalLoaded.hash, to: v2.hash });
    expect(report.results.filter((r) => !r.ok).map((r) => `${r.id}: ${r.problems[0]}`)).toEqual([]);
    // the runs reach both versions' states: the old name before the move, the new one after
    expect(report.reached.states).toEqual(expect.arrayContaining(['opinion-issued', 'opinion-served']));
    // the plan's runs are random runs only: the structural runs are each version's own
    expect(report.structure).toBeUndefined();
  });

  it('fails a plan that closes cases being handled, with the move in the counterexample', async () => {
    expect(readFileSync(join(fixtures, 'close-handling.yaml'), 'utf8')).toMatch(
      /^# invariant: end-state-documented$/m,
    );
    const report = await runCheck({
      config: national,
      calendar,
      templates: nationalLoaded.templates,
      plan: planOf('close-handling.yaml'),
      runs: 200,
      only: ['end-state-documented'],
      shrinkTimeLimitMs: 5000,
    });
    const result = report.results[0]!;
    expect(result.ok).toBe(false);
    expect(result.problems.join('\n')).toMatch(
      /ended in closed \(closed\) and no document went to the petitioner since ACCEPT/,
    );
    const timeline = result.counterexample!.timeline.join('\n');
    expect(timeline).toMatch(/ACCEPT {2}registered -> accepted/);
    expect(timeline).toMatch(
      /redeploy +MIGRATE by plan close-handling\n +moved XF-\d{4}-\d{6}: accepted -> closed/,
    );
    // the move comes after the acceptance in the shrunk run
    expect(timeline.indexOf('MIGRATE')).toBeGreaterThan(timeline.indexOf('ACCEPT'));
  });

  // every plan of the fixtures that names the invariant it breaks: the loader accepts it, the check does not
  const broken = readdirSync(fixtures).flatMap((file) => {
    const id = /^# invariant: ([a-z-]+)$/m.exec(readFileSync(join(fixtures, file), 'utf8'))?.[1];
    return id ? [{ file, id }] : [];
  });
  it('has non-compliant plans, each naming its invariant', () => {
    expect(broken.map((b) => b.file).sort()).toEqual(['close-handling.yaml', 'reaccept-handling.yaml']);
  });
  // close-handling.yaml is caught above, with its counterexample
  for (const { file, id } of broken.filter((b) => b.file !== 'close-handling.yaml')) {
    it(`${file} is caught by ${id}`, async () => {
      const report = await runCheck({
        config: national,
        calendar,
        templates: nationalLoaded.templates,
        plan: planOf(file),
        runs: 200,
        only: [id],
        shrink: false,
      });
      expect(report.results[0]?.ok, `${id} should fail for ${file}`).toBe(false);
    });
  }

  it('draws the same runs as before when no plan is given', () => {
    const a = fc.sample(scenarioArbitrary(national, calendar), { numRuns: 5, seed: 3 });
    const b = fc.sample(scenarioArbitrary(national, calendar, { migrate: true }), { numRuns: 5, seed: 3 });
    expect(a.every((s) => s.migrateAt === undefined)).toBe(true);
    expect(b.map(({ migrateAt: _, ...s }) => s)).toEqual(a);
  });
});
