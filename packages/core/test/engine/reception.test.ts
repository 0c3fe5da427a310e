/**
 * Leader reception days on national.yaml (Reg. 18): a case is booked onto a scheduled day of
 * its responsible unit or a body above it up to the one level up, never a day gone by; the
 * outcome is recorded on or after the day, once per booking.
 */

import { describe, expect, it } from 'vitest';
import { A, setup } from './helpers.js';
import { refused } from './refused.js';

const COUNTY_HEAD = '示范县人民政府县长';
const CITY_HEAD = '示范市人民政府市长';
const book = (date: string, leader: string) => ({ type: 'BOOK_RECEPTION', payload: { date, leader } });

describe('leader reception', () => {
  it('books only a scheduled day of the bodies that may receive the case, today or later', async () => {
    // Monday 2026-03-02; the county government receives on Wednesdays, the city on Fridays
    const { engine, store, clock, submit } = setup();
    const { caseId } = await submit();
    const wrong = await refused(
      engine.send(caseId, book('2026-03-05', COUNTY_HEAD), A.registrar),
      'COMMAND_GUARD_FAILED',
    );
    expect(wrong.message).toMatch(/2026-03-05 is not a reception day of 示范县人民政府县长 for this case/);
    // the offer names what the case may be booked onto, and nothing of bodies elsewhere
    expect(wrong.message).toMatch(/county-gov-wednesday .*weekday 3/);
    expect(wrong.message).toMatch(/city-gov-friday .*weekday 5/);
    expect(wrong.message).not.toMatch(/county-hrss/);

    clock.advanceDays(5); // Saturday 03-07
    const past = await refused(
      engine.send(caseId, book('2026-03-06', CITY_HEAD), A.registrar),
      'COMMAND_GUARD_FAILED',
    );
    expect(past.message).toMatch(/2026-03-06 has passed \(today is 2026-03-07\)/);
    await refused(engine.send(caseId, book('2026-03-11', 'x'), A.petitioner), 'COMMAND_ROLE_FORBIDDEN');
    await refused(engine.send(caseId, book('11 March', COUNTY_HEAD), A.registrar), 'COMMAND_PAYLOAD_INVALID');

    await engine.send(caseId, book('2026-03-13', CITY_HEAD), A.registrar);
    await refused(
      engine.send(caseId, { type: 'RECEPTION_HELD', payload: { outcome: 'resolved' } }, A.registrar),
      'COMMAND_GUARD_FAILED',
    );
    clock.advanceDays(6); // Friday 03-13
    await engine.send(caseId, { type: 'RECEPTION_HELD', payload: { outcome: 'unresolved' } }, A.registrar);
    const data = (await store.getCase(caseId))?.data as {
      decisions: Record<string, Record<string, unknown>>;
    };
    expect(data.decisions.reception).toMatchObject({ date: '2026-03-13', leader: CITY_HEAD });
    expect(data.decisions.reception?.answeredAt).toBe('2026-03-13T01:00:00.000Z');
    expect(data.decisions.receptionHeld).toMatchObject({ outcome: 'unresolved', unit: 'county-bureau' });
    expect(await engine.verify(caseId)).toEqual({ ok: true, problems: [] });
  });

  it('offers the days of the unit the case has passed to', async () => {
    const { engine, store, submit } = setup();
    const { caseId } = await submit();
    await refused(
      engine.send(caseId, book('2026-03-17', '示范县人力资源和社会保障局局长'), A.registrar),
      'COMMAND_GUARD_FAILED',
    );
    await engine.send(caseId, { type: 'TRANSFER', payload: { unit: 'county-hrss' } }, A.registrar);
    await engine.send(caseId, book('2026-03-17', '示范县人力资源和社会保障局局长'), A.hrssHead);
    expect((await store.getCase(caseId))?.data.decisions).toMatchObject({
      reception: { date: '2026-03-17', unit: 'county-hrss' },
    });
  });
});
