import { describe, expect, it } from 'vitest';
import { colourOf, isCompletedStage, missedDeadlineReason } from '../../src/status/index.js';

describe('three colours', () => {
  const reason = missedDeadlineReason(
    'handling',
    { days: 60, kind: 'duty', basis: 'reg-2022 art. 34', name: '办理期限' },
    '2026-05-06',
    '2026-05-07T00:00:00Z',
  );

  it('is green in progress, blue when completed, red with an open reason', () => {
    expect(colourOf({ stage: 'handling', redReasons: [] }).colour).toBe('green');
    expect(colourOf({ stage: 'closed', redReasons: [] }).colour).toBe('blue');
    expect(colourOf({ stage: 'handling', redReasons: [reason] })).toMatchObject({
      colour: 'red',
      reasons: [reason],
    });
    expect(colourOf({ stage: 'closed', redReasons: [reason] }).colour).toBe('red');
    expect(colourOf({ stage: 'closed', redReasons: [], violations: [reason] })).toMatchObject({
      colour: 'blue',
      violations: [reason],
    });
  });

  it('names the deadline, its article and its due date', () => {
    expect(reason).toMatchObject({ code: 'DEADLINE_MISSED', ref: 'handling', basis: 'reg-2022 art. 34' });
    expect(reason.message).toContain('2026-05-06');
    expect(isCompletedStage('terminated')).toBe(true);
    expect(isCompletedStage('opinion')).toBe(false);
  });
});
