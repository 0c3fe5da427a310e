/**
 * "Did you mean" is bounded by counts, not time: a name longer than SUGGEST_MAX_LENGTH is never
 * compared, at most SUGGEST_MAX_CANDIDATES candidates are, and overlong candidates are skipped.
 * A 1 MB command type once blocked the process for 17 s, a 200 KB config value for 50 s.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closest, SUGGEST_MAX_CANDIDATES, SUGGEST_MAX_LENGTH, suggestWork } from '../../src/base/suggest.js';
import { parseConfigText } from '../../src/loader/index.js';
import { A, setup } from '../engine/helpers.js';

/** The distance computations `run` made. */
function comparisonsIn(run: () => unknown): number {
  const before = suggestWork.comparisons;
  run();
  return suggestWork.comparisons - before;
}

describe('closest is bounded', () => {
  it('compares nothing for a name over the length bound, and still suggests for one at it', () => {
    const candidates = ['handling', 'acceptance', 'review'];
    expect(comparisonsIn(() => expect(closest('x'.repeat(1_000_000), candidates)).toBeUndefined())).toBe(0);
    expect(
      comparisonsIn(() => expect(closest('h'.repeat(SUGGEST_MAX_LENGTH + 1), candidates)).toBeUndefined()),
    ).toBe(0);
    const long = `${'a'.repeat(SUGGEST_MAX_LENGTH - 1)}b`;
    expect(closest(long, [`${'a'.repeat(SUGGEST_MAX_LENGTH - 1)}c`])).toBe(
      `${'a'.repeat(SUGGEST_MAX_LENGTH - 1)}c`,
    );
    expect(closest('handlng', candidates)).toBe('handling');
  });

  it('compares at most SUGGEST_MAX_CANDIDATES candidates, and skips overlong ones', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => `name-${i}`);
    expect(comparisonsIn(() => closest('name-x', many))).toBe(SUGGEST_MAX_CANDIDATES);
    const overlong = Array.from({ length: 100 }, (_, i) => `${'z'.repeat(200_000)}${i}`);
    expect(comparisonsIn(() => closest('zzz', overlong))).toBe(0);
  });
});

describe('where hostile names reach it', () => {
  it('a 200 KB command type is refused as unknown with no suggestion and no distance computed', async () => {
    const { engine, submit } = setup();
    const { caseId } = await submit();
    const before = suggestWork.comparisons;
    const e = (await engine
      .send(caseId, { type: 'A'.repeat(200_000) }, A.acceptor)
      .catch((x: unknown) => x)) as {
      code?: string;
      details?: { suggestion?: string };
    };
    expect(suggestWork.comparisons - before).toBe(0);
    expect(e.code).toBe('COMMAND_UNKNOWN');
    expect(e.details?.suggestion).toBeUndefined();
    // the same slip, short, is still helped, and that does compare
    const again = suggestWork.comparisons;
    await expect(engine.send(caseId, { type: 'ACCEPTT' }, A.acceptor)).rejects.toMatchObject({
      code: 'COMMAND_UNKNOWN',
      details: { suggestion: 'ACCEPT' },
    });
    expect(suggestWork.comparisons - again).toBeGreaterThan(0);
  });

  it('a 200 KB config value is refused without a suggestion computed for it', () => {
    const file = join(import.meta.dirname, '../../../../configs/national.yaml');
    const text = readFileSync(file, 'utf8').replace('hitPolicy: first', `hitPolicy: ${'f'.repeat(200_000)}`);
    const before = suggestWork.comparisons;
    const r = parseConfigText(text, file);
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.hint])).toEqual([
      ['CONFIG_BAD_VALUE', undefined],
    ]);
    // the rest of the load may suggest for other names, but never compares the long value
    expect(suggestWork.comparisons - before).toBeLessThan(SUGGEST_MAX_CANDIDATES);
  });
});
