/**
 * The compliance check of configs/national.yaml at 1,000 runs (XINFANG_BENCH_CHECK_RUNS), in
 * three rows of one run: generating the runs alone (fast-check), generating and driving them
 * through the engine (what any property test of the procedure costs), and the whole check
 * (static invariants, every statutory invariant judged on every run). The first two rows are
 * the baseline the check's own work is measured against.
 */

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadCalendarDir, loadConfigOrThrow } from '@xinfang/core';
import { configHash } from '@xinfang/core/tooling';
import { runCheck, runCheckScenario, scenarioArbitrary } from '@xinfang/testing/compliance';
import fc from 'fast-check';
import { printTable } from './measure.js';

const RUNS = Number(process.env.XINFANG_BENCH_CHECK_RUNS ?? 1000);
const SEED = 20_220_501;

function configsDir(): string {
  for (let dir = resolve('.'); ; dir = dirname(dir)) {
    const candidate = join(dir, 'configs');
    if (existsSync(join(candidate, 'national.yaml'))) return candidate;
    if (dirname(dir) === dir) throw new Error('configs/national.yaml not found from the working directory');
  }
}

export async function run(): Promise<void> {
  const dir = configsDir();
  const calendars = loadCalendarDir(join(dir, 'calendars'));
  const loaded = loadConfigOrThrow(join(dir, 'national.yaml'), { calendars });
  const config = loaded.value;
  // documents rendered as `xinfang check` renders them
  const { templates } = loaded;
  const calendar = calendars.get(config.jurisdiction.calendar);
  if (!calendar) throw new Error(`calendar ${config.jurisdiction.calendar} not found`);
  const hash = configHash(config);
  const arbitrary = scenarioArbitrary(config, calendar);

  const rows = [];
  const heap = () => process.memoryUsage().heapUsed / 1024 / 1024;
  let h0 = heap();
  let t0 = performance.now();
  let steps = 0;
  await fc.assert(
    fc.property(arbitrary, (s) => {
      steps += s.steps.length;
      return true;
    }),
    { numRuns: RUNS, seed: SEED },
  );
  let ms = performance.now() - t0;
  rows.push({
    name: `generate ${RUNS} runs (${(steps / RUNS).toFixed(1)} steps each)`,
    ops: RUNS,
    ms,
    rate: (RUNS / ms) * 1000,
    heapMiB: heap() - h0,
  });

  h0 = heap();
  t0 = performance.now();
  let events = 0;
  await fc.assert(
    fc.asyncProperty(arbitrary, async (s) => {
      const trace = await runCheckScenario(s, { config, calendar, hash, templates });
      for (const c of trace.cases) events += c.events.length;
      return true;
    }),
    { numRuns: RUNS, seed: SEED },
  );
  ms = performance.now() - t0;
  rows.push({
    name: `generate and drive through the engine (${events} events)`,
    ops: RUNS,
    ms,
    rate: (RUNS / ms) * 1000,
    heapMiB: heap() - h0,
  });

  h0 = heap();
  t0 = performance.now();
  const report = await runCheck({ config, calendar, runs: RUNS, seed: SEED, templates });
  ms = performance.now() - t0;
  const verdict = report.ok ? 'all pass' : `${report.results.filter((r) => !r.ok).length} FAIL`;
  rows.push({
    name: `xinfang check: ${report.results.length} invariants (${verdict})`,
    ops: RUNS,
    ms,
    rate: (RUNS / ms) * 1000,
    heapMiB: heap() - h0,
  });

  printTable(`compliance check of ${config.jurisdiction.id}, ${RUNS} runs, seed ${SEED} (ops = runs)`, rows);
  console.log(
    `\nreached ${report.reached.states.length} states and ${report.reached.commands.length} commands`,
  );
}
