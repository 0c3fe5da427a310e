import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXPIRED_SUFFIX } from '../../src/config/index.js';
import type { JurisdictionConfig, TransitionDef } from '../../src/config/types.js';
import { IdMap, mermaidText, renderStateDiagram, stageClass } from '../../src/graph/index.js';
import { processSteps } from '../../src/graph/steps.js';
import { loadConfigOrThrow } from '../../src/loader/index.js';
import { mermaidProblems } from './mermaid-grammar.js';
import { mermaidParseError } from './mermaid-parser.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
// templates are not drawn: their own checks need not hold for the diagram to be right
const national = loadConfigOrThrow(`${root}configs/national.yaml`, { checkTemplates: false }).value;
const runs = Number(process.env.XINFANG_PROPERTY_RUNS ?? 100);

/** The Mermaid id the renderer gives each state (declared as `state "..." as <id>`). */
function stateIds(): Map<string, string> {
  const ids = new IdMap();
  return new Map(Object.keys(national.process.states).map((s) => [s, ids.get(s)]));
}

/** The label of each edge `from --> to`, in diagram order. */
function edges(diagram: string): { from: string; to: string; label: string }[] {
  return [...diagram.matchAll(/^ {2}(\S+) --> (\S+)(?: : (.*))?$/gm)].map((m) => ({
    from: m[1]!,
    to: m[2]!,
    label: m[3] ?? '',
  }));
}

function withStay(config: JurisdictionConfig, event: string, t: TransitionDef): JurisdictionConfig {
  const copy = structuredClone(config);
  for (const s of Object.values(copy.process.states)) s.on = { ...(s.on ?? {}), [event]: t };
  return copy;
}

describe('renderStateDiagram on national.yaml', () => {
  const diagram = renderStateDiagram(national);
  const ids = stateIds();

  it('is a stateDiagram-v2 that Mermaid’s grammar accepts', () => {
    expect(diagram.startsWith('stateDiagram-v2\n  direction TB\n')).toBe(true);
    expect(mermaidProblems(diagram)).toEqual([]);
  });

  it('is parsed by Mermaid itself, for national.yaml and every province', async () => {
    expect(await mermaidParseError(diagram)).toBeUndefined();
    const provinces = ['shaanxi', 'zhejiang', 'shanghai', 'fujian', 'hubei', 'chongqing'];
    for (const p of provinces) {
      const config = loadConfigOrThrow(`${root}configs/provinces/${p}/${p}.yaml`, { checkTemplates: false });
      expect(await mermaidParseError(renderStateDiagram(config.value)), p).toBeUndefined();
    }
  });

  it('declares every state with its name, id and stage, and colours it by its stage', () => {
    for (const [id, def] of Object.entries(national.process.states)) {
      const line = diagram.split('\n').find((l) => l.endsWith(` as ${ids.get(id)}`));
      expect(line, `state ${id}`).toBeDefined();
      expect(line).toContain(mermaidText(def.name ?? id));
      expect(line).toContain(`${id} · ${def.stage}`);
      const classLine = diagram
        .split('\n')
        .find((l) => l.startsWith('  class ') && l.endsWith(` ${stageClass(def.stage)}`));
      expect(classLine?.split(' ')[3]?.split(','), `class of ${id}`).toContain(ids.get(id));
    }
    // one colour per stage in use, and no two stages share one
    const fills = [...diagram.matchAll(/^ {2}classDef stage_\w+ fill:(#[0-9a-f]{6})/gm)].map((m) => m[1]);
    expect(new Set(fills).size).toBe(
      new Set(Object.values(national.process.states).map((s) => s.stage)).size,
    );
  });

  it('draws every transition that moves a case, labelled with its command, roles, deadlines and article', () => {
    const drawn = edges(diagram);
    const moves = processSteps(national).filter((s) => s.to !== undefined);
    expect(moves.length).toBeGreaterThan(20);
    for (const step of moves) {
      const edge = drawn.find(
        (e) =>
          e.from === ids.get(step.state) &&
          e.to === ids.get(step.to!) &&
          e.label.split('<br/>')[0]!.split(' ')[0] === step.event,
      );
      expect(edge, `${step.state} --${step.event}--> ${step.to}`).toBeDefined();
      const label = edge!.label;
      if (step.clock) expect(label).toContain('by the clock');
      else for (const role of step.def.roles) expect(label, `${step.event} roles`).toContain(role);
      for (const d of [...(step.def.starts ?? []), ...(step.def.stops ?? [])]) expect(label).toContain(d);
      if (step.def.within) expect(label).toContain(`within ${step.def.within}`);
      expect(label, `${step.event} basis`).toContain(mermaidText(step.def.basis!));
    }
    // nothing else is drawn as a transition between states
    expect(drawn.filter((e) => e.from !== '[*]' && e.to !== '[*]')).toHaveLength(moves.length);
  });

  it('marks deadline expiries as the clock’s', () => {
    const expiries = edges(diagram).filter((e) => e.label.includes(EXPIRED_SUFFIX));
    expect(expiries.map((e) => `${e.from} ${e.to}`)).toEqual([
      'opinion_issued closed',
      'review_decided closed',
    ]);
    for (const e of expiries) expect(e.label).toContain('by the clock');
  });

  it('starts at the initial state and ends at the states no transition leaves', () => {
    expect(diagram).toContain(`  [*] --> ${ids.get(national.process.initial)}\n`);
    const ends = edges(diagram)
      .filter((e) => e.to === '[*]')
      .map((e) => e.from)
      .sort();
    expect(ends).toEqual([
      'accusation_received',
      'closed',
      'diverted',
      'settled',
      'suggestion_answered',
      'terminated',
      'withdrawn',
    ]);
  });

  it('lists the commands that keep the state in a note beside it', () => {
    const note = /note right of accepted\n([\s\S]*?)\n {2}end note/.exec(diagram)?.[1] ?? '';
    expect(note).toContain('EXTEND by head · extends handling · reg-2022 art. 34');
    expect(note).toContain('HOLD_HEARING by handler · reg-2022 art. 31');
    expect(diagram).not.toMatch(/accepted --> accepted/);
  });

  it('leaves out the commands asked, and says so', () => {
    const without = renderStateDiagram(national, { omit: ['WITHDRAW'], direction: 'LR' });
    expect(without).toContain('  direction LR\n');
    expect(without).toContain('  %% left out: WITHDRAW\n');
    expect(edges(without).some((e) => e.label.startsWith('WITHDRAW'))).toBe(false);
    expect(mermaidProblems(without)).toEqual([]);
  });

  it('is the same text for the same config', () => {
    expect(renderStateDiagram(structuredClone(national))).toBe(diagram);
  });
});

describe('commands several states share', () => {
  const supervise: TransitionDef = {
    roles: ['supervisor'],
    authority: 'superior-of-responsible',
    basis: 'reg-2022 art. 38',
  };

  it('are drawn once, in a box that says where they apply, not beside every state', () => {
    const config = withStay(withStay(national, 'INSPECT', supervise), 'SPOT_CHECK', {
      ...supervise,
      basis: 'reg-2022 art. 39',
    });
    const diagram = renderStateDiagram(config);
    expect(mermaidProblems(diagram)).toEqual([]);
    expect(diagram.match(/INSPECT/g)).toHaveLength(1);
    const box = diagram.split('\n').find((l) => l.includes('INSPECT'))!;
    const [, boxId] = /^ {2}state ".*in every state.*" as (shared_commands_\d+)$/.exec(box) ?? [];
    expect(boxId, box).toBeDefined();
    expect(box).toContain('SPOT_CHECK by supervisor · reg-2022 art. 39');
    const classLine = diagram
      .split('\n')
      .find((l) => l.endsWith(' shared_commands') && l.startsWith('  class '));
    expect(classLine?.split(' ')[3]?.split(',')).toContain(boxId);
    // a state's own stays stay in its note
    expect(diagram).toMatch(/note right of accepted\n {4}EXTEND/);
  });

  it('list the states when fewer than all share them', () => {
    const config = structuredClone(national);
    for (const s of ['registered', 'transferred', 'accepted']) {
      config.process.states[s]!.on!.INSPECT = supervise;
    }
    const diagram = renderStateDiagram(config);
    const box = diagram.split('\n').find((l) => l.includes('INSPECT'))!;
    expect(box).toContain('in 3 states<br/>registered, transferred, accepted<br/>INSPECT by supervisor');
    // below the threshold each state keeps it in its own note
    const notes = renderStateDiagram(config, { shareAt: 4 });
    expect(notes.match(/INSPECT/g)).toHaveLength(3);
    expect(notes).toMatch(/note right of registered\n(.*\n)* {4}INSPECT by supervisor/);
  });
});

describe('Mermaid-safe text', () => {
  const awkward = fc.string({
    unit: fc.constantFrom(
      ...'ab 中文:;#"`{}<>%\n\t-[]()*'.split(''),
      'direction LR',
      'end note',
      '%%',
      'default',
      // words Mermaid's lexer takes as keywords
      'style',
      'click',
      'href',
      'accTitle',
      'accDescr',
      'classDef',
      'linkStyle',
      'state',
      'note',
      'as',
      'end',
      '[*]',
      '<<fork>>',
    ),
    maxLength: 30,
  });

  /** national.yaml with a state, a command and a basis named as drawn, as a diagram. */
  const awkwardDiagram = (stateName: string, stateId: string, basis: string, event: string) => {
    const config = structuredClone(national);
    const id = stateId.trim() === '' ? 'x' : stateId;
    config.process.states[id] = {
      name: stateName,
      stage: 'supervision',
      on: { [event || 'E']: { to: 'registered', roles: ['supervisor'], basis } },
    };
    config.process.states.accepted!.on![`${event}_STAY`] = { roles: ['head'], basis };
    return renderStateDiagram(config, { omit: [] });
  };

  it('keeps any names, ids and bases from breaking the diagram', () => {
    fc.assert(
      fc.property(awkward, awkward, awkward, awkward, (stateName, stateId, basis, event) => {
        const diagram = awkwardDiagram(stateName, stateId, basis, event);
        expect(mermaidProblems(diagram)).toEqual([]);
      }),
      { numRuns: runs },
    );
  });

  it('keeps any names, ids and bases from breaking the diagram, as Mermaid itself parses it', async () => {
    await fc.assert(
      fc.asyncProperty(awkward, awkward, awkward, awkward, async (stateName, stateId, basis, event) => {
        const diagram = awkwardDiagram(stateName, stateId, basis, event);
        expect(await mermaidParseError(diagram)).toBeUndefined();
      }),
      // Mermaid's parser takes ~80 ms a diagram: a quarter of the runs, the grammar check has them all
      { numRuns: Math.max(20, Math.round(runs / 4)) },
    );
  });

  it('is checked against a Mermaid that does reject a broken diagram', async () => {
    expect(await mermaidParseError('stateDiagram-v2\n  [*] --> a\n  a --> : X\n')).toMatch(
      /Parse error on line 3/,
    );
    expect(await mermaidParseError('stateDiagram-v2\n  state "say "hi"" as b\n')).toBeDefined();
  });

  it('is checked by a grammar check that does catch what Mermaid rejects', () => {
    const bad = [
      'stateDiagram-v2',
      '  state "a" as a',
      '  state "say "hi"" as b',
      '  a-b --> a : ACCEPT',
      '  a --> a : reg-2022 art. 3: item 1',
      '  a --> a : x # y',
      '  note right of a',
      '    end note early',
      '  end note',
      '  class a,zz stage_x',
      '  default --> a',
    ].join('\n');
    expect(mermaidProblems(bad).map((p) => p.split(':')[0])).toEqual([
      'line 3',
      'line 4',
      'line 5',
      'line 6',
      'line 8',
      'line 11',
      // then the ids used but never declared
      'line 4',
      'line 10',
      'line 11',
    ]);
  });

  it('gives ids that are unique, Mermaid-safe and stable', () => {
    const ids = new IdMap();
    expect(ids.get('opinion-issued')).toBe('opinion_issued');
    expect(ids.get('opinion_issued')).toBe('opinion_issued_2');
    expect(ids.get('opinion-issued')).toBe('opinion_issued');
    expect(ids.get('default')).toBe('s_default');
    expect(ids.get('defaultState')).toBe('s_defaultState');
    expect(ids.get('state')).toBe('s_state');
    expect(ids.get('已受理')).toBe('s____');
    expect(ids.get('3-day')).toBe('s_3_day');
  });
});
