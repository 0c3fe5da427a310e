/**
 * Reg. 24: a dissolved or merged body's open matters pass to its successor. national.yaml's
 * registry merges the county planning bureau into the county natural-resources bureau
 * (`county-planning.successor: county-land`); `engine.takeOver` takes over what it still holds.
 */

import { describe, expect, it } from 'vitest';
import type { ActorRef } from '../../src/store/types.js';
import { A, deadline, petition, setup } from './helpers.js';
import { refused } from './refused.js';

const planning = {
  registrar: { id: 'reg-7', role: 'registrar', unit: 'county-planning' },
  acceptor: { id: 'acc-7', role: 'acceptor', unit: 'county-planning' },
} satisfies Record<string, ActorRef>;
const landHead: ActorRef = { id: 'head-8', role: 'head', unit: 'county-land' };
const atPlanning = { receivingUnit: 'county-planning', subject: 'land', respondentUnit: 'county-planning' };

describe('succession of a dissolved body (Reg. 24)', () => {
  it('moves every open case the dissolved body holds to its successor, each with its own event, periods running on', async () => {
    const { engine, store, clock } = setup();
    const submitAt = (o: Record<string, unknown> = {}) =>
      engine.submit(petition({ ...atPlanning, ...o }), planning.registrar, { petitionerId: A.petitioner.id });
    const registered = (await submitAt()).caseId;
    const accepted = (await submitAt({ request: '恢复审批' })).caseId;
    await engine.send(accepted, { type: 'ACCEPT' }, planning.acceptor);
    const withdrawn = (await submitAt({ request: '撤回的请求' })).caseId;
    await engine.send(withdrawn, { type: 'WITHDRAW' }, A.petitioner);
    const elsewhere = (await engine.submit(petition(), A.registrar, { petitionerId: A.petitioner.id }))
      .caseId;
    const handlingDue = (await deadline(store, accepted, 'handling'))?.dueDate;
    // 03-02 + 60 = 05-01, in the Labour Day holiday: Wednesday 05-06
    expect(handlingDue).toBe('2026-05-06');

    clock.advanceDays(14);
    // only the successor's staff take over, and only a unit some config names a successor for
    await refused(engine.takeOver('county-planning', A.hrssHead), 'ACTOR_INVALID');
    await refused(engine.takeOver('county-hrss', landHead), 'INPUT_INVALID');
    expect((await store.getCase(registered))?.responsibleUnit).toBe('county-planning');

    const r = await engine.takeOver('county-planning', landHead, { note: '机构改革，职责并入县自然资源局' });
    expect(r).toEqual({ examined: 3, moved: [registered, accepted].sort(), refused: [], notTaken: 0 });
    for (const id of [registered, accepted]) {
      const c = await store.getCase(id);
      expect(c?.responsibleUnit).toBe('county-land');
      const last = (await store.events(id)).at(-1);
      expect(last).toMatchObject({ type: 'TAKE_OVER', actor: { unit: 'county-land' } });
      expect((await engine.verify(id)).ok).toBe(true);
    }
    // the handling period runs on at the successor: not 60 days from the take-over
    expect(await deadline(store, accepted, 'handling')).toMatchObject({
      dueDate: handlingDue,
      status: 'running',
    });
    // the completed case and another body's case are left as they were
    expect((await store.getCase(withdrawn))?.responsibleUnit).toBe('county-planning');
    expect((await store.events(withdrawn)).some((e) => e.type === 'TAKE_OVER')).toBe(false);
    expect((await store.getCase(elsewhere))?.responsibleUnit).toBe('county-bureau');
    // the merged body decides nothing more on them; its successor does
    const opinion = {
      type: 'OPINION',
      payload: {
        outcome: 'supported',
        findings: '经核实属实',
        legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
      },
    };
    const planningHandler = { id: 'han-7', role: 'handler', unit: 'county-planning' };
    await refused(engine.send(accepted, opinion, planningHandler), 'COMMAND_UNIT_FORBIDDEN');
    await engine.send(accepted, opinion, { id: 'han-8', role: 'handler', unit: 'county-land' });
    // a second run finds nothing left to take
    expect(await engine.takeOver('county-planning', landHead)).toMatchObject({ examined: 1, moved: [] });
  });

  it('never hands the successor an accusation against itself, nor names it', async () => {
    const { engine, store } = setup();
    const { caseId } = await engine.submit(
      petition({
        ...atPlanning,
        kind: 'accusation',
        respondentUnit: 'county-land',
        accused: { name: '某局长', external: true },
        accusation: '检举县自然资源局某局长违规审批',
      }),
      planning.registrar,
      { petitionerId: A.petitioner.id },
    );
    const before = await store.events(caseId);
    const r = await engine.takeOver('county-planning', landHead);
    expect(r).toEqual({ examined: 1, moved: [], refused: [], notTaken: 1 });
    expect(JSON.stringify(r)).not.toContain(caseId);
    expect(await store.events(caseId)).toEqual(before);
  });
});
