import { ManualClock } from '../base/clock.js';
import { isXinfangError } from '../base/errors.js';
import type { Calendar } from '../calendar/index.js';
import { expiryEvent } from '../config/expiry.js';
import type { JurisdictionConfig } from '../config/types.js';
import { createDocumentIssuer, type TemplatePaths } from '../documents/index.js';
import { createEngine, type Engine, ephemeralIdentityKeys } from '../engine/index.js';
import { createMemoryStore } from '../store/index.js';
import type { ActorRef, CaseProjection, CaseStore } from '../store/types.js';
import { type CheckTarget, checkExpectation } from './expect.js';
import type { Scenario, ScenarioStep } from './format.js';
import type { ScenarioFailure, ScenarioResult, TakenTransition } from './result.js';

export type { ScenarioFailure, ScenarioResult, TakenTransition } from './result.js';

export interface RunScenarioOptions {
  calendars: Map<string, Calendar>;
  /**
   * The config's templates (`LoadResult.templates`): given, every document a step owes is
   * rendered (unsealed) as in production, so a step whose document cannot render is refused
   * with TEMPLATE_RENDER and the scenario fails there.
   */
  templates?: TemplatePaths;
  /** Maps a JSON pointer of the scenario to its line, for failure messages. */
  locate?: (pointer: string) => number | undefined;
}

const ONE_HOUR = 3_600_000;

/**
 * Runs one scenario against a config on a fresh in-memory store and a manual clock, and
 * reports every expectation that failed. A command refused when it should not be (or
 * accepted when it should have been refused) ends the run, since later steps would only
 * repeat the same failure; so does a clock move that cannot be made.
 */
export async function runScenario(
  config: JurisdictionConfig,
  scenario: Scenario,
  options: RunScenarioOptions,
): Promise<ScenarioResult> {
  const failures: ScenarioFailure[] = [];
  const transitions: TakenTransition[] = [];
  const fail = (f: ScenarioFailure) => {
    const line = options.locate?.(f.pointer);
    failures.push(line === undefined ? f : { ...f, line });
  };
  const done = (steps: number, caseId?: string): ScenarioResult => ({
    name: scenario.name,
    passed: failures.length === 0,
    ...(caseId !== undefined ? { caseId } : {}),
    failures,
    steps,
    transitions,
  });

  const clock = startClock(scenario, fail);
  if (!clock) return done(0);
  const run = openRun({ config, scenario, options, clock }, { fail, transitions });
  try {
    // earlier cases of the same petitioner, each taken where its steps end (a repeat needs them)
    for (const [i, earlier] of (scenario.earlier ?? []).entries()) {
      const at = `/earlier/${i}`;
      const earlierId = await submitCase(run, {
        petition: earlier.petition,
        submittedBy: earlier.submittedBy,
        at,
      });
      if (!earlierId) return done(1);
      const ran = await runSteps(run, earlierId, earlier.steps ?? [], `${at}/steps`);
      if (ran < (earlier.steps ?? []).length + 1 || failures.some((f) => f.stopped)) return done(1);
    }
    const caseId = await submitCase(run, {
      petition: scenario.petition,
      submittedBy: scenario.submittedBy,
      at: '',
      submitError: scenario.submitError,
    });
    if (!caseId) return done(1);
    if (scenario.expect)
      await checkExpectation(targetOf(run, caseId), {
        want: scenario.expect,
        step: 0,
        at: '/expect',
        since: undefined,
      });
    if (scenario.submitError) return done(1, caseId);
    return done(await runSteps(run, caseId, scenario.steps ?? [], '/steps'), caseId);
  } finally {
    await run.store.close();
  }
}

/** A run in progress: the scenario, what it drives, and where it records what happened. */
interface Run {
  config: JurisdictionConfig;
  scenario: Scenario;
  store: CaseStore;
  engine: Engine;
  clock: ManualClock;
  transitions: TakenTransition[];
  fail: (f: ScenarioFailure) => void;
}

/** The clock at the scenario's start, or undefined (and a failure) when it is not an instant. */
function startClock(scenario: Scenario, fail: Run['fail']): ManualClock | undefined {
  try {
    return new ManualClock(scenario.start);
  } catch {
    fail({
      step: 0,
      pointer: '/start',
      message: `start ${JSON.stringify(scenario.start)} is not an instant (e.g. 2026-03-02T09:00:00+08:00)`,
      stopped: true,
    });
    return undefined;
  }
}

/** A fresh store, and an engine over it, issuing documents when the config's templates are given. */
function openRun(
  given: { config: JurisdictionConfig; scenario: Scenario; options: RunScenarioOptions; clock: ManualClock },
  record: Pick<Run, 'fail' | 'transitions'>,
): Run {
  const { config, options, clock } = given;
  const store = createMemoryStore();
  const documents = options.templates
    ? createDocumentIssuer({ store, templates: options.templates })
    : undefined;
  const engine = createEngine({
    configs: [config],
    store,
    clock,
    calendars: options.calendars,
    ...(documents ? { documents } : {}),
    // the store lives for this run only: a secret of this run keys its identities
    identityKeys: ephemeralIdentityKeys('scenario'),
  });
  return { config, scenario: given.scenario, store, engine, clock, ...record };
}

function targetOf(run: Run, caseId: string): CheckTarget {
  return {
    config: run.config,
    store: run.store,
    engine: run.engine,
    caseId,
    scenario: run.scenario,
    fail: run.fail,
  };
}

/** The actor the scenario declares as `name`; an unknown one is a failure that stops the run. */
function actorOf(run: Run, name: string, where: { pointer: string; step: number }): ActorRef | undefined {
  const a = run.scenario.actors[name];
  if (!a) {
    const known = Object.keys(run.scenario.actors).join(', ') || 'none';
    run.fail({
      step: where.step,
      pointer: where.pointer,
      message: `unknown actor "${name}" (declare it under actors:; declared: ${known})`,
      stopped: true,
    });
  }
  return a;
}

/** A petition to submit: the scenario's own (`at` empty) or an earlier case's (`at` its pointer). */
interface Submission {
  petition: Record<string, unknown>;
  submittedBy: string | undefined;
  at: string;
  submitError?: string | undefined;
}

/** Submits the petition; the case id when a case was created (refused as expected or not). */
async function submitCase(run: Run, sub: Submission): Promise<string | undefined> {
  const { scenario, config, fail } = run;
  const submitter = actorOf(run, sub.submittedBy ?? 'registrar', {
    pointer: `${sub.at}/submittedBy`,
    step: 0,
  });
  if (!submitter) return undefined;
  try {
    // the scenario's petitioner actor is the petitioner of the case, whoever registers it
    const petitionerId = Object.values(scenario.actors).find((a) => config.roles[a.role]?.petitioner)?.id;
    const created = await run.engine.submit(sub.petition, submitter, petitionerId ? { petitionerId } : {});
    if (sub.submitError) {
      fail({
        step: 0,
        pointer: '/submitError',
        message: `submission was accepted, expected refusal ${sub.submitError}`,
        expected: sub.submitError,
        stopped: true,
      });
    }
    return created.caseId;
  } catch (e) {
    if (!sub.submitError) {
      fail({
        step: 0,
        pointer: problemPointer(e, `${sub.at}/petition`),
        message: `submission refused: ${describe(e)}`,
        stopped: true,
      });
    } else if (!isXinfangError(e) || e.code !== sub.submitError) {
      fail({
        step: 0,
        pointer: '/submitError',
        message: `submission refused with ${describe(e)}, expected ${sub.submitError}`,
        expected: sub.submitError,
        actual: describe(e),
      });
    }
    return undefined;
  }
}

/** Where a step runs: its case, its number (1-based) and pointer, and the case before it. */
interface StepAt {
  caseId: string;
  n: number;
  at: string;
  before: CaseProjection;
}

type SendStep = Extract<ScenarioStep, { send: string }>;
type AdvanceStep = Extract<ScenarioStep, { advance: unknown }>;

/**
 * Runs the steps in order until one stops the run; how many steps ran, the submission included.
 * `base`: the steps' pointer in the scenario file.
 */
async function runSteps(
  run: Run,
  caseId: string,
  steps: readonly ScenarioStep[],
  base: string,
): Promise<number> {
  let ran = 1;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as ScenarioStep;
    ran++;
    const before = (await run.store.getCase(caseId)) as CaseProjection;
    const where: StepAt = { caseId, n: i + 1, at: `${base}/${i}`, before };
    let go = true;
    if ('send' in step) go = await sendStep(run, step, where);
    else if ('advance' in step) go = await advanceStep(run, step, where);
    if (!go) break;
    if (step.expect)
      await checkExpectation(targetOf(run, caseId), {
        want: step.expect,
        step: where.n,
        at: `${where.at}/expect`,
        since: before.version,
      });
  }
  return ran;
}

/** Sends a step's command; false when the run stops here. */
async function sendStep(run: Run, step: SendStep, where: StepAt): Promise<boolean> {
  const { caseId, n, at, before } = where;
  const actor = actorOf(run, step.as, { pointer: `${at}/as`, step: n });
  if (!actor) return false;
  try {
    const r = await run.engine.send(caseId, { type: step.send, payload: step.payload ?? {} }, actor, {
      ...(step.idempotencyKey !== undefined ? { idempotencyKey: step.idempotencyKey } : {}),
    });
    if (r.version > before.version)
      run.transitions.push({ state: before.state, event: step.send, to: r.state });
    if (!step.error) return true;
    run.fail({
      step: n,
      pointer: `${at}/error`,
      message: `${step.send} by ${step.as} was accepted (now ${r.state}), expected refusal ${step.error}`,
      expected: step.error,
      actual: r.state,
      stopped: true,
    });
    return false;
  } catch (e) {
    return refused(run, { step, where, error: e });
  }
}

/**
 * A refused command: the run stops when it should have been accepted; else the refusal must
 * carry the expected code and leave the case unchanged. False when the run stops here.
 */
async function refused(
  run: Run,
  { step, where, error: e }: { step: SendStep; where: StepAt; error: unknown },
): Promise<boolean> {
  const { n, at, before } = where;
  if (!step.error) {
    const pointer =
      isXinfangError(e) && e.code === 'COMMAND_PAYLOAD_INVALID'
        ? problemPointer(e, `${at}/payload`)
        : `${at}/send`;
    run.fail({
      step: n,
      pointer,
      message: `${step.send} by ${step.as} refused: ${describe(e)}`,
      actual: describe(e),
      stopped: true,
    });
    return false;
  }
  if (!isXinfangError(e) || e.code !== step.error) {
    run.fail({
      step: n,
      pointer: `${at}/error`,
      message: `${step.send} by ${step.as} refused with ${describe(e)}, expected ${step.error}`,
      expected: step.error,
      actual: describe(e),
    });
  }
  const after = await run.store.getCase(where.caseId);
  if (after?.version !== before.version) {
    run.fail({
      step: n,
      pointer: `${at}/error`,
      message: `a refused command changed the case (version ${before.version} -> ${after?.version})`,
      expected: before.version,
      actual: after?.version,
    });
  }
  return true;
}

/** Moves the clock and (unless told not to) ticks; false when the clock cannot be moved so. */
async function advanceStep(run: Run, step: AdvanceStep, where: StepAt): Promise<boolean> {
  const { clock } = run;
  const { days, hours, to } = step.advance;
  try {
    if (to !== undefined) clock.set(to);
    if (days) clock.advanceDays(days);
    if (hours) clock.advance(hours * ONE_HOUR);
  } catch {
    const now = clock.now().toISOString();
    run.fail({
      step: where.n,
      pointer: `${where.at}/advance`,
      message: `cannot move the clock (now ${now}) by ${JSON.stringify(step.advance)}: not an instant, or backwards`,
      stopped: true,
    });
    return false;
  }
  if (step.tick !== false) {
    const fired = await run.engine.tick(clock.now());
    let state = where.before.state;
    // an earlier case's expiry is not a transition of this one
    for (const f of fired.filter((x) => x.caseId === where.caseId)) {
      run.transitions.push({ state, event: expiryEvent(f.deadlineId), to: f.state });
      state = f.state;
    }
  }
  return true;
}

/** The pointer of the first problem an input error names (petition, payload), under `base`. */
function problemPointer(e: unknown, base: string): string {
  const details = isXinfangError(e)
    ? (e.details as { problems?: { pointer?: unknown }[] } | undefined)
    : undefined;
  const first = details?.problems?.[0]?.pointer;
  return typeof first === 'string' ? `${base}${first}` : base;
}

function describe(e: unknown): string {
  if (isXinfangError(e)) return `${e.code}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}
