/**
 * Who sees what, on every store: the same cases, read through the engine by each kind of
 * viewer, through every read (get, history, documents, allowedCommands, send, query with each
 * filter). The expected sets are worked out by hand from the rules of `engine/readers.ts`:
 *
 * - case P: a labour complaint registered at the county bureau, transferred to the county
 *   human-resources bureau, answered there, review requested (the city government reviews);
 * - case A: an accusation against the county human-resources bureau, registered at the
 *   county bureau;
 * - case Q: a land matter transferred to the county land bureau.
 *
 * The county human-resources bureau handles P and is accused in A: it reads P, never A. The
 * county bureau registered all three; the city bureau and city government are the line above
 * each responsible county body. Each petitioner reads their own case only. A provincial
 * bureau's supervisor reads nothing, unless the config widens its role to its region.
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
} from '@xinfang/core';
import { readCaseFacts } from '@xinfang/core/reporting';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusalCode, samplePetition } from './sample-petition.js';
import type { StoreUnderTest } from './store-conformance.js';

/** What the access matrix needs besides a store: national.yaml (or a config like it) and its calendar. */
export interface AccessMatrixOptions {
  config: JurisdictionConfig;
  calendar: Calendar;
}

const V = {
  ownerP: { id: 'p-own', role: 'petitioner' },
  ownerA: { id: 'p-acc', role: 'petitioner' },
  otherPetitioner: { id: 'p-x', role: 'petitioner' },
  responsibleP: { id: 'h-hrss', role: 'handler', unit: 'county-hrss' },
  accusedInA: { id: 'a-hrss', role: 'acceptor', unit: 'county-hrss' },
  registering: { id: 'a-bureau', role: 'acceptor', unit: 'county-bureau' },
  unrelated: { id: 'h-land', role: 'handler', unit: 'county-land' },
  unrelatedCity: { id: 'h-city-hrss', role: 'handler', unit: 'city-hrss' },
  supervisorAbove: { id: 's-city', role: 'supervisor', unit: 'city-bureau' },
  reviewer: { id: 'r-city', role: 'reviewer', unit: 'city-gov' },
  provincialSupervisor: { id: 's-prov', role: 'supervisor', unit: 'prov-bureau' },
} satisfies Record<string, ActorRef>;

type Viewer = keyof typeof V;
type CaseName = 'P' | 'A' | 'Q';

/** Which cases each viewer reads (national's default visibility). */
const READS: Record<Viewer, CaseName[]> = {
  ownerP: ['P'],
  ownerA: ['A'],
  otherPetitioner: [],
  responsibleP: ['P'],
  accusedInA: ['P'],
  registering: ['A', 'P', 'Q'],
  unrelated: ['Q'],
  unrelatedCity: [],
  supervisorAbove: ['A', 'P', 'Q'],
  reviewer: ['A', 'P', 'Q'],
  provincialSupervisor: [],
};

const petition = samplePetition;
const code = refusalCode;

/** Registers the access matrix's tests for a store. */
export function accessMatrix(
  name: string,
  makeStore: () => Promise<StoreUnderTest>,
  options: () => AccessMatrixOptions,
): void {
  describe(`${name}: who reads which case`, () => {
    let under: StoreUnderTest;
    let engine: Engine;
    const ids = {} as Record<CaseName, string>;

    beforeAll(async () => {
      under = await makeStore();
      const { config, calendar } = options();
      engine = createEngine({
        configs: [config],
        calendars: [calendar],
        store: under.store,
        clock: new ManualClock('2026-03-02T09:00:00+08:00'),
        identityKeys: ephemeralIdentityKeys(),
      });
      const registrar = { id: 'reg', role: 'registrar', unit: 'county-bureau' };
      ids.P = (await engine.submit(petition({}), registrar, { petitionerId: V.ownerP.id })).caseId;
      await engine.send(
        ids.P,
        { type: 'TRANSFER', payload: { unit: 'county-hrss', reason: '职责' } },
        V.registering,
      );
      await engine.send(ids.P, { type: 'ACCEPT' }, { id: 'acc-hrss', role: 'acceptor', unit: 'county-hrss' });
      await engine.send(
        ids.P,
        {
          type: 'OPINION',
          payload: {
            outcome: 'supported',
            findings: '属实',
            legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
          },
        },
        V.responsibleP,
      );
      await engine.send(ids.P, { type: 'RECEIPT', payload: { receivedAt: '2026-03-02' } }, V.responsibleP);
      await engine.send(ids.P, { type: 'REQUEST_REVIEW', payload: { reason: '不服' } }, V.ownerP);
      ids.A = (
        await engine.submit(
          petition({ kind: 'accusation', accused: '李四', accusation: '李四收受贿赂' }),
          registrar,
          { petitionerId: V.ownerA.id },
        )
      ).caseId;
      ids.Q = (
        await engine.submit(petition({ subject: 'land', respondentUnit: 'county-land' }), registrar)
      ).caseId;
      await engine.send(
        ids.Q,
        { type: 'TRANSFER', payload: { unit: 'county-land', reason: '职责' } },
        V.registering,
      );
    });
    afterAll(async () => {
      await under.store.close();
      await under.cleanup?.();
    });

    const visible = (viewer: Viewer) => READS[viewer].map((c) => ids[c]).sort();

    it('reached the states the matrix is worked out for', async () => {
      expect((await under.store.getCase(ids.P))?.state).toBe('in-review');
      expect((await under.store.getCase(ids.A))?.state).toBe('registered');
      expect((await under.store.getCase(ids.Q))?.state).toBe('transferred');
    });

    for (const viewer of Object.keys(V) as Viewer[]) {
      it(`${viewer}: get, history, documents and allowedCommands answer exactly for the cases it reads`, async () => {
        const actor = V[viewer];
        for (const c of ['P', 'A', 'Q'] as const) {
          const reads = READS[viewer].includes(c);
          const expected = reads ? undefined : 'CASE_NOT_FOUND';
          expect(await code(engine.get(ids[c], actor)), `get ${c}`).toBe(expected);
          expect(await code(engine.history(ids[c], actor)), `history ${c}`).toBe(expected);
          expect(await code(engine.documents(ids[c], actor)), `documents ${c}`).toBe(expected);
          expect(await code(engine.allowedCommands(ids[c], actor)), `allowedCommands ${c}`).toBe(expected);
          // a command on a case one may not read is refused as if the case did not exist
          if (!reads) {
            expect(await code(engine.send(ids[c], { type: 'WITHDRAW' }, actor)), `send ${c}`).toBe(
              'CASE_NOT_FOUND',
            );
          }
        }
      });

      it(`${viewer}: query finds exactly the cases it reads, with every filter`, async () => {
        const actor = V[viewer];
        const all = async (q: CaseQuery) => {
          const found: string[] = [];
          let after: string | undefined;
          for (;;) {
            const page = await engine.query({ ...q, limit: 1, ...(after ? { after } : {}) }, actor);
            found.push(...page.cases.map((c) => c.caseId));
            if (page.next === undefined) return found.sort();
            after = page.next;
          }
        };
        const mine = visible(viewer);
        expect(await all({})).toEqual(mine);
        expect(await all({ jurisdictionId: options().config.jurisdiction.id })).toEqual(mine);
        expect(await all({ state: 'in-review' })).toEqual(mine.filter((id) => id === ids.P));
        expect(await all({ stage: ['registration', 'transfer'] })).toEqual(mine.filter((id) => id !== ids.P));
        expect(await all({ colour: 'green' })).toEqual(mine);
        expect(await all({ unit: 'county-land' })).toEqual(mine.filter((id) => id === ids.Q));
        expect(await all({ dueBefore: '2099-01-01T00:00:00Z' })).toEqual(mine);
        expect(await all({ matterKey: 'nothing' })).toEqual([]);
      });

      it(`${viewer}: a report run for it counts exactly the cases it reads`, async () => {
        const { facts } = await readCaseFacts(under.store, { viewer: V[viewer], pageSize: 1 });
        expect(facts.map((f) => f.caseId).sort()).toEqual(visible(viewer));
      });
    }

    it('refuses a query that sets the engine-only fields', async () => {
      expect(await code(engine.query({ readableBy: { units: ['county-hrss'] } }, V.otherPetitioner))).toBe(
        'QUERY_FORBIDDEN',
      );
      expect(await code(engine.query({ identityKey: 'x' }, V.registering))).toBe('QUERY_FORBIDDEN');
    });

    it('hides the accusation and the accuser from a reader outside the accusation roles', async () => {
      const reviewer = await engine.get(ids.A, V.reviewer);
      expect(reviewer.data.petition).not.toHaveProperty('accusation');
      expect(reviewer.data.petition).not.toHaveProperty('accused');
      // a reader in the accusation roles (national: acceptor, handler, head, supervisor) sees it;
      // the petitioner is not among those roles, so even their own view leaves it out
      const acceptor = await engine.get(ids.A, V.registering);
      expect(acceptor.data.petition).toHaveProperty('accusation');
      expect(acceptor.data.petition).toHaveProperty('accused');
      const owner = await engine.get(ids.A, V.ownerA);
      expect(owner.data.petition).not.toHaveProperty('accusation');
    });

    it("gives a petitioner the documents addressed to them, and staff the case's documents", async () => {
      const own = await engine.documents(ids.P, V.ownerP);
      expect(own.length).toBeGreaterThan(0);
      expect(own.every((d) => d.recipient === V.ownerP.id)).toBe(true);
      const staff = await engine.documents(ids.P, V.registering);
      expect(staff.length).toBeGreaterThanOrEqual(own.length);
      expect(staff.map((d) => d.documentId)).toContain('transfer-notice');
    });
  });
}
