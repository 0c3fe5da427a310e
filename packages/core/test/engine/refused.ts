import { expect } from 'vitest';
import { isXinfangError } from '../../src/base/errors.js';

/** Expects a promise to be refused with `code`; returns the error. */
export async function refused(p: Promise<unknown>, code: string) {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(isXinfangError(e), `expected ${code}, got ${e === undefined ? 'success' : String(e)}`).toBe(true);
  expect((e as { code: string }).code).toBe(code);
  return e as { code: string; details: Record<string, unknown>; message: string };
}
