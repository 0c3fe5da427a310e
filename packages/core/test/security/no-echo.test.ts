/**
 * A refusal never repeats what was typed (Personal Information Protection Law; Reg. 46): an ID
 * number keyed into a unit field, or a name into a date field, must not reach the error's
 * message or details, which end up in logs and HTTP responses. The error names the field and the
 * rule instead.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isXinfangError } from '../../src/base/errors.js';
import { A, petition, setup } from '../engine/helpers.js';

const ID_NUMBER = '11010119900101123X';

function leaked(e: unknown, secret: string): boolean {
  if (!isXinfangError(e)) throw e;
  return (
    e.message.includes(secret) ||
    JSON.stringify(e.details).includes(secret) ||
    JSON.stringify(e).includes(secret)
  );
}

describe('refusals do not echo the input', () => {
  it('names the field, not the value, for a unit that is not one', async () => {
    const { engine, submit } = setup();
    const { caseId } = await submit();
    const e = await engine
      .send(caseId, { type: 'TRANSFER', payload: { unit: ID_NUMBER, reason: 'x' } }, A.acceptor)
      .catch((x: unknown) => x);
    expect(isXinfangError(e, 'COMMAND_PAYLOAD_INVALID')).toBe(true);
    expect(leaked(e, ID_NUMBER)).toBe(false);
    expect((e as Error).message).toContain('/unit');
  });

  it('names the field, not the value, for a receiving unit at registration', async () => {
    const { engine } = setup();
    const e = await engine
      .submit(petition({ receivingUnit: ID_NUMBER }), A.registrar)
      .catch((x: unknown) => x);
    expect(isXinfangError(e, 'PETITION_INVALID')).toBe(true);
    expect(leaked(e, ID_NUMBER)).toBe(false);
  });

  it('never echoes any string typed into any field of a command', async () => {
    const { engine, submit } = setup();
    const { caseId } = await submit();
    const fields = ['unit', 'reason', 'days', 'outcome', 'findings', 'receivedAt', 'bodies'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('TRANSFER', 'ACCEPT', 'NOT_ACCEPT', 'DESIGNATE', 'ASSIGN', 'REPORT_UP'),
        fc.constantFrom(...fields),
        fc.stringMatching(/^[0-9]{17}[0-9X]$/),
        async (type, field, secret) => {
          const e = await engine
            .send(caseId, { type, payload: { [field]: secret } }, A.acceptor)
            .then(() => undefined)
            .catch((x: unknown) => x);
          if (e !== undefined) expect(leaked(e, secret)).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });
});
