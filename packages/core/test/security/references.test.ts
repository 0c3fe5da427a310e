/**
 * Reg. 30 as a property of the data (units are registry ids; free text waits for staff), and
 * query codes for petitioners without an account (Reg. 21). Each attack of the issue is kept
 * here as a test: the accused unit spelled another way, an accusation registered at the accused
 * unit, a province that forgot the guard, a forged code holder.
 */

import { describe, expect, it } from 'vitest';
import type { JurisdictionConfig } from '../../src/config/types.js';
import type { ActorRef } from '../../src/store/types.js';
import { A, nationalConfig, petition, setup } from '../engine/helpers.js';
import { refused } from '../engine/refused.js';

const accusing = (respondentUnit: unknown, accused: unknown = { name: '某科长', external: true }) => ({
  kind: 'accusation',
  respondentUnit,
  accused,
  accusation: '检举某科长收受好处费',
});

/** A seeded random source: the same codes every run. */
function seeded(seed = 1) {
  let x = seed;
  return (n: number) =>
    Uint8Array.from({ length: n }, () => {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      return x & 0xff;
    });
}

describe('units in a petition are registry ids (Reg. 22, 30)', () => {
  for (const written of [
    'county-hrss ',
    'COUNTY-HRSS',
    '示范县人力资源和社会保障局',
    ' 县人社局',
    '示范县 人社局',
  ]) {
    it(`registers ${JSON.stringify(written)} as county-hrss, so the accused unit is kept out`, async () => {
      const { engine, store, submit } = setup();
      const { caseId } = await submit(accusing(written));
      expect((await store.getCase(caseId))?.data.petition).toMatchObject({ respondentUnit: 'county-hrss' });
      const before = await store.events(caseId);
      await refused(
        engine.send(caseId, { type: 'TRANSFER', payload: { unit: 'county-hrss' } }, A.registrar),
        'COMMAND_GUARD_FAILED',
      );
      expect(await store.events(caseId)).toEqual(before);
      for (const staff of [A.hrssAcceptor, A.hrssHandler, A.hrssHead]) {
        await refused(engine.get(caseId, staff), 'CASE_NOT_FOUND');
      }
    });
  }

  it('keeps text that names no unit, and hands nothing on until staff resolve it', async () => {
    const { engine, store, submit } = setup();
    const { caseId } = await submit(accusing('县人保局'));
    expect((await store.getCase(caseId))?.data.petition).toMatchObject({ respondentUnit: '县人保局' });
    expect(await engine.allowedCommands(caseId, A.registrar)).not.toContain('TRANSFER');
    expect(await engine.allowedCommands(caseId, A.registrar)).toContain('RESOLVE_REFERENCE');
    expect(await engine.allowedCommands(caseId, A.acceptor)).not.toContain('ACCEPT');
    const before = await store.events(caseId);
    for (const [command, actor] of [
      [{ type: 'TRANSFER', payload: { unit: 'county-land' } }, A.registrar],
      [{ type: 'ASSIGN', payload: { unit: 'county-land', days: 30, reason: 'x' } }, A.registrar],
      // the body that would receive the accusation could be the accused (Reg. 30)
      [{ type: 'RECEIVE_ACCUSATION' }, A.acceptor],
    ] as const) {
      const e = await refused(engine.send(caseId, command, actor), 'COMMAND_GUARD_FAILED');
      expect(e.details).toMatchObject({ guard: 'referencesResolved', unresolved: ['respondentUnit'] });
    }
    // a unit the registry lacks is refused with suggestions drawn from the text as written
    const wrong = await refused(
      engine.send(
        caseId,
        { type: 'RESOLVE_REFERENCE', payload: { path: 'respondentUnit', unit: 'nowhere' } },
        A.registrar,
      ),
      'COMMAND_GUARD_FAILED',
    );
    expect(wrong.details.suggestions).toContain('county-hrss');
    expect(await store.events(caseId)).toEqual(before);

    await engine.send(
      caseId,
      { type: 'RESOLVE_REFERENCE', payload: { path: 'respondentUnit', unit: 'county-hrss' } },
      A.registrar,
    );
    const c = await store.getCase(caseId);
    expect(c?.data.petition).toMatchObject({ respondentUnit: 'county-hrss' });
    expect(c?.data.resolutions).toMatchObject([
      { path: 'respondentUnit', written: '县人保局', to: 'county-hrss' },
    ]);
    await refused(engine.get(caseId, A.hrssHandler), 'CASE_NOT_FOUND');
    await engine.send(caseId, { type: 'TRANSFER', payload: { unit: 'county-land' } }, A.registrar);
    expect((await store.getCase(caseId))?.responsibleUnit).toBe('county-land');
    expect(await engine.verify(caseId)).toEqual({ ok: true, problems: [] });
  });

  it('resolves an accused person known by name to a staff id, who then never reads the case', async () => {
    const { engine, submit } = setup();
    const { caseId } = await submit(accusing('county-land', '王科长'));
    await refused(
      engine.send(caseId, { type: 'TRANSFER', payload: { unit: 'county-housing' } }, A.registrar),
      'COMMAND_GUARD_FAILED',
    );
    const accusedPerson: ActorRef = { id: 'han-7', role: 'handler', unit: 'county-housing' };
    const colleague: ActorRef = { id: 'han-8', role: 'handler', unit: 'county-housing' };
    await engine.send(
      caseId,
      { type: 'RESOLVE_REFERENCE', payload: { path: 'accused', staffId: 'han-7', unit: 'county-housing' } },
      A.registrar,
    );
    // the person's own unit is accused with them: the material may not go there either
    await refused(
      engine.send(caseId, { type: 'TRANSFER', payload: { unit: 'county-housing' } }, A.registrar),
      'COMMAND_GUARD_FAILED',
    );
    await engine.send(caseId, { type: 'TRANSFER', payload: { unit: 'county-hrss' } }, A.registrar);
    await refused(engine.get(caseId, accusedPerson), 'CASE_NOT_FOUND');
    await refused(engine.get(caseId, colleague), 'CASE_NOT_FOUND');
    // the body now responsible reads it, accusation and all
    const view = await engine.get(caseId, A.hrssHandler);
    expect(view.data.petition).toHaveProperty('accusation');
  });

  it('moves an accusation registered at the accused unit to the body above, which the accused cannot act for', async () => {
    const { engine, store } = setup();
    const hrssRegistrar: ActorRef = { id: 'reg-2', role: 'registrar', unit: 'county-hrss' };
    const { caseId } = await engine.submit(
      petition({ ...accusing('county-hrss'), receivingUnit: 'county-hrss' }),
      hrssRegistrar,
      { petitionerId: A.petitioner.id },
    );
    const c = await store.getCase(caseId);
    expect(c?.registeringUnit).toBe('county-hrss');
    // the petition bureau under the county government: the body above, doing the petition work
    expect(c?.responsibleUnit).toBe('county-bureau');
    expect(c?.readers).not.toContain('county-hrss');
    for (const [command, actor] of [
      [{ type: 'ACCEPT' }, A.hrssAcceptor],
      [{ type: 'TRANSFER', payload: { unit: 'county-land' } }, hrssRegistrar],
    ] as const) {
      await refused(engine.send(caseId, command, actor), 'CASE_NOT_FOUND');
    }
    await refused(engine.get(caseId, hrssRegistrar), 'CASE_NOT_FOUND');
    // the petition bureau sends the accusation on to the discipline body (Reg. 22, 30)
    await engine.send(caseId, { type: 'TRANSFER', payload: { unit: 'city-discipline' } }, A.registrar);
    expect((await store.getCase(caseId))?.state).toBe('transferred');
    expect(await engine.verify(caseId)).toEqual({ ok: true, problems: [] });
  });

  it('refuses a handover to the accused unit even in a province whose TRANSFER has no guard', async () => {
    const config = structuredClone(nationalConfig()) as JurisdictionConfig;
    const transfer = config.process.states.registered?.on?.TRANSFER;
    for (const alt of Array.isArray(transfer) ? transfer : [transfer]) if (alt) delete alt.guard;
    const { engine, store } = setup({ configs: [config] });
    const { caseId } = await engine.submit(petition(accusing('county-hrss')), A.registrar, {
      petitionerId: A.petitioner.id,
    });
    const before = await store.events(caseId);
    const outbox = await store.outbox({ caseId });
    const e = await refused(
      engine.send(caseId, { type: 'TRANSFER', payload: { unit: 'county-hrss' } }, A.registrar),
      'COMMAND_GUARD_FAILED',
    );
    // the engine's own rule, not a guard of the config, refused it
    expect(e.details).toMatchObject({ guard: 'notAccused', params: {} });
    expect(e.message).toContain('may not go to the accused unit county-hrss');
    expect(await store.events(caseId)).toEqual(before);
    expect(await store.outbox({ caseId })).toEqual(outbox);
  });
});

describe('query codes for petitioners without an account (Reg. 20, 21)', () => {
  it('gives a code once, keeps only its keyed hash, and lets its holder follow the case', async () => {
    const { engine, store } = setup({ random: seeded() });
    const result = await engine.submit(petition(), A.registrar);
    const issued = result.queryCodes?.[0] as { holder: string; code: string; hint: string };
    expect(issued.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    const { caseId } = result;
    // nothing the store holds carries the code
    const stored = JSON.stringify([await store.events(caseId), await store.getCase(caseId)]);
    expect(stored).not.toContain(issued?.code);
    expect(stored).not.toContain(issued?.code.replaceAll('-', ''));

    const visitor: ActorRef = { id: 'web-visitor', role: 'petitioner', queryCode: issued?.code as string };
    const seen = await engine.get(caseId, visitor);
    expect(seen.data.petition).toHaveProperty('petitioner.name', '张三');
    expect(seen.data.queryCodes).toEqual([{ holder: 'query-code:1', hint: issued?.hint }]);
    // typed by hand: lower case, no dashes, O for 0 and I for 1 all read the same
    const typed = issued.code.toLowerCase().replaceAll('-', '').replaceAll('0', 'o');
    await expect(engine.get(caseId, { ...visitor, queryCode: typed })).resolves.toBeDefined();
    await engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
    const docs = await engine.documents(caseId, visitor);
    expect(docs.map((d) => d.documentId)).toContain('acceptance-notice');
  });

  it('opens nothing for a wrong code, a code of another case, a forged holder or a query', async () => {
    const { engine, store } = setup({ random: seeded(7) });
    const a = await engine.submit(petition(), A.registrar);
    const b = await engine.submit(petition({ request: '另一件事' }), A.registrar);
    const codeA = a.queryCodes?.[0]?.code as string;
    const visitor = (queryCode: string): ActorRef => ({ id: 'v', role: 'petitioner', queryCode });
    await refused(engine.get(a.caseId, visitor('0000-0000-0000-0000')), 'CASE_NOT_FOUND');
    await refused(engine.get(a.caseId, visitor('not a code')), 'CASE_NOT_FOUND');
    await refused(engine.get(b.caseId, visitor(codeA)), 'CASE_NOT_FOUND');
    await refused(engine.history(b.caseId, visitor(codeA)), 'CASE_NOT_FOUND');
    // staff do not present codes
    await refused(engine.get(a.caseId, { ...A.acceptor, queryCode: codeA }), 'ACTOR_INVALID');
    // a holder's id is the engine's to give: claimed directly it is refused, code or none
    const forged = await refused(
      engine.get(a.caseId, { id: 'query-code:1', role: 'petitioner' }),
      'ACTOR_INVALID',
    );
    expect(JSON.stringify(forged.details)).not.toContain(codeA);
    const before = await store.events(a.caseId);
    await refused(
      engine.send(
        a.caseId,
        { type: 'WITHDRAW', payload: { reason: 'x' } },
        { id: 'query-code:1', role: 'petitioner' },
      ),
      'ACTOR_INVALID',
    );
    expect(await store.events(a.caseId)).toEqual(before);
    await refused(engine.query({}, visitor(codeA)), 'QUERY_FORBIDDEN');
    // an error about a code never repeats it
    const e = await refused(engine.get(a.caseId, { ...A.acceptor, queryCode: codeA }), 'ACTOR_INVALID');
    expect(JSON.stringify(e.details) + e.message).not.toContain(codeA);
  });

  it('gives each representative of a group a code, and none to a petitioner with an account', async () => {
    const { engine } = setup({ random: seeded(3) });
    const group = await engine.submit(petition({ group: { size: 40, representatives: 3 } }), A.registrar);
    expect(group.queryCodes?.map((q) => q.holder)).toEqual(['query-code:1', 'query-code:2', 'query-code:3']);
    expect(new Set(group.queryCodes?.map((q) => q.code)).size).toBe(3);
    const big = await engine.submit(petition({ group: { size: 200, representatives: 9 } }), A.registrar);
    expect(big.queryCodes).toHaveLength(5);
    const withAccount = await engine.submit(petition(), A.registrar, { petitionerId: 'p-1' });
    expect(withAccount.queryCodes).toBeUndefined();
    await refused(engine.submit(petition(), A.registrar, { queryCodes: 6 }), 'PETITION_INVALID');
  });

  it('replaces a lost code: the new one opens the case, the old one no longer does', async () => {
    const { engine, store } = setup({ random: seeded(11) });
    const { caseId, queryCodes } = await engine.submit(petition(), A.registrar);
    const old = queryCodes?.[0]?.code as string;
    await refused(engine.issueQueryCode(caseId, A.hrssHandler), 'CASE_NOT_FOUND');
    await refused(engine.issueQueryCode(caseId, A.handlerBureau), 'COMMAND_ROLE_FORBIDDEN');
    const again = await engine.issueQueryCode(caseId, A.registrar, { holder: 'query-code:1' });
    const fresh = again.queryCodes?.[0]?.code as string;
    expect(fresh).not.toBe(old);
    await expect(
      engine.get(caseId, { id: 'v', role: 'petitioner', queryCode: fresh }),
    ).resolves.toBeDefined();
    await refused(engine.get(caseId, { id: 'v', role: 'petitioner', queryCode: old }), 'CASE_NOT_FOUND');
    expect(JSON.stringify(await store.events(caseId))).not.toContain(fresh);
    expect(await engine.verify(caseId)).toEqual({ ok: true, problems: [] });
  });
});

describe('resolutions of accusation fields are accusation material', () => {
  it('shows who the accused person was resolved to only to roles that see accusations', async () => {
    const { engine, submit } = setup();
    const { caseId } = await submit(accusing('county-land', '王科长'));
    await engine.send(
      caseId,
      { type: 'RESOLVE_REFERENCE', payload: { path: 'accused', staffId: 'han-7', unit: 'county-housing' } },
      A.registrar,
    );
    // the registrar role does not see accusation material (form.visibleTo.accusation)
    const seen = JSON.stringify([
      await engine.get(caseId, A.registrar),
      await engine.history(caseId, A.registrar),
    ]);
    expect(seen).not.toContain('han-7');
    expect(seen).not.toContain('王科长');
    const handler = JSON.stringify(await engine.get(caseId, A.handlerBureau));
    expect(handler).toContain('han-7');
  });
});
