/** The scenario runner: failures located by step and line, diagnostics for malformed files, stops. */

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCalendarDir } from '../../src/calendar/index.js';
import { loadConfigOrThrow } from '../../src/loader/index.js';
import { parseScenario, runScenario } from '../../src/scenario/index.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const config = loadConfigOrThrow(`${root}configs/national.yaml`).value;
const calendars = loadCalendarDir(`${root}configs/calendars`);

const HEAD = `name: runner test
start: 2026-03-02T09:00:00+08:00
actors:
  registrar: { id: reg-1, role: registrar, unit: county-bureau }
  acceptor: { id: acc-1, role: acceptor, unit: county-bureau }
  handler: { id: han-0, role: handler, unit: county-bureau }
  petitioner: { id: p-1, role: petitioner }
petition:
  channel: letter
  receivedAt: 2026-03-02
  receivingUnit: county-bureau
  petitioner: { name: 张三, phone: "13800000000" }
  subject: labour
  summary: 拖欠工资
  request: 支付工资
`;
/** Lines of HEAD: the first line of anything appended is HEAD_LINES + 1. */
const HEAD_LINES = HEAD.split('\n').length - 1;

async function run(text: string) {
  const src = parseScenario(text, 'test.yaml');
  expect(src.diagnostics).toEqual([]);
  if (!src.value) throw new Error('did not parse');
  return runScenario(config, src.value, { calendars, locate: src.locate });
}

describe('runScenario', () => {
  it('passes a scenario whose expectations hold, and records the transitions taken', async () => {
    const r = await run(`${HEAD}expect: { state: registered, deadlines: { disposal: { due: 2026-03-17 } } }
steps:
  - send: ACCEPT
    as: acceptor
    expect: { state: accepted, issued: [acceptance-notice], deadlines: { handling: { due: 2026-05-06 } } }
  - send: OPINION
    as: handler
    payload: { outcome: supported, findings: '经调查核实，情况属实。', legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }] }
  - send: RECEIPT
    as: registrar
    payload: { receivedAt: 2026-03-02 }
  - advance: { days: 40 }
    expect: { state: closed, colour: blue }
`);
    expect(r.failures).toEqual([]);
    expect(r).toMatchObject({ passed: true, steps: 5, caseId: 'XF-2026-000001' });
    expect(r.transitions).toEqual([
      { state: 'registered', event: 'ACCEPT', to: 'accepted' },
      { state: 'accepted', event: 'OPINION', to: 'opinion-issued' },
      { state: 'opinion-issued', event: 'RECEIPT', to: 'opinion-issued' },
      // the supported opinion's follow-through (Reg. 32) was never recorded
      { state: 'opinion-issued', event: 'followThrough.expired', to: 'opinion-issued' },
      { state: 'opinion-issued', event: 'ratingWindow.expired', to: 'opinion-issued' },
      { state: 'opinion-issued', event: 'reviewWindow.expired', to: 'closed' },
    ]);
  });

  it('reports each failed expectation with its step and the line of the key that failed, and runs on', async () => {
    const text = `${HEAD}steps:
  - send: ACCEPT
    as: acceptor
    expect:
      state: accepted
      deadlines:
        handling: { due: 2026-05-01 }
  - advance: { days: 1 }
    expect:
      colour: red
      issued: [handling-opinion]
  - send: WITHDRAW
    as: petitioner
    expect: { state: withdrawn, documents: [acceptance-notice], data: { decisions.opinion.outcome: supported } }
`;
    const r = await run(text);
    const at = (s: string) => text.split('\n').findIndex((l) => l.includes(s)) + 1;
    expect(r.passed).toBe(false);
    expect(r.steps).toBe(4);
    expect(r.failures.map((f) => [f.step, f.line, f.message])).toEqual([
      [1, at('handling: { due'), 'handling is due 2026-05-06, expected 2026-05-01'],
      [2, at('colour: red'), 'colour is "green", expected "red"'],
      [2, at('issued: [handling'), 'this step issued [], expected ["handling-opinion"]'],
      [3, at('decisions.opinion'), 'data.decisions.opinion.outcome is absent, expected "supported"'],
    ]);
    expect(at('handling: { due')).toBe(HEAD_LINES + 7);
    expect(r.failures[0]).toMatchObject({
      pointer: '/steps/0/expect/deadlines/handling/due',
      expected: '2026-05-01',
      actual: '2026-05-06',
    });
    expect(r.failures.some((f) => f.stopped)).toBe(false);
  });

  it('stops at a command refused without `error`, naming the code, on the line of the command', async () => {
    const r = await run(`${HEAD}steps:
  - send: ACCEPT
    as: acceptor
  - send: REVIEW_DECISION
    as: handler
    payload: { outcome: upheld, findings: '经调查核实，情况属实。', legalBasis: [{ law: '信访工作条例', articles: '第三十五条' }] }
  - send: OPINION
    as: handler
    payload: { outcome: supported, findings: '经调查核实，情况属实。', legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }] }
    expect: { state: opinion-issued }
`);
    expect(r.passed).toBe(false);
    expect(r.steps).toBe(3); // the submission and two steps; the third never ran
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]).toMatchObject({ step: 2, line: HEAD_LINES + 4, stopped: true });
    expect(r.failures[0]?.message).toMatch(
      /^REVIEW_DECISION by handler refused: COMMAND_NOT_ALLOWED_IN_STATE: /,
    );
    expect(r.transitions).toHaveLength(1);
  });

  it('points an invalid payload at the field, and an invalid petition at its field', async () => {
    const payload = await run(`${HEAD}steps:
  - send: ACCEPT
    as: acceptor
  - send: OPINION
    as: handler
    payload:
      outcome: maybe
      findings: 经查属实
      legalBasis: [{ law: 中华人民共和国劳动法, articles: 第五十条 }]
`);
    expect(payload.failures[0]).toMatchObject({
      step: 2,
      line: HEAD_LINES + 7,
      pointer: '/steps/1/payload/outcome',
      stopped: true,
    });
    expect(payload.failures[0]?.message).toContain('COMMAND_PAYLOAD_INVALID');

    const petition = await run(HEAD.replace('channel: letter', 'channel: pigeon'));
    expect(petition.failures).toEqual([
      expect.objectContaining({ step: 0, line: 9, pointer: '/petition/channel', stopped: true }),
    ]);
    expect(petition.failures[0]?.message).toMatch(/^submission refused: PETITION_INVALID/);
    expect(petition.steps).toBe(1);
  });

  it('checks the code of an expected refusal, and stops when the command is accepted instead', async () => {
    const r = await run(`${HEAD}steps:
  - send: OPINION
    as: handler
    payload: { outcome: supported, findings: '经调查核实，情况属实。', legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }] }
    error: COMMAND_ROLE_FORBIDDEN
  - send: ACCEPT
    as: acceptor
    error: COMMAND_NOT_ALLOWED_IN_STATE
  - send: WITHDRAW
    as: petitioner
`);
    expect(r.failures.map((f) => [f.step, f.line, f.stopped ?? false])).toEqual([
      [1, HEAD_LINES + 5, false],
      [2, HEAD_LINES + 8, true],
    ]);
    expect(r.failures[0]?.message).toMatch(
      /^OPINION by handler refused with COMMAND_NOT_ALLOWED_IN_STATE: .*, expected COMMAND_ROLE_FORBIDDEN$/,
    );
    expect(r.failures[1]?.message).toBe(
      'ACCEPT by acceptor was accepted (now accepted), expected refusal COMMAND_NOT_ALLOWED_IN_STATE',
    );
    expect(r.steps).toBe(3);
  });

  it('does not tick with `tick: false`, and refuses to move the clock backwards', async () => {
    const r = await run(`${HEAD}steps:
  - advance: { days: 20 }
    tick: false
    expect: { colour: green, deadlines: { disposal: { status: running } } }
  - advance: { hours: 0 }
    expect: { colour: red, red: [disposal], deadlines: { disposal: { status: fired } } }
  - advance: { to: 2026-03-01T00:00:00+08:00 }
  - expect: { state: registered }
`);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]).toMatchObject({ step: 3, line: HEAD_LINES + 7, stopped: true });
    expect(r.failures[0]?.message).toMatch(/cannot move the clock/);
    expect(r.transitions).toEqual([{ state: 'registered', event: 'disposal.expired', to: 'registered' }]);
  });

  it('names an unknown actor and the actors declared', async () => {
    const r = await run(`${HEAD}steps:
  - send: ACCEPT
    as: acceptr
`);
    expect(r.failures[0]).toMatchObject({ step: 1, line: HEAD_LINES + 3, stopped: true });
    expect(r.failures[0]?.message).toBe(
      'unknown actor "acceptr" (declare it under actors:; declared: registrar, acceptor, handler, petitioner)',
    );
  });

  it('checks allowed commands, exactly when asked', async () => {
    const r = await run(`${HEAD}expect:
  allowed: { as: petitioner, commands: [WITHDRAW], exactly: true }
steps:
  - expect:
      allowed: { as: acceptor, commands: [ACCEPT, OPINION] }
  - expect:
      allowed: { as: petitioner, commands: [], exactly: true }
`);
    expect(r.failures.map((f) => [f.step, f.line])).toEqual([
      [1, HEAD_LINES + 5],
      [2, HEAD_LINES + 7],
    ]);
    expect(r.failures[0]?.message).toMatch(/^acceptor may not send OPINION \(may: /);
    expect(r.failures[1]?.message).toBe('petitioner may send ["WITHDRAW"], expected exactly []');
  });
});

describe('parseScenario', () => {
  it('gives positioned diagnostics for a malformed scenario', () => {
    const src = parseScenario(
      `name: broken
start: 2026-03-02T09:00:00+08:00
actors:
  registrar: { id: reg-1, role: registrar, unit: county-bureau }
petition: { channel: letter }
steps:
  - send: ACCEPT
    as: registrar
    expect: { colour: purple }
  - sned: ACCEPT
    as: registrar
`,
      'broken.yaml',
    );
    expect(src.value).toBeUndefined();
    const lines = src.diagnostics.map((d) => [d.file, d.line, d.pointer]);
    expect(lines).toContainEqual(['broken.yaml', 9, '/steps/0/expect/colour']);
    const sned = src.diagnostics.find((d) => d.pointer === '/steps/1/sned');
    expect(sned).toMatchObject({
      line: 10,
      code: 'CONFIG_UNKNOWN_KEY',
      hint: expect.stringContaining('send'),
    });
    // the well-formed step 0 gets no message about its kind, only about its colour
    expect(src.diagnostics.filter((d) => d.line === 7 || d.line === 8)).toEqual([]);
    expect(src.diagnostics.every((d) => d.severity === 'error' && d.message.length > 0)).toBe(true);
  });

  it('reports a YAML syntax error and a missing key with their lines', () => {
    const syntax = parseScenario('name: x\nstart: [unclosed\n', 's.yaml');
    expect(syntax.value).toBeUndefined();
    expect(syntax.diagnostics[0]).toMatchObject({ file: 's.yaml', code: 'CONFIG_YAML_SYNTAX' });
    expect(syntax.diagnostics[0]?.line).toBeGreaterThanOrEqual(2);

    const missing = parseScenario('name: x\nstart: 2026-03-02T09:00:00+08:00\nactors: {}\n', 'm.yaml');
    expect(missing.value).toBeUndefined();
    expect(missing.diagnostics.map((d) => d.message).join('\n')).toMatch(/petition/);
  });

  it('locates a pointer at the nearest existing key', () => {
    const src = parseScenario(`${HEAD}steps:\n  - send: ACCEPT\n    as: acceptor\n`, 't.yaml');
    expect(src.locate('/steps/0/as')).toBe(HEAD_LINES + 3);
    expect(src.locate('/steps/0/expect/state')).toBe(HEAD_LINES + 2);
    expect(src.locate('/petition/petitioner/phone')).toBe(12);
  });
});
