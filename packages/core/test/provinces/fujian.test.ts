/**
 * Fujian (configs/provinces/fujian): the config loads, its scenarios pass, and it differs from
 * national.yaml in exactly what it means to — direct transfer to the responsible unit, with
 * the petition documents sent to that unit, unified registration elements and its own units.
 */

import { describe, expect, it } from 'vitest';
import { alternativesOf } from '../../src/config/index.js';
import type { LoadedConfig } from '../../src/loader/index.js';
import { refused } from '../engine/refused.js';
import { configDiff, partition } from './config-diff.js';
import {
  issuingEngine,
  loadProvince,
  nationalConfig,
  registrySwap,
  runProvinceScenario,
  scenarioFiles,
  withTemplateFiles,
} from './province.js';

const loaded = loadProvince('fujian');
const fujian = loaded as LoadedConfig;
const national = nationalConfig();
const files = scenarioFiles('fujian');
const registered = fujian.value?.process.states.registered;

const registrar = { id: 'fj-reg-1', role: 'registrar', unit: 'fj-bureau' };

/** A wage matter registered at the provincial petition bureau on 2026-06-08, documents issued. */
async function registeredAtProvinceBureau() {
  const issuing = issuingEngine(fujian, '2026-06-08T09:00:00+08:00');
  const { caseId } = await issuing.engine.submit(
    {
      channel: 'letter',
      receivedAt: '2026-06-08',
      receivingUnit: 'fj-bureau',
      petitioner: { name: '林建华', phone: '13905910001', address: '闽侯县甘蔗街道昙石山路 8 号' },
      subject: 'labour',
      summary: '闽侯县某电子厂拖欠工资',
      request: '督促用人单位支付拖欠工资',
      respondentUnit: 'mh-hrss',
    },
    registrar,
    { petitionerId: 'fj-p-1' },
  );
  return { ...issuing, caseId };
}

describe('configs/provinces/fujian', () => {
  it('loads without an error, and with no warning of its own', () => {
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(loaded.diagnostics.filter((d) => d.file.includes('/provinces/fujian/'))).toEqual([]);
    expect(fujian.value.jurisdiction).toMatchObject({ id: 'cn.fujian', calendar: 'cn-mainland' });
  });

  it('has scenarios for the direct transfer and the ordinary path', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it.each(files)('scenario %s passes', async (file) => {
    const { result, report } = await runProvinceScenario(fujian, 'fujian', file);
    expect(report).toEqual([]);
    expect(result.passed).toBe(true);
  });

  it('differs from national.yaml in exactly the intended places', () => {
    const diff = configDiff(withTemplateFiles(national), withTemplateFiles(fujian));
    const [units, afterUnits] = partition(diff, '/units');
    const [reception, rest] = partition(afterUnits, '/receptionDays');

    // the demo registry goes, Fujian's bodies come; nothing else of national's registry changes
    const swap = registrySwap(national, fujian);
    expect(units).toEqual(swap.units);
    expect(reception).toEqual(swap.receptionDays);

    const steps = [
      'registered/on/TRANSFER',
      'registered/on/ASSIGN',
      'returned/on/TRANSFER',
      'returned/on/ASSIGN',
    ];
    expect(rest).toEqual(
      [
        '~ /jurisdiction/id',
        '~ /jurisdiction/name',
        '~ /jurisdiction/version',
        // unified registration elements
        '+ /form/schema/properties/subject/enum',
        '~ /form/schema/properties/subject/description',
        // direct transfer: no petition bureau as the receiving unit, the letter to the unit
        ...steps.flatMap((s) => [
          `+ /process/states/${s}/description`,
          `+ /process/states/${s}/payload/properties/unit/description`,
          `+ /process/states/${s}/payload/properties/unit/not`,
          `~ /process/states/${s}/issues`,
        ]),
        '~ /process/states/registered/on/DESIGNATE/issues',
        '~ /process/states/transferred/on/DESIGNATE/issues',
        '+ /documents/transfer-letter',
        '+ /delivery/channels/fj-direct',
      ].sort(),
    );
  });

  it('adds the transfer letter to what each transfer issued nationally, keeping the notice', () => {
    const issues = (c: LoadedConfig, state: string, event: string) => {
      return alternativesOf(c.value.process.states[state]?.on?.[event])[0]?.issues;
    };
    const steps: [string, string][] = [
      ['registered', 'TRANSFER'],
      ['registered', 'ASSIGN'],
      ['registered', 'DESIGNATE'],
      ['transferred', 'DESIGNATE'],
      ['returned', 'TRANSFER'],
      ['returned', 'ASSIGN'],
    ];
    for (const [state, event] of steps) {
      expect(issues(fujian, state, event), `${state} ${event}`).toEqual([
        ...(issues(national, state, event) ?? []),
        'transfer-letter',
      ]);
    }
    expect(fujian.value.documents['transfer-letter']).toMatchObject({ to: 'responsible-unit' });
    expect(fujian.value.deadlines).toEqual(national.value.deadlines);
  });

  it('refuses every petition bureau of its registry as the receiving unit of a transfer, and nothing else', () => {
    const bureaus = Object.entries(fujian.value.units)
      .filter(([, u]) => u.kind === 'petition-bureau')
      .map(([id]) => id)
      .sort();
    const unit = (registered?.on?.TRANSFER as { payload?: { properties: Record<string, unknown> } })?.payload
      ?.properties.unit as { not?: { enum?: string[] } };
    expect([...(unit.not?.enum ?? [])].sort()).toEqual(bureaus);
  });

  it('refuses a transfer to a lower petition bureau, naming the bureaus and why, and writes nothing', async () => {
    const { engine, store, caseId } = await registeredAtProvinceBureau();
    const before = await store.events(caseId);
    const refusal = await refused(
      engine.send(caseId, { type: 'TRANSFER', payload: { unit: 'fz-bureau' } }, registrar),
      'COMMAND_PAYLOAD_INVALID',
    );
    expect(refusal.message).toContain('/unit');
    expect(refusal.message).toContain('"fz-bureau"');
    expect(refusal.message).toContain('不经下级信访部门逐级转送');
    expect(await store.events(caseId)).toEqual(before);
  });

  it('lets the registrar record every competence the registry routes on', () => {
    const subjects = (fujian.value.form.schema as { properties: { subject: { enum: string[] } } }).properties
      .subject.enum;
    const competences = new Set(Object.values(fujian.value.units).flatMap((u) => u.competence ?? []));
    // every competence the registry speaks is a category the registrar can record
    for (const c of competences) expect(subjects, c).toContain(c);
  });

  it('sends the petition documents to the responsible unit in a letter of its own', async () => {
    const { engine, rendered, caseId } = await registeredAtProvinceBureau();
    await engine.send(caseId, { type: 'TRANSFER', payload: { unit: 'mh-hrss' } }, registrar);
    const docs = await rendered(caseId);
    const letter = docs.get('transfer-letter');
    expect(letter?.number).toBe('闽信〔2026〕2号');
    expect(String(letter?.text)).toMatch(
      /^福建省信访局\n信访事项转送（交办）函\n闽信〔2026〕2号\n\n闽侯县人力资源和社会保障局：\n/,
    );
    expect(String(letter?.text)).toContain(
      '根据《信访工作条例》第二十二条的规定，本机关现将该事项直接转送你单位办理，信访件及登记材料随本函经全省信访信息系统一并推送，不再经下级信访部门逐级转办。',
    );
    // the petitioner still gets the national transfer notice
    expect(String(docs.get('transfer-notice')?.text)).toContain('将该事项转送闽侯县人力资源和社会保障局办理');
  });
});
