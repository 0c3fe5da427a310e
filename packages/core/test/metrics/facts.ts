/** Hand-built case facts for the tests of the report's arithmetic (no engine needed). */

import type { JurisdictionConfig } from '@xinfang/core';
import type { CaseFacts, PeriodFact } from '@xinfang/core/reporting';
import { countyConfig } from './helpers.js';

/** The county config under a fixed hash, for facts that name it. */
export const HASH = 'county-config';
export const configs = (): Map<string, JurisdictionConfig> => new Map([[HASH, countyConfig().value]]);

/** A case of the county registered on `date`, open and green, with nothing judged yet. */
export function fact(caseId: string, overrides: Partial<CaseFacts> = {}): CaseFacts {
  const registeredDate = overrides.registeredDate ?? '2026-03-02';
  return {
    caseId,
    jurisdictionId: 'cn.test-county',
    configHash: HASH,
    registeredAt: `${registeredDate}T02:00:00.000Z`,
    registeredDate,
    registeringUnit: 'county-office',
    unit: 'county-office',
    subject: 'housing',
    state: 'working',
    stage: 'handling',
    colour: 'green',
    completed: false,
    ageDays: 10,
    periods: [],
    rating: { status: 'not-owed' },
    repeat: false,
    opinion: false,
    reviewRequested: false,
    reviewDecided: false,
    reexaminationRequested: false,
    checks: [],
    acts: [],
    ...overrides,
  };
}

/** A duty period. */
export function period(
  verdict: PeriodFact['verdict'],
  phase: PeriodFact['phase'] = 'acceptance',
  owner = 'county-office',
): PeriodFact {
  return {
    deadline: phase === 'acceptance' ? 'intake' : 'work',
    row: 'r',
    phase,
    verdict,
    owner,
    dueAt: '2026-03-12T16:00:00.000Z',
  };
}
