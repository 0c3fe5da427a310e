/**
 * Zhejiang (configs/provinces/zhejiang): it loads, its scenarios pass, and it differs from
 * national.yaml exactly where the Zhejiang regulation (2016) differs — 5 working days for
 * disposal, 30 + 30 days for handling, assignments of at most 30 days, 3 representatives for a
 * group of up to 10 — and nowhere else.
 */

import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/config/index.js';
import type { LoadedConfig } from '../../src/loader/index.js';
import { buildFacts, evaluateRuleSets } from '../../src/rules/index.js';
import { configDiff, partition } from './config-diff.js';
import {
  calendarsDir,
  loadProvince,
  nationalConfig,
  runProvinceScenario,
  scenarioFiles,
} from './province.js';
import { provinceEngine } from './province-engine.js';

const NAME = 'zhejiang';
const result = loadProvince(NAME);
const loaded = result as LoadedConfig;
const files = scenarioFiles(NAME);

/** Units of Zhejiang's registry (the province, Hangzhou with Tonglu County, Ningbo, Wenzhou). */
const ZHEJIANG_UNITS = [
  'zj-gov',
  'zj-bureau',
  'zj-hrss',
  'zj-housing',
  'zj-land',
  'zj-political-legal',
  'zj-discipline',
  'hz-gov',
  'hz-bureau',
  'hz-hrss',
  'hz-housing',
  'hz-construction',
  'hz-land',
  'hz-political-legal',
  'hz-discipline',
  'tl-gov',
  'tl-bureau',
  'tl-hrss',
  'tl-housing',
  'tl-land',
  'nb-gov',
  'nb-bureau',
  'nb-hrss',
  'wz-gov',
  'wz-bureau',
];

/** national's illustrative units (示范省/市/县), which every province replaces. */
const demoUnits = () =>
  Object.keys(nationalConfig().value.units).filter((u) => /^(prov|city|county)-/.test(u));

/** national's reception days that name an illustrative unit. */
const demoReceptionDays = () =>
  Object.entries(nationalConfig().value.receptionDays ?? {})
    .filter(([, d]) => /^(prov|city|county)-/.test(d.unit))
    .map(([id]) => id);

describe('Zhejiang', () => {
  it('loads without any diagnostic', () => {
    expect(result.diagnostics.map(formatDiagnostic).join('\n\n')).toBe('');
    expect(result.value?.jurisdiction).toMatchObject({ id: 'cn.zhejiang', calendar: 'cn-mainland' });
  });

  it('has a scenario for each Zhejiang rule and for the normal path', () => {
    expect(files).toEqual([
      'accept-handle-close.yaml',
      'assignment-thirty-days.yaml',
      'extension-total-60-days.yaml',
      'group-visit-large.yaml',
      'group-visit-small.yaml',
      'handling-extension.yaml',
      'missed-disposal-five-working-days.yaml',
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
      [...demoUnits().map((u) => `- /units/${u}`), ...ZHEJIANG_UNITS.map((u) => `+ /units/${u}`)].sort(),
    );
    expect(reception).toEqual(
      [
        ...demoReceptionDays().map((d) => `- /receptionDays/${d}`),
        '+ /receptionDays/hz-gov-friday',
        '+ /receptionDays/tl-gov-wednesday',
      ].sort(),
    );
    expect(rest).toEqual(
      [
        '~ /jurisdiction/id',
        '~ /jurisdiction/name',
        '~ /jurisdiction/version',
        // 5 working days (zhejiang-2016)
        '~ /deadlines/disposal/days',
        '+ /deadlines/disposal/unit',
        '~ /deadlines/disposal/name',
        '~ /deadlines/disposal/basis',
        // 30 days, extended once by 30 (zhejiang-2016)
        '~ /deadlines/handling/days',
        '~ /deadlines/handling/name',
        '~ /deadlines/handling/basis',
        '~ /deadlines/handling/extension/basis',
        // "at most 60 in total", whichever way the extension counts
        '+ /deadlines/handling/extension/totalDays',
        // an assignment may not outrun the Zhejiang handling period
        '~ /deadlines/assignment/days',
        '~ /deadlines/assignment/name',
        '~ /deadlines/assignment/basis',
        '~ /documents/acceptance-notice/basis',
        '+ /ruleSets/acceptance/rules/group-representatives-small',
        // its own legalization index (seed article (2024)): weights and a monthly publication,
        // illustrative; satisfaction weighs 0.2 as nationally, so it is not a difference
        '+ /reporting/index/illustrative',
        '+ /reporting/index/publish',
        ...[
          'onTimeAcceptance',
          'onTimeCompletion',
          'ratingParticipation',
          'repeatPetition',
          'reviewRate',
          'reexaminationRate',
          'overturnRate',
        ].map((w) => `~ /reporting/index/weights/${w}`),
      ].sort(),
    );
    expect(loaded.value.reporting?.index).toMatchObject({
      illustrative: true,
      publish: { cadence: 'monthly', by: 'unit' },
    });
    const { disposal, handling, assignment } = loaded.value.deadlines;
    expect(disposal).toMatchObject({ days: 5, unit: 'working', kind: 'duty', statutory: true });
    expect(handling).toMatchObject({ days: 30, extension: { maxDays: 30, times: 1, approvedBy: ['head'] } });
    expect(assignment).toMatchObject({ days: 30, settable: true });
  });

  it('renders its own acceptance notice and national templates for every other document', () => {
    const national = nationalConfig();
    const own = Object.keys(loaded.templates).filter((d) => loaded.templates[d] !== national.templates[d]);
    expect(own).toEqual(['acceptance-notice']);
    expect(loaded.templates['acceptance-notice']).toMatch(/configs\/provinces\/zhejiang\/templates\//);
  });

  it('tells the petitioner the Zhejiang handling period on acceptance', async () => {
    const { engine, texts } = provinceEngine(loaded, '2026-03-02T09:00:00+08:00');
    const staff = { id: 'tl-acc-2', role: 'acceptor', unit: 'tl-hrss' };
    const { caseId } = await engine.submit(
      {
        channel: 'letter',
        receivedAt: '2026-03-02',
        receivingUnit: 'tl-hrss',
        petitioner: { name: '王建国', address: '桐庐县城南街道' },
        subject: 'labour',
        summary: '拖欠工资',
        request: '支付工资',
      },
      { ...staff, role: 'registrar' },
    );
    await engine.send(caseId, { type: 'ACCEPT' }, staff);
    const notice = (await texts(caseId))['acceptance-notice'] ?? '';
    expect(notice).toContain('桐庐县人力资源和社会保障局');
    expect(notice).toContain('自受理之日起三十日内办结');
    expect(notice).toContain('合计不超过六十日');
    expect(notice).not.toContain('六十日内办结');
  });

  it.each([
    // [people, representatives, representatives the group is asked to keep to (none: no ask)]
    [8, 3, null],
    [8, 4, 3],
    [8, 6, 3],
    [10, 4, 3],
    [11, 4, null],
    [11, 5, null],
    [11, 6, 5],
    [30, 6, 5],
  ] as const)('a group of %i with %i representatives is asked for at most %s', async (size, reps, max) => {
    const now = '2026-03-16T02:00:00.000Z';
    const petition = {
      channel: 'visit',
      receivedAt: '2026-03-16',
      receivingUnit: 'tl-bureau',
      petitioner: { name: '赵志刚', phone: '13900000005' },
      group: { size, representatives: reps },
      subject: 'labour',
      summary: '拖欠工资',
      request: '支付工资',
    };
    const calendar = calendarsDir().get('cn-mainland');
    const facts = buildFacts({ config: loaded.value, petition, now, ...(calendar ? { calendar } : {}) });
    const decisions = await evaluateRuleSets(loaded.value, 'submit', facts, {
      now,
      ...(calendar ? { calendar } : {}),
    });
    const merged = decisions.acceptance?.merged ?? {};
    // a group is never refused for its size: it is asked to choose representatives (Reg. 20)
    expect(merged.accepted).toBe(true);
    expect(merged.maxRepresentatives ?? null).toBe(max);
  });
});
