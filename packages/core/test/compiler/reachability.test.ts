import { describe, expect, it } from 'vitest';
import { compileConfig, reachabilityGraph } from '../../src/compiler/index.js';
import { transitionEntries } from '../../src/config/index.js';
import { COMPLETED_STAGES, type JurisdictionConfig } from '../../src/config/types.js';
import { nationalConfig } from '../engine/helpers.js';

const national = nationalConfig();

/** A copy of national changed by `edit`. */
function variant(edit: (c: JurisdictionConfig) => void): JurisdictionConfig {
  const c = structuredClone(national);
  edit(c);
  return c;
}

const events = (path: readonly { type: string }[] | undefined) => path?.map((e) => e.type);

const concludes = (c: JurisdictionConfig) => (id: string) => {
  const s = c.process.states[id];
  return s?.final === true || (COMPLETED_STAGES as readonly string[]).includes(s?.stage ?? '');
};

describe('reachability graph of national.yaml', () => {
  const graph = compileConfig(national).graph;

  it('is built once per compiled config', () => {
    expect(compileConfig(national).graph).toBe(graph);
    expect(graph.pathsFrom('accepted')).toBe(graph.pathsFrom('accepted'));
  });

  it('has every state, and an edge for every alternative of every event, in config order', () => {
    expect(graph.initial).toBe('registered');
    expect(graph.states).toEqual(Object.keys(national.process.states));
    const expected = Object.entries(national.process.states).flatMap(([from, s]) =>
      transitionEntries(s).flatMap((e) =>
        e.alternatives.map((def, index) => ({ from, type: e.type, index, def })),
      ),
    );
    expect(graph.edges.map(({ from, type, index, def }) => ({ from, type, index, def }))).toEqual(expected);
    for (const e of graph.edges) {
      expect(e.to, `${e.from} ${e.type}`).toBe(e.def.to ?? e.from);
      expect(e.stays).toBe(e.def.to === undefined);
      expect(e.roles).toBe(e.def.roles);
    }
    expect(graph.from('registered').every((e) => e.from === 'registered')).toBe(true);
  });

  it('marks the two window expiries, and only them, as the clock’s', () => {
    const expiries = graph.edges.filter((e) => e.expiry !== undefined);
    expect(expiries.map((e) => [e.from, e.type, e.expiry, e.to])).toEqual([
      ['opinion-issued', 'reviewWindow.expired', 'reviewWindow', 'closed'],
      ['review-decided', 'reexaminationWindow.expired', 'reexaminationWindow', 'closed'],
    ]);
    expect(expiries.every((e) => e.roles.includes('system'))).toBe(true);
    expect(graph.into('closed')).toEqual(expiries);
  });

  it('reaches every state from registration by a shortest path of commands', () => {
    const reachable = graph.reachable();
    expect([...reachable.keys()].sort()).toEqual([...graph.states].sort());
    expect(events(graph.pathTo('registered'))).toEqual([]);
    expect(events(graph.pathTo('accepted'))).toEqual(['ACCEPT']);
    expect(events(graph.pathTo('closed'))).toEqual(['ACCEPT', 'OPINION', 'reviewWindow.expired']);
    expect(events(graph.pathTo('terminated'))).toEqual([
      'ACCEPT',
      'OPINION',
      'REQUEST_REVIEW',
      'REVIEW_DECISION',
      'REQUEST_REEXAMINATION',
      'REEXAMINATION_DECISION',
    ]);
    // each path is a walk: every edge leaves where the one before arrived, and none stays
    for (const [state, path] of reachable) {
      let at = graph.initial;
      for (const e of path) {
        expect(e.from).toBe(at);
        expect(e.stays).toBe(false);
        at = e.to;
      }
      expect(at).toBe(state);
    }
  });

  it('searches from any state', () => {
    expect(events(graph.pathTo('closed', 'opinion-issued'))).toEqual(['reviewWindow.expired']);
    expect(events(graph.pathTo('in-review', 'in-review'))).toEqual([]);
    expect(graph.pathsFrom('in-review').has('registered')).toBe(false);
  });

  it('lets a case conclude from every state', () => {
    expect([...graph.reaching(concludes(national))].sort()).toEqual([...graph.states].sort());
    // registration lies behind no state but itself and what leads back to it
    const back = graph.reaching((s) => s === 'registered');
    for (const s of graph.states) expect(back.has(s), s).toBe(graph.pathsFrom(s).has('registered'));
  });
});

describe('reachability graph of a changed config', () => {
  it('finds no path to a state nothing leads to, and no way out of a loop', () => {
    const c = variant((c) => {
      c.process.states.orphan = { stage: 'acceptance', on: { GO: { to: 'accepted', roles: ['handler'] } } };
      c.process.states.loopA = { stage: 'handling', on: { B: { to: 'loopB', roles: ['handler'] } } };
      c.process.states.loopB = { stage: 'handling', on: { A: { to: 'loopA', roles: ['handler'] } } };
    });
    const graph = reachabilityGraph(c);
    expect(graph.reachable().has('orphan')).toBe(false);
    expect(graph.pathTo('orphan')).toBeUndefined();
    expect(graph.into('orphan')).toEqual([]);
    expect(events(graph.pathTo('accepted', 'orphan'))).toEqual(['GO']);
    const concluding = graph.reaching(concludes(c));
    expect(concluding.has('orphan')).toBe(true);
    expect(concluding.has('loopA')).toBe(false);
    expect(concluding.has('loopB')).toBe(false);
    expect([...graph.pathsFrom('loopA').keys()]).toEqual(['loopA', 'loopB']);
  });

  it('gives each guarded alternative its own edge, with its index and guards', () => {
    const c = variant((c) => {
      const accepted = c.process.states.accepted;
      if (!accepted?.on) throw new Error('national has no accepted commands');
      accepted.on.SPLIT = [
        { to: 'settled', roles: ['handler'], guard: { type: 'decided', params: { decision: 'x' } } },
        { roles: ['handler'], guard: [{ type: 'a' }, { type: 'b' }] },
      ];
    });
    const split = reachabilityGraph(c).edges.filter((e) => e.type === 'SPLIT');
    expect(
      split.map(({ index, alternatives, listed, to, stays, guards }) => ({
        index,
        alternatives,
        listed,
        to,
        stays,
        guards,
      })),
    ).toEqual([
      { index: 0, alternatives: 2, listed: true, to: 'settled', stays: false, guards: ['decided'] },
      { index: 1, alternatives: 2, listed: true, to: 'accepted', stays: true, guards: ['a', 'b'] },
    ]);
  });

  it('takes the first alternative found, in config order, as the shortest path', () => {
    const c = variant((c) => {
      const registered = c.process.states.registered;
      if (!registered?.on) throw new Error('national has no registered commands');
      registered.on = { FIRST: { to: 'accepted', roles: ['registrar'] }, ...registered.on };
    });
    expect(events(reachabilityGraph(c).pathTo('accepted'))).toEqual(['FIRST']);
  });
});
