/** The days a publication period covers, by cadence, and the periods refused. */

import { describe, expect, it } from 'vitest';
import { isXinfangError } from '../../src/base/errors.js';
import { publicationPeriod } from '../../src/metrics/publication.js';

describe('publicationPeriod', () => {
  it('covers a month, a quarter or a year, the end exclusive, across a year end', () => {
    expect(publicationPeriod('2026-11', 'monthly')).toEqual({ from: '2026-11-01', to: '2026-12-01' });
    expect(publicationPeriod('2026-12', 'monthly')).toEqual({ from: '2026-12-01', to: '2027-01-01' });
    expect(publicationPeriod('2026-02', 'monthly')).toEqual({ from: '2026-02-01', to: '2026-03-01' });
    expect(publicationPeriod('2026-Q1', 'quarterly')).toEqual({ from: '2026-01-01', to: '2026-04-01' });
    expect(publicationPeriod('2026-Q4', 'quarterly')).toEqual({ from: '2026-10-01', to: '2027-01-01' });
    expect(publicationPeriod('2026', 'yearly')).toEqual({ from: '2026-01-01', to: '2027-01-01' });
  });

  it('refuses a period not written in its cadence, with REPORT_PERIOD_INVALID', () => {
    for (const [period, cadence] of [
      ['2026-13', 'monthly'],
      ['2026-1', 'monthly'],
      ['2026-Q4', 'monthly'],
      ['2026-11', 'quarterly'],
      ['2026-Q5', 'quarterly'],
      ['2026-11', 'yearly'],
      ['0999', 'yearly'],
    ] as const) {
      let error: unknown;
      try {
        publicationPeriod(period, cadence);
      } catch (e) {
        error = e;
      }
      expect(isXinfangError(error, 'REPORT_PERIOD_INVALID'), `${period} ${cadence}`).toBe(true);
    }
  });
});
