import type { Calendar } from '../calendar/index.js';
import type { JurisdictionConfig } from '../config/types.js';
import { ManualClock } from '../engine/clock.js';
import { createEngine } from '../engine/index.js';
import { isXinfangError } from '../errors.js';
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
}

export interface ScenarioResult {
  name: string;
  passed: boolean;
  caseId?: string;
  failures: ScenarioFailure[];
  /** Steps run, including the submission. */
  steps: number;
}

export interface RunScenarioOptions {
  calendars: Map<string, Calendar>;
  /** Maps a JSON pointer of the scenario to its line, for failure messages. */
  locate?: (pointer: string) => number | undefined;
}

const ONE_HOUR = 3_600_000;

/**
 * Runs one scenario against a config on a fresh in-memory store and a manual clock, and
 * reports every expectation that failed. A command refused when it should not be ends the
 * run, since later steps would only repeat the same failure.
 */
export async function runScenario(
  config: JurisdictionConfig,
  scenario: Scenario,
  options: RunScenarioOptions,
): Promise<ScenarioResult> {
  const store = createMemoryStore();
  const clock = new ManualClock(scenario.start);
  const engine = createEngine({ configs: [config], store, clock, calendars: options.calendars });
  const failures: ScenarioFailure[] = [];
  const fail = (f: ScenarioFailure) => failures.push({ ...f, line: options.locate?.(f.pointer) });
  const actorOf = (name: string, pointer: string, step: number): ActorRef | undefined => {
    const a = scenario.actors[name];
    if (!a) fail({ step, pointer, message: `unknown actor "${name}" (declare it under actors:)` });
    return a;
  };

  const submitter = actorOf(scenario.submittedBy ?? 'registrar', '/submittedBy', 0);
  let caseId: string | undefined;
  if (submitter) {
    try {
      // the scenario's `petitioner` actor is the petitioner of the case, whoever registers it
      const petitionerId = Object.values(scenario.actors).find((a) => config.roles[a.role]?.petitioner)?.id;
      const created = await engine.submit(scenario.petition, submitter, petitionerId ? { petitionerId } : {});
      caseId = created.caseId;
      if (scenario.submitError) {
        fail({ step: 0, pointer: '/submitError', message: 'submission was accepted', expected: scenario.submitError });
      }
    } catch (e) {
      if (!scenario.submitError) {
        fail({ step: 0, pointer: '/petition', message: `submission refused: ${describe(e)}` });
      } else if (!isXinfangError(e) || e.code !== scenario.submitError) {
        fail({ step: 0, pointer: '/submitError', message: 'refused with another error', expected: scenario.submitError, actual: describe(e) });
      }
    }
  }
  if (caseId && scenario.expect) await check(store, engine, caseId, scenario, scenario.expect, 0, '/expect', fail);

  const steps = scenario.steps ?? [];
  let ran = 1;
  for (let i = 0; caseId && i < steps.length && !failures.some((f) => f.message.startsWith('stopped:')); i++) {
    const step = steps[i] as ScenarioStep;
    const n = i + 1;
    const at = `/steps/${i}`;
    ran++;
    if ('send' in step) {
      const actor = actorOf(step.as, `${at}/as`, n);
      if (!actor) break;
      const before = await store.getCase(caseId);
      try {
        await engine.send(caseId, { type: step.send, payload: step.payload ?? {} }, actor, {
          idempotencyKey: step.idempotencyKey,
        });
        if (step.error) fail({ step: n, pointer: `${at}/error`, message: `${step.send} was accepted`, expected: step.error });
      } catch (e) {
        if (!step.error) {
          fail({ step: n, pointer: at, message: `stopped: ${step.send} by ${step.as} refused: ${describe(e)}` });
          break;
        }
        if (!isXinfangError(e) || e.code !== step.error) {
          fail({ step: n, pointer: `${at}/error`, message: `${step.send} refused with another error`, expected: step.error, actual: describe(e) });
        }
        const after = await store.getCase(caseId);
        if (after?.version !== before?.version) {
          fail({ step: n, pointer: at, message: 'a refused command changed the case', expected: before?.version, actual: after?.version });
        }
      }
    } else if ('advance' in step) {
      const { days, hours, to } = step.advance;
      if (to !== undefined) clock.set(to);
      if (days) clock.advanceDays(days);
      if (hours) clock.advance(hours * ONE_HOUR);
      if (step.tick !== false) await engine.tick(clock.now());
    }
    if (step.expect) await check(store, engine, caseId, scenario, step.expect, n, `${at}/expect`, fail);
  }
  await store.close();
  return { name: scenario.name, passed: failures.length === 0, caseId, failures, steps: ran };
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
  fail: (f: ScenarioFailure) => void,
): Promise<void> {
  const c = (await store.getCase(caseId)) as CaseProjection;
  const same = (key: string, expected: unknown, actual: unknown) => {
    if (expected !== undefined && expected !== actual) {
      fail({ step, pointer: `${at}/${key}`, message: `${key} is ${fmt(actual)}, expected ${fmt(expected)}`, expected, actual });
    }
  };
  same('state', want.state, c.state);
  same('stage', want.stage, c.stage);
  same('colour', want.colour, c.colour);
  same('unit', want.unit, c.responsibleUnit);

  const reasonKeys = (rs: CaseProjection['redReasons']) => rs.flatMap((r) => [r.ref, r.code].filter(Boolean) as string[]);
  for (const [key, list] of [
    ['red', c.redReasons],
    ['violations', c.violations],
  ] as const) {
    const wanted = want[key];
    if (!wanted) continue;
    const have = reasonKeys(list);
    if (wanted.length === 0 && list.length > 0) {
      fail({ step, pointer: `${at}/${key}`, message: `expected no ${key} reasons, found ${fmt(have)}`, actual: have });
    }
    for (const w of wanted) {
      if (!have.includes(w)) fail({ step, pointer: `${at}/${key}`, message: `${key} reasons lack "${w}"`, expected: w, actual: have });
    }
  }

  if (want.deadlines) {
    const rows = await store.deadlines(caseId);
    for (const [id, exp] of Object.entries(want.deadlines)) {
      // the latest period of this deadline (a deadline may be started again, e.g. after a reopening)
      const row = rows.filter((r) => r.deadlineId === id).at(-1);
      const p = `${at}/deadlines/${id}`;
      if (exp === 'none') {
        if (row) fail({ step, pointer: p, message: `deadline ${id} exists (${row.status}, due ${row.dueDate})` });
        continue;
      }
      if (!row) {
        fail({ step, pointer: p, message: `deadline ${id} was never started` });
        continue;
      }
      if (exp.due !== undefined && exp.due !== row.dueDate) {
        fail({ step, pointer: `${p}/due`, message: `${id} is due ${row.dueDate}, expected ${exp.due}`, expected: exp.due, actual: row.dueDate });
      }
      if (exp.status !== undefined && exp.status !== row.status) {
        fail({ step, pointer: `${p}/status`, message: `${id} is ${row.status}, expected ${exp.status}`, expected: exp.status, actual: row.status });
      }
      if (exp.provisional !== undefined && exp.provisional !== row.provisional) {
        fail({ step, pointer: `${p}/provisional`, message: `${id} provisional is ${row.provisional}`, expected: exp.provisional, actual: row.provisional });
      }
    }
  }

  if (want.documents || want.notDocuments) {
    const issued = (await store.outbox({ caseId }))
      .filter((r) => r.kind === 'document')
      .map((r) => String(r.payload.documentId ?? r.payload.document ?? ''));
    for (const d of want.documents ?? []) {
      if (!issued.includes(d)) fail({ step, pointer: `${at}/documents`, message: `document ${d} not issued (issued: ${fmt(issued)})`, expected: d, actual: issued });
    }
    for (const d of want.notDocuments ?? []) {
      if (issued.includes(d)) fail({ step, pointer: `${at}/notDocuments`, message: `document ${d} was issued` });
    }
  }

  for (const [path, expected] of Object.entries(want.data ?? {})) {
    const actual = path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), c.data);
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      fail({ step, pointer: `${at}/data/${path}`, message: `data.${path} is ${fmt(actual)}, expected ${fmt(expected)}`, expected, actual });
    }
  }

  if (want.allowed) {
    const actor = scenario.actors[want.allowed.as];
    if (!actor) {
      fail({ step, pointer: `${at}/allowed/as`, message: `unknown actor "${want.allowed.as}"` });
    } else {
      const allowed = await engine.allowedCommands(caseId, actor);
      for (const cmd of want.allowed.commands) {
        if (!allowed.includes(cmd)) fail({ step, pointer: `${at}/allowed`, message: `${want.allowed.as} may not send ${cmd} (may: ${fmt(allowed)})` });
      }
    }
  }
}

function describe(e: unknown): string {
  if (isXinfangError(e)) return `${e.code}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

function fmt(v: unknown): string {
  return v === undefined ? 'absent' : JSON.stringify(v);
}
