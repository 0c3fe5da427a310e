/**
 * The store kit's query plan: what every store refuses, and the predicates a SQL store
 * translates. That each store answers every filter alike is the conformance suite's job.
 */

import {
  CASE_ID_COLUMN,
  type CaseProjection,
  type CaseQuery,
  caseReaders,
  DEFAULT_LIMIT,
  FILTER_COLUMNS,
  MAX_READABLE_UNITS,
  PETITIONER_ID_COLUMN,
  PROJECTION_COLUMNS,
  planQuery,
  projectionRow,
  READERS_TABLE,
} from '@xinfang/core/store-kit';
import { describe, expect, it } from 'vitest';

const invalid = expect.objectContaining({ code: 'STORE_INVALID_INPUT' });

describe('planQuery', () => {
  it('turns each filter into a typed predicate, in column order, then the deadline', () => {
    const plan = planQuery({
      dueBefore: '2026-03-04T09:00:00+08:00',
      unit: 'U1',
      stage: ['handling', 'review'],
      jurisdictionId: 'J1',
    });
    expect(plan.predicates.map((p) => ('column' in p ? { ...p, column: p.column.name } : p))).toEqual([
      { kind: 'equals', column: 'jurisdiction_id', value: 'J1' },
      { kind: 'in', column: 'stage', values: ['handling', 'review'] },
      { kind: 'equals', column: 'responsible_unit', value: 'U1' },
      { kind: 'runningDeadlineBefore', instant: '2026-03-04T01:00:00.000Z' },
    ]);
    expect(plan.orderBy).toBe(CASE_ID_COLUMN);
    expect(plan.limit).toBe(DEFAULT_LIMIT);
    expect(plan).not.toHaveProperty('after');
  });

  it('keeps paging apart from the predicates, and treats fields given as undefined as absent', () => {
    expect(planQuery({ after: 'c09', limit: 0, colour: undefined })).toEqual({
      predicates: [],
      orderBy: CASE_ID_COLUMN,
      after: 'c09',
      limit: 0,
    });
  });

  it('has a column for every CaseQuery filter', () => {
    const every: Required<Omit<CaseQuery, 'dueBefore' | 'readableBy' | 'after' | 'limit'>> = {
      jurisdictionId: 'J',
      stage: 's',
      state: 's',
      colour: 'red',
      unit: 'U',
      identityKey: 'I',
      matterKey: 'M',
    };
    expect(planQuery(every).predicates).toHaveLength(Object.keys(every).length);
    expect(FILTER_COLUMNS.map((c) => c.filter).sort()).toEqual(Object.keys(every).sort());
  });

  it('refuses an unknown field, naming the ones it knows', () => {
    expect(() => planQuery({ colours: 'red' } as CaseQuery)).toThrow(invalid);
    expect(() => planQuery({ colours: 'red' } as CaseQuery)).toThrow(
      /unknown case query field "colours": use one of/,
    );
  });

  it('refuses a bad limit as it always has', () => {
    for (const limit of [-1, 1.5, Number.NaN]) {
      expect(() => planQuery({ limit })).toThrow(invalid);
    }
    expect(() => planQuery({ limit: -1 })).toThrow('limit must be a non-negative integer, got -1');
  });

  it('refuses an unparseable dueBefore, a filter that is not text and an after that is not an id', () => {
    expect(() => planQuery({ dueBefore: 'soon' })).toThrow(invalid);
    expect(() => planQuery({ stage: 3 } as unknown as CaseQuery)).toThrow(invalid);
    expect(() => planQuery({ stage: ['a', 3] } as unknown as CaseQuery)).toThrow(invalid);
    expect(() => planQuery({ after: 7 } as unknown as CaseQuery)).toThrow(invalid);
    expect(() => planQuery(null as unknown as CaseQuery)).toThrow(invalid);
  });
});

describe('projection columns', () => {
  it('bind a projection in column order, the document as its JSON text and absent fields as null', () => {
    const projection = {
      caseId: 'c1',
      jurisdictionId: 'J1',
      configVersion: '1',
      configHash: 'h',
      version: 3,
      state: 'accepted',
      stage: 'handling',
      colour: 'green',
      redReasons: [],
      violations: [],
      responsibleUnit: 'U1',
      createdAt: '2026-03-02T01:00:00.000Z',
      updatedAt: '2026-03-02T01:00:00.000Z',
      headHash: 'x',
      data: {},
    } satisfies CaseProjection;
    expect(PROJECTION_COLUMNS.map((c) => c.name)).toEqual([
      'case_id',
      'version',
      'jurisdiction_id',
      'state',
      'stage',
      'colour',
      'responsible_unit',
      'identity_key',
      'matter_key',
      'projection',
      'petitioner_id',
    ]);
    expect(projectionRow(projection)).toEqual([
      'c1',
      3,
      'J1',
      'accepted',
      'handling',
      'green',
      'U1',
      null,
      null,
      JSON.stringify(projection),
      null,
    ]);
    expect(projectionRow({ ...projection, data: { petitionerId: 'p-1' } }).at(-1)).toBe('p-1');
    // Only a string is a petitioner id; anything else stores no petitioner.
    expect(PETITIONER_ID_COLUMN.value({ ...projection, data: { petitionerId: 7 } })).toBeNull();
  });
});

describe('readableBy', () => {
  it('becomes one readable predicate after the column predicates and before the deadline', () => {
    const plan = planQuery({
      dueBefore: '2026-03-04T01:00:00Z',
      readableBy: { units: ['U1', 'U2'], petitionerId: 'p-1' },
      colour: 'red',
    });
    expect(plan.predicates.map((p) => p.kind)).toEqual(['equals', 'readable', 'runningDeadlineBefore']);
    expect(plan.predicates[1]).toEqual({ kind: 'readable', units: ['U1', 'U2'], petitionerId: 'p-1' });
    expect(planQuery({ readableBy: { units: [], petitionerId: undefined } }).predicates).toEqual([
      { kind: 'readable', units: [] },
    ]);
    expect(planQuery({ readableBy: undefined }).predicates).toEqual([]);
  });

  it('copies the units, so a caller changing its list afterwards changes no plan', () => {
    const units = ['U1'];
    const plan = planQuery({ readableBy: { units } });
    units.push('U2');
    expect(plan.predicates[0]).toEqual({ kind: 'readable', units: ['U1'] });
  });

  it('refuses anything but { units: string[], petitionerId?: string }, and too many units', () => {
    for (const readableBy of [
      null,
      'U1',
      ['U1'],
      {},
      { units: 'U1' },
      { units: ['U1', 2] },
      { units: [], petitionerId: 7 },
      { units: [], unit: 'U1' },
      { units: Array.from({ length: MAX_READABLE_UNITS + 1 }, (_, i) => `U${i}`) },
    ]) {
      expect(() => planQuery({ readableBy } as unknown as CaseQuery), JSON.stringify(readableBy)).toThrow(
        invalid,
      );
    }
    const most = Array.from({ length: MAX_READABLE_UNITS }, (_, i) => `U${i}`);
    expect(planQuery({ readableBy: { units: most } }).predicates).toHaveLength(1);
  });
});

describe('case readers', () => {
  const base = {
    caseId: 'c1',
    jurisdictionId: 'J1',
    configVersion: '1',
    configHash: 'h',
    version: 1,
    state: 'registered',
    stage: 'registration',
    colour: 'green',
    redReasons: [],
    violations: [],
    createdAt: '2026-03-02T01:00:00.000Z',
    updatedAt: '2026-03-02T01:00:00.000Z',
    headHash: 'x',
    data: { registeringUnit: 'R1' },
  } satisfies CaseProjection;

  it('are the projection’s readers, each once, when it has them', () => {
    expect(caseReaders({ ...base, responsibleUnit: 'U9', readers: ['U1', 'U2', 'U1'] })).toEqual([
      'U1',
      'U2',
    ]);
    expect(caseReaders({ ...base, responsibleUnit: 'U9', readers: [] })).toEqual([]);
  });

  it('are the responsible and registering units on a projection written before readers existed', () => {
    expect(caseReaders({ ...base, responsibleUnit: 'U9' })).toEqual(['U9', 'R1']);
    expect(caseReaders({ ...base, responsibleUnit: 'R1' })).toEqual(['R1']);
    expect(caseReaders({ ...base, data: {} })).toEqual([]);
  });

  it('live in a side table keyed by unit, then case', () => {
    expect(READERS_TABLE).toEqual({
      name: 'case_readers',
      columns: [
        { name: 'case_id', kind: 'text', nullable: false },
        { name: 'unit', kind: 'text', nullable: false },
      ],
      primaryKey: ['unit', 'case_id'],
    });
  });
});
