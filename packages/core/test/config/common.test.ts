/**
 * `process.common`: groups of commands written once and copied by the loader into every state
 * they select, after `extends` is resolved; a mistake inside a group is reported once, at its
 * line in the group.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JurisdictionConfig } from '../../src/config/types.js';
import { type LoadResult, loadConfig, parseConfigText } from '../../src/loader/index.js';

const valid = join(import.meta.dirname, '../fixtures/valid');
const national = join(import.meta.dirname, '../../../../configs/national.yaml');

/** Loads `text` as a child of the compact baseline (national-mini.yaml); its line 1 is `extends`. */
function child(text: string): LoadResult {
  return parseConfigText(`extends: national-mini.yaml\n${text}`, join(valid, 'child.yaml'));
}

const statesWith = (c: JurisdictionConfig, event: string) =>
  Object.entries(c.process.states)
    .filter(([, s]) => s.on?.[event] !== undefined)
    .map(([id]) => id);

const GROUPS = `process:
  common:
    notes:
      stages: [terminated, closed, withdrawn]
      except: [withdrawn]
      on:
        NOTE: { roles: [handler], payload: { properties: { text: { type: string } } }, basis: practice }
    everywhere:
      on:
        PING: { roles: [registrar], authority: responsible, basis: practice }
`;

describe('process.common', () => {
  it('copies each group into the states it selects, and leaves no common block in the config', () => {
    const r = child(GROUPS);
    expect(r.diagnostics).toEqual([]);
    const c = r.value as JurisdictionConfig;
    expect(statesWith(c, 'NOTE')).toEqual(['terminated', 'closed']);
    expect(statesWith(c, 'PING')).toEqual(Object.keys(c.process.states));
    expect(c.process.states.closed?.on?.NOTE).toEqual({
      roles: ['handler'],
      payload: { properties: { text: { type: 'string' } } },
      basis: 'practice',
    });
    // a state's own commands come first, the group's after them
    expect(Object.keys(c.process.states['opinion-issued']?.on ?? {})).toEqual([
      'RECEIPT',
      'REQUEST_REVIEW',
      'reviewWindow.expired',
      'PING',
    ]);
    expect(c.process).not.toHaveProperty('common');
    expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("lets a state override its copy key by key, and keeps the group's other keys", () => {
    const r = child(`${GROUPS}  states:
    accepted:
      on:
        PING: { roles: [head] }
`);
    expect(r.diagnostics).toEqual([]);
    const states = (r.value as JurisdictionConfig).process.states;
    expect(states.accepted?.on?.PING).toEqual({
      roles: ['head'],
      authority: 'responsible',
      basis: 'practice',
    });
    expect(states.registered?.on?.PING).toMatchObject({ roles: ['registrar'] });
  });

  it('applies a grandchild’s change of a group to every state, and a removed group to none', () => {
    const parentText = `extends: national-mini.yaml\n${GROUPS}`;
    const resolveExtends = (target: string) =>
      target === 'parent.yaml'
        ? { file: join(valid, 'parent.yaml'), text: parentText }
        : target === 'national-mini.yaml'
          ? {
              file: join(valid, 'national-mini.yaml'),
              text: readFileSync(join(valid, 'national-mini.yaml'), 'utf8'),
            }
          : undefined;
    const changed = parseConfigText(
      'extends: parent.yaml\nprocess:\n  common:\n    everywhere:\n      on:\n        PING: { roles: [head] }\n    notes: { $remove: true }\n',
      join(valid, 'grandchild.yaml'),
      { resolveExtends },
    );
    expect(changed.diagnostics).toEqual([]);
    const c = changed.value as JurisdictionConfig;
    expect(statesWith(c, 'NOTE')).toEqual([]);
    for (const state of Object.values(c.process.states)) {
      expect(state.on?.PING).toEqual({ roles: ['head'], authority: 'responsible', basis: 'practice' });
    }
  });

  it('reports a mistake inside a group once, at its line in the group', () => {
    const r = child(`process:
  common:
    everywhere:
      on:
        PING: { roles: [registrar, registar], rols: [head] }
`);
    expect(r.value).toBeUndefined();
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.code, d.line, d.pointer])).toEqual([
      ['CONFIG_UNKNOWN_ROLE', 6, '/process/common/everywhere/on/PING/roles/1'],
      ['CONFIG_UNKNOWN_KEY', 6, '/process/common/everywhere/on/PING/rols'],
    ]);
    expect(errors[0]?.hint).toMatch(/did you mean `registrar`/);
    expect(errors[1]?.message).toBe('unknown key `rols` in /process/common/everywhere/on/PING');
  });

  it('names a state a group leaves out that the process does not have, and checks the stages', () => {
    const r = child(`process:
  common:
    notes:
      stages: [closd]
      except: [withdrawm]
      on:
        NOTE: { roles: [handler] }
`);
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.code, d.line])).toEqual([
      ['CONFIG_BAD_VALUE', 5],
      ['CONFIG_UNKNOWN_STATE', 6],
    ]);
    expect(errors[1]?.hint).toMatch(/did you mean `withdrawn`/);
  });

  it('warns about a group that selects no state, and still loads', () => {
    const r = child(`process:
  common:
    notes:
      stages: [supervision]
      on:
        NOTE: { roles: [handler] }
`);
    expect(r.value).toBeDefined();
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([
      ['warning', 'CONFIG_UNKNOWN_REFERENCE', 4],
    ]);
    expect(r.diagnostics[0]?.message).toMatch(/`notes` selects no state/);
  });

  it('gives national.yaml its supervision, reception, rating and outcome commands where they belong', () => {
    const r = loadConfig(national);
    const c = r.value as JurisdictionConfig;
    const all = Object.keys(c.process.states);
    for (const event of [
      'SUPERVISE',
      'SUPERVISION_REPLY',
      'ACCOUNTABILITY',
      'SUGGEST',
      'REPORT_ADOPTION',
      'BOOK_RECEPTION',
      'RECEPTION_HELD',
    ]) {
      expect(statesWith(c, event), event).toEqual(all);
    }
    const stageOf = (s: string) => c.process.states[s]?.stage;
    expect(statesWith(c, 'RATE').map(stageOf).sort()).toEqual(
      [
        // settled, and a suggestion answered (Reg. 29): the petitioner rates the reply too
        'closed',
        'closed',
        'hearing',
        'opinion',
        'opinion',
        'reexamination',
        'review',
        'terminated',
        'withdrawn',
      ].sort(),
    );
    expect(statesWith(c, 'RATE')).not.toContain('closed');
    expect(statesWith(c, 'RECORD_OUTCOME').sort()).toEqual(['closed', 'settled', 'terminated']);
    expect(statesWith(c, 'SPOT_CHECK')).toEqual(['not-accepted']);
  });
});
