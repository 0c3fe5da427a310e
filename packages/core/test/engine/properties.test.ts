/**
 * Properties over random command sequences on national.yaml: a case always replays to its
 * stored projection and verifies; a command from a role without permission never changes a
 * case; an edited stored event always fails verification.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isXinfangError } from '../../src/base/errors.js';
import { civilDate } from '../../src/calendar/index.js';
import { isExpiry } from '../../src/config/expiry.js';
import { alternativesOf } from '../../src/config/transitions.js';
import { createMemoryStore } from '../../src/store/index.js';
import type { ActorRef, CaseEvent, CaseStore } from '../../src/store/types.js';
import { nationalConfig, setup } from './helpers.js';

const RUNS = Number(process.env.XINFANG_PROPERTY_RUNS ?? 100);
const DAY = 86_400_000;
const config = nationalConfig();
const UNITS = Object.keys(config.units);
const STAFF_ROLES = Object.keys(config.roles).filter(
  (r) => !config.roles[r]?.petitioner && !config.roles[r]?.system,
);

const EXITS = new Set(['WITHDRAW', 'DIVERT', 'NOT_ACCEPT', 'REFUSE_REPEAT', 'SETTLE', 'DECLARE_INTEREST']);

type Step =
  | { kind: 'cmd'; pick: number; actor: number; unit: number; seed: number }
  | { kind: 'advance'; days: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('cmd' as const),
      pick: fc.nat(),
      actor: fc.nat(),
      unit: fc.nat(),
      seed: fc.nat(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), days: fc.integer({ min: 0, max: 40 }) }),
  },
);

/** A payload for a command's schema, chosen by `seed` (sometimes wrong on purpose). */
function payloadFor(props: Record<string, unknown>, required: string[], seed: number, today: string) {
  const out: Record<string, unknown> = {};
  let s = seed;
  const next = (n: number) => {
    const v = s % n;
    s = Math.floor(s / n) + 7;
    return v;
  };
  for (const [name, schema] of Object.entries(props)) {
    if (!required.includes(name) && next(2) === 0) continue;
    const sch = schema as { type?: string; enum?: unknown[]; format?: string };
    if (sch.enum) out[name] = sch.enum[next(sch.enum.length)];
    else if (name === 'unit') out[name] = UNITS[next(UNITS.length)];
    else if (name === 'bodies') out[name] = [UNITS[next(UNITS.length)], UNITS[next(UNITS.length)]];
    else if (sch.format === 'date') out[name] = today;
    else if (sch.type === 'integer') out[name] = 1 + next(40);
    else if (sch.type === 'boolean') out[name] = next(2) === 0;
    else out[name] = 'x';
  }
  return out;
}

/** Runs a random sequence; calls `probe` before each command with the case's current state. */
async function run(
  steps: Step[],
  store?: CaseStore,
  probe?: (s: Awaited<ReturnType<typeof context>>) => Promise<void>,
) {
  const ctx = setup(store ? { store } : {});
  const { caseId } = await ctx.submit();
  const petitioner: ActorRef = { id: 'p-1', role: 'petitioner' };
  for (const st of steps) {
    if (st.kind === 'advance') {
      ctx.clock.advance(st.days * DAY);
      await ctx.engine.tick();
      continue;
    }
    const c = await ctx.store.getCase(caseId);
    if (!c) throw new Error('case vanished');
    if (probe) await probe(await context(ctx, caseId));
    const on = config.process.states[c.state]?.on ?? {};
    // Exits (withdrawal, diversion, refusal) are picked less often, so sequences reach deep states.
    const all = [...Object.keys(on).filter((t) => !isExpiry(t)), 'DECLARE_INTEREST'];
    const progress = all.filter((t) => !EXITS.has(t));
    const types = st.pick % 8 === 0 || progress.length === 0 ? all : progress;
    const type = types[Math.floor(st.pick / 8) % types.length] as string;
    const alt = alternativesOf(on[type])[0];
    const roles = alt?.roles.filter((r) => r !== 'system') ?? STAFF_ROLES;
    const role = roles[st.actor % Math.max(1, roles.length)] ?? 'registrar';
    const actor: ActorRef = config.roles[role]?.petitioner
      ? petitioner
      : {
          id: `${role}-${st.seed % 3}`,
          role,
          unit: st.unit % 3 === 0 ? UNITS[st.unit % UNITS.length] : (c.responsibleUnit as string),
        };
    const today = civilDate(ctx.clock.now(), 'Asia/Shanghai');
    const payload = payloadFor(alt?.payload?.properties ?? {}, alt?.payload?.required ?? [], st.seed, today);
    try {
      await ctx.engine.send(caseId, { type, payload }, actor);
    } catch (e) {
      if (!isXinfangError(e)) throw e;
    }
  }
  return { ...ctx, caseId };
}

async function context(ctx: ReturnType<typeof setup>, caseId: string) {
  return { ...ctx, caseId, projection: await ctx.store.getCase(caseId) };
}

describe('random command sequences', () => {
  it('replay to the stored projection and verify', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 30 }), async (steps) => {
        const { engine, store, caseId } = await run(steps);
        expect(await engine.replay(caseId)).toEqual(await store.getCase(caseId));
        expect(await engine.verify(caseId)).toEqual({ ok: true, problems: [] });
      }),
      { numRuns: RUNS },
    );
  });

  it('never change a case on a command from a role without permission', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 15 }), fc.nat(), fc.nat(), async (steps, pick, who) => {
        let probes = 0;
        await run(steps, undefined, async ({ engine, store, caseId, projection }) => {
          if (!projection) return;
          const on = config.process.states[projection.state]?.on ?? {};
          const types = Object.keys(on).filter((t) => !isExpiry(t));
          if (types.length === 0) return;
          const type = types[(pick + probes++) % types.length] as string;
          const allowed = new Set(alternativesOf(on[type]).flatMap((d) => d.roles));
          const forbidden = Object.keys(config.roles).filter(
            (r) => !allowed.has(r) && !config.roles[r]?.system,
          );
          const role = forbidden[who % forbidden.length];
          if (!role) return;
          const actor: ActorRef = config.roles[role]?.petitioner
            ? { id: 'p-1', role }
            : { id: `${role}-x`, role, unit: projection.responsibleUnit as string };
          const before = await store.events(caseId);
          const err = await engine.send(caseId, { type, payload: {} }, actor).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(isXinfangError(err, 'COMMAND_ROLE_FORBIDDEN')).toBe(true);
          expect(await store.events(caseId)).toEqual(before);
          expect(await store.getCase(caseId)).toEqual(projection);
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('fail verification when a stored event is edited', async () => {
    const edits: ((e: CaseEvent) => CaseEvent)[] = [
      (e) => ({ ...e, at: new Date(Date.parse(e.at) + 1000).toISOString() }),
      (e) => ({ ...e, actor: { ...e.actor, id: `${e.actor.id}-forged` } }),
      (e) => ({ ...e, payload: { ...e.payload, forged: true } }),
      (e) => ({ ...e, type: `${e.type}_` }),
      (e) => ({ ...e, prevHash: e.prevHash === '' ? 'x' : '' }),
      (e) => ({ ...e, configVersion: `${e.configVersion}.1` }),
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 12 }),
        fc.nat(),
        fc.nat(edits.length - 1),
        async (steps, which, how) => {
          const inner = createMemoryStore();
          let target: number | undefined;
          const store: CaseStore = {
            ...inner,
            capabilities: inner.capabilities,
            async events(caseId, from) {
              const events = await inner.events(caseId, from);
              return events.map((e) =>
                e.seq === target ? (edits[how] as (e: CaseEvent) => CaseEvent)(e) : e,
              );
            },
          };
          const { engine, caseId } = await run(steps, store);
          const count = (await inner.events(caseId)).length;
          target = 1 + (which % count);
          const result = await engine.verify(caseId);
          expect(result.ok).toBe(false);
          expect(result.problems.some((p) => p.seq === target)).toBe(true);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
