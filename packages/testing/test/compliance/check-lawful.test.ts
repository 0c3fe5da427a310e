import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@xinfang/core';
import { runCheck } from '@xinfang/testing/compliance';
import { describe, expect, it } from 'vitest';
import { allStructural, calendar, calendars, everySeed, national, RUNS, SEEDS } from './check-setup.js';

const lawful = join(import.meta.dirname, '../fixtures/compliant');

describe('lawful variations a province may make', () => {
  const files = readdirSync(lawful).filter((f) => f.endsWith('.yaml'));
  it('there are some, each saying why it is lawful', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const f of files) expect(readFileSync(join(lawful, f), 'utf8'), f).toMatch(/^# lawful: /);
  });
  for (const file of files) {
    it(`${file} passes every invariant at each of ${SEEDS.length} seeds`, async () => {
      const text = readFileSync(join(lawful, file), 'utf8');
      const loaded = loadConfig(join(lawful, file), { calendars, restrictions: 'warning' });
      expect(
        loaded.diagnostics.filter((d) => d.severity !== 'warning' || d.code.startsWith('CONFIG_L')),
      ).toEqual([]);
      const structural = /structural runs/.test(text) || allStructural;
      for (const [i, seed] of SEEDS.entries()) {
        const report = await runCheck({
          config: loaded.value!,
          calendar,
          baseline: national,
          templates: loaded.templates,
          // as many runs in all as one seed had before
          runs: Math.max(12, Math.ceil(RUNS / SEEDS.length)),
          seed,
          shrink: false,
          // the structural runs do not depend on the seed: they run with the first (with every
          // seed under XINFANG_CHECK_SEEDS=5); the random runs, which do, run with each
          structural: structural && (i === 0 || everySeed),
        });
        expect(
          report.results.filter((r) => !r.ok).map((r) => `${r.id}: ${r.problems[0]}`),
          `seed ${seed}`,
        ).toEqual([]);
      }
    });
  }
});
