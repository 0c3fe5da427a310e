/**
 * What the engine accepts from a caller before it does any work: JSON values of bounded size
 * and depth, and instants it can read. A petition of 10 MB, a payload nested 100,000 levels
 * (a `RangeError` in `JSON.stringify`), a BigInt, a function, a cycle, a `Map` or a `Date`
 * where JSON belongs, and `tick('not a date')` are each refused with a coded `InputError`
 * before anything is computed or written.
 *
 * The walk is iterative and stops at the first limit passed, so refusing costs no more than the
 * limit: a 10 MB string is measured by its length, a 100,000-level value is read 33 levels deep.
 */

import { XinfangError } from './errors.js';

/** How large and deep a caller's value may be. */
export interface InputLimits {
  /** The largest value, measured as the length of its JSON text in characters. @default 262144 (256 KiB) */
  maxBytes: number;
  /** The deepest nesting of objects and arrays (the value itself is level 1). @default 32 */
  maxDepth: number;
}

/** The limits when the embedder sets none. */
export const DEFAULT_INPUT_LIMITS: Readonly<InputLimits> = Object.freeze({ maxBytes: 262_144, maxDepth: 32 });

/** The codes of {@link InputError}. */
export type InputCode = 'INPUT_TOO_LARGE' | 'INPUT_TOO_DEEP' | 'INPUT_NOT_JSON' | 'INPUT_INVALID';

/** A caller's value refused before any work: too large, too deep, not JSON, or not what the argument takes. */
export class InputError<C extends InputCode = InputCode> extends XinfangError<C> {
  static override readonly brand: string = 'InputError';
}

/** A value waiting to be measured, with what locates it for a refusal. */
interface Frame {
  value: unknown;
  depth: number;
  parent?: Frame;
  key?: string;
  /** Set on the frame that leaves a container (its members are done): it is no ancestor any more. */
  leaving?: object;
}

function pointerOf(frame: Frame | undefined): string {
  const parts: string[] = [];
  for (let f = frame; f?.key !== undefined; f = f.parent) {
    parts.push(
      f.key.length > 64 ? `${f.key.slice(0, 64)}…` : f.key.replaceAll('~', '~0').replaceAll('/', '~1'),
    );
  }
  return parts.length === 0 ? '' : `/${parts.reverse().join('/')}`;
}

/** What a non-JSON value is, for the refusal (never the value itself: it may be personal data). */
function kindOf(value: unknown): string | undefined {
  switch (typeof value) {
    case 'bigint':
    case 'function':
    case 'symbol':
      return typeof value;
    case 'number':
      return Number.isFinite(value) ? undefined : String(value);
    case 'object': {
      if (value === null || Array.isArray(value)) return undefined;
      const proto = Object.getPrototypeOf(value);
      if (proto === Object.prototype || proto === null) {
        return Object.getOwnPropertySymbols(value).length > 0 ? 'an object with symbol keys' : undefined;
      }
      const name = (proto as { constructor?: { name?: unknown } } | null)?.constructor?.name;
      return typeof name === 'string' && name !== '' ? `a ${name}` : 'an object with a prototype';
    }
    default:
      return undefined;
  }
}

/** The JSON length of a scalar (strings by their length: escapes are not counted). */
function scalarSize(value: unknown): number {
  if (typeof value === 'string') return value.length + 2;
  if (typeof value === 'number') return String(value).length;
  if (typeof value === 'boolean') return value ? 4 : 5;
  return 4;
}

/** Pushes a container's members (after a frame that leaves it) and returns the size of its brackets, keys and commas. */
function pushMembers(stack: Frame[], frame: Frame, value: object): number {
  stack.push({ value: undefined, depth: frame.depth, leaving: value });
  if (Array.isArray(value)) {
    for (let i = value.length - 1; i >= 0; i--) {
      stack.push({ value: value[i], depth: frame.depth + 1, parent: frame, key: String(i) });
    }
    return 2 + Math.max(0, value.length - 1);
  }
  let size = 2;
  let members = 0;
  for (const key of Object.keys(value)) {
    const member = (value as Record<string, unknown>)[key];
    // a member JSON leaves out (undefined) is no problem: JSON.stringify drops it
    if (member === undefined) continue;
    size += key.length + 3;
    members++;
    stack.push({ value: member, depth: frame.depth + 1, parent: frame, key });
  }
  return size + Math.max(0, members - 1);
}

/**
 * Checks that `value` is a JSON value within `limits`, or throws an {@link InputError} naming
 * `field` and the place inside it. Members that are `undefined` are allowed (JSON drops them).
 */
export function checkJsonInput(
  value: unknown,
  field: string,
  limits: InputLimits = DEFAULT_INPUT_LIMITS,
): void {
  const stack: Frame[] = [{ value, depth: 1 }];
  const ancestors = new Set<object>();
  let size = 0;
  for (let frame = stack.pop(); frame; frame = stack.pop()) {
    if (frame.leaving) {
      ancestors.delete(frame.leaving);
      continue;
    }
    const v = frame.value;
    const kind = kindOf(v);
    if (kind !== undefined) {
      throw new InputError(
        'INPUT_NOT_JSON',
        `${field}${pointerOf(frame)} is ${kind}, which JSON cannot hold: send plain objects, arrays, strings, finite numbers, booleans and null (dates as ISO strings)`,
        { field, pointer: pointerOf(frame), found: kind },
      );
    }
    if (typeof v === 'object' && v !== null) {
      if (ancestors.has(v)) {
        throw new InputError(
          'INPUT_NOT_JSON',
          `${field}${pointerOf(frame)} contains itself (a cycle), which JSON cannot hold`,
          { field, pointer: pointerOf(frame), found: 'a cycle' },
        );
      }
      if (frame.depth > limits.maxDepth) {
        throw new InputError(
          'INPUT_TOO_DEEP',
          `${field} is nested deeper than ${limits.maxDepth} levels (at ${pointerOf(frame.parent) || '/'}): flatten it`,
          { field, limit: limits.maxDepth },
        );
      }
      ancestors.add(v);
      size += pushMembers(stack, frame, v);
    } else {
      size += scalarSize(v);
    }
    if (size > limits.maxBytes) {
      throw new InputError(
        'INPUT_TOO_LARGE',
        `${field} is larger than ${limits.maxBytes} characters of JSON: send less, or raise the engine's inputLimits.maxBytes`,
        { field, limit: limits.maxBytes },
      );
    }
  }
}

/**
 * An ISO 8601 date-time with its zone (`Z` or an offset): what the engine takes as an instant.
 * A date alone or a time without a zone would be read in the process's own zone, which core
 * never depends on.
 */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * The instant a caller passed (a valid `Date`, or an ISO 8601 string), as an ISO string, or an
 * `InputError` (`INPUT_INVALID`) naming `field`. `new Date('not a date')` would otherwise reach
 * `toISOString` and throw a RangeError.
 */
export function instantInput(value: unknown, field: string): string {
  const ms =
    value instanceof Date
      ? value.getTime()
      : typeof value === 'string' && value.length <= 40 && ISO_INSTANT.test(value)
        ? Date.parse(value)
        : Number.NaN;
  if (Number.isNaN(ms) || Math.abs(ms) > 8.64e15) {
    const found =
      value instanceof Date
        ? 'an invalid Date'
        : typeof value === 'string'
          ? 'a string that is no ISO 8601 date-time with a zone'
          : typeof value;
    throw new InputError(
      'INPUT_INVALID',
      `${field} must be an instant: a valid Date or an ISO 8601 string such as 2026-03-02T09:00:00+08:00 (found ${found})`,
      { field, expected: 'an instant', found },
    );
  }
  return new Date(ms).toISOString();
}

/** Checks a limit the embedder set: a positive safe integer. */
export function checkLimits(limits: Partial<InputLimits> | undefined): InputLimits {
  const out = { ...DEFAULT_INPUT_LIMITS, ...(limits ?? {}) };
  for (const key of ['maxBytes', 'maxDepth'] as const) {
    if (!Number.isSafeInteger(out[key]) || out[key] < 1) {
      throw new InputError('INPUT_INVALID', `inputLimits.${key} must be a positive whole number`, {
        field: `inputLimits.${key}`,
        expected: 'a positive integer',
        found: typeof out[key],
      });
    }
  }
  return out;
}
