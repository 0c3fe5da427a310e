/** The shape of `details` follows from the code: checked by the compiler, asserted at run time. */

import { describe, expect, expectTypeOf, it } from 'vitest';
import { ConfigError } from '../../src/base/diagnostics.js';
import {
  type ConfigLocation,
  type ErrorCode,
  type ErrorDetails,
  isXinfangError,
  XinfangError,
} from '../../src/base/errors.js';
import { CalendarCoverageError, ExtensionRefusedError } from '../../src/calendar/errors.js';
import type { PayloadProblem } from '../../src/compiler/checks.js';
import { CaseNotFoundError, type CommandLocation, TransitionError } from '../../src/engine/errors.js';
import { ConcurrencyError, StoreError } from '../../src/store/errors.js';

const where: CommandLocation = {
  caseId: 'XF-1',
  state: 'registered',
  command: 'ACCEPT',
  actor: { id: 'clerk-1', role: 'clerk', unit: 'county' },
};

describe('details by code', () => {
  it('maps each code to the shape its throwers pass', () => {
    expectTypeOf<ErrorDetails['CASE_NOT_FOUND']>().toEqualTypeOf<{ caseId: string }>();
    expectTypeOf<ErrorDetails['CONCURRENCY_CONFLICT']>().toEqualTypeOf<{
      caseId: string;
      expected: number;
      actual: number;
    }>();
    expectTypeOf<ErrorDetails['COMMAND_PAYLOAD_INVALID']>().toEqualTypeOf<
      CommandLocation & { problems: PayloadProblem[] }
    >();
    expectTypeOf<ErrorDetails['CONFIG_UNKNOWN_STATE']>().toEqualTypeOf<ConfigLocation>();
    expectTypeOf<ErrorDetails['STORE_UNREACHABLE']>().toEqualTypeOf<{ url: string; reason: string }>();
    // every code has a shape, and none is a free-form record
    expectTypeOf<keyof ErrorDetails>().toEqualTypeOf<ErrorCode>();
    expectTypeOf<ErrorDetails['RULE_CONFLICT']>().not.toEqualTypeOf<Record<string, unknown>>();
  });

  it('types the details of each error class', () => {
    const missing = new CaseNotFoundError('XF-9');
    expectTypeOf(missing.details).toEqualTypeOf<Readonly<{ caseId: string }>>();
    expectTypeOf(missing.code).toEqualTypeOf<'CASE_NOT_FOUND'>();
    expect(missing.details.caseId).toBe('XF-9');

    const conflict = new ConcurrencyError({ caseId: 'XF-1', expected: 1, actual: 2 });
    expectTypeOf(conflict.details.expected).toEqualTypeOf<number>();
    expect(conflict.details).toEqual({ caseId: 'XF-1', expected: 1, actual: 2 });

    const coverage = new CalendarCoverageError('cn', 2031, '2031-01-02', { from: 2024, to: 2026 });
    expectTypeOf(coverage.details.year).toEqualTypeOf<number>();
    expect(coverage.details).toEqual({
      calendarId: 'cn',
      year: 2031,
      date: '2031-01-02',
      from: 2024,
      to: 2026,
    });

    const config = new ConfigError([]);
    expectTypeOf(config.details).toEqualTypeOf<Readonly<ConfigLocation>>();
    expect(config.code).toBe('CONFIG_INVALID');

    const store = new StoreError('closed', { location: ':memory:' });
    expectTypeOf(store.details).toEqualTypeOf<Readonly<ErrorDetails['STORE_ERROR' | 'STORE_UNREACHABLE']>>();
  });

  it('adds a refused command to its location', () => {
    const refused = new TransitionError('COMMAND_NOT_ALLOWED_IN_STATE', 'not here', where, {
      allowed: ['CLOSE'],
    });
    expectTypeOf(refused.details).toEqualTypeOf<Readonly<CommandLocation & { allowed?: string[] }>>();
    expect(refused.details).toEqual({ ...where, allowed: ['CLOSE'] });
    expect(refused.message).toBe('XF-1 (registered) ACCEPT by clerk-1/clerk: not here');
  });

  it('narrows details through isXinfangError with a code', () => {
    const e: unknown = new CaseNotFoundError('XF-9');
    if (!isXinfangError(e, 'CASE_NOT_FOUND')) throw new Error('expected CASE_NOT_FOUND');
    expectTypeOf(e.details).toEqualTypeOf<Readonly<{ caseId: string }>>();
    expect(e.details.caseId).toBe('XF-9');
  });

  it('refuses details of the wrong shape at compile time', () => {
    // @ts-expect-error CASE_NOT_FOUND needs its caseId
    new XinfangError('CASE_NOT_FOUND', 'no case');
    // @ts-expect-error a TransitionError's extras follow its code
    new TransitionError('COMMAND_WINDOW_CLOSED', 'closed', where, { allowed: [] });
    // @ts-expect-error a payload refusal lists its problems
    new TransitionError('COMMAND_PAYLOAD_INVALID', 'bad', where);
    // @ts-expect-error an extension refusal says which limit it broke
    new ExtensionRefusedError('too long', { days: 90 });
    // codes whose details are all optional may leave them out
    expect(new XinfangError('CLI_USAGE', 'bad flag').details).toEqual({});
  });
});
