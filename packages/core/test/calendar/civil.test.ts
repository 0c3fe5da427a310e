import { describe, expect, it } from 'vitest';
import { parseInstant } from '../../src/calendar/index.js';

describe('parseInstant', () => {
  it('takes an ISO-8601 instant with its zone, in any of its forms, as UTC', () => {
    expect(parseInstant('2026-06-01T00:00:00+08:00')).toBe('2026-05-31T16:00:00.000Z');
    expect(parseInstant('2026-06-01T00:00+08:00')).toBe('2026-05-31T16:00:00.000Z');
    expect(parseInstant('2026-06-01T00:00:00+0800')).toBe('2026-05-31T16:00:00.000Z');
    expect(parseInstant('2026-06-01T09:30:15.250Z')).toBe('2026-06-01T09:30:15.250Z');
    expect(parseInstant('2024-02-29T23:59:59-05:00')).toBe('2024-03-01T04:59:59.000Z');
  });

  it('refuses an instant with a field that is not real, instead of moving it', () => {
    for (const bad of [
      '2026-02-30T00:00:00Z', // no 30 February
      '2025-02-29T00:00:00Z', // not a leap year
      '2026-01-01T24:00:00Z',
      '2026-01-01T12:60:00Z',
      '2026-01-01T12:00:60Z',
      '2026-01-01T12:00:00+15:00',
      '2026-01-01T12:00:00', // no zone: it would be guessed
      '2026-01-01',
      '0999-12-31T00:00:00Z',
      '',
      42,
    ]) {
      expect(parseInstant(bad), String(bad)).toBeUndefined();
    }
  });
});
