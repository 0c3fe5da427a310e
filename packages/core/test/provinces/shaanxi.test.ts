/**
 * Shaanxi (configs/provinces/shaanxi): it loads, its scenarios pass, and it differs from
 * national.yaml exactly by its register — the 7-section registration form with the
 * order-maintenance fields, the three-colour board, the order-maintenance rules — and its
 * units; every period and document stays national.
 */

import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/config/index.js';
import type { LoadedConfig } from '../../src/loader/index.js';
import { boardOf, sectionMarks } from '../../src/status/index.js';
import { configDiff, partition } from './config-diff.js';
import { loadProvince, nationalConfig, runProvinceScenario, scenarioFiles } from './province.js';
import { provinceEngine } from './province-engine.js';

const NAME = 'shaanxi';
const result = loadProvince(NAME);
const loaded = result as LoadedConfig;
const files = scenarioFiles(NAME);

/** Units of Shaanxi's registry (the province, Xi'an with Chang'an District, Baoji, Xianyang). */
const SHAANXI_UNITS = [
  'sn-gov',
  'sn-bureau',
  'sn-hrss',
  'sn-housing',
  'sn-land',
  'sn-political-legal',
  'sn-discipline',
  'xa-gov',
  'xa-bureau',
  'xa-hrss',
  'xa-housing',
  'xa-land',
  'xa-political-legal',
  'xa-discipline',
  'ca-gov',
  'ca-bureau',
  'ca-hrss',
  'ca-housing',
  'ca-land',
  'bj-gov',
  'bj-bureau',
  'bj-hrss',
  'xy-gov',
  'xy-bureau',
];

const demoUnits = () =>
  Object.keys(nationalConfig().value.units).filter((u) => /^(prov|city|county)-/.test(u));
const demoReceptionDays = () =>
  Object.entries(nationalConfig().value.receptionDays ?? {})
    .filter(([, d]) => /^(prov|city|county)-/.test(d.unit))
    .map(([id]) => id);

describe('Shaanxi', () => {
  it('loads without any diagnostic', () => {
    expect(result.diagnostics.map(formatDiagnostic).join('\n\n')).toBe('');
    expect(result.value?.jurisdiction).toMatchObject({ id: 'cn.shaanxi', calendar: 'cn-mainland' });
  });

  it('has scenarios for order maintenance, review up its levels, the register and the normal path', () => {
    expect(files).toEqual([
      'accept-handle-close.yaml',
      'order-dissuade.yaml',
      'order-to-police.yaml',
      'register-rating.yaml',
      'review-reexamination-termination.yaml',
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
      [...demoUnits().map((u) => `- /units/${u}`), ...SHAANXI_UNITS.map((u) => `+ /units/${u}`)].sort(),
    );
    expect(reception).toEqual(
      [
        ...demoReceptionDays().map((d) => `- /receptionDays/${d}`),
        '+ /receptionDays/ca-gov-wednesday',
        '+ /receptionDays/xa-gov-friday',
      ].sort(),
    );
    // no deadline, state, transition or document: Shaanxi's periods are the national ones
    expect(rest).toEqual(
      [
        '~ /jurisdiction/id',
        '~ /jurisdiction/name',
        '~ /jurisdiction/version',
        '+ /form/schema/properties/orderConduct',
        '+ /form/schema/properties/orderMeasure',
        '+ /form/sections',
        '+ /board',
        '+ /ruleSets/orderMaintenance',
      ].sort(),
    );
    const own = Object.keys(loaded.templates).filter(
      (d) => loaded.templates[d] !== nationalConfig().templates[d],
    );
    expect(own).toEqual([]);
  });

  it('keeps the register in 7 sections that place every stage and every duty deadline once', () => {
    const sections = loaded.value.form.sections ?? {};
    expect(Object.entries(sections).map(([id, s]) => [id, s.name])).toEqual([
      ['registration', '登记'],
      ['acceptance', '受理'],
      ['handling', '办理'],
      ['termination', '程序终结'],
      ['order', '秩序维护'],
      ['supervision', '监督追责'],
      ['evaluation', '质量评价'],
    ]);
    const stages = new Set(Object.values(loaded.value.process.states).map((s) => s.stage));
    const placed = Object.values(sections).flatMap((s) => s.stages ?? []);
    for (const stage of stages)
      expect(
        placed.filter((p) => p === stage),
        stage,
      ).toHaveLength(1);
    const duties = Object.entries(loaded.value.deadlines)
      .filter(([, d]) => d.kind === 'duty')
      .map(([id]) => id);
    const owned = Object.values(sections).flatMap((s) => s.deadlines ?? []);
    expect([...owned].sort()).toEqual([...duties].sort());
    const ids = (id: string) => (sections[id]?.fields ?? []).map((f) => (typeof f === 'string' ? f : f.id));
    expect(ids('order')).toEqual([
      'orderConduct',
      'orderMeasure',
      'orderRuleMeasure',
      'policeHandoverOn',
      'groupSize',
      'groupRepresentatives',
      'representativesGuidanceNo',
      'representativesChosenOn',
    ]);
    expect(loaded.value.board?.labels).toEqual({ green: '正在办理', blue: '已办结', red: '未按程序办理' });
  });

  it('shows each case on the three-colour board in the sections of its steps', async () => {
    const { engine, store, clock } = provinceEngine(loaded, '2025-03-03T09:00:00+08:00');
    const registrar = { id: 'ca-reg-1', role: 'registrar', unit: 'ca-bureau' };
    const acceptor = { id: 'ca-acc-1', role: 'acceptor', unit: 'ca-bureau' };
    const hrss = { id: 'ca-acc-2', role: 'acceptor', unit: 'ca-hrss' };
    const petition = (summary: string) => ({
      channel: 'letter',
      receivedAt: '2025-03-03',
      receivingUnit: 'ca-bureau',
      petitioner: { name: '刘建军', phone: '13700000001', address: '西安市长安区韦曲街道' },
      subject: 'labour',
      summary,
      request: '支付拖欠工资',
      respondentUnit: 'ca-hrss',
    });
    const onTime = (await engine.submit(petition('拖欠工资（按期转送）'), registrar)).caseId;
    const late = (await engine.submit(petition('拖欠工资（逾期转送）'), registrar)).caseId;
    const waiting = (await engine.submit(petition('拖欠工资（待转送）'), registrar)).caseId;
    await engine.send(onTime, { type: 'TRANSFER', payload: { unit: 'ca-hrss' } }, acceptor);
    await engine.send(onTime, { type: 'ACCEPT' }, hrss);
    // the disposal period (03-03 + 15 = 03-18) passes for the other two
    clock.set(new Date('2025-03-19T09:00:00+08:00'));
    await engine.tick();
    await engine.send(late, { type: 'TRANSFER', payload: { unit: 'ca-hrss' } }, acceptor);
    await engine.send(late, { type: 'ACCEPT' }, hrss);

    const stored = async (id: string) => {
      const p = await store.getCase(id);
      if (!p) throw new Error(`case ${id} not stored`);
      return p;
    };
    const [a, b, c] = [await stored(onTime), await stored(late), await stored(waiting)];
    const marks = (p: typeof a) => sectionMarks(loaded.value, p).map((m) => [m.section, m.colour]);
    expect(marks(a)).toEqual([['handling', 'green']]);
    // late at registration, now being handled: red where the procedure failed, green where it is
    expect(marks(b)).toEqual([
      ['registration', 'red'],
      ['handling', 'green'],
    ]);
    expect(marks(c)).toEqual([['registration', 'red']]);
    expect(sectionMarks(loaded.value, b)[0]?.reasons.map((r) => r.ref)).toEqual(['disposal']);

    const board = boardOf(loaded.value, [a, b, c]);
    expect(board.name).toBe('信访事项办理流程登记表（红绿蓝三色管理）');
    expect(board.labels.red).toBe('未按程序办理');
    expect(board.columns.map((col) => [col.name, col.counts])).toEqual([
      ['登记', { green: 0, blue: 0, red: 2 }],
      ['受理', { green: 0, blue: 0, red: 0 }],
      ['办理', { green: 2, blue: 0, red: 0 }],
      ['程序终结', { green: 0, blue: 0, red: 0 }],
      ['秩序维护', { green: 0, blue: 0, red: 0 }],
      ['监督追责', { green: 0, blue: 0, red: 0 }],
      ['质量评价', { green: 0, blue: 0, red: 0 }],
    ]);
    expect(board.unplaced).toEqual({ green: 0, blue: 0, red: 0 });
  });
});
