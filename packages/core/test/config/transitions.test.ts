import { describe, expect, it } from 'vitest';
import { compileConfig } from '../../src/compiler/index.js';
import {
  alternativesOf,
  configHash,
  guardsOf,
  transitionEntries,
  transitionTable,
} from '../../src/config/index.js';
import type { JurisdictionConfig, TransitionDef } from '../../src/config/types.js';
import { nationalConfig } from '../engine/helpers.js';

const national = nationalConfig();

describe('transition normalisation', () => {
  const one: TransitionDef = { to: 'accepted', roles: ['handler'] };
  const two: TransitionDef = { roles: ['handler'], guard: { type: 'decided' } };

  it('gives a single transition or a list as a list of alternatives', () => {
    expect(alternativesOf(undefined)).toEqual([]);
    expect(alternativesOf(one)).toEqual([one]);
    expect(alternativesOf([one, two])).toEqual([one, two]);
  });

  it('gives a single guard or a list as a list of guards', () => {
    expect(guardsOf(one)).toEqual([]);
    expect(guardsOf(two)).toEqual([{ type: 'decided' }]);
    expect(guardsOf({ roles: [], guard: [{ type: 'a' }, { type: 'b' }] }).map((g) => g.type)).toEqual([
      'a',
      'b',
    ]);
  });

  it('tells a listed entry and an expiry from a single command', () => {
    const entries = transitionEntries({
      stage: 'handling',
      on: { ONE: one, LISTED: [two], 'reviewWindow.expired': { to: 'closed', roles: ['system'] } },
    });
    expect(entries.map(({ type, listed, expiry }) => ({ type, listed, expiry }))).toEqual([
      { type: 'ONE', listed: false, expiry: undefined },
      { type: 'LISTED', listed: true, expiry: undefined },
      { type: 'reviewWindow.expired', listed: false, expiry: 'reviewWindow' },
    ]);
    expect(transitionEntries(undefined)).toEqual([]);
  });

  it('tables every state of national.yaml by event type, the config’s own objects as they are', () => {
    const table = transitionTable(national);
    expect([...table.states.keys()]).toEqual(Object.keys(national.process.states));
    for (const [id, s] of Object.entries(national.process.states)) {
      expect([...(table.states.get(id)?.keys() ?? [])]).toEqual(Object.keys(s.on ?? {}));
      for (const [type, entry] of Object.entries(s.on ?? {})) {
        expect(table.alternatives(id, type)).toEqual(Array.isArray(entry) ? entry : [entry]);
        expect(table.alternatives(id, type)[0]).toBe(Array.isArray(entry) ? entry[0] : entry);
      }
    }
    expect(table.entry('opinion-issued', 'reviewWindow.expired')?.expiry).toBe('reviewWindow');
    expect(table.entry('registered', 'ACCEPT')?.expiry).toBeUndefined();
    expect(table.alternatives('registered', 'NO_SUCH_COMMAND')).toEqual([]);
    expect(table.alternatives('no-such-state', 'ACCEPT')).toEqual([]);
  });

  it('leaves the config and its hash as written when compiled', () => {
    const c: JurisdictionConfig = structuredClone(national);
    const accepted = c.process.states.accepted;
    if (!accepted?.on) throw new Error('national has no accepted commands');
    accepted.on.SPLIT = [{ roles: ['handler'], guard: { type: 'decided', params: { decision: 'x' } } }];
    const before = JSON.stringify(c);
    const hash = configHash(c);
    const compiled = compileConfig(c);
    expect(compiled.table.entry('accepted', 'SPLIT')?.listed).toBe(true);
    expect(compiled.transitions('accepted', 'SPLIT')).toHaveLength(1);
    expect(JSON.stringify(c)).toBe(before);
    expect(configHash(c)).toBe(hash);
    expect(configHash(national)).toBe(compileConfig(national).hash);
  });
});
