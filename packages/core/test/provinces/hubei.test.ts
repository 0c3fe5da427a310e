/**
 * Hubei (configs/provinces/hubei): the config loads, its scenarios pass, and it differs from
 * national.yaml in exactly what it means to — litigation-related matters separated at
 * registration; letters handed to the political-legal organ at the same level, visitors told the
 * law and where to go; no acceptance notice owed by the organ (Reg. 23 ¶4); the exchange with
 * the courts recorded on the case; its own units.
 */

import { describe, expect, it } from 'vitest';
import { alternativesOf } from '../../src/config/index.js';
import type { LoadedConfig } from '../../src/loader/index.js';
import { buildFacts, evaluateRuleSets } from '../../src/rules/index.js';
import { refused } from '../engine/refused.js';
import { configDiff, partition } from './config-diff.js';
import {
  calendarsDir,
  issuingEngine,
  loadProvince,
  nationalConfig,
  registrySwap,
  runProvinceScenario,
  scenarioFiles,
  withTemplateFiles,
} from './province.js';

const loaded = loadProvince('hubei');
const hubei = loaded as LoadedConfig;
const national = nationalConfig();
const files = scenarioFiles('hubei');

/** A petition to the Zigui county petition bureau; `over` replaces fields. */
function petition(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    channel: 'letter',
    receivedAt: '2026-05-11',
    receivingUnit: 'zg-bureau',
    petitioner: { name: '向明华', phone: '13907170001', address: '秭归县茅坪镇滨湖路 6 号' },
    subject: 'labour',
    summary: '用人单位拖欠工资',
    request: '支付拖欠工资',
    respondentUnit: 'zg-hrss',
    ...over,
  };
}

/** The intake decision of a matter that is not litigation-related: none. */
function ordinaryIntake(d: Awaited<ReturnType<typeof decide>>) {
  return d.litigationIntake?.merged ?? null;
}

async function decide(p: Record<string, unknown>) {
  const facts = buildFacts({ config: hubei.value, petition: p, now: '2026-05-11T01:00:00Z' });
  return evaluateRuleSets(hubei.value, 'submit', facts, {
    calendar: calendarsDir().get('cn-mainland'),
    now: '2026-05-11T01:00:00Z',
  });
}

describe('configs/provinces/hubei', () => {
  it('loads without an error, and with no warning of its own', () => {
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(loaded.diagnostics.filter((d) => d.file.includes('/provinces/hubei/'))).toEqual([]);
    expect(hubei.value.jurisdiction).toMatchObject({ id: 'cn.hubei', calendar: 'cn-mainland' });
  });

  it('has scenarios for the separation, the transfer and the ordinary path', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it.each(files)('scenario %s passes', async (file) => {
    const { result, report } = await runProvinceScenario(hubei, 'hubei', file);
    expect(report).toEqual([]);
    expect(result.passed).toBe(true);
  });

  it('differs from national.yaml in exactly the intended places', () => {
    const diff = configDiff(withTemplateFiles(national), withTemplateFiles(hubei));
    const [units, afterUnits] = partition(diff, '/units');
    const [reception, rest] = partition(afterUnits, '/receptionDays');

    const swap = registrySwap(national, hubei);
    expect(units).toEqual(swap.units);
    expect(reception).toEqual(swap.receptionDays);

    expect(rest).toEqual(
      [
        '~ /jurisdiction/id',
        '~ /jurisdiction/name',
        '~ /jurisdiction/version',
        // the litigation elements registered with a matter
        '+ /form/schema/properties/litigation',
        // classification reads them; its outcome is national's
        '~ /ruleSets/classification/rules/route-litigation/basis',
        '~ /ruleSets/classification/rules/route-litigation/conditions/any',
        '~ /ruleSets/classification/rules/route-litigation/name',
        // separation: not accepted into the petition procedure
        '+ /ruleSets/acceptance/rules/litigation-separated',
        '+ /ruleSets/litigationOrgan',
        // transfer to the political-legal organs, with the case record
        '+ /process/states/registered/on/TRANSFER_LITIGATION',
        '+ /process/states/returned/on/TRANSFER_LITIGATION',
        '+ /documents/litigation-transfer-letter',
        // letters to the organ at the same level (national's rule), never the nearest above;
        // visitors told the law
        '- /ruleSets/routing/rules/litigation-to-nearest-political-legal',
        '+ /ruleSets/litigationIntake',
        '+ /process/states/registered/on/GUIDE_LITIGATION',
        '+ /process/states/returned/on/GUIDE_LITIGATION',
        '+ /documents/litigation-guidance',
        // Reg. 23 ¶4: no acceptance period at a political-legal organ for such a matter
        '+ /deadlines/acceptance/onlyWhen',
        // the exchange with the courts, a recorded step (process.common copies it into the
        // states of its stages)
        ...[
          'registered',
          'transferred',
          'returned',
          'objection-rejected',
          'diverted',
          'accusation-received',
        ].map((state) => `+ /process/states/${state}/on/SHARE_WITH_COURT`),
      ].sort(),
    );
    const { acceptance, ...others } = hubei.value.deadlines;
    const { acceptance: nationalAcceptance, ...nationalOthers } = national.value.deadlines;
    expect(others).toEqual(nationalOthers);
    expect(acceptance).toEqual({
      ...nationalAcceptance,
      onlyWhen: {
        notHeldFor: [
          {
            kinds: ['political-legal', 'court', 'procuratorate', 'public-security'],
            classes: ['litigation'],
            basis: 'reg-2022 art. 23',
          },
        ],
      },
    });
  });

  it('hands litigation-related matters only to the political-legal organs of its registry, all of them', () => {
    const organs = Object.entries(hubei.value.units)
      .filter(([, u]) => ['political-legal', 'court', 'procuratorate', 'public-security'].includes(u.kind))
      .map(([id]) => id)
      .sort();
    for (const state of ['registered', 'returned']) {
      const def = alternativesOf(hubei.value.process.states[state]?.on?.TRANSFER_LITIGATION)[0];
      const unit = def?.payload?.properties.unit as { enum?: string[] };
      expect([...(unit.enum ?? [])].sort(), state).toEqual(organs);
      // the petitioner's transfer notice as nationally, the record for the organ
      expect(def?.issues, state).toEqual(['transfer-notice', 'litigation-transfer-letter']);
    }
  });

  it('separates a matter by its registered litigation elements, and leaves the others alone', async () => {
    const separated = { accepted: false, separated: true, command: 'DIVERT', route: 'litigation' };
    // the registrar's flag, as nationally
    const flagged = await decide(petition({ involvesLitigation: true }));
    expect(flagged.acceptance?.merged).toMatchObject(separated);
    expect(flagged.litigationOrgan?.merged).toMatchObject({ organ: 'political-legal' });
    // a case number alone, or a stage alone, is enough in Hubei
    const numbered = await decide(petition({ litigation: { caseNumber: '（2025）鄂0527民初1234号' } }));
    expect(numbered.classification?.merged).toMatchObject({ kind: 'appeal', route: 'litigation' });
    expect(numbered.acceptance?.merged).toMatchObject(separated);
    const supervised = await decide(petition({ litigation: { stage: 'procuratorial-supervision' } }));
    expect(supervised.litigationOrgan?.merged).toMatchObject({ organ: 'procuratorate' });
    expect(supervised.routing?.merged).toMatchObject({ unit: 'zg-political-legal', mode: 'transfer' });
    // a letter is transferred, a visitor told the law (the organ at the bureau's own level)
    expect(supervised.litigationIntake?.merged).toMatchObject({ way: 'transfer' });
    const visit = await decide(petition({ channel: 'visit', litigation: { stage: 'judgment' } }));
    expect(visit.litigationIntake?.merged).toMatchObject({ way: 'explain', command: 'GUIDE_LITIGATION' });
    const cityLetter = await decide(
      petition({ receivingUnit: 'yc-bureau', litigation: { stage: 'judgment' } }),
    );
    expect(cityLetter.routing?.merged).toMatchObject({ unit: 'yc-political-legal', mode: 'transfer' });
    expect(ordinaryIntake(await decide(petition()))).toBeNull();
    // national.yaml does not separate on the elements: the same petition is an ordinary appeal
    const facts = buildFacts({
      config: national.value,
      petition: petition({ receivingUnit: 'county-bureau', respondentUnit: 'county-hrss' }),
      now: '2026-05-11T01:00:00Z',
    });
    expect((await evaluateRuleSets(national.value, 'submit', facts)).classification?.merged).toMatchObject({
      route: 'opinion',
    });
    // a route the registrar recorded still decides
    const routed = await decide(
      petition({ route: 'opinion', litigation: { caseNumber: '（2025）鄂0527民初1号' } }),
    );
    expect(routed.classification?.merged).toMatchObject({ route: 'opinion' });
    expect(routed.acceptance?.merged).toMatchObject({ accepted: true });
    // an ordinary matter: accepted as nationally, no organ
    const ordinary = await decide(petition());
    expect(ordinary.acceptance?.merged).toMatchObject({ accepted: true });
    expect(ordinary.acceptance?.merged).not.toHaveProperty('separated');
    expect(ordinary.litigationOrgan?.merged).toBeNull();
  });

  it('sends the political-legal organ the case record in a letter of its own', async () => {
    const { engine, rendered } = issuingEngine(hubei, '2026-05-11T09:00:00+08:00');
    const acceptor = { id: 'zg-acc-1', role: 'acceptor', unit: 'zg-bureau' };
    const { caseId } = await engine.submit(
      petition({ litigation: { stage: 'enforcement', caseNumber: '（2025）鄂0527民初1234号' } }),
      { id: 'zg-reg-1', role: 'registrar', unit: 'zg-bureau' },
      { petitionerId: 'hb-p-1' },
    );
    await engine.send(caseId, { type: 'TRANSFER_LITIGATION', payload: { unit: 'zg-court' } }, acceptor);
    const docs = await rendered(caseId);
    const letter = String(docs.get('litigation-transfer-letter')?.text);
    expect(letter).toMatch(/^秭归县信访局\n涉法涉诉信访事项移交函\n秭信〔2026〕\d号\n\n秭归县人民法院：\n/);
    expect(letter).toContain('属于涉法涉诉事项，应当依照法律程序处理，不纳入信访程序受理');
    expect(letter).toContain('根据《信访工作条例》第二十二条、第二十八条的规定');
    expect(String(docs.get('transfer-notice')?.text)).toContain('将该事项转送秭归县人民法院办理');
    // sharing with the court is a recorded exchange, not wording in the letter
    expect(letter).not.toContain('共享');
  });

  it('owes no acceptance period at a political-legal organ for a litigation-related matter, and still the objection window', async () => {
    const { engine, store } = issuingEngine(hubei, '2026-05-11T09:00:00+08:00');
    const acceptor = { id: 'zg-acc-1', role: 'acceptor', unit: 'zg-bureau' };
    const { caseId } = await engine.submit(
      petition({ litigation: { stage: 'enforcement' } }),
      { id: 'zg-reg-1', role: 'registrar', unit: 'zg-bureau' },
      { petitionerId: 'hb-p-1' },
    );
    await engine.send(caseId, { type: 'TRANSFER_LITIGATION', payload: { unit: 'zg-court' } }, acceptor);
    const rows = await store.deadlines(caseId);
    expect(rows.map((r) => r.deadlineId)).not.toContain('acceptance');
    expect(rows.find((r) => r.deadlineId === 'objection')?.status).toBe('running');
    // the same organ holding an ordinary matter owes it: the exception is for the matter's class
    const other = await engine.submit(
      petition({ respondentUnit: 'zg-court' }),
      { id: 'zg-reg-1', role: 'registrar', unit: 'zg-bureau' },
      { petitionerId: 'hb-p-2' },
    );
    await engine.send(other.caseId, { type: 'TRANSFER', payload: { unit: 'zg-court' } }, acceptor);
    const otherRows = await store.deadlines(other.caseId);
    expect(otherRows.find((r) => r.deadlineId === 'acceptance')?.status).toBe('running');
  });

  it('refuses a letter to an organ above or below the bureau, naming the governments', async () => {
    const { engine } = issuingEngine(hubei, '2026-05-11T09:00:00+08:00');
    const acceptor = { id: 'zg-acc-1', role: 'acceptor', unit: 'zg-bureau' };
    const { caseId } = await engine.submit(
      petition({ litigation: { stage: 'enforcement' } }),
      { id: 'zg-reg-1', role: 'registrar', unit: 'zg-bureau' },
      { petitionerId: 'hb-p-1' },
    );
    const refusal = await refused(
      engine.send(caseId, { type: 'TRANSFER_LITIGATION', payload: { unit: 'yc-court' } }, acceptor),
      'COMMAND_NOT_SAME_LEVEL',
    );
    expect(refusal.details).toMatchObject({
      unit: 'yc-court',
      actorGovernment: 'zg-gov',
      unitGovernment: 'yc-gov',
    });
  });
});
