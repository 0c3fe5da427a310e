/**
 * The three-colour board: a config's form sections (Shaanxi's register) with the stages and
 * deadlines they record, checked at load, and the marks and counts the board shows.
 */

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { JurisdictionConfig } from '../../src/config/types.js';
import { type LoadResult, parseConfigText } from '../../src/loader/index.js';
import { boardOf, sectionMarks } from '../../src/status/index.js';
import type { RedReason } from '../../src/store/types.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

/** A child of national.yaml with `yaml` appended (its form sections, its board). */
function child(yaml: string): LoadResult {
  const text = `extends: national.yaml\njurisdiction: { id: cn.test.board, name: 看板测试, version: "1" }\n${yaml}`;
  return parseConfigText(text, `${root}configs/board-test.yaml`);
}

const errors = (r: LoadResult) =>
  r.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => ({ code: d.code, hint: d.hint, line: d.line }));

const SECTIONS = `
form:
  sections:
    registration: { name: 登记, fields: [channel, petitioner.name], stages: [registration, transfer], deadlines: [disposal] }
    acceptance: { name: 受理, fields: [kind], stages: [acceptance, not-accepted, diversion], deadlines: [acceptance] }
    handling: { name: 办理, fields: [], stages: [handling, opinion], deadlines: [handling] }
    termination: { name: 程序终结, fields: [], stages: [closed, withdrawn] }
board: { name: 登记表, labels: { green: 在办, blue: 办结, red: 违规 } }
`;

let loaded: JurisdictionConfig | undefined;

/** The child with SECTIONS, loaded once per file. */
function config(): JurisdictionConfig {
  if (loaded) return loaded;
  const r = child(SECTIONS);
  if (!r.value) throw new Error(JSON.stringify(errors(r)));
  loaded = r.value;
  return loaded;
}

const missed = (ref: string, at = '2026-03-18T16:00:00.000Z'): RedReason => ({
  code: 'DEADLINE_MISSED',
  message: `deadline ${ref} passed`,
  ref,
  at,
});

describe('form sections at load', () => {
  it('accepts sections whose fields, stages and deadlines exist', () => {
    expect(errors(child(SECTIONS))).toEqual([]);
  });

  it('refuses a field the form does not have, suggesting the nearest', () => {
    const r = child(
      `form:\n  sections:\n    registration: { name: 登记, fields: [channel, petitioner.nmae] }\n`,
    );
    expect(r.value).toBeUndefined();
    expect(errors(r)).toEqual([{ code: 'CONFIG_UNKNOWN_REFERENCE', hint: 'did you mean `name`?', line: 5 }]);
  });

  it('refuses a deadline the config does not declare', () => {
    const r = child(`form:\n  sections:\n    handling: { name: 办理, fields: [], deadlines: [handlng] }\n`);
    expect(errors(r)).toEqual([
      { code: 'CONFIG_UNKNOWN_DEADLINE', hint: 'did you mean `handling`?', line: 5 },
    ]);
  });

  it('refuses a stage placed in two sections', () => {
    const r = child(
      `form:\n  sections:\n    a: { name: 甲, fields: [], stages: [handling] }\n    b: { name: 乙, fields: [], stages: [opinion, handling] }\n`,
    );
    expect(errors(r)).toEqual([{ code: 'CONFIG_BAD_VALUE', hint: undefined, line: 6 }]);
    expect(r.diagnostics[0]?.message).toContain('`handling` is in form section `b` and already in `a`');
  });

  it('refuses a stage outside the vocabulary and a board without its labels', () => {
    const r = child(
      `form:\n  sections:\n    a: { name: 甲, fields: [], stages: [handled] }\nboard: { labels: { green: 在办, blue: 办结 } }\n`,
    );
    expect(r.value).toBeUndefined();
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.pointer)).toEqual([
      '/form/sections/a/stages/0',
      '/board/labels',
    ]);
  });
});

describe('the board', () => {
  it('marks the section of the current stage green while in progress, blue once completed', () => {
    const c = config();
    expect(sectionMarks(c, { stage: 'handling', redReasons: [] })).toEqual([
      { section: 'handling', colour: 'green', reasons: [] },
    ]);
    expect(sectionMarks(c, { stage: 'diversion', redReasons: [] })).toEqual([
      { section: 'acceptance', colour: 'blue', reasons: [] },
    ]);
  });

  it('marks red the section of each missed deadline, once, open or kept', () => {
    const c = config();
    const disposal = missed('disposal');
    // the reason is open and kept as a violation at the same time: one reason, not two
    const marks = sectionMarks(c, { stage: 'handling', redReasons: [disposal], violations: [disposal] });
    expect(marks).toEqual([
      { section: 'registration', colour: 'red', reasons: [disposal] },
      { section: 'handling', colour: 'green', reasons: [] },
    ]);
    // completed late: the case is blue, the register keeps the step that failed red
    const late = sectionMarks(c, { stage: 'closed', redReasons: [], violations: [missed('handling')] });
    expect(late.map((m) => [m.section, m.colour])).toEqual([
      ['handling', 'red'],
      ['termination', 'blue'],
    ]);
  });

  it('marks a missed deadline no section lists in the section of the current stage', () => {
    const c = config();
    const marks = sectionMarks(c, { stage: 'handling', redReasons: [missed('review')] });
    expect(marks.map((m) => [m.section, m.colour])).toEqual([['handling', 'red']]);
  });

  it('counts cases per section and colour, with the config labels', () => {
    const c = config();
    const board = boardOf(c, [
      { stage: 'registration', redReasons: [] },
      { stage: 'handling', redReasons: [missed('disposal')] },
      { stage: 'withdrawn', redReasons: [] },
      { stage: 'review', redReasons: [] },
    ]);
    expect(board.name).toBe('登记表');
    expect(board.labels).toEqual({ green: '在办', blue: '办结', red: '违规' });
    expect(board.columns.map((col) => [col.section, col.counts])).toEqual([
      ['registration', { green: 1, blue: 0, red: 1 }],
      ['acceptance', { green: 0, blue: 0, red: 0 }],
      ['handling', { green: 1, blue: 0, red: 0 }],
      ['termination', { green: 0, blue: 1, red: 0 }],
    ]);
    // review is in no section of this config: the board says so instead of dropping the case
    expect(board.unplaced).toEqual({ green: 1, blue: 0, red: 0 });
  });

  it("shows the register's own labels when the config names none", () => {
    const r = child('');
    if (!r.value) throw new Error('national child did not load');
    const board = boardOf(r.value, [{ stage: 'closed', redReasons: [] }]);
    expect(board.labels).toEqual({ green: '正在办理', blue: '已办结', red: '未按程序办理' });
    expect(board.columns).toEqual([]);
    expect(board.unplaced).toEqual({ green: 0, blue: 1, red: 0 });
  });
});
