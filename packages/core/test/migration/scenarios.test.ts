/**
 * A case driven on national.yaml, moved mid-way to its second version by a plan, and driven on:
 * one scenario per feature of a plan. Every expected date is counted by hand on the mainland
 * calendar (configs/calendars/cn-mainland.yaml; 2026: Mid-Autumn 09-25..27, National Day
 * 10-01..07, working Sundays 09-20 and Saturday 10-10); a calendar-day period ending on a day
 * off ends on the next working day.
 */

import { describe, expect, it } from 'vitest';
import { configHash } from '../../src/config/hash.js';
import { CONFIG_MIGRATED } from '../../src/engine/migration-fold.js';
import { caseSteps } from '../../src/metrics/timeline.js';
import type { CaseStore } from '../../src/store/types.js';
import { deadline, documents, mainland, nationalConfig, petition, setup } from '../engine/helpers.js';
import { engineV2, nationalV2, plan } from './helpers.js';

const P = {
  registrar: { id: 'reg-2', role: 'registrar', unit: 'county-hrss' },
  acceptor: { id: 'acc-2', role: 'acceptor', unit: 'county-hrss' },
  handler: { id: 'han-2', role: 'handler', unit: 'county-hrss' },
  petitioner: { id: 'p-1', role: 'petitioner' },
};

/** A labour petition at the county HRSS on Monday 2026-09-14, accepted on Wednesday 09-16. */
async function acceptedCase() {
  const s = setup({ start: '2026-09-14T09:00:00+08:00' });
  const { caseId } = await s.engine.submit(
    petition({ receivingUnit: 'county-hrss', channel: 'visit', receivedAt: '2026-09-14' }),
    P.registrar,
    {
      petitionerId: P.petitioner.id,
    },
  );
  s.clock.set('2026-09-16T09:00:00+08:00');
  await s.engine.send(caseId, { type: 'ACCEPT', payload: {} }, P.acceptor);
  // 09-16 + 60 days = 11-15, a Sunday -> Monday 11-16
  expect((await deadline(s.store, caseId, 'handling'))?.dueDate).toBe('2026-11-16');
  return { ...s, caseId };
}

/** The case of {@link acceptedCase} with its opinion served on 11-02: the review window runs. */
async function opinionServedCase(outcome = 'supported') {
  const s = await acceptedCase();
  s.clock.set('2026-10-30T09:00:00+08:00');
  await s.engine.send(
    s.caseId,
    {
      type: 'OPINION',
      payload: {
        outcome,
        findings: '经查属实',
        legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
      },
    },
    P.handler,
  );
  s.clock.set('2026-11-03T09:00:00+08:00');
  await s.engine.send(
    s.caseId,
    { type: 'RECEIPT', payload: { receivedAt: '2026-11-02', method: '挂号信' } },
    P.registrar,
  );
  // 11-02 + 30 days = 12-02, a Wednesday
  expect((await deadline(s.store, s.caseId, 'reviewWindow'))?.dueDate).toBe('2026-12-02');
  return s;
}

describe('a renamed state', () => {
  it('moves a case in opinion-issued to opinion-served, keeps its window, and the case goes on under the new version', async () => {
    const s = await opinionServedCase();
    s.clock.set('2026-11-05T10:00:00+08:00');
    const engine = engineV2(s.store, s.clock);
    const p = plan('states:\n  opinion-issued: opinion-served\n');
    const r = await engine.migrate(p);
    expect(r.moved.map((m) => [m.caseId, m.state])).toEqual([
      [s.caseId, { from: 'opinion-issued', to: 'opinion-served' }],
    ]);
    // the window is kept as it is: no period recounted
    expect(r.moved[0]?.deadlines).toEqual([]);
    const got = await engine.get(s.caseId, P.handler);
    expect(got.state).toBe('opinion-served');
    expect(got.configHash).toBe(configHash(nationalV2()));
    expect((await deadline(s.store, s.caseId, 'reviewWindow'))?.dueDate).toBe('2026-12-02');
    const events = await s.store.events(s.caseId);
    const moved = events.at(-1);
    expect(moved?.type).toBe(CONFIG_MIGRATED);
    expect(moved?.payload).toMatchObject({
      from: configHash(nationalConfig()),
      to: configHash(nationalV2()),
      plan: { hash: p.hash },
    });
    expect(moved?.configHash).toBe(configHash(nationalV2()));
    // driven on: the petitioner asks for a review within the window, under the new version's machine
    s.clock.set('2026-11-20T10:00:00+08:00');
    const review = await engine.send(
      s.caseId,
      { type: 'REQUEST_REVIEW', payload: { reason: '不服' } },
      P.petitioner,
    );
    expect(review.state).toBe('in-review');
    expect(await engine.verify(s.caseId)).toEqual({ ok: true, problems: [] });
    const replayed = await engine.replay(s.caseId);
    expect(replayed.state).toBe('in-review');
    expect(replayed.configHash).toBe(configHash(nationalV2()));
    // the case's steps, as reports read them: the move is a step of its own, to the plan's state
    // (the steps before it are read under the new version: see docs/migration.md)
    const projection = await s.store.getCase(s.caseId);
    if (!projection) throw new Error('no case');
    const steps = caseSteps(nationalV2(), projection, await s.store.events(s.caseId));
    expect(steps.map((x) => [x.type, x.to]).slice(-2)).toEqual([
      [CONFIG_MIGRATED, 'opinion-served'],
      ['REQUEST_REVIEW', 'in-review'],
    ]);
  });

  it('leaves a case the split routes nowhere on its version, with the reason, and a second run passes the moved one by', async () => {
    const a = await opinionServedCase('supported');
    const b = await opinionServedCase('explained');
    // the two cases live in two stores: run the plan on each
    const body =
      'states:\n  opinion-issued:\n    - { to: opinion-served, when: { field: decisions.opinion.outcome, equals: supported } }\n';
    const p = plan(body);
    const ra = await engineV2(a.store, a.clock).migrate(p);
    const rb = await engineV2(b.store, b.clock).migrate(p);
    expect(ra.moved.map((m) => m.state.to)).toEqual(['opinion-served']);
    expect(rb.moved).toEqual([]);
    expect(rb.left).toEqual([
      { caseId: b.caseId, reason: 'STATE_UNMAPPED', message: expect.stringContaining('opinion-issued') },
    ]);
    expect((await b.store.getCase(b.caseId))?.configHash).toBe(configHash(nationalConfig()));
    const again = await engineV2(a.store, a.clock).migrate(p);
    expect(again).toMatchObject({ moved: [], left: [], already: [a.caseId] });
    expect((await a.store.events(a.caseId)).filter((e) => e.type === CONFIG_MIGRATED)).toHaveLength(1);
  });
});

describe('deadline rules', () => {
  it('recompute: handling counted on the new 45 days from its original start', async () => {
    const s = await acceptedCase();
    s.clock.set('2026-09-21T10:00:00+08:00');
    const engine = engineV2(s.store, s.clock);
    const r = await engine.migrate(plan('deadlines:\n  handling: recompute\n'));
    // 09-16 + 45 days = 10-31, a Saturday -> Monday 11-02
    expect(r.moved[0]?.deadlines).toEqual([
      {
        deadline: 'handling',
        from: 'handling',
        rule: 'recompute',
        dueBefore: '2026-11-16',
        dueAfter: '2026-11-02',
      },
    ]);
    const row = await deadline(s.store, s.caseId, 'handling');
    expect(row).toMatchObject({ startDate: '2026-09-16', dueDate: '2026-11-02', status: 'running' });
    expect((await engine.get(s.caseId, P.handler)).data.deadlines).toMatchObject({
      handling: { dueDate: '2026-11-02' },
    });
    expect(await engine.verify(s.caseId)).toEqual({ ok: true, problems: [] });
    // driven on: an extension counts on from the last counted day of the new period, 10-31 (the
    // move off the weekend applies once, to the extended end): 10-31 + 30 days = 11-30, a Monday
    await engine.send(
      s.caseId,
      { type: 'EXTEND', payload: { days: 30, reason: '情况复杂' } },
      { id: 'head-2', role: 'head', unit: 'county-hrss' },
    );
    expect((await deadline(s.store, s.caseId, 'handling'))?.dueDate).toBe('2026-11-30');
    expect(await engine.verify(s.caseId)).toEqual({ ok: true, problems: [] });
  });

  it('restart: handling counted on the new 45 days from the day of the move, when it ends no later', async () => {
    const s = await acceptedCase();
    s.clock.set('2026-09-21T10:00:00+08:00');
    const engine = engineV2(s.store, s.clock);
    const r = await engine.migrate(plan('deadlines:\n  handling: restart\n'));
    // 09-21 + 45 days = 11-05, a Thursday: before 11-16
    expect(r.moved[0]?.deadlines[0]).toMatchObject({
      rule: 'restart',
      dueBefore: '2026-11-16',
      dueAfter: '2026-11-05',
    });
    expect(await deadline(s.store, s.caseId, 'handling')).toMatchObject({
      startDate: '2026-09-21',
      dueDate: '2026-11-05',
    });
    expect(await engine.verify(s.caseId)).toEqual({ ok: true, problems: [] });
  });

  it('restart that would lengthen the duty leaves the case on its version; the dry run says the same', async () => {
    const s = await acceptedCase();
    // 10-08 + 45 days = 11-22, a Sunday -> Monday 11-23: after 11-16
    s.clock.set('2026-10-08T10:00:00+08:00');
    const engine = engineV2(s.store, s.clock);
    const p = plan('deadlines:\n  handling: restart\n');
    const dry = await engine.migrate(p, { dryRun: true });
    const real = await engine.migrate(p);
    for (const r of [dry, real]) {
      expect(r.moved).toEqual([]);
      expect(r.left).toEqual([
        { caseId: s.caseId, reason: 'DEADLINE_LENGTHENED', message: expect.stringContaining('2026-11-23') },
      ]);
    }
    expect((await s.store.getCase(s.caseId))?.configHash).toBe(configHash(nationalConfig()));
    expect((await s.store.events(s.caseId)).some((e) => e.type === CONFIG_MIGRATED)).toBe(false);
  });

  it('a dry run reports the move and writes nothing', async () => {
    const s = await acceptedCase();
    s.clock.set('2026-09-21T10:00:00+08:00');
    const before = await s.store.events(s.caseId);
    const r = await engineV2(s.store, s.clock).migrate(plan('deadlines:\n  handling: recompute\n'), {
      dryRun: true,
    });
    expect(r.dryRun).toBe(true);
    expect(r.moved[0]).toMatchObject({ caseId: s.caseId, deadlines: [{ dueAfter: '2026-11-02' }] });
    expect(r.moved[0]?.seq).toBeUndefined();
    expect(await s.store.events(s.caseId)).toEqual(before);
    expect((await deadline(s.store, s.caseId, 'handling'))?.dueDate).toBe('2026-11-16');
  });
});

describe('documents owed and fields renamed', () => {
  it('owes the new notice to a case moved into handling, and renames a data field', async () => {
    const s = await acceptedCase();
    s.clock.set('2026-09-21T10:00:00+08:00');
    const engine = engineV2(s.store, s.clock);
    const r = await engine.migrate(
      plan(
        'documents:\n  accepted: [handling-period-notice]\nfields:\n  petition.request: petition.demand\n',
      ),
    );
    expect(r.moved[0]).toMatchObject({
      documents: ['handling-period-notice'],
      fields: ['petition.request -> petition.demand'],
    });
    expect(await documents(s.store, s.caseId)).toEqual(['acceptance-notice', 'handling-period-notice']);
    const notice = (await s.store.outbox({ caseId: s.caseId })).find(
      (o) => o.payload.documentId === 'handling-period-notice',
    );
    expect(notice?.recipient).toBe(P.petitioner.id);
    const data = (await s.store.getCase(s.caseId))?.data as { petition: Record<string, unknown> };
    expect(data.petition.demand).toBe('支付拖欠工资');
    expect(data.petition.request).toBeUndefined();
    expect(await engine.verify(s.caseId)).toEqual({ ok: true, problems: [] });
    // driven on: the opinion moves the case to the renamed state
    s.clock.set('2026-10-30T09:00:00+08:00');
    const op = await engine.send(
      s.caseId,
      {
        type: 'OPINION',
        payload: {
          outcome: 'supported',
          findings: '属实',
          legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
        },
      },
      P.handler,
    );
    expect(op.state).toBe('opinion-served');
    expect(await engine.verify(s.caseId)).toEqual({ ok: true, problems: [] });
  });
});

describe('a field renamed onto one the case holds', () => {
  it('leaves the case on its version rather than overwrite it', async () => {
    const s = await acceptedCase();
    const r = await engineV2(s.store, s.clock).migrate(
      plan('fields:\n  petition.summary: petition.request\n'),
    );
    expect(r.left.map((l) => l.reason)).toEqual(['FIELD_TAKEN']);
    expect((await s.store.getCase(s.caseId))?.configHash).toBe(configHash(nationalConfig()));
  });
});

describe('integrity', () => {
  it('a deadline row edited after the move is found by verify against what the migration event derives', async () => {
    const s = await acceptedCase();
    s.clock.set('2026-09-21T10:00:00+08:00');
    const engine = engineV2(s.store, s.clock);
    await engine.migrate(plan('deadlines:\n  handling: recompute\n'));
    expect(await engine.verify(s.caseId)).toEqual({ ok: true, problems: [] });
    // a writer without the keys puts the old due date back on the row
    const edited: CaseStore = {
      ...s.store,
      capabilities: s.store.capabilities,
      deadlines: async (id) =>
        (await s.store.deadlines(id)).map((r) =>
          r.deadlineId === 'handling' ? { ...r, dueDate: '2026-11-16' } : r,
        ),
    };
    const v = await engineV2(edited, s.clock).verify(s.caseId);
    expect(v.problems.map((p) => p.code)).toContain('DEADLINE_MISMATCH');
  });

  it('refuses a plan edited after it was checked', async () => {
    const s = await acceptedCase();
    const p = plan('deadlines:\n  handling: recompute\n');
    await expect(
      engineV2(s.store, s.clock).migrate({ ...p, deadlines: { handling: { rule: 'restart' } } }),
    ).rejects.toMatchObject({
      code: 'PLAN_INVALID',
    });
  });

  it('refuses a plan whose new version the engine does not know', async () => {
    const s = await acceptedCase();
    const p = plan('deadlines:\n  handling: recompute\n');
    // the engine before the redeploy knows national only, and the new version was never stored
    await expect(s.engine.migrate(p)).rejects.toMatchObject({ code: 'PLAN_CONFIG_MISMATCH' });
    expect(mainland().id).toBeDefined();
  });
});

describe('reports after a move', () => {
  /** Each step as `TYPE from -> to (stage)`, as reports read the case. */
  const line = (x: { type: string; from: string | undefined; to: string; toStage: string }) =>
    `${x.type} ${x.from ?? '-'} -> ${x.to} (${x.toStage})`;
  const versions = (hash: string) => (hash === configHash(nationalConfig()) ? nationalConfig() : undefined);

  it('names the steps before the move as the new version does: the state the case was moved out of', async () => {
    const s = await opinionServedCase();
    s.clock.set('2026-11-05T10:00:00+08:00');
    const engine = engineV2(s.store, s.clock);
    await engine.migrate(plan('states:\n  opinion-issued: opinion-served\n'));
    const projection = (await s.store.getCase(s.caseId))!;
    const events = await s.store.events(s.caseId);
    // the events before the move are read under national.yaml, the version they were made under
    const steps = caseSteps(nationalV2(), projection, events, { versions });
    expect(steps.map(line)).toEqual([
      'SUBMITTED - -> registered (registration)',
      'ACCEPT registered -> accepted (handling)',
      'OPINION accepted -> opinion-served (opinion)',
      'RECEIPT opinion-served -> opinion-served (opinion)',
      `${CONFIG_MIGRATED} opinion-served -> opinion-served (opinion)`,
    ]);
    // the move itself still says what it did
    expect(steps.at(-1)?.payload.state).toEqual({ from: 'opinion-issued', to: 'opinion-served' });
  });

  it('names a renamed state the case had already left: the plan renames the event records', async () => {
    const s = await opinionServedCase();
    s.clock.set('2026-11-04T10:00:00+08:00');
    await s.engine.send(s.caseId, { type: 'REQUEST_REVIEW', payload: { reason: '不服' } }, P.petitioner);
    s.clock.set('2026-11-05T10:00:00+08:00');
    const engine = engineV2(s.store, s.clock);
    const r = await engine.migrate(plan('states:\n  opinion-issued: opinion-served\n'));
    expect(r.moved.map((m) => m.state)).toEqual([{ from: 'in-review', to: 'in-review' }]);
    const events = await s.store.events(s.caseId);
    expect(events.at(-1)?.payload.renamedStates).toEqual([['opinion-issued', 'opinion-served']]);
    const steps = caseSteps(nationalV2(), (await s.store.getCase(s.caseId))!, events, { versions });
    expect(steps.map(line).slice(2)).toEqual([
      'OPINION accepted -> opinion-served (opinion)',
      'RECEIPT opinion-served -> opinion-served (opinion)',
      'REQUEST_REVIEW opinion-served -> in-review (review)',
      `${CONFIG_MIGRATED} in-review -> in-review (review)`,
    ]);
    expect(steps.some((x) => x.from === 'opinion-issued' || x.to === 'opinion-issued')).toBe(false);
  });

  it('keeps the names of states both versions have, even where the move took the case elsewhere', async () => {
    const s = await acceptedCase();
    s.clock.set('2026-09-21T10:00:00+08:00');
    const engine = engineV2(s.store, s.clock);
    const r = await engine.migrate(
      plan('states:\n  accepted: registered\n  opinion-issued: opinion-served\n'),
    );
    expect(r.moved.map((m) => m.state)).toEqual([{ from: 'accepted', to: 'registered' }]);
    const steps = caseSteps(
      nationalV2(),
      (await s.store.getCase(s.caseId))!,
      await s.store.events(s.caseId),
      {
        versions,
      },
    );
    expect(steps.map(line)).toEqual([
      'SUBMITTED - -> registered (registration)',
      'ACCEPT registered -> accepted (handling)',
      `${CONFIG_MIGRATED} accepted -> registered (registration)`,
    ]);
  });
});
