/**
 * The compliance check: the static invariants once, then `runs` generated runs through the
 * real engine with every dynamic invariant judged on each. For an invariant that fails, the
 * same seed is replayed with fast-check's shrinking on that invariant alone, so the report
 * shows the smallest run found that breaks it.
 */

import type { Calendar, JurisdictionConfig, TemplatePaths } from '@xinfang/core';
import { compileConfig, configHash, freezeConfig } from '@xinfang/core/tooling';
import fc from 'fast-check';
import { scenarioArbitrary } from './arbitraries.js';
import { type CheckPlan, runCheckScenario, type Trace } from './driver.js';
import { DYNAMIC_INVARIANTS, type DynamicInvariant, type Violation } from './invariants/index.js';
import type { CheckScenario } from './scenario.js';
import { pathCoverage, STATIC_INVARIANTS } from './static.js';
import { runStructural, type StructuralResult } from './structural.js';
import { renderTimeline } from './timeline.js';

export interface CheckOptions {
  config: JurisdictionConfig;
  /** The calendar the config names (the engine counts on it). */
  calendar: Calendar;
  /**
   * The national calendar periods are judged on, when the config's may differ from it (a
   * province's own copy); absent, `calendar` is taken as the national one.
   */
  nationalCalendar?: Calendar;
  /** The config the checked one extends; its deadlines are a ceiling. */
  baseline?: JurisdictionConfig;
  /** @default 100 */
  runs?: number;
  /** @default a fixed seed, so two checks of one config agree */
  seed?: number;
  /** Only these invariant ids (static or dynamic). */
  only?: string[];
  /**
   * The config's templates (`LoadResult.templates`): every document a run owes is then rendered
   * as in production, and one that cannot be is a `documents-render` failure. Absent: documents
   * are owed and checked as records, never rendered.
   */
  templates?: TemplatePaths;
  /** Most steps in one run. @default 30 */
  maxSteps?: number;
  /** Shrink a failing run to the smallest found (slower; tests that only need the verdict skip it). @default true */
  shrink?: boolean;
  /** Most time spent shrinking one failing invariant; the smallest run found by then is shown. @default 30000 */
  shrinkTimeLimitMs?: number;
  /**
   * Drive every transition once and every back edge twice before the random runs (same
   * verdict at every seed for these). @default true
   */
  structural?: boolean;
  /** Called after each run of the first pass. */
  onRun?: (done: number, total: number) => void;
  /**
   * A migration plan from `config` to another version: every run drives its case on `config`,
   * moves it by the plan through `engine.migrate` before a drawn step, and drives it on under
   * the new version; the dynamic invariants are judged over the whole history, each event in
   * the version it was made under. The structural runs (the config's own) are not run: check
   * each version alone for them. The static invariants are `config`'s.
   */
  plan?: CheckPlan;
}

export interface Counterexample {
  /** The shrunk run. */
  scenario: CheckScenario;
  violations: Violation[];
  /** The run as readable lines. */
  timeline: string[];
  /** Index of the first failing run in the first pass (0-based). */
  run: number;
  /** Shrink steps fast-check took. */
  shrinks: number;
  /** Found by a structural run (no seed involved; `run` is then -1 and nothing was shrunk). */
  structural?: boolean;
}

export interface InvariantResult {
  id: string;
  title: string;
  basis: string;
  kind: 'static' | 'property';
  ok: boolean;
  /** Static findings, or the first violations of the failing run. */
  problems: string[];
  /** Runs judged (property invariants). */
  runs?: number;
  counterexample?: Counterexample;
}

export interface CheckReport {
  jurisdiction: string;
  /** The plan every run moved its cases by (`CheckOptions.plan`): its name, hash and both versions. */
  plan?: { id: string; hash: string; from: string; to: string; toVersion: string };
  seed: number;
  runs: number;
  ok: boolean;
  results: InvariantResult[];
  coverage: ReturnType<typeof pathCoverage>;
  /** States and commands the generated runs reached, for the auditor's sense of depth. */
  reached: { states: string[]; commands: string[] };
  /** What the structural runs drove: edges taken of all, back edges taken twice of all. */
  structure?: {
    edges: number;
    taken: number;
    backEdges: number;
    backTakenTwice: number;
    /** Edges no structural run could take (`from --TYPE--> to`). */
    untaken: string[];
  };
  durationMs: number;
}

/**
 * Structural results by config hash and templates: a check at five seeds drives the same
 * structural runs once. Kept small: a process checks few configs.
 */
const STRUCTURAL = new Map<string, Promise<StructuralResult>>();

export const DEFAULT_SEED = 20_220_501;

/** Runs the check; never throws for a non-compliant config (that is a failing result). */
export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const started = performance.now();
  const { calendar } = options;
  // frozen, so the engine created for every run reuses one hash instead of hashing the config
  const config = freezeConfig(structuredClone(options.config));
  const runs = options.runs ?? 100;
  const seed = options.seed ?? DEFAULT_SEED;
  const hash = configHash(config);
  const wanted = (id: string) => !options.only || options.only.includes(id);
  const context = options.baseline ? { baseline: options.baseline } : {};

  const results: InvariantResult[] = [];
  for (const inv of STATIC_INVARIANTS) {
    if (!wanted(inv.id)) continue;
    const findings = inv.check(config);
    results.push({
      id: inv.id,
      title: inv.title,
      basis: inv.basis,
      kind: 'static',
      ok: findings.length === 0,
      problems: findings.map((f) => f.message),
    });
  }

  const dynamic = DYNAMIC_INVARIANTS.filter((d) => wanted(d.id));
  const arbitrary = scenarioArbitrary(config, calendar, {
    maxSteps: options.maxSteps ?? 30,
    ...(options.plan ? { migrate: true } : {}),
  });
  const templates = options.templates ? { templates: options.templates } : {};
  const national = options.nationalCalendar ? { nationalCalendar: options.nationalCalendar } : {};
  const plan = options.plan
    ? { plan: { ...options.plan, to: freezeConfig(structuredClone(options.plan.to)) } }
    : {};
  const run = (s: CheckScenario) =>
    runCheckScenario(s, { config, calendar, hash, ...templates, ...plan, ...national });
  const firstFailure = new Map<string, number>();
  const states = new Set<string>();
  const commands = new Set<string>();
  let index = 0;
  const structural =
    dynamic.length > 0 && options.structural !== false && !options.plan
      ? await structuralOf(
          hash,
          `${calendar.id}@${calendar.years.from}-${calendar.years.to}`,
          options.templates !== undefined,
          () => runStructural(compileConfig(config, hash), calendar, run),
        )
      : undefined;
  const structuralFailure = new Map<string, Trace>();
  for (const trace of structural?.traces ?? []) {
    for (const c of trace.cases) for (const e of c.events) states.add(e.state);
    for (const t of trace.entries) if (t.outcome === 'ok' && t.command) commands.add(t.command);
    for (const inv of dynamic) {
      if (structuralFailure.has(inv.id)) continue;
      if (safeCheck(inv, trace, context).length > 0) structuralFailure.set(inv.id, trace);
    }
  }
  if (dynamic.some((d) => !structuralFailure.has(d.id))) {
    // stops early once every invariant asked about has failed: nothing more to learn
    await fc.check(
      fc.asyncProperty(arbitrary, async (s) => {
        const trace = await run(s);
        for (const c of trace.cases) for (const e of c.events) states.add(e.state);
        for (const t of trace.entries) if (t.outcome === 'ok' && t.command) commands.add(t.command);
        for (const inv of dynamic) {
          if (firstFailure.has(inv.id) || structuralFailure.has(inv.id)) continue;
          if (safeCheck(inv, trace, context).length > 0) firstFailure.set(inv.id, index);
        }
        index++;
        options.onRun?.(index, runs);
        return !dynamic.every((d) => firstFailure.has(d.id) || structuralFailure.has(d.id));
      }),
      { numRuns: runs, seed, endOnFailure: true },
    );
  }

  for (const inv of dynamic) {
    const failedAt = firstFailure.get(inv.id);
    const base = { id: inv.id, title: inv.title, basis: inv.basis, kind: 'property' as const, runs };
    const found = structuralFailure.get(inv.id);
    if (found) {
      const violations = safeCheck(inv, found, context);
      const counterexample = {
        scenario: found.scenario,
        violations,
        timeline: renderTimeline(found),
        run: -1,
        shrinks: 0,
        structural: true,
      };
      results.push({ ...base, ok: false, problems: violations.map((v) => v.message), counterexample });
      continue;
    }
    if (failedAt === undefined) {
      results.push({ ...base, ok: true, problems: [] });
      continue;
    }
    const counterexample = await shrink(
      inv,
      arbitrary,
      run,
      context,
      seed,
      failedAt,
      options.shrink ?? true,
      options.shrinkTimeLimitMs ?? 30_000,
    );
    results.push({
      ...base,
      ok: false,
      problems: counterexample.violations.map((v) => v.message),
      counterexample,
    });
  }

  return {
    jurisdiction: config.jurisdiction.id,
    ...(options.plan
      ? {
          plan: {
            id: options.plan.plan.id,
            hash: options.plan.plan.hash,
            from: options.plan.plan.from,
            to: options.plan.plan.to,
            toVersion: options.plan.to.jurisdiction.version,
          },
        }
      : {}),
    seed,
    runs,
    ok: results.every((r) => r.ok),
    results,
    coverage: pathCoverage(config),
    reached: { states: [...states].sort(), commands: [...commands].sort() },
    ...(structural ? { structure: structureOf(structural) } : {}),
    durationMs: performance.now() - started,
  };
}

async function structuralOf(
  hash: string,
  calendarKey: string,
  rendered: boolean,
  make: () => Promise<StructuralResult>,
): Promise<StructuralResult> {
  const key = `${hash}:${calendarKey}:${rendered}`;
  let found = STRUCTURAL.get(key);
  if (!found) {
    if (STRUCTURAL.size >= 8) STRUCTURAL.delete(STRUCTURAL.keys().next().value as string);
    found = make();
    STRUCTURAL.set(key, found);
  }
  return found;
}

function structureOf(s: StructuralResult): NonNullable<CheckReport['structure']> {
  const back = s.edges.filter((e) => e.back);
  return {
    edges: s.edges.length,
    taken: s.edges.filter((e) => e.taken > 0).length,
    backEdges: back.length,
    backTakenTwice: back.filter((e) => e.taken >= 2).length,
    untaken: s.edges.filter((e) => e.taken === 0).map((e) => `${e.from} --${e.type}--> ${e.to}`),
  };
}

/** An invariant that throws is a failing invariant, with the error as its violation. */
function safeCheck(
  inv: DynamicInvariant,
  trace: Trace,
  context: { baseline?: JurisdictionConfig },
): Violation[] {
  try {
    return inv.check(trace, context);
  } catch (e) {
    return [
      { message: `the invariant could not be evaluated: ${e instanceof Error ? e.message : String(e)}` },
    ];
  }
}

/** Replays the same seed on one invariant alone and lets fast-check shrink the failing run. */
async function shrink(
  inv: DynamicInvariant,
  arbitrary: fc.Arbitrary<CheckScenario>,
  run: (s: CheckScenario) => Promise<Trace>,
  context: { baseline?: JurisdictionConfig },
  seed: number,
  failedAt: number,
  shrinking: boolean,
  limitMs: number,
): Promise<Counterexample> {
  const details = await fc.check(
    fc.asyncProperty(arbitrary, async (s) => safeCheck(inv, await run(s), context).length === 0),
    { numRuns: failedAt + 1, seed, endOnFailure: !shrinking, interruptAfterTimeLimit: limitMs },
  );
  const found = details.counterexample?.[0];
  // the replay draws the same runs as the first pass, so it fails at the same index; should it
  // not (an invariant that depends on more than the run), report the first pass's run unshrunk
  const scenario = found ?? fc.sample(arbitrary, { numRuns: failedAt + 1, seed }).at(-1);
  const trace = await run(scenario as CheckScenario);
  return {
    scenario: scenario as CheckScenario,
    violations: safeCheck(inv, trace, context),
    timeline: renderTimeline(trace),
    run: failedAt,
    shrinks: details.numShrinks,
  };
}
