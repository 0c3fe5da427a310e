/**
 * A caller's input is measured before any work: petitions and payloads of bounded size and depth,
 * JSON only, instants that are instants. Each refusal is a coded InputError and writes nothing
 * (no case, no event, no case number drawn). The bounds are asserted as sizes and depths, never
 * as time.
 */

import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/base/clock.js';
import { isXinfangError } from '../../src/base/errors.js';
import { checkJsonInput, DEFAULT_INPUT_LIMITS, InputError, instantInput } from '../../src/base/input.js';
import { A, petition, setup } from '../engine/helpers.js';

/** A value nested `depth` levels (the outermost object is level 1), built without recursion. */
function nested(depth: number): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let at = root;
  for (let i = 1; i < depth; i++) {
    const next: Record<string, unknown> = {};
    at.a = next;
    at = next;
  }
  return root;
}

/** Nothing was written: no case, no sequence drawn (the next case number is still the first). */
async function expectNothingWritten(store: ReturnType<typeof setup>['store']) {
  expect(await store.query({})).toEqual([]);
  expect(await store.nextSequence('case:cn.national:2026')).toBe(1);
}

async function refusal(p: Promise<unknown>): Promise<InputError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(isXinfangError(e), String(e)).toBe(true);
  expect(e).toBeInstanceOf(InputError);
  return e as InputError;
}

describe('size and depth', () => {
  it('refuses a 10 MB petition before any work, and writes nothing', async () => {
    const { engine, store } = setup();
    const e = await refusal(engine.submit(petition({ summary: 'x'.repeat(10_000_000) }), A.registrar));
    expect([e.code, e.details]).toEqual(['INPUT_TOO_LARGE', { field: 'petition', limit: 262_144 }]);
    await expectNothingWritten(store);
  });

  it('takes a petition just under the limit and refuses one just over it (the limit is configurable)', async () => {
    const maxBytes = 4_096;
    const { engine } = setup({ inputLimits: { maxBytes } });
    const base = petition({ summary: '' });
    const room = maxBytes - JSON.stringify(base).length;
    await expect(engine.submit(petition({ summary: 'x'.repeat(room) }), A.registrar)).resolves.toBeDefined();
    const e = await refusal(engine.submit(petition({ summary: 'x'.repeat(room + 1) }), A.registrar));
    expect(e.code).toBe('INPUT_TOO_LARGE');
  });

  it('refuses a payload nested 100,000 levels with INPUT_TOO_DEEP, not a RangeError', async () => {
    const { engine, submit, store } = setup();
    const { caseId } = await submit();
    const before = await store.events(caseId);
    const e = await refusal(engine.send(caseId, { type: 'ACCEPT', payload: nested(100_000) }, A.acceptor));
    expect([e.code, e.details]).toEqual(['INPUT_TOO_DEEP', { field: 'command', limit: 32 }]);
    expect(await store.events(caseId)).toEqual(before);
  });

  it('counts depth exactly: the limit passes, one more level does not', () => {
    const limits = { maxBytes: 1_000_000, maxDepth: 5 };
    expect(() => checkJsonInput(nested(5), 'v', limits)).not.toThrow();
    expect(() => checkJsonInput(nested(6), 'v', limits)).toThrow(
      expect.objectContaining({ code: 'INPUT_TOO_DEEP' }),
    );
    expect(() => checkJsonInput([[[[[1]]]]], 'v', limits)).not.toThrow();
    expect(() => checkJsonInput([[[[[[1]]]]]], 'v', limits)).toThrow(
      expect.objectContaining({ code: 'INPUT_TOO_DEEP' }),
    );
  });

  it('measures size as the JSON text of the value (strings by length)', () => {
    for (const value of [{ a: 'xyz', b: [1, true, null] }, ['汉字', { k: -1.5 }], 'plain', 12345]) {
      const length = JSON.stringify(value).length;
      expect(() => checkJsonInput(value, 'v', { maxBytes: length, maxDepth: 32 })).not.toThrow();
      expect(() => checkJsonInput(value, 'v', { maxBytes: length - 1, maxDepth: 32 })).toThrow(
        expect.objectContaining({ code: 'INPUT_TOO_LARGE' }),
      );
    }
  });

  it('refuses a payload of many keys by size, after reading no more than the limit allows', () => {
    const wide = Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`k${i}`, i]));
    expect(() => checkJsonInput(wide, 'v')).toThrow(expect.objectContaining({ code: 'INPUT_TOO_LARGE' }));
    expect(DEFAULT_INPUT_LIMITS).toEqual({ maxBytes: 262_144, maxDepth: 32 });
  });
});

describe('values JSON cannot hold', () => {
  const odd: [string, unknown, string][] = [
    ['a BigInt', 10n, 'bigint'],
    ['a function', () => 1, 'function'],
    ['a symbol', Symbol('s'), 'symbol'],
    ['NaN', Number.NaN, 'NaN'],
    ['Infinity', Number.POSITIVE_INFINITY, 'Infinity'],
    ['a Map', new Map(), 'a Map'],
    ['a Date', new Date(0), 'a Date'],
    ['a class instance', new (class Thing {})(), 'a Thing'],
  ];
  for (const [what, value, found] of odd) {
    it(`refuses ${what} in a petition, naming the field, not the value`, async () => {
      const { engine, store } = setup();
      const e = await refusal(engine.submit(petition({ summary: value }), A.registrar));
      expect([e.code, e.details]).toEqual([
        'INPUT_NOT_JSON',
        { field: 'petition', pointer: '/summary', found },
      ]);
      await expectNothingWritten(store);
    });
  }

  it('refuses a cyclic payload and a cyclic actor', async () => {
    const { engine, submit } = setup();
    const { caseId } = await submit();
    const payload: Record<string, unknown> = { note: 'x' };
    payload.self = payload;
    const e = await refusal(engine.send(caseId, { type: 'ACCEPT', payload }, A.acceptor));
    expect([e.code, e.details]).toEqual([
      'INPUT_NOT_JSON',
      { field: 'command', pointer: '/payload/self', found: 'a cycle' },
    ]);
    const actor: Record<string, unknown> = { ...A.acceptor };
    actor.me = actor;
    expect((await refusal(engine.allowedCommands(caseId, actor as never))).code).toBe('INPUT_NOT_JSON');
  });

  it('takes the same object twice where it is no cycle (JSON repeats it)', () => {
    const shared = { a: 1 };
    expect(() => checkJsonInput({ x: shared, y: [shared, shared] }, 'v')).not.toThrow();
  });
});

describe('instants', () => {
  for (const bad of [
    'not a date',
    '2026-13-45T00:00:00Z',
    '2026-03-02',
    '2026-03-02T09:00',
    '',
    42,
    null,
    new Date(Number.NaN),
  ]) {
    it(`refuses tick(${JSON.stringify(String(bad))}) with INPUT_INVALID and fires nothing`, async () => {
      const { engine, submit, store, clock } = setup();
      const { caseId } = await submit();
      clock.advanceDays(40);
      const before = await store.events(caseId);
      const e = await refusal(engine.tick(bad as never));
      expect([e.code, e.details.field]).toEqual(['INPUT_INVALID', 'now']);
      expect(await store.events(caseId)).toEqual(before);
    });
  }

  it('reads an ISO 8601 date-time with a zone as the instant it names', () => {
    expect(instantInput('2026-03-02T09:00:00+08:00', 'now')).toBe('2026-03-02T01:00:00.000Z');
    expect(instantInput(new Date('2026-03-02T01:00:00Z'), 'now')).toBe('2026-03-02T01:00:00.000Z');
  });

  it('refuses a ManualClock at an instant that is none, with a code', () => {
    expect(() => new ManualClock('not a date')).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
    const clock = new ManualClock('2026-03-02T00:00:00Z');
    expect(() => clock.set('2026-03-01T00:00:00Z')).toThrow(
      expect.objectContaining({ code: 'INPUT_INVALID' }),
    );
  });

  it('refuses limits that are not positive whole numbers when the engine is made', () => {
    expect(() => setup({ inputLimits: { maxBytes: 0 } })).toThrow(
      expect.objectContaining({ code: 'INPUT_INVALID' }),
    );
    expect(() => setup({ inputLimits: { maxDepth: 1.5 } })).toThrow(
      expect.objectContaining({ code: 'INPUT_INVALID' }),
    );
  });
});
