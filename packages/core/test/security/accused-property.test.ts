/**
 * Reg. 30 as a property: over random case histories (an accusation spelled any way the form
 * accepts, handed on, resolved, accepted, answered, escalated, by any staff member of any unit),
 * nothing staff of an accused unit, or an accused person, read through any read of the engine
 * ever holds the accuser's personal fields or any field of the accusation petition, and the case
 * never sits with an accused unit. Each field of the petition carries a marker, so "holds" is a
 * plain search of everything a read returned.
 *
 * XINFANG_PROPERTY_RUNS raises the count (default 12 histories of up to 10 steps).
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isXinfangError } from '../../src/base/errors.js';
import type { Engine } from '../../src/engine/types.js';
import type { ActorRef } from '../../src/store/types.js';
import { nationalConfig, petition, setup } from '../engine/helpers.js';

const RUNS = Number(process.env.XINFANG_PROPERTY_RUNS ?? 12);

const UNITS = [
  'county-bureau',
  'county-hrss',
  'county-land',
  'county-housing',
  'county-gov',
  'city-bureau',
  'city-gov',
];
const ROLES = ['registrar', 'acceptor', 'handler', 'head', 'supervisor', 'reviewer'];
const config = nationalConfig();
const unitName = (id: string) => config.units[id]?.name ?? id;

/** Every way the form accepts a unit: id, name, alias, spacing and case variants, unknown text. */
const spelledUnit = fc.oneof(
  fc.constantFrom(...UNITS.slice(1, 5)),
  fc.constantFrom(...UNITS.slice(1, 5)).map((u) => ` ${u.toUpperCase()} `),
  fc.constantFrom(...UNITS.slice(1, 5)).map(unitName),
  fc.constant('县人社局'),
  fc.constant('某某开发公司'),
);

const accusedPerson = fc.oneof(
  fc.constant('MARK-accused-name'),
  fc.record({
    name: fc.constant('MARK-accused-name'),
    staffId: fc.constant('st-accused'),
    unit: fc.constantFrom(...UNITS.slice(1, 5)),
  }),
  fc.record({ name: fc.constant('MARK-accused-name'), external: fc.constant(true) }),
);

const actor = fc.record({
  id: fc.constantFrom('s1', 's2', 'st-accused'),
  role: fc.constantFrom(...ROLES),
  unit: fc.constantFrom(...UNITS),
});

/** One step of a history: a command from someone, or time passing. */
const step = fc.oneof(
  fc.record({
    kind: fc.constant('send' as const),
    actor,
    type: fc.constant('TRANSFER'),
    payload: fc.record({ unit: fc.constantFrom(...UNITS) }),
  }),
  fc.record({
    kind: fc.constant('send' as const),
    actor,
    type: fc.constant('ASSIGN'),
    payload: fc.record({ unit: fc.constantFrom(...UNITS), days: fc.constant(30), reason: fc.constant('x') }),
  }),
  fc.record({
    kind: fc.constant('send' as const),
    actor,
    type: fc.constant('RESOLVE_REFERENCE'),
    payload: fc.oneof(
      fc.record({ path: fc.constant('respondentUnit'), unit: fc.constantFrom(...UNITS) }),
      fc.record({
        path: fc.constant('accused'),
        staffId: fc.constant('st-accused'),
        unit: fc.constantFrom(...UNITS),
      }),
      fc.record({ path: fc.constant('accused'), external: fc.constant(true) }),
    ),
  }),
  fc.record({
    kind: fc.constant('send' as const),
    actor,
    type: fc.constant('ACCEPT'),
    payload: fc.constant({}),
  }),
  fc.record({
    kind: fc.constant('send' as const),
    actor,
    type: fc.constant('REPORT_UP'),
    payload: fc.constant({}),
  }),
  fc.record({
    kind: fc.constant('send' as const),
    actor,
    type: fc.constant('OPINION'),
    payload: fc.record({
      outcome: fc.constantFrom('supported', 'explained'),
      findings: fc.constant('MARK-findings'),
    }),
  }),
  fc.record({ kind: fc.constant('tick' as const), days: fc.integer({ min: 1, max: 40 }) }),
);

/** Everything `viewer` can read of the store: each read's result, or the error's code. */
async function everythingRead(engine: Engine, caseId: string, viewer: ActorRef): Promise<string> {
  const out: unknown[] = [];
  const attempt = async (read: () => Promise<unknown>) => {
    try {
      out.push(await read());
    } catch (e) {
      if (!isXinfangError(e)) throw e;
      out.push({ code: e.code, message: e.message, details: e.details });
    }
  };
  await attempt(() => engine.get(caseId, viewer));
  await attempt(() => engine.history(caseId, viewer));
  await attempt(() => engine.documents(caseId, viewer));
  await attempt(() => engine.allowedCommands(caseId, viewer));
  for (const q of [
    {},
    { unit: viewer.unit },
    { state: 'accepted' },
    { stage: 'registration' },
    { colour: 'green' },
  ]) {
    await attempt(() => engine.query(q, viewer));
  }
  await attempt(() => engine.send(caseId, { type: 'ACCEPT' }, viewer));
  return JSON.stringify(out);
}

describe('the accused never read the accusation (Reg. 30), over random histories', () => {
  it(`holds for ${RUNS} histories`, async () => {
    await fc.assert(
      fc.asyncProperty(
        spelledUnit,
        accusedPerson,
        fc.array(step, { minLength: 1, maxLength: 10 }),
        async (unit, person, steps) => {
          const { engine, store, clock } = setup();
          const { caseId } = await engine.submit(
            petition({
              kind: 'accusation',
              respondentUnit: unit,
              accused: person,
              accusation: 'MARK-accusation',
              summary: 'MARK-summary',
              request: 'MARK-request',
              petitioner: {
                name: 'MARK-name',
                idNumber: '11010119900101123X',
                phone: '13800000000',
                address: 'MARK-address',
              },
            }),
            { id: 'reg-1', role: 'registrar', unit: 'county-bureau' },
            { petitionerId: 'p-1' },
          );
          for (const s of steps) {
            if (s.kind === 'tick') {
              clock.advance(s.days * 86_400_000);
              await engine.tick();
            } else {
              await engine.send(caseId, { type: s.type, payload: s.payload }, s.actor).catch((e) => {
                if (!isXinfangError(e)) throw e;
              });
            }
            const c = await store.getCase(caseId);
            const data = c?.data as { petition: Record<string, unknown>; responsibleUnit: string };
            const accusedUnits = new Set<string>();
            if (
              typeof data.petition.respondentUnit === 'string' &&
              UNITS.includes(data.petition.respondentUnit)
            ) {
              accusedUnits.add(data.petition.respondentUnit);
            }
            const p = data.petition.accused as { staffId?: string; unit?: string } | string;
            if (typeof p === 'object' && p.unit) accusedUnits.add(p.unit);
            // the case never newly sits with an accused unit (registration at the top aside)
            if (c && c.version > 1 && c.responsibleUnit !== c.registeringUnit) {
              expect(accusedUnits.has(c.responsibleUnit as string)).toBe(false);
            }
            const accusedViewers: ActorRef[] = [
              ...[...accusedUnits].flatMap((u) => ROLES.map((role) => ({ id: `x-${role}`, role, unit: u }))),
              ...(typeof p === 'object' && p.staffId
                ? [{ id: p.staffId, role: 'handler', unit: 'city-hrss' }]
                : []),
            ];
            for (const viewer of accusedViewers) {
              const seen = await everythingRead(engine, caseId, viewer);
              expect(seen, `${viewer.unit}/${viewer.role}`).not.toContain('MARK-');
              expect(seen).not.toContain('11010119900101123X');
            }
          }
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);
});
