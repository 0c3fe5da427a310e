/**
 * The two readings of Reg. 34's extension (`extension.from`): the national default counts on from
 * the last counted day (configs/scenarios/national/extension.yaml); a config may count on from the
 * rest-day-adjusted end instead, and a total cap (`totalDays`, Zhejiang's 60) holds either way.
 */

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCalendarDir } from '../../src/calendar/index.js';
import { loadConfigOrThrow } from '../../src/loader/index.js';
import { loadScenarioFile, runScenario } from '../../src/scenario/index.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const dir = `${root}packages/core/test/fixtures/extension-reading/`;
const calendars = loadCalendarDir(`${root}configs/calendars`);

async function failures(config: string, scenario: string): Promise<string[]> {
  const loaded = loadConfigOrThrow(`${dir}${config}`);
  const src = loadScenarioFile(`${dir}${scenario}`);
  expect(src.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  if (!src.value) throw new Error(`${scenario} did not parse`);
  const result = await runScenario(loaded.value, src.value, {
    calendars,
    locate: src.locate,
    templates: loaded.templates,
  });
  return result.failures.map((f) => `${scenario}:${f.line ?? '?'} step ${f.step}: ${f.message}`);
}

describe('extension counted from the adjusted end (Reg. 34)', () => {
  it('counts 30 days on from the end the rest-day rule gave the 60 days', async () => {
    expect(await failures('adjusted-end.yaml', 'adjusted-end-scenario.yaml')).toEqual([]);
  });

  it("keeps Zhejiang's cap of 60 days in total", async () => {
    expect(await failures('zhejiang-adjusted-end.yaml', 'zhejiang-adjusted-end-scenario.yaml')).toEqual([]);
  });
});
