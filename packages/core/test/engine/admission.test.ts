/**
 * `send` and `allowedCommands` agree: cases are driven into every state of national.yaml, and in
 * each state every role (staff at every unit of the registry, the case's petitioner, another
 * petitioner, the system) is asked what it may send, then sends every command of the state.
 * A listed command must be accepted with some schema-valid payload; a command not listed must be
 * refused with every payload that was accepted from someone else, and with a plain one.
 *
 * Forks: a case's whole history is copied into a fresh memory store, so each accepted command
 * moves its own copy and the state it leaves is explored in turn (breadth first).
 */

import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/base/clock.js';
import { isXinfangError } from '../../src/base/errors.js';
import { civilDate } from '../../src/calendar/index.js';
import { isExpiry } from '../../src/config/expiry.js';
import { alternativesOf, guardsOf } from '../../src/config/transitions.js';
import type { TransitionDef } from '../../src/config/types.js';
import { createEngine, type Engine } from '../../src/engine/index.js';
import { createMemoryStore } from '../../src/store/index.js';
import type { ActorRef, CaseStore, JsonObject } from '../../src/store/types.js';
import { TEST_IDENTITY_KEYS } from '../keys.js';
import { A, mainland, nationalConfig, petition } from './helpers.js';

const config = nationalConfig();
const ZONE = config.jurisdiction.timezone;
const UNITS = Object.keys(config.units);

/** A case in a store of its own, at an instant: what a command is tried on. */
interface Snapshot {
  store: CaseStore;
  at: Date;
  caseId: string;
}

// One engine over whichever snapshot is in use: a fork costs a copy of one case, not an engine.
// snapshots go back and forth in time, which a ManualClock refuses
let instant = new Date('2026-03-02T09:00:00+08:00');
const clock: Clock = { now: () => instant };
let inUse: CaseStore = createMemoryStore();
const store = new Proxy({} as CaseStore, {
  get: (_, key) => {
    const v = (inUse as unknown as Record<string | symbol, unknown>)[key];
    return typeof v === 'function' ? v.bind(inUse) : v;
  },
});
const engine = createEngine({
  configs: [config],
  calendars: [mainland()],
  store,
  clock,
  identityKeys: TEST_IDENTITY_KEYS,
});

function use(s: Snapshot): Engine {
  inUse = s.store;
  instant = s.at;
  return engine;
}

/** A copy of the snapshot's case in a fresh store, at the same instant. */
async function fork(s: Snapshot): Promise<Snapshot> {
  const copy = createMemoryStore();
  const projection = await s.store.getCase(s.caseId);
  if (!projection) throw new Error(`case ${s.caseId} vanished`);
  await copy.append({
    caseId: s.caseId,
    expectedVersion: 0,
    events: await s.store.events(s.caseId),
    projection,
    deadlines: await s.store.deadlines(s.caseId),
    // the whole case: tick fires only a case whose stored rows all match its log
    outbox: await s.store.outbox({ caseId: s.caseId }),
  });
  return { store: copy, at: s.at, caseId: s.caseId };
}

/**
 * The units staff act for: those the case names (responsible, registering, transferring,
 * accused), the bodies above the responsible one, and units unrelated to the case.
 * `XINFANG_ADMISSION_UNITS=all` takes every unit of the registry (slower).
 */
function unitsFor(p: { data: JsonObject; responsibleUnit?: string }): string[] {
  if (process.env.XINFANG_ADMISSION_UNITS === 'all') return UNITS;
  const data = p.data as { registeringUnit?: string; assignedBy?: { unit?: string }; petition?: JsonObject };
  const named = [
    p.responsibleUnit,
    data.registeringUnit,
    data.assignedBy?.unit,
    data.petition?.respondentUnit,
  ];
  const own = p.responsibleUnit;
  const above = own ? ancestorsOf(own) : [];
  const out = new Set(
    [...named, ...above, 'county-land', 'city-housing', 'city-bureau'].filter((u) => typeof u === 'string'),
  );
  return [...out].filter((u) => UNITS.includes(u as string)) as string[];
}

function ancestorsOf(unit: string): string[] {
  const out: string[] = [];
  for (let u = config.units[unit]?.parent; u !== undefined && !out.includes(u); u = config.units[u]?.parent)
    out.push(u);
  return out;
}

/** Every actor that might send a command: staff of each role at each unit, both petitioners, the system. */
function actors(units: string[]): ActorRef[] {
  const out: ActorRef[] = [A.petitioner, A.stranger];
  for (const [role, def] of Object.entries(config.roles)) {
    if (def.petitioner) continue;
    if (def.system) out.push({ id: 'engine', role });
    else for (const unit of units) out.push({ id: `${role}@${unit}`, role, unit });
  }
  return out;
}

/** The next date on or after `today` that a reception day of the config falls on. */
function receptionDate(today: string): { date: string; leader: string }[] {
  const out: { date: string; leader: string }[] = [];
  for (const d of Object.values(config.receptionDays ?? {})) {
    for (const date of d.dates ?? []) if (date >= today) out.push({ date, leader: d.leader });
    for (const weekday of d.weekdays ?? []) {
      const day = new Date(`${today}T00:00:00Z`);
      while (day.getUTCDay() !== weekday % 7) day.setUTCDate(day.getUTCDate() + 1);
      out.push({ date: day.toISOString().slice(0, 10), leader: d.leader });
    }
  }
  return out;
}

type Schema = Record<string, unknown>;

/**
 * A plain value of a property's schema (enums give their first value; the `nth` item of an
 * array takes the `nth` value, so a list that must hold one of each kind, the parties of a
 * settlement on both sides, does).
 */
function plain(schema: Schema, today: string, nth = 0): unknown {
  if (Array.isArray(schema.enum)) return schema.enum[nth % schema.enum.length];
  if (schema.const !== undefined) return schema.const;
  if (schema.format === 'date') return today;
  if (schema.type === 'integer' || schema.type === 'number')
    return typeof schema.minimum === 'number' ? schema.minimum : 1;
  if (schema.type === 'boolean') return true;
  if (schema.type === 'array') {
    const n = Math.max(1, typeof schema.minItems === 'number' ? schema.minItems : 1);
    return Array.from({ length: n }, (_, i) => plain((schema.items ?? {}) as Schema, today, i));
  }
  if (schema.type === 'object') {
    // a record (an opinion's legal basis: law and articles) with each required field
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    const required = (schema.required ?? []) as string[];
    return Object.fromEntries(required.map((k) => [k, plain(props[k] ?? {}, today, nth)]));
  }
  return 'x';
}

/** The other values worth trying for a property: every enum value, every unit, pairs of units. */
function variants(schema: Schema, today: string): unknown[] {
  if (Array.isArray(schema.enum)) return schema.enum;
  if (schema.type === 'string' && schema.format === undefined) return UNITS;
  if (schema.type === 'array') {
    const pairs: string[][] = [];
    for (const a of UNITS) for (const b of UNITS) if (a < b) pairs.push([a, b]);
    return pairs;
  }
  return [plain(schema, today)];
}

/**
 * Schema-valid payloads for one alternative: guards that name payload values are satisfied
 * first; then each property is varied in turn over its worthwhile values.
 */
function payloadsFor(def: TransitionDef, today: string): JsonObject[] {
  const props = (def.payload?.properties ?? {}) as Record<string, Schema>;
  const required = new Set(def.payload?.required ?? []);
  const base: JsonObject = {};
  for (const [name, schema] of Object.entries(props))
    if (required.has(name)) base[name] = plain(schema, today) as never;
  const guards = guardsOf(def);
  const bookings: JsonObject[] = [{}];
  for (const g of guards) {
    const p = g.params ?? {};
    if (g.type === 'payloadEquals') base[String(p.field)] = p.value as never;
    if (g.type === 'payloadIn' && Array.isArray(p.values)) base[String(p.field)] = p.values[0] as never;
    if (g.type === 'receptionDay') {
      bookings.splice(
        0,
        1,
        ...receptionDate(today).map((b) => ({
          [String(p.date ?? 'date')]: b.date,
          [String(p.leader ?? 'leader')]: b.leader,
        })),
      );
    }
  }
  const out: JsonObject[] = [];
  for (const booking of bookings) {
    const start = { ...base, ...booking };
    out.push(start);
    for (const [name, schema] of Object.entries(props)) {
      if (name in booking) continue;
      for (const v of variants(schema, today)) out.push({ ...start, [name]: v as never });
      // a pair naming a unit of the pair (designation among several bodies)
      if (schema.type === 'array' && 'unit' in props) {
        for (const pair of variants(schema, today) as string[][])
          out.push({ ...start, [name]: pair, unit: pair[0] as string });
      }
    }
  }
  return out;
}

function alternatives(state: string, type: string): readonly TransitionDef[] {
  const t = config.process.states[state]?.on?.[type];
  return t === undefined ? [{ roles: [] }] : alternativesOf(t);
}

/** Undefined when the command is accepted, else the refusal's code. */
async function refusal(
  s: Snapshot,
  type: string,
  payload: JsonObject,
  actor: ActorRef,
): Promise<string | undefined> {
  try {
    await use(s).send(s.caseId, { type, payload }, actor);
    return undefined;
  } catch (e) {
    if (!isXinfangError(e)) throw e;
    return e.code;
  }
}

async function accepts(s: Snapshot, type: string, payload: JsonObject, actor: ActorRef): Promise<boolean> {
  return (await refusal(s, type, payload, actor)) === undefined;
}

/**
 * Snapshots of new cases: a letter registered by staff, and an online petition by the petitioner;
 * then a matter of each other class (Reg. 29-31), whose own commands lead to states an opinion
 * matter never reaches: a suggestion, an accusation received at the discipline commission, and
 * a litigation-related appeal.
 */
async function seeds(): Promise<Snapshot[]> {
  const out: Snapshot[] = [];
  const staff = { petitionerId: A.petitioner.id };
  for (const [p, actor, opts] of [
    [petition(), A.registrar, staff],
    [petition({ channel: 'online' }), A.petitioner, {}],
    [
      petition({ kind: 'suggestion', request: '建议增开公交班次', respondentUnit: undefined }),
      A.registrar,
      staff,
    ],
    [petition({ receivingUnit: 'city-discipline', accusation: '控告某科长违规分房' }), A.registrar, staff],
    [petition({ involvesLitigation: true }), A.registrar, staff],
  ] as const) {
    const s: Snapshot = { store: createMemoryStore(), at: new Date('2026-03-02T09:00:00+08:00'), caseId: '' };
    s.caseId = (await use(s).submit(p, actor, opts)).caseId;
    out.push(s);
  }
  return out;
}

/** The case after its earliest running deadline fired, if it has one. */
async function afterNextExpiry(s: Snapshot): Promise<Snapshot | undefined> {
  const running = (await s.store.deadlines(s.caseId)).filter((r) => r.status === 'running');
  const next = running.map((r) => Date.parse(r.dueAt)).sort((a, b) => a - b)[0];
  if (next === undefined) return undefined;
  const f = { ...(await fork(s)), at: new Date(next + 60_000) };
  await use(f).tick();
  return f;
}

describe('send and allowedCommands agree', () => {
  it('in every state of national.yaml, for every role and unit', async () => {
    const explored = new Set<string>();
    const disagreements: string[] = [];
    const queue = await seeds();
    let sends = 0;
    let probes = 0;
    while (queue.length > 0) {
      const s = queue.shift() as Snapshot;
      const p = await s.store.getCase(s.caseId);
      if (!p) throw new Error('case vanished');
      // a state is explored once per set of running periods (a receipt opens a window in place)
      const running = (await s.store.deadlines(s.caseId))
        .filter((r) => r.status === 'running')
        .map((r) => r.deadlineId)
        .sort();
      // and once per class of matter: each class has commands of its own (Reg. 29-31)
      const merged = (p.data.rules as JsonObject)?.classification as JsonObject | undefined;
      const cls = JSON.stringify((merged?.merged as JsonObject | undefined) ?? null).replaceAll(' ', '');
      const key = `${p.state} ${cls} ${running.join(',')}`;
      const seen = [...explored].filter((k) => k.startsWith(`${p.state} ${cls} `)).length;
      // twice for an opinion matter (the runs of periods differ), once for the others, for time
      const limit = cls.includes('"opinion"') ? 2 : 1;
      if (explored.has(key) || seen >= limit) continue;
      explored.add(key);
      const today = civilDate(s.at, ZONE);
      const on = config.process.states[p.state]?.on ?? {};
      const types = [...Object.keys(on).filter((t) => !isExpiry(t)), 'DECLARE_INTEREST'];
      const everyone = actors(unitsFor(p));
      const listed = new Map<ActorRef, string[]>();
      // those who may not read the case are told it does not exist, by both
      const unreadable = new Set<ActorRef>();
      for (const actor of everyone) {
        probes++;
        try {
          listed.set(actor, await use(s).allowedCommands(s.caseId, actor));
        } catch (e) {
          if (!isXinfangError(e, 'CASE_NOT_FOUND')) throw e;
          unreadable.add(actor);
        }
      }
      for (const type of types) {
        const candidates = alternatives(p.state, type).flatMap((def) => payloadsFor(def, today));
        const witnesses: JsonObject[] = [];
        // listed: accepted with some payload (on a fork, which the accepted command moves on)
        for (const actor of everyone) {
          if (!listed.get(actor)?.includes(type)) continue;
          const f = await fork(s);
          let found: JsonObject | undefined;
          for (const payload of [...witnesses, ...candidates]) {
            sends++;
            if (await accepts(f, type, payload, actor)) {
              found = payload;
              break;
            }
          }
          if (found === undefined) {
            disagreements.push(`${p.state}: ${type} listed for ${actor.id} but refused with every payload`);
            continue;
          }
          if (!witnesses.includes(found)) {
            witnesses.push(found);
            queue.push(f);
          }
        }
        // not listed: refused, even with a payload accepted from someone else
        for (const actor of everyone) {
          if (listed.get(actor)?.includes(type)) continue;
          for (const payload of [{}, ...witnesses.slice(0, 3)]) {
            sends++;
            const code = await refusal(s, type, payload, actor);
            if (code === undefined) {
              disagreements.push(
                `${p.state}: ${type} not listed for ${actor.id} but accepted with ${JSON.stringify(payload)}`,
              );
              break;
            }
            if (unreadable.has(actor) && code !== 'CASE_NOT_FOUND') {
              disagreements.push(
                `${p.state}: ${type} from ${actor.id}, who may not read the case, refused with ${code}`,
              );
              break;
            }
          }
        }
      }
      const expired = await afterNextExpiry(s);
      if (expired) queue.push(expired);
    }
    const states = new Set([...explored].map((k) => k.split(' ')[0]));
    expect(disagreements).toEqual([]);
    expect([...states].sort()).toEqual(Object.keys(config.process.states).sort());
    // the walk did what it says: many judgements, many sends
    expect(probes).toBeGreaterThan(500);
    expect(sends).toBeGreaterThan(2000);
  });
});
