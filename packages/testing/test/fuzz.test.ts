/**
 * The config and command fuzzers at a small count (raise it with XINFANG_FUZZ_RUNS; `xinfang fuzz
 * --runs 5000` runs them long). Every hostile input must end in a coded refusal: no uncoded error,
 * no diagnostic without a code and a position, no case that stops verifying. The count run is
 * printed, and asserted, so a run that tried nothing cannot pass.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCalendarFile, loadConfigOrThrow } from '@xinfang/core';
import { describe, expect, it } from 'vitest';
import { fuzzCommands, fuzzConfigs, probeFor, summary } from '../src/fuzz/index.js';

const root = join(import.meta.dirname, '../../..');
const runs = (fallback: number) => Number(process.env.XINFANG_FUZZ_RUNS ?? fallback);
const calendar = loadCalendarFile(join(root, 'configs/calendars/cn-mainland.yaml'));
const national = join(root, 'configs/national.yaml');
const province = join(root, 'configs/provinces/zhejiang/zhejiang.yaml');

describe('fuzz', () => {
  it('config: mutated national and province configs give coded diagnostics, never exceptions', async () => {
    const n = runs(30);
    const report = await fuzzConfigs({
      // each config with a petition its own form and registry accept, submitted when a mutation still loads
      configs: [national, province].map((file) => ({
        file,
        text: readFileSync(file, 'utf8'),
        probe: probeFor(loadConfigOrThrow(file).value),
      })),
      runs: n,
      seed: Number(process.env.XINFANG_FUZZ_SEED ?? 17),
      calendars: new Map([[calendar.id, calendar]]),
    });
    console.log(summary(report));
    expect(report.inputs).toBe(n);
    expect(report.operations).toBeGreaterThanOrEqual(n / 2);
    expect(report.failures).toEqual([]);
  });

  it('command: hostile calls on an engine give coded refusals and leave every case verifiable', async () => {
    const n = runs(60);
    const report = await fuzzCommands({
      config: loadConfigOrThrow(national).value,
      calendar,
      runs: n,
      seed: Number(process.env.XINFANG_FUZZ_SEED ?? 17),
    });
    console.log(summary(report));
    expect(report.inputs).toBe(n);
    expect(report.operations).toBeGreaterThanOrEqual(n);
    expect(report.failures).toEqual([]);
  });
});
