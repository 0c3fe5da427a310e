/** Shared set-up of the rules tests: national.yaml, the mainland calendar, petitions, earlier cases. */

import { fileURLToPath } from 'node:url';
import { type Calendar, loadCalendarFile } from '../../src/calendar/index.js';
import type { JurisdictionConfig } from '../../src/config/types.js';
import { loadConfigOrThrow } from '../../src/loader/index.js';
import { buildFacts, type Decision, evaluateRuleSets } from '../../src/rules/index.js';
import type { CaseProjection } from '../../src/store/types.js';

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../fixtures/rules/', import.meta.url));

let national: JurisdictionConfig | undefined;
let calendar: Calendar | undefined;

/** configs/national.yaml, loaded (and checked) once per test file. */
export function nationalConfig(): JurisdictionConfig {
  national ??= loadConfigOrThrow(`${ROOT}configs/national.yaml`).value;
  return national;
}

/** configs/calendars/cn-mainland.yaml (2024-2026). */
export function mainland(): Calendar {
  calendar ??= loadCalendarFile(`${ROOT}configs/calendars/cn-mainland.yaml`);
  return calendar;
}

/** A Beijing working morning. */
export const NOW = '2026-03-10T02:00:00.000Z';

/** A plain appeal about wages received by the county petition bureau; `over` replaces fields. */
export function petition(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    channel: 'letter',
    receivedAt: '2026-03-09',
    receivingUnit: 'county-bureau',
    petitioner: {
      name: '张三',
      idNumber: '11010519491231002X',
      phone: '13800000000',
      address: '示范县人民路 1 号',
    },
    subject: 'labour',
    summary: '用人单位拖欠工资三个月。',
    request: '责令支付拖欠工资',
    ...over,
  };
}

/** An earlier case of the same petitioner, in `state` / `stage`, made from `p`. */
export function priorCase(
  p: Record<string, unknown>,
  state: string,
  stage: string,
  over: Partial<CaseProjection> = {},
): CaseProjection {
  return {
    caseId: `XF-2025-${state}`,
    jurisdictionId: 'cn.national',
    configVersion: '2022.1',
    configHash: 'h',
    version: 5,
    state,
    stage,
    colour: 'blue',
    redReasons: [],
    violations: [],
    responsibleUnit: 'county-hrss',
    registeringUnit: 'county-bureau',
    createdAt: '2025-06-01T02:00:00.000Z',
    updatedAt: '2025-09-01T02:00:00.000Z',
    headHash: 'x',
    data: { petition: p as never },
    ...over,
  };
}

/** Every submit-time decision for `p` under national, as the engine would make them. */
export async function decideOnSubmit(
  p: Record<string, unknown>,
  priorCases: CaseProjection[] = [],
  now = NOW,
): Promise<Record<string, Decision>> {
  const config = nationalConfig();
  const facts = buildFacts({ config, petition: p, now, calendar: mainland(), priorCases });
  return evaluateRuleSets(config, 'submit', facts, { calendar: mainland(), now });
}
