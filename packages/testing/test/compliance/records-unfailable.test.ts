/**
 * `refusals-change-nothing` and `record-sound` judge the engine, not the config: no config makes
 * a refused command write (a case transaction commits only after every check passed) or a log
 * that does not replay (each step records what it decided). So no fixture can show them failing;
 * these show each failing on a trace altered by hand, so neither is a test that cannot fail.
 */

import {
  DEFAULT_SEED,
  DYNAMIC_INVARIANTS,
  petitionArbitrary,
  runCheckScenario,
  type Trace,
} from '@xinfang/testing/compliance';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { calendar, national } from './check-setup.js';

const invariant = (id: string) => DYNAMIC_INVARIANTS.find((i) => i.id === id)!;
const judge = (id: string, trace: Trace) => invariant(id).check(trace, { baseline: national });

let trace: Trace;

beforeAll(async () => {
  const [petition] = fc.sample(petitionArbitrary(national), { seed: DEFAULT_SEED, numRuns: 1 });
  trace = await runCheckScenario(
    {
      start: '2025-03-03',
      minute: 600,
      petition: petition as Record<string, unknown>,
      submitter: 'staff',
      goal: 0,
      steps: [
        { kind: 'wrong-role', pick: 0, actor: 0, seed: 1 },
        { kind: 'wrong-command', pick: 1, seed: 1 },
        { kind: 'forward', pick: 0, actor: 0, seed: 1 },
      ],
    },
    { config: national, calendar },
  );
});

/** The trace with `change` applied to a deep copy. */
function altered(change: (t: Trace) => void): Trace {
  const copy = { ...trace, entries: structuredClone(trace.entries), cases: structuredClone(trace.cases) };
  change(copy);
  return copy;
}

describe('refusals-change-nothing', () => {
  it('holds on the run as the engine made it', () => {
    expect(trace.entries.filter((t) => t.outcome === 'refused').length).toBeGreaterThanOrEqual(2);
    expect(judge('refusals-change-nothing', trace)).toEqual([]);
  });
  it('fails when a refused command is recorded as having changed the stored case', () => {
    const v = judge(
      'refusals-change-nothing',
      altered((t) => {
        const refusal = t.entries.find((e) => e.outcome === 'refused')!;
        refusal.unchanged = false;
      }),
    );
    expect(v.map((x) => x.message).join('\n')).toMatch(/was refused .* but the stored case changed/);
  });
  it('fails when a command from a role its transition does not list was taken', () => {
    const v = judge(
      'refusals-change-nothing',
      altered((t) => {
        const wrong = t.entries.find((e) => e.kind === 'wrong-role')!;
        wrong.outcome = 'ok';
      }),
    );
    expect(v.map((x) => x.message).join('\n')).toMatch(/a role its transition does not list/);
  });
});

describe('record-sound', () => {
  it('holds on the run as the engine made it', () => {
    expect(trace.cases[0]?.verified.ok).toBe(true);
    expect(judge('record-sound', trace)).toEqual([]);
  });
  it('fails on a case whose log does not verify (a tampered record)', () => {
    const v = judge(
      'record-sound',
      altered((t) => {
        t.cases[0]!.verified = { ok: false, problems: ['seq 1: the event hash does not match its content'] };
      }),
    );
    expect(v.map((x) => x.message).join('\n')).toMatch(/the log does not verify: seq 1/);
  });
  it('fails on a step that crashed instead of being refused with a code', () => {
    const v = judge(
      'record-sound',
      altered((t) => {
        const step = t.entries.find((e) => e.outcome === 'refused')!;
        step.outcome = 'crashed';
        step.message = 'TypeError: x is undefined';
      }),
    );
    expect(v.map((x) => x.message).join('\n')).toMatch(/crashed: TypeError/);
  });
});
