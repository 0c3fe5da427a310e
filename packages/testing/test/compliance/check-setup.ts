/**
 * What the check's test files share: the calendar, the national baseline, and the run counts
 * (the files run in parallel; each holds one part of what was one long file).
 */

import { join } from 'node:path';
import { loadCalendarDir, loadConfigOrThrow } from '@xinfang/core';

export const root = join(import.meta.dirname, '../../../..');
export const calendars = loadCalendarDir(join(root, 'configs/calendars'));
export const calendar = calendars.get('cn-mainland')!;
export const nationalLoaded = loadConfigOrThrow(join(root, 'configs/national.yaml'), { calendars });
export const national = nationalLoaded.value;
export const fixtures = join(import.meta.dirname, '../fixtures/noncompliant');
/** Runs per property here; `xinfang check` defaults to 100 and the auditor raises it (1,000 in the bench). */
export const RUNS = Number(process.env.XINFANG_CHECK_RUNS ?? 60);

/**
 * A verdict that must not depend on the seed: fixtures that say `# seeds: 5` are caught (or,
 * lawful, pass) at each of five seeds; the others at the default seed, for time
 * (`XINFANG_CHECK_SEEDS=5` checks every fixture at five). The structural runs do not depend on
 * the seed, so they run once: a fixture they catch is judged at the default seed, and a lawful
 * one runs them with the first seed only (`XINFANG_CHECK_SEEDS=5` runs them at each). Fixtures whose mistake lies on a
 * back edge or after a termination say `# needs: structural` and are checked with the
 * structural runs (the CLI's default); the others without them, for time
 * (`XINFANG_CHECK_STRUCTURAL=1` turns them on for all). A fixture whose mistake shows only in a
 * narrow band of days says `# runs: N`: the random runs it needs at the default seed.
 */
export const SEEDS = [1, 2, 3, 4, 5];
export const everySeed = process.env.XINFANG_CHECK_SEEDS === '5';
export const allStructural = process.env.XINFANG_CHECK_STRUCTURAL === '1';
