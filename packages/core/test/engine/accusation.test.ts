/** Reg. 30: accusation material never reaches the person or unit it accuses. */

import { describe, expect, it } from 'vitest';
import { A, setup } from './helpers.js';
import { refused } from './refused.js';

// the accused person is recorded as no staff member of the registry, so nothing waits on
// resolving them (see security/references.test.ts for names still to resolve)
const accusation = {
  kind: 'accusation',
  accused: { name: '某局长', external: true },
  accusation: '检举某局长收受工程款回扣',
};

describe('accusations and the accused unit', () => {
  it('refuses to transfer an accusation to the unit it accuses, and allows another body', async () => {
    const { engine, store, submit } = setup();
    const { caseId } = await submit({ ...accusation, respondentUnit: 'county-hrss' });
    const before = await store.events(caseId);
    const e = await refused(
      engine.send(caseId, { type: 'TRANSFER', payload: { unit: 'county-hrss' } }, A.registrar),
      'COMMAND_GUARD_FAILED',
    );
    expect(e.message).toContain('may not be sent to the accused unit county-hrss (reg-2022 art. 30)');
    expect(await store.events(caseId)).toEqual(before);
    await engine.send(caseId, { type: 'TRANSFER', payload: { unit: 'county-land' } }, A.registrar);
    expect((await store.getCase(caseId))?.responsibleUnit).toBe('county-land');
  });

  it('lets a complaint without accusation material go to the body it is about', async () => {
    const { engine, store, submit } = setup();
    const { caseId } = await submit({ respondentUnit: 'county-hrss' });
    await engine.send(caseId, { type: 'TRANSFER', payload: { unit: 'county-hrss' } }, A.registrar);
    expect((await store.getCase(caseId))?.responsibleUnit).toBe('county-hrss');
  });

  it('refuses a designation decided by the accused body itself, not one by the body above it', async () => {
    const { engine, store, submit } = setup();
    const { caseId } = await submit({ ...accusation, respondentUnit: 'county-gov' });
    const designate = {
      type: 'DESIGNATE',
      payload: { unit: 'county-hrss', bodies: ['county-hrss', 'county-land'] },
    };
    const before = await store.events(caseId);
    // the accused body is never a reader of the accusation: to it the case does not exist, as
    // a missing one (the notAccused guard's `actor: true` stays behind this as a second line)
    const e = await refused(
      engine.send(caseId, designate, { id: 'sup-9', role: 'supervisor', unit: 'county-gov' }),
      'CASE_NOT_FOUND',
    );
    expect(e.message).toBe(`no case ${caseId}`);
    expect(await store.events(caseId)).toEqual(before);
    await engine.send(caseId, designate, { id: 'sup-8', role: 'supervisor', unit: 'city-gov' });
    expect((await store.getCase(caseId))?.responsibleUnit).toBe('county-hrss');
  });
});
