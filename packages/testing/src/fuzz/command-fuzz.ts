/**
 * The command fuzzer: random programs of engine calls on a memory store — petitions the form
 * accepts and hostile ones, every command of the config and names that are none, payloads that
 * are JSON, too large, too deep, cyclic or not JSON at all, actors of the config and forged ones,
 * instants and non-instants. Every refusal must be a coded XinfangError, and after the program
 * every case must still verify: a refused call wrote nothing.
 */

import {
  type ActorRef,
  type Calendar,
  createEngine,
  createMemoryStore,
  type Engine,
  ephemeralIdentityKeys,
  type JurisdictionConfig,
  ManualClock,
} from '@xinfang/core';
import { compileConfig } from '@xinfang/core/tooling';
import fc from 'fast-check';
import { actorArbitrary, petitionArbitrary } from '../compliance/arbitraries.js';
import { type FuzzReport, judge, newReport } from './report.js';
import { describeRecipe, ODD_NAMES, type OddRecipe, oddRecipe, oddValue } from './values.js';

/** Options of {@link fuzzCommands}. */
export interface CommandFuzzOptions {
  config: JurisdictionConfig;
  calendar: Calendar;
  /** Programs to run. */
  runs: number;
  /** @default 17 */
  seed?: number;
  /** Calls per program after its first registration, at most. @default 12 */
  steps?: number;
  /** Where the clock starts. @default 2026-03-02T09:00:00+08:00 */
  start?: string;
  onInput?: (done: number) => void;
}

/** A value, or a hostile recipe in its place. */
type Maybe<T> = { ok: T } | { odd: OddRecipe };

type Step =
  | {
      op: 'submit';
      petition: Record<string, unknown>;
      field?: { key: string; odd: OddRecipe };
      actor: Maybe<ActorRef>;
    }
  | {
      op: 'send';
      ref: number | OddRecipe;
      type: string | OddRecipe;
      payload: Maybe<unknown>;
      actor: Maybe<ActorRef>;
    }
  | { op: 'tick'; at: { days: number } | OddRecipe | undefined }
  | { op: 'advance'; days: number }
  | { op: 'guided'; ref: number; pick: number; odd?: { field: number; value: OddRecipe } }
  | {
      op: 'read';
      what: 'get' | 'history' | 'documents' | 'allowedCommands' | 'query';
      ref: number | OddRecipe;
      actor: Maybe<ActorRef>;
    };

function maybe<T>(ok: fc.Arbitrary<T>): fc.Arbitrary<Maybe<T>> {
  return fc.oneof(
    { weight: 3, arbitrary: ok.map((v) => ({ ok: v })) },
    { weight: 1, arbitrary: oddRecipe().map((r) => ({ odd: r })) },
  );
}

/** A program's arbitrary for one config: its petitions, actors and commands. */
function programArbitrary(
  config: JurisdictionConfig,
  steps: number,
): fc.Arbitrary<{ petitions: Record<string, unknown>[]; steps: Step[] }> {
  const commands = [...compileConfig(config).commands];
  const actor = maybe(
    fc.oneof(
      { weight: 4, arbitrary: actorArbitrary(config) },
      {
        weight: 1,
        arbitrary: fc.record({
          id: fc.constantFrom('x', ...ODD_NAMES),
          role: fc.constantFrom('system', ...ODD_NAMES),
          unit: fc.constantFrom(...ODD_NAMES),
        }),
      },
    ),
  );
  const ref = fc.oneof({ weight: 4, arbitrary: fc.nat(3) }, { weight: 1, arbitrary: oddRecipe() });
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({
      op: fc.constant('submit' as const),
      petition: fc.constant({}),
      field: fc.option(
        fc.record({
          key: fc.constantFrom('summary', 'petitioner', 'receivingUnit', 'channel', 'extra', '__proto__'),
          odd: oddRecipe(),
        }),
        { nil: undefined },
      ),
      actor,
    }),
    fc.record({
      op: fc.constant('send' as const),
      ref,
      type: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...commands) },
        { weight: 1, arbitrary: oddRecipe() },
      ),
      payload: maybe(
        fc.oneof(
          fc.constant({}),
          fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
        ),
      ),
      actor,
    }),
    fc.record({
      op: fc.constant('tick' as const),
      at: fc.option(fc.oneof(fc.record({ days: fc.integer({ min: -3, max: 0 }) }), oddRecipe()), {
        nil: undefined,
      }),
    }),
    fc.record({ op: fc.constant('advance' as const), days: fc.integer({ min: 1, max: 40 }) }),
    // a command some actor may send, with a payload its schema accepts (or one field made hostile):
    // this is what takes cases past registration, so the later states' checks meet hostile input too
    {
      weight: 3,
      arbitrary: fc.record({
        op: fc.constant('guided' as const),
        ref: fc.nat(3),
        pick: fc.nat(),
        odd: fc.option(fc.record({ field: fc.nat(), value: oddRecipe() }), { nil: undefined, freq: 3 }),
      }),
    },
    fc.record({
      op: fc.constant('read' as const),
      what: fc.constantFrom('get', 'history', 'documents', 'allowedCommands', 'query'),
      ref,
      actor,
    }),
  );
  return fc.record({
    petitions: fc.array(petitionArbitrary(config), { minLength: 1, maxLength: 2 }),
    // a program starts with a registration, so there is a case for the later steps to act on
    steps: fc
      .array(step, { minLength: 1, maxLength: steps })
      .map((list) => [{ op: 'submit', petition: {}, actor: { ok: { id: '', role: '' } } } as Step, ...list]),
  });
}

function valueIn<T>(m: Maybe<T>): T {
  return ('ok' in m ? m.ok : oddValue(m.odd)) as T;
}

function describeStep(s: Step): string {
  const odd = (m: Maybe<unknown>) => ('odd' in m ? ` (${describeRecipe(m.odd)})` : '');
  switch (s.op) {
    case 'submit':
      return `submit${s.field ? ` with ${s.field.key}=${describeRecipe(s.field.odd)}` : ''}${odd(s.actor)}`;
    case 'send':
      return `send ${typeof s.type === 'string' ? s.type : describeRecipe(s.type)} to ${typeof s.ref === 'number' ? `#${s.ref}` : describeRecipe(s.ref)}${odd(s.payload)}${odd(s.actor)}`;
    case 'tick':
      return `tick ${s.at === undefined ? 'now' : 'days' in s.at ? `${s.at.days}d` : describeRecipe(s.at as OddRecipe)}`;
    case 'advance':
      return `advance ${s.days}d`;
    case 'guided':
      return `guided #${s.ref} pick ${s.pick}${s.odd ? ` with field ${s.odd.field} = ${describeRecipe(s.odd.value)}` : ''}`;
    case 'read':
      return `${s.what} ${typeof s.ref === 'number' ? `#${s.ref}` : describeRecipe(s.ref)}${odd(s.actor)}`;
  }
}

/** The world a program runs in. */
interface World {
  config: JurisdictionConfig;
  /** Staff of every role at every unit, and the petitioner: who the guided steps ask. */
  people: ActorRef[];
  engine: Engine;
  clock: ManualClock;
  cases: string[];
  petitions: Record<string, unknown>[];
  registrar: ActorRef;
}

function caseOf(w: World, ref: number | OddRecipe): string {
  return typeof ref === 'number'
    ? (w.cases[ref % Math.max(1, w.cases.length)] ?? 'XF-none')
    : (oddValue(ref) as string);
}

/** Performs one step (it may throw: the caller judges what). */
async function perform(w: World, s: Step): Promise<void> {
  switch (s.op) {
    case 'submit': {
      const base = w.petitions[w.cases.length % w.petitions.length] ?? {};
      const petition = s.field ? { ...base, [s.field.key]: oddValue(s.field.odd) } : base;
      const actor = 'ok' in s.actor ? w.registrar : (valueIn(s.actor) as ActorRef);
      const r = await w.engine.submit(petition, actor, { petitionerId: 'petitioner-1' });
      w.cases.push(r.caseId);
      return;
    }
    case 'send': {
      const type = typeof s.type === 'string' ? s.type : oddValue(s.type);
      await w.engine.send(caseOf(w, s.ref), { type, payload: valueIn(s.payload) } as never, valueIn(s.actor));
      return;
    }
    case 'tick': {
      const at =
        s.at === undefined
          ? undefined
          : 'days' in s.at
            ? new Date(w.clock.now().getTime() + (s.at as { days: number }).days * 86_400_000)
            : oddValue(s.at as OddRecipe);
      await w.engine.tick(at as never);
      return;
    }
    case 'advance':
      w.clock.advanceDays(s.days);
      return;
    case 'guided':
      return guided(w, s);
    case 'read': {
      const actor = valueIn(s.actor);
      if (s.what === 'query') await w.engine.query({ limit: 5 }, actor);
      else await w.engine[s.what](caseOf(w, s.ref), actor);
      return;
    }
  }
}

/** A value a JSON Schema node accepts, made from the node alone (enough for the forms configs write). */
function sampleOf(schema: Record<string, unknown>, at: string, pick: number): unknown {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[pick % schema.enum.length];
  if (schema.const !== undefined) return schema.const;
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'integer' || type === 'number') return typeof schema.minimum === 'number' ? schema.minimum : 1;
  if (type === 'boolean') return pick % 2 === 0;
  if (type === 'array') return [];
  if (type === 'object') return {};
  return schema.format === 'date' || schema.format === 'date-time' ? at : '经调查核实，依法处理';
}

/** Sends a command an actor may send on a case, with a payload its schema accepts or one hostile field. */
async function guided(w: World, s: Extract<Step, { op: 'guided' }>): Promise<void> {
  const caseId = w.cases[s.ref % Math.max(1, w.cases.length)];
  if (caseId === undefined) return;
  for (let k = 0; k < w.people.length; k++) {
    const actor = w.people[(s.pick + k) % w.people.length] as ActorRef;
    const allowed = await w.engine.allowedCommands(caseId, actor).catch(() => [] as string[]);
    if (allowed.length === 0) continue;
    const type = allowed[s.pick % allowed.length] as string;
    const view = await w.engine.get(caseId, actor);
    const def = w.config.process.states[view.state]?.on?.[type];
    const first = (Array.isArray(def) ? def[0] : def) as
      | { payload?: { properties?: Record<string, Record<string, unknown>> } }
      | undefined;
    const props = Object.entries(first?.payload?.properties ?? {});
    const at = w.clock.now().toISOString().slice(0, 10);
    const payload: Record<string, unknown> = Object.fromEntries(
      props.map(([k, v]) => [k, sampleOf(v, at, s.pick)]),
    );
    if (s.odd && props.length > 0)
      payload[(props[s.odd.field % props.length] as [string, unknown])[0]] = oddValue(s.odd.value);
    await w.engine.send(caseId, { type, payload } as never, actor);
    return;
  }
}

/** Everyone the guided steps may ask: each staff role at each unit, and the petitioner. */
function peopleOf(config: JurisdictionConfig): ActorRef[] {
  const out: ActorRef[] = [];
  for (const [role, def] of Object.entries(config.roles)) {
    if (def.system) continue;
    if (def.petitioner) out.push({ id: 'petitioner-1', role });
    else for (const unit of Object.keys(config.units)) out.push({ id: `${role}@${unit}`, role, unit });
  }
  return out;
}

/** Runs the command fuzzer; the report lists every uncoded failure and every case that no longer verifies. */
export async function fuzzCommands(options: CommandFuzzOptions): Promise<FuzzReport> {
  const seed = options.seed ?? 17;
  const report = newReport('command', seed);
  const registrar = Object.keys(options.config.units).map((unit) => ({
    id: 'registrar-fuzz',
    role: 'registrar',
    unit,
  }))[0] as ActorRef;
  const people = peopleOf(options.config);
  const programs = fc.sample(programArbitrary(options.config, options.steps ?? 12), {
    numRuns: options.runs,
    seed,
  });
  for (const [i, program] of programs.entries()) {
    report.inputs++;
    const clock = new ManualClock(options.start ?? '2026-03-02T09:00:00+08:00');
    const engine = createEngine({
      configs: [options.config],
      calendars: [options.calendar],
      store: createMemoryStore(),
      clock,
      identityKeys: ephemeralIdentityKeys(),
    });
    const w: World = {
      config: options.config,
      people,
      engine,
      clock,
      cases: [],
      petitions: program.petitions,
      registrar: receivingRegistrar(program.petitions[0], registrar),
    };
    for (const s of program.steps) {
      report.operations++;
      try {
        await perform(w, s);
      } catch (e) {
        judge(report, i, describeStep(s), e);
      }
    }
    for (const caseId of w.cases) {
      const { state } = await engine.replay(caseId);
      report.states[state] = (report.states[state] ?? 0) + 1;
      const v = await engine.verify(caseId);
      if (!v.ok)
        report.failures.push({
          input: i,
          what: program.steps.map(describeStep).join('; '),
          error: `case ${caseId} no longer verifies: ${JSON.stringify(v).slice(0, 200)}`,
        });
    }
    options.onInput?.(i + 1);
  }
  return report;
}

/** A registrar of the unit that received the petition, so submissions get past the unit checks. */
function receivingRegistrar(petition: Record<string, unknown> | undefined, fallback: ActorRef): ActorRef {
  const unit = petition?.receivingUnit;
  return typeof unit === 'string' ? { ...fallback, unit } : fallback;
}
