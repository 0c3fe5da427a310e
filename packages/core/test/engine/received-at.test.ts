/** Periods count from the day the body received the matter, not from its registration (Reg. 22-23). */

import { describe, expect, it } from 'vitest';
import { A, deadline, petition, setup } from './helpers.js';
import { refused } from './refused.js';

describe('receivedAt (Reg. 22-23: "自收到…之日起")', () => {
  it('refuses a petition received after the day it is registered, and writes nothing', async () => {
    const { engine, store, submit } = setup();
    // the clock is at 2026-03-02 09:00 Beijing time: 03-03 is tomorrow
    const e = await refused(submit({ receivedAt: '2026-03-03' }), 'PETITION_RECEIVED_AFTER_REGISTRATION');
    expect(e.details).toMatchObject({ receivedAt: '2026-03-03', registeredOn: '2026-03-02' });
    expect(e.message).toMatch(/Reg\. 22-23/);
    // no case number was drawn: the next registration is the year's first case
    const { caseId } = await submit();
    expect(caseId).toMatch(/-000001$/);
    expect((await store.events(caseId)).length).toBe(1);
    await refused(
      engine.submit(petition({ receivedAt: '2027-01-01' }), A.registrar),
      'PETITION_RECEIVED_AFTER_REGISTRATION',
    );
  });

  it('counts the disposal period from receipt: a letter registered 10 days late has 5 days left', async () => {
    const { store, submit } = setup();
    // received Friday 02-20 (the day after is the first counted): 02-20 + 15 = 03-07, a Saturday,
    // so the period ends on Monday 03-09 (Civil Code art. 203), not 15 days after registration
    const late = await submit({ receivedAt: '2026-02-20' });
    expect(await deadline(store, late.caseId, 'disposal')).toMatchObject({
      startDate: '2026-02-20',
      dueDate: '2026-03-09',
    });
    // received and registered on Monday 03-02: 03-02 + 15 = Tuesday 03-17
    const same = await submit();
    expect(await deadline(store, same.caseId, 'disposal')).toMatchObject({
      startDate: '2026-03-02',
      dueDate: '2026-03-17',
    });
  });

  it('turns the case red when the period from receipt runs out, though registration was recent', async () => {
    const { engine, store, clock, submit } = setup();
    const { caseId } = await submit({ receivedAt: '2026-02-20' });
    clock.set('2026-03-09T23:59:00+08:00');
    await engine.tick(clock.now());
    expect((await store.getCase(caseId))?.colour).toBe('green');
    clock.set('2026-03-10T00:01:00+08:00');
    await engine.tick(clock.now());
    const c = await store.getCase(caseId);
    expect(c?.colour).toBe('red');
    expect(c?.redReasons.map((r) => [r.ref, r.code])).toEqual([['disposal', 'DEADLINE_MISSED']]);
  });
});
