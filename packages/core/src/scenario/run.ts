import { ManualClock } from '../base/clock.js';
import { isXinfangError } from '../base/errors.js';
import type { Calendar } from '../calendar/index.js';
import { expiryEvent } from '../config/expiry.js';
import type { JurisdictionConfig } from '../config/types.js';
import { createDocumentIssuer, type TemplatePaths } from '../documents/index.js';
import { createEngine } from '../engine/index.js';
import { createMemoryStore } from '../store/index.js';
import type { ActorRef, CaseProjection, CaseStore } from '../store/types.js';
import type { Scenario, ScenarioExpectation, ScenarioStep } from './format.js';

/** One expectation that did not hold, located by step and JSON pointer into the scenario file. */
export interface ScenarioFailure {
  /** 0 is the submission; n is `steps[n-1]`. */
  step: number;
  pointer: string;
  /** 1-based line in the scenario file, when the caller could locate it. */
  line?: number;
  message: string;
  expected?: unknown;
  actual?: unknown;
  /** The run stopped here: later steps were not run. */
  stopped?: boolean;
}

/**
 * A transition the case took: the state it was in, the event (a command's type, or
 * `<deadline>.expired` for an expiry found by the tick) and the state it went to (the same
 * state for a transition without `to`).
 */
export interface TakenTransition {
  state: string;
  event: string;
  to: string;
}

export interface ScenarioResult {
  name: string;
  passed: boolean;
  caseId?: string;
  failures: ScenarioFailure[];
  /** Steps run, including the submission. */
  steps: number;
  /** Every transition the case took, in order (refused commands take none). */
  transitions: TakenTransition[];
}

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

  let clock: ManualClock;
  try {
    clock = new ManualClock(scenario.start);
  } catch {
    fail({
      step: 0,
      pointer: '/start',
      message: `start ${JSON.stringify(scenario.start)} is not an instant (e.g. 2026-03-02T09:00:00+08:00)`,
      stopped: true,
    });
    return done(0);
  }
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
  });
  const actorOf = (name: string, pointer: string, step: number): ActorRef | undefined => {
    const a = scenario.actors[name];
    if (!a) {
      const known = Object.keys(scenario.actors).join(', ') || 'none';
      fail({
        step,
        pointer,
        message: `unknown actor "${name}" (declare it under actors:; declared: ${known})`,
        stopped: true,
      });
    }
    return a;
  };

  try {
    const submitter = actorOf(scenario.submittedBy ?? 'registrar', '/submittedBy', 0);
    let caseId: string | undefined;
    if (submitter) {
      try {
        // the scenario's petitioner actor is the petitioner of the case, whoever registers it
        const petitionerId = Object.values(scenario.actors).find((a) => config.roles[a.role]?.petitioner)?.id;
        const created = await engine.submit(
          scenario.petition,
          submitter,
          petitionerId ? { petitionerId } : {},
        );
        caseId = created.caseId;
        if (scenario.submitError) {
          fail({
            step: 0,
            pointer: '/submitError',
            message: `submission was accepted, expected refusal ${scenario.submitError}`,
            expected: scenario.submitError,
            stopped: true,
          });
        }
      } catch (e) {
        if (!scenario.submitError) {
          fail({
            step: 0,
            pointer: problemPointer(e, '/petition'),
            message: `submission refused: ${describe(e)}`,
            stopped: true,
          });
        } else if (!isXinfangError(e) || e.code !== scenario.submitError) {
          fail({
            step: 0,
            pointer: '/submitError',
            message: `submission refused with ${describe(e)}, expected ${scenario.submitError}`,
            expected: scenario.submitError,
            actual: describe(e),
          });
        }
      }
    }
    if (!caseId) return done(1);
    if (scenario.expect)
      await check(store, engine, caseId, scenario, scenario.expect, 0, '/expect', undefined, fail);
    if (scenario.submitError) return done(1, caseId);

    const steps = scenario.steps ?? [];
    let ran = 1;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i] as ScenarioStep;
      const n = i + 1;
      const at = `/steps/${i}`;
      ran++;
      const before = (await store.getCase(caseId)) as CaseProjection;
      if ('send' in step) {
        const actor = actorOf(step.as, `${at}/as`, n);
        if (!actor) break;
        try {
          const r = await engine.send(caseId, { type: step.send, payload: step.payload ?? {} }, actor, {
            ...(step.idempotencyKey !== undefined ? { idempotencyKey: step.idempotencyKey } : {}),
          });
          if (r.version > before.version)
            transitions.push({ state: before.state, event: step.send, to: r.state });
          if (step.error) {
            fail({
              step: n,
              pointer: `${at}/error`,
              message: `${step.send} by ${step.as} was accepted (now ${r.state}), expected refusal ${step.error}`,
              expected: step.error,
              actual: r.state,
              stopped: true,
            });
            break;
          }
        } catch (e) {
          if (!step.error) {
            const pointer =
              isXinfangError(e) && e.code === 'COMMAND_PAYLOAD_INVALID'
                ? problemPointer(e, `${at}/payload`)
                : `${at}/send`;
            fail({
              step: n,
              pointer,
              message: `${step.send} by ${step.as} refused: ${describe(e)}`,
              actual: describe(e),
              stopped: true,
            });
            break;
          }
          if (!isXinfangError(e) || e.code !== step.error) {
            fail({
              step: n,
              pointer: `${at}/error`,
              message: `${step.send} by ${step.as} refused with ${describe(e)}, expected ${step.error}`,
              expected: step.error,
              actual: describe(e),
            });
          }
          const after = await store.getCase(caseId);
          if (after?.version !== before.version) {
            fail({
              step: n,
              pointer: `${at}/error`,
              message: `a refused command changed the case (version ${before.version} -> ${after?.version})`,
              expected: before.version,
              actual: after?.version,
            });
          }
        }
      } else if ('advance' in step) {
        const { days, hours, to } = step.advance;
        try {
          if (to !== undefined) clock.set(to);
          if (days) clock.advanceDays(days);
          if (hours) clock.advance(hours * ONE_HOUR);
        } catch {
          const now = clock.now().toISOString();
          fail({
            step: n,
            pointer: `${at}/advance`,
            message: `cannot move the clock (now ${now}) by ${JSON.stringify(step.advance)}: not an instant, or backwards`,
            stopped: true,
          });
          break;
        }
        if (step.tick !== false) {
          const fired = await engine.tick(clock.now());
          let state = before.state;
          for (const f of fired) {
            transitions.push({ state, event: expiryEvent(f.deadlineId), to: f.state });
            state = f.state;
          }
        }
      }
      if (step.expect)
        await check(store, engine, caseId, scenario, step.expect, n, `${at}/expect`, before.version, fail);
    }
    return done(ran, caseId);
  } finally {
    await store.close();
  }
}

type Engine = ReturnType<typeof createEngine>;

async function check(
  store: CaseStore,
  engine: Engine,
  caseId: string,
  scenario: Scenario,
  want: ScenarioExpectation,
  step: number,
  at: string,
  /** The case version before the step (undefined for the submission). */
  since: number | undefined,
  fail: (f: ScenarioFailure) => void,
): Promise<void> {
  const c = (await store.getCase(caseId)) as CaseProjection;
  const same = (key: string, expected: unknown, actual: unknown) => {
    if (expected !== undefined && expected !== actual) {
      fail({
        step,
        pointer: `${at}/${key}`,
        message: `${key} is ${fmt(actual)}, expected ${fmt(expected)}`,
        expected,
        actual,
      });
    }
  };
  same('state', want.state, c.state);
  same('stage', want.stage, c.stage);
  same('colour', want.colour, c.colour);
  same('unit', want.unit, c.responsibleUnit);

  const reasonKeys = (rs: CaseProjection['redReasons']) =>
    rs.flatMap((r) => [r.ref, r.code].filter(Boolean) as string[]);
  for (const [key, list] of [
    ['red', c.redReasons],
    ['violations', c.violations],
  ] as const) {
    const wanted = want[key];
    if (!wanted) continue;
    const have = reasonKeys(list);
    if (wanted.length === 0 && list.length > 0) {
      fail({
        step,
        pointer: `${at}/${key}`,
        message: `expected no ${key} reasons, found ${fmt(have)}`,
        actual: have,
      });
    }
    for (const w of wanted) {
      if (!have.includes(w))
        fail({
          step,
          pointer: `${at}/${key}`,
          message: `${key} reasons lack "${w}" (have ${fmt(have)})`,
          expected: w,
          actual: have,
        });
    }
  }

  if (want.deadlines) {
    const rows = await store.deadlines(caseId);
    for (const [id, exp] of Object.entries(want.deadlines)) {
      // the latest period of this deadline (a deadline may be started again, e.g. after a reopening)
      const row = rows.filter((r) => r.deadlineId === id).at(-1);
      const p = `${at}/deadlines/${id}`;
      if (exp === 'none') {
        if (row)
          fail({
            step,
            pointer: p,
            message: `deadline ${id} exists (${row.status}, due ${row.dueDate}), expected none`,
          });
        continue;
      }
      if (!row) {
        fail({ step, pointer: p, message: `deadline ${id} was never started` });
        continue;
      }
      if (exp.due !== undefined && exp.due !== row.dueDate) {
        fail({
          step,
          pointer: `${p}/due`,
          message: `${id} is due ${row.dueDate}, expected ${exp.due}`,
          expected: exp.due,
          actual: row.dueDate,
        });
      }
      if (exp.status !== undefined && exp.status !== row.status) {
        fail({
          step,
          pointer: `${p}/status`,
          message: `${id} is ${row.status}, expected ${exp.status}`,
          expected: exp.status,
          actual: row.status,
        });
      }
      if (exp.provisional !== undefined && exp.provisional !== row.provisional) {
        fail({
          step,
          pointer: `${p}/provisional`,
          message: `${id} provisional is ${row.provisional}, expected ${exp.provisional}`,
          expected: exp.provisional,
          actual: row.provisional,
        });
      }
      if (exp.periods !== undefined) {
        const n = rows.filter((r) => r.deadlineId === id).length;
        if (n !== exp.periods)
          fail({
            step,
            pointer: `${p}/periods`,
            message: `${id} has ${n} period(s), expected ${exp.periods}`,
            expected: exp.periods,
            actual: n,
          });
      }
    }
  }

  if (want.documents || want.notDocuments || want.issued) {
    const rows = (await store.outbox({ caseId })).filter((r) => r.kind === 'document');
    const idOf = (r: (typeof rows)[number]) => String(r.payload.documentId ?? r.payload.document ?? '');
    const issued = rows.map(idOf);
    for (const d of want.documents ?? []) {
      if (!issued.includes(d))
        fail({
          step,
          pointer: `${at}/documents`,
          message: `document ${d} not issued (issued: ${fmt(issued)})`,
          expected: d,
          actual: issued,
        });
    }
    for (const d of want.notDocuments ?? []) {
      if (issued.includes(d))
        fail({ step, pointer: `${at}/notDocuments`, message: `document ${d} was issued` });
    }
    if (want.issued) {
      const now = rows.filter((r) => since === undefined || r.seq > since).map(idOf);
      if (JSON.stringify(now) !== JSON.stringify(want.issued)) {
        fail({
          step,
          pointer: `${at}/issued`,
          message: `this step issued ${fmt(now)}, expected ${fmt(want.issued)}`,
          expected: want.issued,
          actual: now,
        });
      }
    }
  }

  for (const [path, expected] of Object.entries(want.data ?? {})) {
    const actual = path
      .split('.')
      .reduce<unknown>(
        (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
        c.data,
      );
    if (!matches(expected, actual)) {
      fail({
        step,
        pointer: `${at}/data/${path}`,
        message: `data.${path} is ${fmt(actual)}, expected ${fmt(expected)}`,
        expected,
        actual,
      });
    }
  }

  if (want.allowed) {
    const actor = scenario.actors[want.allowed.as];
    if (!actor) {
      fail({ step, pointer: `${at}/allowed/as`, message: `unknown actor "${want.allowed.as}"` });
    } else {
      const allowed = await engine.allowedCommands(caseId, actor);
      if (want.allowed.exactly) {
        const a = [...allowed].sort();
        const w = [...want.allowed.commands].sort();
        if (JSON.stringify(a) !== JSON.stringify(w)) {
          fail({
            step,
            pointer: `${at}/allowed`,
            message: `${want.allowed.as} may send ${fmt(a)}, expected exactly ${fmt(w)}`,
            expected: w,
            actual: a,
          });
        }
      } else {
        for (const cmd of want.allowed.commands) {
          if (!allowed.includes(cmd))
            fail({
              step,
              pointer: `${at}/allowed`,
              message: `${want.allowed.as} may not send ${cmd} (may: ${fmt(allowed)})`,
            });
        }
      }
    }
  }
}

/**
 * Whether `actual` matches `expected`: equal scalars and lists; a map matches when each of
 * its keys matches (extra keys in `actual` are allowed, so a scenario names what matters);
 * `null` matches an absent value.
 */
function matches(expected: unknown, actual: unknown): boolean {
  if (expected === null) return actual === null || actual === undefined;
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    return Object.entries(expected).every(([k, v]) => matches(v, (actual as Record<string, unknown>)[k]));
  }
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      expected.length === actual.length &&
      expected.every((v, i) => matches(v, actual[i]))
    );
  }
  return expected === actual;
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

function fmt(v: unknown): string {
  return v === undefined ? 'absent' : JSON.stringify(v);
}
