/**
 * A statutory period runs once per matter and responsible body (issue 24, class 8): re-entering
 * the state that starts it, at the same body, continues it (running, or fired and still red),
 * and its extension limit counts across the re-entry; a lawful re-transfer to another body
 * opens that body's own period.
 */

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfigOrThrow } from '../../src/loader/index.js';
import { A, setup } from './helpers.js';
import { refused } from './refused.js';

const signOff = loadConfigOrThrow(
  fileURLToPath(new URL('../fixtures/sign-off/sign-off-loop.yaml', import.meta.url)),
).value;

const extend = { type: 'EXTEND', payload: { days: 30, reason: '案情复杂' } };
const returned = { type: 'RETURN_DRAFT', payload: { reason: '事实不清' } };

describe('re-entering the handling state at the same body (Reg. 34)', () => {
  it('keeps a fired handling period fired, its due date unchanged and the case red; no extension after it', async () => {
    const { engine, store, clock, submit } = setup({ configs: [signOff] });
    const { caseId } = await submit();
    await engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
    // accepted Monday 03-02: 60 days end on Labour Day 05-01, moved to 05-06
    clock.set('2026-05-07T09:00:00+08:00');
    expect((await engine.tick()).map((f) => f.deadlineId)).toEqual(['handling']);
    await engine.send(caseId, { type: 'SUBMIT_DRAFT' }, A.handlerBureau);
    await engine.send(caseId, returned, A.headBureau);
    const after = await store.getCase(caseId);
    expect(after?.state).toBe('accepted');
    expect(after?.colour).toBe('red');
    expect(after?.data.deadlines).toMatchObject({ handling: { status: 'fired', period: 1, extensions: 0 } });
    const rows = (await store.deadlines(caseId)).filter((r) => r.deadlineId === 'handling');
    expect(rows.map((r) => [r.status, r.dueDate])).toEqual([['fired', '2026-05-06']]);
    // the 60 days are spent at this body: nothing is left to extend
    await refused(engine.send(caseId, extend, A.headBureau), 'DEADLINE_EXTENSION_REFUSED');
    expect((await engine.verify(caseId)).ok).toBe(true);
  });

  it('counts the one extension across a return of the draft', async () => {
    const { engine, store, submit } = setup({ configs: [signOff] });
    const { caseId } = await submit();
    await engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
    await engine.send(caseId, extend, A.headBureau);
    await engine.send(caseId, { type: 'SUBMIT_DRAFT' }, A.handlerBureau);
    await engine.send(caseId, returned, A.headBureau);
    const second = await refused(engine.send(caseId, extend, A.headBureau), 'DEADLINE_EXTENSION_REFUSED');
    expect(second.message).toContain('at most 1');
    const rows = (await store.deadlines(caseId)).filter((r) => r.deadlineId === 'handling');
    // 60 days to 05-01, 30 more from there end Sunday 05-31: due Monday 06-01
    expect(rows.map((r) => [r.status, r.dueDate])).toEqual([['running', '2026-06-01']]);
  });
});

describe('the acceptance period and the body (Reg. 23-24)', () => {
  const bodies = ['county-hrss', 'county-housing'];

  it('a body designated after the first one let its period run out gets a period of its own', async () => {
    const { engine, store, clock, submit } = setup();
    const { caseId } = await submit();
    await engine.send(caseId, { type: 'TRANSFER', payload: { unit: 'county-hrss' } }, A.registrar);
    // transferred Monday 03-02: 15 days end Tuesday 03-17
    clock.set('2026-03-18T09:00:00+08:00');
    expect((await engine.tick()).map((f) => f.deadlineId)).toContain('acceptance');
    const acceptance = async () =>
      (await store.deadlines(caseId))
        .filter((r) => r.deadlineId === 'acceptance')
        .map((r) => [r.status, r.dueDate]);
    expect(await acceptance()).toEqual([['fired', '2026-03-17']]);
    await engine.send(
      caseId,
      { type: 'DESIGNATE', payload: { unit: 'county-housing', bodies } },
      A.supervisor,
    );
    // designated Wednesday 03-18: 15 days end Thursday 04-02
    expect(await acceptance()).toEqual([
      ['fired', '2026-03-17'],
      ['running', '2026-04-02'],
    ]);
    expect((await engine.verify(caseId)).ok).toBe(true);
  });
});
