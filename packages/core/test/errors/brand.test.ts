/**
 * `instanceof` across two copies of the error modules: an app and a plugin that each bring
 * their own copy of @xinfang/core, or its ESM and CJS builds loaded side by side. Resetting the
 * module registry and importing again evaluates the modules a second time, with classes that
 * share nothing but their names.
 */

import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as baseA from '../../src/base/errors.js';
import * as engineA from '../../src/engine/errors.js';
import * as storeA from '../../src/store/errors.js';

type Copy = {
  base: typeof baseA;
  engine: typeof engineA;
  store: typeof storeA;
};

const where = {
  caseId: 'XF-1',
  state: 'registered',
  command: 'ACCEPT',
  actor: { id: 'clerk-1', role: 'clerk', unit: 'county' },
};

let b: Copy;

beforeAll(async () => {
  vi.resetModules();
  b = {
    base: await import('../../src/base/errors.js'),
    engine: await import('../../src/engine/errors.js'),
    store: await import('../../src/store/errors.js'),
  };
});

describe('two copies of the error modules', () => {
  it('are distinct classes', () => {
    expect(b.base.XinfangError).not.toBe(baseA.XinfangError);
    expect(b.engine.TransitionError).not.toBe(engineA.TransitionError);
    expect(b.store.ConcurrencyError).not.toBe(storeA.ConcurrencyError);
  });

  it('agree on the class an error was made by, either way round', () => {
    const fromB = new b.engine.TransitionError('COMMAND_WINDOW_CLOSED', 'closed', where, { window: 'w' });
    const fromA = new engineA.TransitionError('COMMAND_WINDOW_CLOSED', 'closed', where, { window: 'w' });
    expect(fromB instanceof engineA.TransitionError).toBe(true);
    expect(fromB instanceof baseA.XinfangError).toBe(true);
    expect(fromA instanceof b.engine.TransitionError).toBe(true);
    expect(fromA instanceof b.base.XinfangError).toBe(true);
    expect(fromB instanceof Error).toBe(true);
  });

  it('still tell subclasses apart', () => {
    const conflict = new b.store.ConcurrencyError({ caseId: 'XF-1', expected: 1, actual: 2 });
    expect(conflict instanceof storeA.ConcurrencyError).toBe(true);
    expect(conflict instanceof engineA.TransitionError).toBe(false);
    expect(conflict instanceof storeA.StoreError).toBe(false);
    expect(conflict instanceof storeA.LeaseLostError).toBe(false);
    const refused = new b.engine.TransitionError('COMMAND_ACTOR_RECUSED', 'recused', where);
    expect(refused instanceof storeA.ConcurrencyError).toBe(false);
    expect(refused instanceof engineA.CaseNotFoundError).toBe(false);
  });

  it('do not take a base error for a subclass', () => {
    const plain = new b.base.XinfangError('CLI_USAGE', 'bad flag');
    expect(plain instanceof baseA.XinfangError).toBe(true);
    expect(plain instanceof engineA.TransitionError).toBe(false);
    expect(plain instanceof storeA.StoreError).toBe(false);
  });

  it('refuse what neither copy made', () => {
    const impostor = Object.assign(new Error('x'), { code: 'CASE_NOT_FOUND', details: { caseId: 'XF-1' } });
    expect(impostor instanceof baseA.XinfangError).toBe(false);
    expect(impostor instanceof engineA.CaseNotFoundError).toBe(false);
    for (const value of [null, undefined, 'CASE_NOT_FOUND', 42, {}] as unknown[]) {
      expect(value instanceof baseA.XinfangError).toBe(false);
    }
    expect(baseA.isXinfangError(impostor)).toBe(false);
  });

  it('isXinfangError accepts the other copy, with or without a code', () => {
    const missing = new b.engine.CaseNotFoundError('XF-9');
    expect(baseA.isXinfangError(missing)).toBe(true);
    expect(baseA.isXinfangError(missing, 'CASE_NOT_FOUND')).toBe(true);
    expect(baseA.isXinfangError(missing, 'CONCURRENCY_CONFLICT')).toBe(false);
    expect(baseA.isXinfangError(new Error('x'))).toBe(false);
  });

  it('keep the prototype chain, name, message, code, details and stack', () => {
    const e = new b.engine.CaseNotFoundError('XF-9');
    expect(Object.getPrototypeOf(e)).toBe(b.engine.CaseNotFoundError.prototype);
    expect(e.name).toBe('CaseNotFoundError');
    expect(e.message).toBe('no case XF-9');
    expect(e.code).toBe('CASE_NOT_FOUND');
    expect(e.details).toEqual({ caseId: 'XF-9' });
    expect(e.stack).toContain('CaseNotFoundError: no case XF-9');
    expect(e.toJSON()).toEqual({
      name: 'CaseNotFoundError',
      code: 'CASE_NOT_FOUND',
      message: 'no case XF-9',
      caseId: 'XF-9',
    });
    // the brand is not data: it stays out of keys and JSON
    expect(Object.getOwnPropertyDescriptor(e, Symbol.for('xinfang.error.brand'))?.enumerable).toBe(false);
    expect(JSON.parse(JSON.stringify(e))).toEqual(e.toJSON());
  });
});

describe('a subclass that declares no brand of its own', () => {
  class LocalError extends baseA.XinfangError<'CLI_USAGE'> {
    constructor() {
      super('CLI_USAGE', 'local');
    }
  }

  it('is known by its prototype chain, and its instances by every brand it inherits', () => {
    const local = new LocalError();
    expect(local instanceof LocalError).toBe(true);
    expect(local instanceof baseA.XinfangError).toBe(true);
    expect(local instanceof b.base.XinfangError).toBe(true);
    expect(new b.base.XinfangError('CLI_USAGE', 'other') instanceof LocalError).toBe(false);
    expect(local.name).toBe('LocalError');
  });
});

describe('the exported error classes', () => {
  it('each declare their own brand, which is their name', async () => {
    const core: Record<string, unknown> = await import('../../src/index.js');
    const classes = Object.entries(core).filter(
      (entry): entry is [string, typeof baseA.XinfangError] =>
        typeof entry[1] === 'function' &&
        (entry[1] === core.XinfangError ||
          (entry[1] as { prototype?: unknown }).prototype instanceof
            (core.XinfangError as typeof baseA.XinfangError)),
    );
    expect(classes.length).toBeGreaterThan(20);
    for (const [name, cls] of classes) {
      expect(Object.hasOwn(cls, 'brand'), name).toBe(true);
      expect(cls.brand, name).toBe(name);
    }
  });
});
