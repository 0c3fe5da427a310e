import { describe, expect, it } from 'vitest';
import type { JurisdictionConfig, RuleDef } from '../../src/config/types.js';
import { dateOperators, evaluateRuleSet } from '../../src/rules/index.js';
import { mainland, nationalConfig } from './helpers.js';

// 2025: National Day holiday 10-01..10-08; Sunday 09-28 and Saturday 10-11 are working days.
const at = (today: string) => dateOperators({ today, timezone: 'Asia/Shanghai', calendar: mainland() });

describe('date operators on the mainland calendar', () => {
  it('withinDays: a 15-day period ending on a holiday runs to the next working day', () => {
    // 09-20 + 15 days = 10-05, inside the holiday: the period ends on 10-09
    expect(at('2025-10-05').withinDays('2025-09-20', 15)).toBe(true);
    expect(at('2025-10-09').withinDays('2025-09-20', 15)).toBe(true);
    expect(at('2025-10-10').withinDays('2025-09-20', 15)).toBe(false);
    // a date after today has not started
    expect(at('2025-09-19').withinDays('2025-09-20', 15)).toBe(false);
  });

  it('withinDays in working days skips the holiday and counts the adjusted Saturday', () => {
    // working days after 09-30: 10-09 (1), 10-10 (2), 10-11 Saturday adjusted (3)
    expect(at('2025-10-11').withinDays('2025-09-30', { days: 3, unit: 'working' })).toBe(true);
    expect(at('2025-10-13').withinDays('2025-09-30', { days: 3, unit: 'working' })).toBe(false);
  });

  it('workingDaysSince counts working days only, the adjusted Sunday included', () => {
    expect(at('2025-10-09').workingDaysSince('2025-09-30', 1)).toBe(true);
    expect(at('2025-10-09').workingDaysSince('2025-09-30', { atLeast: 2 })).toBe(false);
    // 09-27 Saturday off, 09-28 Sunday worked, 09-29 Monday
    expect(at('2025-09-29').workingDaysSince('2025-09-26', { atLeast: 2, atMost: 2 })).toBe(true);
  });

  it('before / after read instants as Beijing civil dates', () => {
    // 17:00 UTC on 09-30 is already 10-01 in Beijing
    expect(at('2025-10-09').after('2025-09-30T17:00:00Z', '2025-09-30')).toBe(true);
    expect(at('2025-10-09').before('2025-09-30T15:00:00Z', '2025-10-01')).toBe(true);
    expect(at('2025-10-09').before('2025-10-08', 'today')).toBe(true);
    expect(at('2025-10-09').after(null, '2025-01-01')).toBe(false);
    // any date of a list
    expect(at('2025-10-09').after(['2024-01-01', '2025-05-01'], '2025-01-01')).toBe(true);
  });

  it('outside the calendar years the operators refuse rather than guess', () => {
    expect(() => at('2027-03-01').withinDays('2027-02-01', 30)).toThrow(/2027/);
  });
});

describe('date operators inside rule sets', () => {
  const set = (rule: Omit<RuleDef, 'id' | 'outcome'>): JurisdictionConfig => {
    const config = structuredClone(nationalConfig());
    config.ruleSets = {
      window: {
        hitPolicy: 'first',
        default: { open: false },
        rules: [{ id: 'r', outcome: { open: true }, ...rule }],
      },
    };
    return config;
  };

  it('a set with withinDays is evaluated against the given day, with its explanation', async () => {
    const config = set({
      conditions: {
        all: [{ fact: 'petition', path: '$.receivedAt', operator: 'withinDays', value: { days: 15 } }],
      },
    });
    const facts = { petition: { receivedAt: '2025-09-20' } };
    const open = await evaluateRuleSet(config, 'window', facts, {
      calendar: mainland(),
      now: '2025-10-09T08:00:00Z',
    });
    expect(open.outcome).toEqual({ open: true });
    expect(open.fired[0]?.conditions[0]).toMatchObject({
      factValue: '2025-09-20',
      value: { days: 15 },
      result: true,
    });
    // a different day is a different engine: the cache is keyed by it
    const shut = await evaluateRuleSet(config, 'window', facts, {
      calendar: mainland(),
      now: '2025-10-10T08:00:00Z',
    });
    expect(shut).toMatchObject({ outcome: { open: false }, defaulted: true });
  });

  it('a counting operator without a calendar is RULE_EVALUATION', async () => {
    const config = set({
      conditions: {
        all: [{ fact: 'petition', path: '$.receivedAt', operator: 'workingDaysSince', value: 5 }],
      },
    });
    await expect(
      evaluateRuleSet(
        config,
        'window',
        { petition: { receivedAt: '2025-09-20' } },
        { now: '2025-10-09T08:00:00Z' },
      ),
    ).rejects.toMatchObject({ code: 'RULE_EVALUATION' });
  });

  it('a date rule with neither today nor now is RULE_EVALUATION', async () => {
    const config = set({
      conditions: { all: [{ fact: 'petition', path: '$.receivedAt', operator: 'before', value: 'today' }] },
    });
    await expect(evaluateRuleSet(config, 'window', { petition: {} })).rejects.toMatchObject({
      code: 'RULE_EVALUATION',
    });
  });
});
