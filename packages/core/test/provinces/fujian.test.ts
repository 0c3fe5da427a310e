/**
 * Fujian (configs/provinces/fujian): the config loads, its scenarios pass, and it differs from
 * national.yaml in exactly what it means to — direct transfer to the responsible unit enabled
 * (a relay through a lower petition bureau still allowed), the petition documents sent to the
 * receiving unit, an assignment letter stating the set deadline and the completion report owed,
 * unified registration elements and its own units.
 */

import { describe, expect, it } from 'vitest';
import { alternativesOf } from '../../src/config/index.js';
import type { LoadedConfig } from '../../src/loader/index.js';
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
        // direct transfer enabled: the receiving unit described, the letters to the unit
        ...steps.flatMap((s) => [
          `+ /process/states/${s}/description`,
          `+ /process/states/${s}/payload/properties/unit/description`,
          `~ /process/states/${s}/issues`,
        ]),
        '~ /process/states/registered/on/DESIGNATE/issues',
        '~ /process/states/transferred/on/DESIGNATE/issues',
        '+ /documents/transfer-letter',
        '+ /documents/assignment-letter',
        '+ /delivery/channels/fj-direct',
      ].sort(),
    );
  });

  it('adds the transfer letter to what each transfer issued nationally, the assignment letter to each assignment', () => {
    const issues = (c: LoadedConfig, state: string, event: string) => {
      return alternativesOf(c.value.process.states[state]?.on?.[event])[0]?.issues;
    };
    const steps: [string, string, string][] = [
      ['registered', 'TRANSFER', 'transfer-letter'],
      ['registered', 'ASSIGN', 'assignment-letter'],
      ['registered', 'DESIGNATE', 'transfer-letter'],
      ['transferred', 'DESIGNATE', 'transfer-letter'],
      ['returned', 'TRANSFER', 'transfer-letter'],
      ['returned', 'ASSIGN', 'assignment-letter'],
    ];
    for (const [state, event, letter] of steps) {
      expect(issues(fujian, state, event), `${state} ${event}`).toEqual([
        ...(issues(national, state, event) ?? []),
        letter,
      ]);
    }
    expect(fujian.value.documents['transfer-letter']).toMatchObject({ to: 'responsible-unit' });
    // built from Reg. 22 (3), not Fujian's own text: marked so
    expect(fujian.value.documents['assignment-letter']).toMatchObject({
      to: 'responsible-unit',
      illustrative: true,
      basis: 'reg-2022 art. 22 (3)',
    });
    expect(fujian.value.deadlines).toEqual(national.value.deadlines);
  });

  it('refuses no unit of its registry as the receiving unit: direct transfer enables, it does not forbid', () => {
    for (const state of ['registered', 'returned']) {
      for (const event of ['TRANSFER', 'ASSIGN']) {
        const def = alternativesOf(fujian.value.process.states[state]?.on?.[event])[0] as {
          payload?: { properties: Record<string, unknown> };
        };
        expect(def.payload?.properties.unit, `${state} ${event}`).not.toHaveProperty('not');
      }
    }
  });

  it('takes a relay to a lower petition bureau as a transfer, with the letter to that bureau', async () => {
    const { engine, rendered, caseId } = await registeredAtProvinceBureau();
    const result = await engine.send(caseId, { type: 'TRANSFER', payload: { unit: 'fz-bureau' } }, registrar);
    expect(result.state).toBe('transferred');
    const letter = (await rendered(caseId)).get('transfer-letter');
    expect(String(letter?.text)).toContain('福州市信访局：');
    expect(String(letter?.text)).toContain('本机关现将该事项转送你单位办理');
  });

  it('states in the assignment letter the deadline the bureau set and the completion report owed', async () => {
    const { engine, rendered, caseId } = await registeredAtProvinceBureau();
    // assigned on the day of registration, 06-08, with 20 days: 06-28 is a Sunday -> Monday 06-29
    await engine.send(caseId, { type: 'ASSIGN', payload: { unit: 'mh-hrss', days: 20 } }, registrar);
    const docs = await rendered(caseId);
    expect(docs.has('transfer-letter')).toBe(false);
    const text = String(docs.get('assignment-letter')?.text);
    expect(text).toMatch(/^福建省信访局\n信访事项交办函\n闽信〔2026〕2号\n\n闽侯县人力资源和社会保障局：\n/);
    expect(text).toContain('根据《信访工作条例》第二十二条第（三）项的规定，现交由你单位办理');
    expect(text).toContain('本机关指定的办理期限至2026年6月29日届满');
    expect(text).toContain('并向本机关报送办结报告');
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
      '根据《信访工作条例》第二十二条的规定，本机关现将该事项转送你单位办理，信访件及登记材料随本函经全省信访信息系统一并推送。',
    );
    // the petitioner still gets the national transfer notice
    expect(String(docs.get('transfer-notice')?.text)).toContain('将该事项转送闽侯县人力资源和社会保障局办理');
  });
});
