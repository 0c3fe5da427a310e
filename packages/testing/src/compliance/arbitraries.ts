/**
 * fast-check arbitraries for a jurisdiction: petitions its registration form accepts, actors
 * with its roles and units, days that land on its calendar's weekends and holidays, and whole
 * runs (a petition and a list of steps) for the compliance check. Exported for users' own
 * property tests.
 */

import type { ActorRef, Calendar, JurisdictionConfig } from '@xinfang/core';
import { compileConfig } from '@xinfang/core/tooling';
import fc from 'fast-check';
import type { AdvanceTarget, CheckScenario, CheckStep } from './scenario.js';

type Schema = Record<string, unknown>;

const TEXTS = [
  '拖欠工资三个月未发',
  '小区加装电梯纠纷',
  '征地补偿标准不公',
  '社保缴费记录缺失',
  '违章建筑影响采光',
];
/** Accusation material, worded apart from every other field so a leak is recognisable. */
const ACCUSATIONS = ['检举某局长收受工程款回扣', '控告某科长伪造补偿名单', '揭发某村主任侵占集体资金'];
const NAMES = ['张三', '李四', '王五', '赵六', '某某公司'];

/**
 * The units that receive and handle matters. A dissolved or merged unit (one naming a
 * `successor`, Reg. 24) receives nothing new and has no staff left; what it still holds is its
 * successor's to take over. A joint petition-work meeting (Reg. 24, 39) receives no petitions and
 * handles none: its staff act where their authority names them. The scenarios and engine tests
 * exercise both.
 */
export function activeUnits(config: JurisdictionConfig): string[] {
  return Object.keys(config.units).filter((u) => {
    const def = config.units[u];
    return def?.successor === undefined && def?.kind !== 'joint-meeting';
  });
}

/** Values for the fields a form names by convention; anything else follows its schema. */
function hinted(config: JurisdictionConfig, path: string): fc.Arbitrary<unknown> | undefined {
  const units = activeUnits(config);
  const subjects = [...new Set(Object.values(config.units).flatMap((u) => u.competence ?? []))];
  switch (path) {
    case 'receivingUnit':
    case 'respondentUnit':
      return units.length > 0 ? fc.constantFrom(...units) : undefined;
    case 'subject':
      return fc.constantFrom(...(subjects.length > 0 ? subjects : ['other']), 'other');
    case 'petitioner.name':
      return fc.constantFrom(...NAMES);
    case 'summary':
    case 'request':
      return fc.constantFrom(...TEXTS);
    case 'accusation':
      return fc.constantFrom(...ACCUSATIONS);
    case 'accused': {
      // mostly as staff record them once known (a staff id, or no staff member here), now and
      // then a bare name that staff must resolve before the case moves (RESOLVE_REFERENCE)
      const name = fc.constantFrom('某局长', '某科长', '某村主任');
      return fc.oneof(
        { arbitrary: fc.record({ name, external: fc.constant(true) }), weight: 3 },
        { arbitrary: fc.record({ name, staffId: fc.constant('staff-accused') }), weight: 1 },
        { arbitrary: name, weight: 1 },
      );
    }
  }
  return undefined;
}

/** An arbitrary for a JSON Schema node of the subset registration forms use. */
function fromSchema(config: JurisdictionConfig, schema: Schema, path: string): fc.Arbitrary<unknown> {
  const hint = hinted(config, path);
  if (hint) return hint;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  switch (schema.type) {
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(props)) model[k] = fromSchema(config, v, path ? `${path}.${k}` : k);
      return fc.record(model, {
        requiredKeys: ((schema.required ?? []) as string[]).filter((k) => k in model),
      });
    }
    case 'array': {
      const items = (schema.items ?? { type: 'string' }) as Schema;
      return fc.array(fromSchema(config, items, `${path}[]`), {
        minLength: Number(schema.minItems ?? 0),
        maxLength: Math.max(Number(schema.minItems ?? 0), 3),
      });
    }
    case 'integer': {
      const min = Number(schema.minimum ?? 0);
      const max = Number(schema.maximum ?? min + 30);
      return fc.integer({ min, max });
    }
    case 'number':
      return fc.double({
        min: Number(schema.minimum ?? 0),
        max: Number(schema.maximum ?? 1000),
        noNaN: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'string': {
      if (schema.format === 'date') return fc.constant('2025-01-02');
      if (typeof schema.pattern === 'string') return fc.stringMatching(new RegExp(schema.pattern));
      const min = Number(schema.minLength ?? 0);
      return min > 0 ? fc.constantFrom(...TEXTS) : fc.oneof(fc.constantFrom(...TEXTS), fc.constant(''));
    }
  }
  return fc.constant(null);
}

/**
 * Petitions the jurisdiction's registration form accepts (its JSON Schema, checked by the
 * compiled config), received on `date` when given.
 */
export function petitionArbitrary(
  config: JurisdictionConfig,
  options: { date?: string } = {},
): fc.Arbitrary<Record<string, unknown>> {
  const compiled = compileConfig(config);
  const plain = plainMatter(config);
  const drawn = fromSchema(config, config.form.schema as Schema, '') as fc.Arbitrary<Record<string, unknown>>;
  // three petitions in four are matters of Reg. 31 (6): only those run handling, opinion, review
  // and re-examination (Reg. 29-31), which most invariants judge and which a run reaches only in
  // many steps; the fourth draws its class freely, for the other classes' own procedures
  const petitions = plain
    ? fc.tuple(drawn, fc.nat(3)).map(([p, n]) => (n < 3 ? { ...p, ...plain } : p))
    : drawn;
  return petitions
    .map(fewRepresentatives)
    .map((p) =>
      options.date && 'receivedAt' in ((config.form.schema.properties ?? {}) as Schema)
        ? { ...p, receivedAt: options.date }
        : p,
    )
    .filter((p) => compiled.petitionProblems(p).length === 0);
}

/**
 * Group visits mostly within Reg. 20's five representatives: of those drawn with more, three in
 * four are brought within five, the fourth kept, so the body must have the group choose
 * (GUIDE_REPRESENTATIVES, RECORD_REPRESENTATIVES) before it takes the matter up. A function of
 * the drawn value alone: it takes no randomness, so the petitions drawn stay the same otherwise.
 */
function fewRepresentatives(p: Record<string, unknown>): Record<string, unknown> {
  const group = p.group as { representatives?: unknown } | undefined;
  const n = group?.representatives;
  if (typeof n !== 'number' || n <= 5 || n % 4 === 0) return p;
  return { ...p, group: { ...group, representatives: 1 + (n % 5) } };
}

/**
 * The fields that class a petition as an appeal for a handling opinion (Reg. 31 (6)), when the
 * form records the kind and the route with the national baseline's values.
 */
function plainMatter(config: JurisdictionConfig): Record<string, unknown> | undefined {
  const props = (config.form.schema.properties ?? {}) as Record<string, Schema>;
  const has = (field: string, value: string) => {
    const values = props[field]?.enum;
    return Array.isArray(values) && values.includes(value);
  };
  if (!has('kind', 'appeal') || !has('route', 'opinion')) return undefined;
  return { kind: 'appeal', route: 'opinion' };
}

/** Actors of the jurisdiction: a role, and for staff a unit of its registry. */
export function actorArbitrary(config: JurisdictionConfig, roles?: string[]): fc.Arbitrary<ActorRef> {
  const names = roles ?? Object.keys(config.roles).filter((r) => !config.roles[r]?.system);
  const units = activeUnits(config);
  return fc
    .record({ role: fc.constantFrom(...names), unit: fc.constantFrom(...units), n: fc.nat(9) })
    .map(({ role, unit, n }) =>
      config.roles[role]?.petitioner ? { id: `petitioner-${n}`, role } : { id: `${role}-${n}`, role, unit },
    );
}

/** Civil dates the calendar covers, optionally only weekends, holidays or adjusted working days. */
export function dayArbitrary(
  calendar: Calendar,
  kind: 'any' | 'weekend' | 'holiday' | 'adjusted-workday' | 'workday' = 'any',
): fc.Arbitrary<string> {
  const days: string[] = [];
  for (let y = calendar.years.from; y <= calendar.years.to; y++) {
    for (let d = new Date(Date.UTC(y, 0, 1)); d.getUTCFullYear() === y; d.setUTCDate(d.getUTCDate() + 1)) {
      const date = d.toISOString().slice(0, 10);
      if (kind === 'any' || calendar.dayInfo(date).reason === kind) days.push(date);
    }
  }
  if (days.length === 0) throw new RangeError(`calendar ${calendar.id} has no ${kind} day`);
  return fc.constantFrom(...days);
}

const ADVANCES: AdvanceTarget[] = ['hours', 'days', 'weekend', 'holiday', 'last-day', 'after-due'];

/** Clock moves: by hours or days, to the next weekend or holiday, to or just past a period's end. */
export function advanceArbitrary(): fc.Arbitrary<Extract<CheckStep, { kind: 'advance' }>> {
  return fc.record({
    kind: fc.constant('advance' as const),
    to: fc.constantFrom(...ADVANCES),
    n: fc.integer({ min: 1, max: 40 }),
  });
}

/** One step of a run; weights favour moving the case on, so runs reach review and beyond. */
export function stepArbitrary(): fc.Arbitrary<CheckStep> {
  const choice = { pick: fc.nat(20), actor: fc.nat(50), seed: fc.nat(1_000_000) };
  return fc.oneof(
    {
      weight: 10,
      arbitrary: fc.record({ kind: fc.constant('toward' as const), actor: choice.actor, seed: choice.seed }),
    },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('forward' as const), ...choice }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('command' as const), ...choice }) },
    { weight: 5, arbitrary: advanceArbitrary() },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('wrong-role' as const), ...choice }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('wrong-command' as const),
        pick: fc.nat(20),
        seed: fc.nat(1000),
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('resubmit' as const), vary: fc.nat(7) }) },
  );
}

/**
 * Whole runs: a petition received on a covered day (leaving the last half year of the
 * calendar for the case to run in), and up to `maxSteps` steps.
 */
export function scenarioArbitrary(
  config: JurisdictionConfig,
  calendar: Calendar,
  options: {
    maxSteps?: number;
    /** Draw `migrateAt` too: the step before which a migration plan moves the cases. */
    migrate?: boolean;
  } = {},
): fc.Arbitrary<CheckScenario> {
  const from = Date.UTC(calendar.years.from, 0, 1);
  const to = Date.UTC(calendar.years.to, 6, 1);
  const days = Math.max(1, Math.floor((to - from) / 86_400_000));
  const start = fc
    .integer({ min: 0, max: days - 1 })
    .map((n) => new Date(from + n * 86_400_000).toISOString().slice(0, 10));
  const states = Object.keys(config.process.states);
  const endIndex = (stage: string) =>
    states.flatMap((s, i) => (config.process.states[s]?.stage === stage ? [i] : []));
  const ends = [...endIndex('terminated'), ...endIndex('terminated'), ...endIndex('closed')];
  if (ends.length === 0) ends.push(0);
  // built once: the form's arbitrary does not depend on the day
  const petition = petitionArbitrary(config);
  const hasReceived = 'receivedAt' in ((config.form.schema.properties ?? {}) as Schema);
  const runs = fc.record({
    start,
    minute: fc.oneof(fc.integer({ min: 8 * 60, max: 18 * 60 }), fc.integer({ min: 0, max: 1439 })),
    petition,
    // most matters are registered the day they arrive; a letter may wait up to 14 days (later,
    // its 15 days would have run out before registration, and the case turns red at the
    // embedding's next tick, which a run need not have)
    receivedBefore: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 14 })),
    submitter: fc.constantFrom('staff' as const, 'staff' as const, 'online' as const),
    // half the runs head for an end of the procedure (termination above all), where repeats,
    // windows and colours after completion are decided
    goal: fc.oneof(fc.nat(states.length - 1), fc.constantFrom(...ends)),
    // 'medium' lets runs grow long enough to reach review, re-examination and a second case
    steps: fc.array(stepArbitrary(), { maxLength: options.maxSteps ?? 30, size: 'medium' }),
  });
  const received = <S extends CheckScenario & { receivedBefore: number }>(s: S): S =>
    hasReceived
      ? { ...s, petition: { ...s.petition, receivedAt: daysBefore(s.start, s.receivedBefore) } }
      : s;
  if (!options.migrate) return runs.map(received);
  // drawn after the run, so a check without a plan draws the same runs as before; shrinks
  // towards 0, the move before the first step
  return fc
    .tuple(runs, fc.nat(options.maxSteps ?? 30))
    .map(([s, migrateAt]) => received({ ...s, migrateAt }));
}

/** The civil date `n` days before `date`. */
function daysBefore(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
}
