/**
 * Shanghai (configs/provinces/shanghai): it loads, its scenarios pass, and it differs from
 * national.yaml exactly by its list of classified handling according to law, its alternative
 * termination approved by the city petition bureau, the basis of the suggestion-feedback period
 * and its units; every statutory period stays national.
 */

import { describe, expect, it } from 'vitest';
import { unitRegistry } from '../../src/compiler/units.js';
import { alternativesOf, formatDiagnostic } from '../../src/config/index.js';
import type { LoadedConfig } from '../../src/loader/index.js';
import { buildFacts, evaluateRuleSets } from '../../src/rules/index.js';
import { refused } from '../engine/refused.js';
import { configDiff, partition } from './config-diff.js';
import {
  calendarsDir,
  loadProvince,
  nationalConfig,
  runProvinceScenario,
  scenarioFiles,
} from './province.js';
import { provinceEngine } from './province-engine.js';

const NAME = 'shanghai';
const result = loadProvince(NAME);
const loaded = result as LoadedConfig;
const files = scenarioFiles(NAME);

/** Units of Shanghai's registry (the municipality; Pudong, Xuhui and Huangpu districts). */
const SHANGHAI_UNITS = [
  'sh-gov',
  'sh-bureau',
  'sh-hrss',
  'sh-housing',
  'sh-construction',
  'sh-land',
  'sh-political-legal',
  'sh-discipline',
  'pd-gov',
  'pd-bureau',
  'pd-hrss',
  'pd-housing',
  'pd-land',
  'pd-political-legal',
  'pd-discipline',
  'xh-gov',
  'xh-bureau',
  'xh-hrss',
  'hp-gov',
  'hp-bureau',
];

/** The list of classified handling: each item and the route it gives (Reg. 31). */
const LIST: [string, string][] = [
  ['labour-dispute', 'arbitration'],
  ['land-contract-dispute', 'arbitration'],
  ['work-injury-determination', 'administrative'],
  ['expropriation-compensation', 'administrative'],
  ['administrative-penalty', 'administrative'],
  ['effective-judgment', 'litigation'],
  ['consumer-dispute', 'duty-performance'],
  ['party-discipline', 'party-discipline'],
];

const demoUnits = () =>
  Object.keys(nationalConfig().value.units).filter((u) => /^(prov|city|county)-/.test(u));
const demoReceptionDays = () =>
  Object.entries(nationalConfig().value.receptionDays ?? {})
    .filter(([, d]) => /^(prov|city|county)-/.test(d.unit))
    .map(([id]) => id);

/** The classification decision for a petition to the Pudong petition office. */
async function classify(over: Record<string, unknown>) {
  const now = '2026-07-06T02:00:00.000Z';
  const calendar = calendarsDir().get('cn-mainland');
  const petition = {
    channel: 'letter',
    receivedAt: '2026-07-06',
    receivingUnit: 'pd-bureau',
    petitioner: { name: '钱小梅', phone: '13600000003' },
    subject: 'labour',
    summary: '公司单方解除劳动合同',
    request: '支付经济补偿',
    ...over,
  };
  const facts = buildFacts({ config: loaded.value, petition, now, ...(calendar ? { calendar } : {}) });
  const decisions = await evaluateRuleSets(loaded.value, 'submit', facts, {
    now,
    ...(calendar ? { calendar } : {}),
  });
  return decisions.classification;
}

describe('Shanghai', () => {
  it('loads without any diagnostic', () => {
    expect(result.diagnostics.map(formatDiagnostic).join('\n\n')).toBe('');
    expect(result.value?.jurisdiction).toMatchObject({ id: 'cn.shanghai', calendar: 'cn-mainland' });
  });

  it('has scenarios for its list, its termination path and the normal path', () => {
    expect(files).toEqual([
      'accept-handle-close.yaml',
      'approved-termination.yaml',
      'district-department-review-ladder.yaml',
      'list-expropriation-administrative.yaml',
      'list-labour-arbitration.yaml',
    ]);
  });

  it.each(files)('%s passes', async (file) => {
    const { result: run, report } = await runProvinceScenario(loaded, NAME, file);
    expect(report).toEqual([]);
    expect(run.passed).toBe(true);
  });

  it('differs from national exactly as intended', () => {
    const diff = configDiff(nationalConfig().value, loaded.value);
    const [units, notUnits] = partition(diff, '/units');
    const [reception, rest] = partition(notUnits, '/receptionDays');
    expect(units).toEqual(
      [...demoUnits().map((u) => `- /units/${u}`), ...SHANGHAI_UNITS.map((u) => `+ /units/${u}`)].sort(),
    );
    expect(reception).toEqual(
      [
        ...demoReceptionDays().map((d) => `- /receptionDays/${d}`),
        '+ /receptionDays/pd-gov-wednesday',
        '+ /receptionDays/sh-gov-friday',
      ].sort(),
    );
    expect(rest).toEqual(
      [
        '~ /jurisdiction/id',
        '~ /jurisdiction/name',
        '~ /jurisdiction/version',
        // the list of classified handling according to law
        '+ /form/schema/properties/matterType',
        ...LIST.map(([item]) => `+ /ruleSets/classification/rules/list-${item}`),
        '~ /documents/diversion-notice/basis',
        // the alternative termination approved by the city petition bureau
        '+ /process/states/closed/on/APPROVE_TERMINATION',
        '+ /process/states/approved-terminated',
        '+ /documents/termination-notice',
        '+ /ruleSets/acceptance/rules/repeat-after-approved-termination',
        // feedback on the three suggestions: national's 30 days, Shanghai's own rule
        '~ /deadlines/adoptionReport/name',
        '~ /deadlines/adoptionReport/basis',
      ].sort(),
    );
    expect(loaded.value.deadlines.adoptionReport).toMatchObject({
      days: nationalConfig().value.deadlines.adoptionReport?.days,
    });
    const own = Object.keys(loaded.templates).filter(
      (d) => loaded.templates[d] !== nationalConfig().templates[d],
    );
    expect(own.sort()).toEqual(['diversion-notice', 'termination-notice']);
  });

  it.each(LIST)('routes list item %s to %s', async (matterType, route) => {
    const d = await classify({ matterType });
    expect(d?.merged).toMatchObject({ kind: 'appeal', route, listItem: matterType });
    expect(d?.fired.map((f) => f.ruleId)).toEqual([`list-${matterType}`]);
  });

  it('lets the registrar, an accusation and a litigation-related matter decide before the list', async () => {
    expect((await classify({ matterType: 'labour-dispute', route: 'opinion' }))?.merged).toEqual({
      kind: 'appeal',
      route: 'opinion',
    });
    expect((await classify({ matterType: 'labour-dispute', involvesLitigation: true }))?.merged).toEqual({
      kind: 'appeal',
      route: 'litigation',
    });
    expect((await classify({ matterType: 'consumer-dispute', accused: '某科长' }))?.merged).toEqual({
      kind: 'accusation',
    });
    // a matter the list does not name keeps the national default
    expect((await classify({}))?.merged).toEqual({ kind: 'appeal', route: 'opinion' });
  });

  it('terminates with the city bureau, tells the petitioner, and refuses a repeat as not reviewed', async () => {
    const { engine, clock, texts } = provinceEngine(loaded, '2026-01-05T09:00:00+08:00');
    const hrss = (role: string) => ({ id: `pd-${role}`, role, unit: 'pd-hrss' });
    const cityHead = { id: 'sh-head-1', role: 'head', unit: 'sh-bureau' };
    const petition = {
      channel: 'letter',
      receivedAt: '2026-01-05',
      receivingUnit: 'pd-hrss',
      petitioner: { name: '顾明', idNumber: '310115198009094321', address: '上海市浦东新区东方路 1 号' },
      subject: 'social-security',
      summary: '要求将农民工身份期间的工龄计入缴费年限',
      request: '认定工龄并调整养老金',
      respondentUnit: 'pd-hrss',
    };
    const first = (await engine.submit(petition, hrss('registrar'))).caseId;
    await engine.send(first, { type: 'ACCEPT' }, hrss('acceptor'));
    clock.set('2026-01-20T10:00:00+08:00');
    await engine.send(
      first,
      {
        type: 'OPINION',
        payload: {
          outcome: 'not-supported',
          findings: '经调查核实，情况属实。',
          legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
        },
      },
      hrss('handler'),
    );
    clock.set('2026-01-22T10:00:00+08:00');
    await engine.send(first, { type: 'RECEIPT', payload: { receivedAt: '2026-01-22' } }, hrss('handler'));
    clock.set('2026-02-25T09:00:00+08:00');
    await engine.tick();
    const reason = '信访人未在规定期限内请求复查';
    const done = await engine.send(first, { type: 'APPROVE_TERMINATION', payload: { reason } }, cityHead);
    expect(done).toMatchObject({ state: 'approved-terminated', stage: 'terminated', colour: 'blue' });
    const notice = (await texts(first))['termination-notice'] ?? '';
    expect(notice).toContain('上海市信访办公室');
    expect(notice).toContain('沪信〔2026〕');
    expect(notice).toContain('上海市浦东新区人力资源和社会保障局已依法出具书面处理意见');
    expect(notice).toContain(reason);
    // the basis it cites is the one that holds: Shanghai's own regulations for the termination,
    // Reg. 37 for the follow-up; never Reg. 35-36, which terminate nothing whose window lapsed
    expect(notice).toContain('根据《上海市信访条例》的规定，经本机关审核认定，该信访事项予以终结');
    expect(notice).toContain('根据《信访工作条例》第三十七条的规定');
    expect(notice).not.toMatch(/第三十五条|第三十六条/);

    clock.set('2026-03-02T09:00:00+08:00');
    const again = (await engine.submit({ ...petition, receivedAt: '2026-03-02' }, hrss('registrar'))).caseId;
    const e = await refused(engine.send(again, { type: 'ACCEPT' }, hrss('acceptor')), 'COMMAND_RULE_REFUSED');
    expect(e.details).toMatchObject({ suggestion: 'REFUSE_REPEAT', reason: 'no-review-requested' });
    expect(e.details.rules).toContain('repeat-after-approved-termination');
    const refusal = await engine.send(
      again,
      { type: 'REFUSE_REPEAT', payload: { reason: 'no-review-requested', priorCase: first } },
      hrss('acceptor'),
    );
    expect(refusal).toMatchObject({ state: 'not-accepted' });
    expect(Object.keys(await texts(again))).toEqual(['no-further-acceptance-notice']);
  });

  it('cites the termination on a basis that holds: the Shanghai regulations, never Reg. 35-36', () => {
    const approve = alternativesOf(loaded.value.process.states.closed?.on?.APPROVE_TERMINATION)[0];
    const rule = loaded.value.ruleSets?.acceptance?.rules.find(
      (r) => r.id === 'repeat-after-approved-termination',
    );
    for (const basis of [approve?.basis, loaded.value.documents['termination-notice']?.basis, rule?.basis]) {
      expect(String(basis)).toMatch(/^shanghai-2018/);
      expect(String(basis)).not.toMatch(/art\. 35|art\. 36|35-3/);
    }
  });

  it('reviews a district department at its district government, or its municipal line department', () => {
    const registry = unitRegistry(loaded.value);
    for (const [unit, gov, line] of [
      ['pd-hrss', 'pd-gov', 'sh-hrss'],
      ['pd-housing', 'pd-gov', 'sh-housing'],
      ['pd-land', 'pd-gov', 'sh-land'],
      ['xh-hrss', 'xh-gov', 'sh-hrss'],
    ] as const) {
      expect(registry.ladder(unit), unit).toEqual({ government: gov, line });
      // the default is the district government (national's `ladder.default`)
      expect(registry.ladderBody(unit), unit).toBe(gov);
    }
  });

  it('names the list in its diversion notice', async () => {
    const { engine, texts } = provinceEngine(loaded, '2026-07-06T09:00:00+08:00');
    const staff = { id: 'pd-acc-1', role: 'acceptor', unit: 'pd-bureau' };
    const { caseId } = await engine.submit(
      {
        channel: 'visit',
        receivedAt: '2026-07-06',
        receivingUnit: 'pd-bureau',
        petitioner: { name: '钱小梅', address: '上海市浦东新区川沙新镇' },
        matterType: 'labour-dispute',
        subject: 'labour',
        summary: '公司单方解除劳动合同',
        request: '支付经济补偿',
      },
      { ...staff, role: 'registrar' },
    );
    await engine.send(
      caseId,
      { type: 'DIVERT', payload: { route: 'arbitration', body: '上海市浦东新区劳动人事争议仲裁委员会' } },
      staff,
    );
    const notice = (await texts(caseId))['diversion-notice'] ?? '';
    expect(notice).toContain('依照本市信访事项依法分类处理清单');
    expect(notice).toContain('向上海市浦东新区劳动人事争议仲裁委员会提出');
  });
});
