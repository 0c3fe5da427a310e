/**
 * The petitioner's rating on national.yaml (Reg. 21): only within the rating window the reply's
 * receipt opens; a refused rating writes nothing; a window that runs out unrated is an event of
 * the case, which replays and verifies, wherever the case has moved on to.
 */

import { describe, expect, it } from 'vitest';
import { A, deadline, setup } from './helpers.js';
import { refused } from './refused.js';

/** A case whose handling opinion the petitioner has received (on 2026-03-02). */
async function received() {
  const ctx = setup();
  const { caseId } = await ctx.submit();
  await ctx.engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
  await ctx.engine.send(
    caseId,
    {
      type: 'OPINION',
      payload: {
        outcome: 'not-supported',
        findings: '经调查核实，情况属实。',
        legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
      },
    },
    A.handlerBureau,
  );
  return { ...ctx, caseId };
}

describe('rating', () => {
  it('refuses a rating outside the window with COMMAND_WINDOW_CLOSED and writes nothing', async () => {
    const { engine, store, clock, caseId } = await received();
    const snapshot = async () => ({
      events: await store.events(caseId),
      projection: await store.getCase(caseId),
      deadlines: await store.deadlines(caseId),
      outbox: await store.outbox({ caseId }),
    });

    // before the opinion reached the petitioner
    let before = await snapshot();
    const early = await refused(
      engine.send(caseId, { type: 'RATE', payload: { rating: 'satisfied' } }, A.petitioner),
      'COMMAND_WINDOW_CLOSED',
    );
    expect(early.message).toMatch(/only within ratingWindow, which has not started \(reg-2022 art\. 21\)/);
    expect(await snapshot()).toEqual(before);

    await engine.send(caseId, { type: 'RECEIPT', payload: { receivedAt: '2026-03-02' } }, A.registrar);
    expect(await deadline(store, caseId, 'ratingWindow')).toMatchObject({
      kind: 'window',
      status: 'running',
      dueDate: '2026-04-01',
    });
    // the window ended with 04-01; the tick has not run yet, the window is closed all the same
    clock.advanceDays(31);
    before = await snapshot();
    const late = await refused(
      engine.send(caseId, { type: 'RATE', payload: { rating: 'satisfied' } }, A.petitioner),
      'COMMAND_WINDOW_CLOSED',
    );
    expect(late.message).toMatch(/ended on 2026-04-01/);
    expect(await snapshot()).toEqual(before);
  });

  it('records the expiry of an unrated window as an event, in the state the case has moved on to', async () => {
    const { engine, store, clock, caseId } = await received();
    await engine.send(caseId, { type: 'RECEIPT', payload: { receivedAt: '2026-03-02' } }, A.registrar);
    clock.advanceDays(3);
    await engine.send(caseId, { type: 'REQUEST_REVIEW', payload: { reason: '不服' } }, A.petitioner);
    clock.advanceDays(28);
    const fired = await engine.tick();
    expect(fired.map((f) => [f.deadlineId, f.kind, f.state])).toEqual([
      ['ratingWindow', 'window', 'in-review'],
    ]);

    const c = await store.getCase(caseId);
    // not rated is not satisfied: no rating decision, and the window is not a duty (no red)
    expect(c).toMatchObject({ state: 'in-review', colour: 'green', redReasons: [] });
    expect(c?.data.decisions).not.toHaveProperty('rating');
    const expiry = (await store.events(caseId)).filter((e) => e.type === 'deadline.expired');
    expect(expiry).toHaveLength(1);
    expect(expiry[0]?.payload).toMatchObject({
      deadline: 'ratingWindow',
      kind: 'window',
      dueDate: '2026-04-01',
      basis: 'reg-2022 art. 21',
    });
    expect(expiry[0]?.actor.role).toBe('system');
    expect(await engine.verify(caseId)).toEqual({ ok: true, problems: [] });
    expect(await engine.replay(caseId)).toEqual(c);

    // the review goes on; its opinion's receipt opens a second window, and a rating closes it
    await engine.send(
      caseId,
      {
        type: 'REVIEW_DECISION',
        payload: {
          outcome: 'upheld',
          findings: '经调查核实，情况属实。',
          legalBasis: [{ law: '信访工作条例', articles: '第三十五条' }],
        },
      },
      A.reviewer,
    );
    await engine.send(caseId, { type: 'RECEIPT', payload: { receivedAt: '2026-04-02' } }, A.registrar);
    await engine.send(caseId, { type: 'RATE', payload: { rating: 'basically-satisfied' } }, A.petitioner);
    const rows = (await store.deadlines(caseId)).filter((r) => r.deadlineId === 'ratingWindow');
    expect(rows.map((r) => r.status)).toEqual(['fired', 'stopped']);
    expect((await store.getCase(caseId))?.data.decisions).toMatchObject({
      rating: { rating: 'basically-satisfied', actor: A.petitioner.id },
    });
  });
});
