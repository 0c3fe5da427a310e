import { describe, expect, it } from 'vitest';
import { transition } from 'xstate';
import {
  compileConfig,
  initialContext,
  KNOWN_ACTIONS,
  KNOWN_GUARDS,
  unitRegistry,
} from '../../src/compiler/index.js';
import { isExpiry } from '../../src/config/index.js';
import { loadConfig } from '../../src/loader/index.js';
import { nationalConfig } from '../engine/helpers.js';

const config = nationalConfig();

describe('compiler', () => {
  it('compiles national.yaml once per hash, with no XState final states and no delayed transitions', () => {
    const a = compileConfig(config);
    expect(compileConfig(config)).toBe(a);
    const json = JSON.stringify(a.machine.definition);
    expect(json).not.toContain('"after"');
    for (const id of Object.keys(config.process.states)) {
      expect(a.machine.definition.states[id]?.type, id).not.toBe('final');
    }
    expect([...a.commands]).toEqual(
      expect.arrayContaining(['ACCEPT', 'OPINION', 'REQUEST_REVIEW', 'DECLARE_INTEREST']),
    );
    expect([...a.commands].some(isExpiry)).toBe(false);
  });

  it('is what the config loader validates against, and knows every guard and action national.yaml uses', () => {
    const fixtures = new URL('../fixtures/broken/', import.meta.url).pathname;
    const guard = loadConfig(`${fixtures}unknown-guard.yaml`).diagnostics[0];
    expect(guard?.message).toContain(`known guards: ${KNOWN_GUARDS.join(', ')}`);
    const action = loadConfig(`${fixtures}unknown-action.yaml`).diagnostics[0];
    expect(action?.message).toContain(`known actions: ${KNOWN_ACTIONS.join(', ')}`);
    for (const s of Object.values(config.process.states)) {
      for (const t of Object.values(s.on ?? {}).flat()) {
        for (const g of [t.guard ?? []].flat()) expect(KNOWN_GUARDS).toContain(g.type);
        for (const a of t.actions ?? []) expect(KNOWN_ACTIONS).toContain(a.type);
      }
    }
  });

  it('folds purely: the same snapshot and event give the same result, the input is untouched', () => {
    const c = compileConfig(config);
    const ctx = initialContext({
      caseId: 'X',
      petition: {},
      registeringUnit: 'county-bureau',
      identityKnown: true,
      actor: { id: 'r', role: 'registrar', unit: 'county-bureau' },
      at: '2026-03-02T01:00:00.000Z',
    });
    const snap = c.machine.resolveState({ value: 'registered', context: ctx });
    const event = {
      type: 'ACCEPT',
      payload: {},
      actor: { id: 'a', role: 'acceptor', unit: 'county-bureau' },
      at: '2026-03-02T02:00:00.000Z',
    };
    const [n1] = transition(c.machine, snap, event);
    const [n2] = transition(c.machine, snap, event);
    expect(n1.value).toBe('accepted');
    expect(n1.context).toEqual(n2.context);
    expect(n1.context.effects.map((e) => ('op' in e ? `${e.op}:${e.deadline}` : e.kind))).toEqual([
      'document',
      'start:handling',
    ]); // no disposal period in this bare context
    expect(snap.context.effects).toEqual([]);
    const [refused] = transition(c.machine, snap, {
      ...event,
      actor: { id: 'h', role: 'handler', unit: 'county-bureau' },
    });
    expect(refused).toBe(snap);
  });

  it('finds the body one level up along the parent chain', () => {
    const units = unitRegistry(config);
    expect(units.superior('county-hrss')).toBe('city-gov');
    expect(units.superior('county-gov')).toBe('city-gov');
    expect(units.superior('city-gov')).toBe('prov-gov');
    expect(units.superior('national-gov')).toBeUndefined();
    expect(units.commonSuperior(['county-hrss', 'county-housing'])).toBe('county-gov');
    expect(units.commonSuperior(['county-hrss', 'city-housing'])).toBe('city-gov');
  });
});
