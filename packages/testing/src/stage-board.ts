/**
 * The stage board read from a real store: the viewer's cases counted by stage and colour through
 * the engine's scoped query, page by page on the store's keyset cursor (a page smaller than the
 * case count, so the cursor is followed), staff of an uninvolved unit seeing none, and a red case
 * owing its document in words with the due date worked by hand on the calendar.
 */

import {
  type ActorRef,
  type Calendar,
  type CaseQuery,
  createEngine,
  type Engine,
  ephemeralIdentityKeys,
  type JurisdictionConfig,
  ManualClock,
  stageBoard,
} from '@xinfang/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePetition } from './sample-petition.js';
import type { StoreUnderTest } from './store-conformance.js';

/** Registers the stage board's tests for a store (national.yaml and its calendar). */
export function stageBoardSuite(
  name: string,
  makeStore: () => Promise<StoreUnderTest>,
  options: () => { config: JurisdictionConfig; calendar: Calendar },
): void {
  describe(`${name}: the stage board`, () => {
    let under: StoreUnderTest;
    let engine: Engine;
    const ids: string[] = [];
    const viewer: ActorRef = { id: 'han', role: 'handler', unit: 'county-hrss' };

    beforeAll(async () => {
      under = await makeStore();
      const { config, calendar } = options();
      const clock = new ManualClock('2026-03-02T09:00:00+08:00'); // a Monday
      engine = createEngine({
        configs: [config],
        calendars: [calendar],
        store: under.store,
        clock,
        identityKeys: ephemeralIdentityKeys(),
      });
      const registrar = { id: 'reg', role: 'registrar', unit: 'county-hrss' };
      const acceptor = { id: 'acc', role: 'acceptor', unit: 'county-hrss' };
      for (const n of [1, 2, 3, 4, 5]) {
        const petition = samplePetition({ receivingUnit: 'county-hrss', summary: `单位拖欠工资 ${n}` });
        ids.push((await engine.submit(petition, registrar, { petitionerId: `p-${n}` })).caseId);
      }
      // three accepted on 03-02: handling is 60 days (Reg. 34), 03-02 + 60 = 05-01, Labour Day
      // (05-01..05-05 off), so due Wednesday 05-06; two stay registered, whose disposal period
      // (15 days, Reg. 22) ended on 03-17
      for (const id of ids.slice(0, 3)) await engine.send(id, { type: 'ACCEPT' }, acceptor);
      clock.set('2026-05-07T09:00:00+08:00');
      await engine.tick();
    });

    afterAll(async () => {
      await under.store.close();
      await under.cleanup?.();
    });

    it('counts every case by stage and colour, following the cursor page by page', async () => {
      const pages: (string | undefined)[] = [];
      const reading = {
        query: async (q: CaseQuery, v: ActorRef) => {
          pages.push(q.after);
          return engine.query(q, v);
        },
      };
      const board = await stageBoard(reading, options().config, { viewer, pageSize: 2 });
      expect(board.cases).toBe(5);
      expect(board.byColour).toEqual({ green: 0, blue: 0, red: 5 });
      expect(board.stages.find((s) => s.stage === 'handling')?.counts).toEqual({ green: 0, blue: 0, red: 3 });
      expect(board.stages.find((s) => s.stage === 'registration')?.counts).toEqual({
        green: 0,
        blue: 0,
        red: 2,
      });
      const sorted = [...ids].sort();
      expect(pages).toEqual([undefined, sorted[1], sorted[3]]);
      // staff of a unit the cases never reached see none of them
      const land = await stageBoard(engine, options().config, {
        viewer: { id: 'land', role: 'acceptor', unit: 'county-land' },
      });
      expect([land.cases, land.red]).toEqual([0, []]);
    });

    it('says what each red case owes in words, with the due date', async () => {
      const board = await stageBoard(engine, options().config, { viewer });
      const late = board.red.find((r) => r.caseId === ids[0]);
      expect(late?.owes.map((o) => [o.deadline, o.dueDate, o.overdue])).toEqual([
        ['handling', '2026-05-06', true],
      ]);
      expect(late?.owes[0]?.text).toMatch(/信访处理意见书.*, due 2026-05-06$/);
      const unregistered = board.red.find((r) => r.caseId === ids[4]);
      // received directly by a department, not a petition bureau: it owes the written notice of
      // Reg. 23 ¶2 in 15 days, not Reg. 22's disposal
      expect(unregistered?.owes.map((o) => [o.deadline, o.dueDate])).toEqual([
        ['directNotice', '2026-03-17'],
      ]);
      expect(unregistered?.owes[0]?.documents.length).toBeGreaterThan(0);
      expect(board.red.every((r) => r.owes.every((o) => !o.text.includes('next step')))).toBe(true);
    });
  });
}
