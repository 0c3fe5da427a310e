/**
 * The scenarios under configs/scenarios/national/ run against national.yaml: each must pass,
 * and together they must take every transition (state × event) the config declares.
 */

import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCalendarDir } from '../../src/calendar/index.js';
import { loadConfigOrThrow } from '../../src/loader/index.js';
import { loadScenarioFile, runScenario, type ScenarioResult } from '../../src/scenario/index.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const dir = `${root}configs/scenarios/national/`;
const yamlIn = (d: string) =>
  readdirSync(d)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
const files = yamlIn(dir);
const loaded = loadConfigOrThrow(`${root}configs/national.yaml`);
const config = loaded.value;
const calendars = loadCalendarDir(`${root}configs/calendars`);

/** `state event` for every transition national.yaml declares. */
function declared(): string[] {
  return Object.entries(config.process.states).flatMap(([state, def]) =>
    Object.keys(def.on ?? {}).map((event) => `${state} ${event}`),
  );
}

const results = new Map<string, ScenarioResult>();

async function run(path: string): Promise<{ result: ScenarioResult; report: string[] }> {
  const src = loadScenarioFile(path);
  expect(src.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  if (!src.value) throw new Error(`${path} did not parse`);
  // documents rendered, as `xinfang scenario` renders them
  const result = await runScenario(config, src.value, {
    calendars,
    locate: src.locate,
    templates: loaded.templates,
  });
  const file = path.slice(path.lastIndexOf('/') + 1);
  return {
    result,
    report: result.failures.map((f) => `${file}:${f.line ?? '?'} step ${f.step}: ${f.message}`),
  };
}

describe('national scenarios', () => {
  it('has scenario files', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files)('%s passes', async (file) => {
    const { result, report } = await run(`${dir}${file}`);
    results.set(file, result);
    expect(report).toEqual([]);
    expect(result.passed).toBe(true);
  });

  it('takes every transition of national.yaml at least once', () => {
    expect(results.size).toBe(files.length);
    const taken = new Set(
      [...results.values()].flatMap((r) => r.transitions.map((t) => `${t.state} ${t.event}`)),
    );
    const never = declared().filter((t) => !taken.has(t));
    expect(never, `transitions no scenario takes: ${never.join('; ')}`).toEqual([]);
  });

  it('visits every state of national.yaml', () => {
    const visited = new Set(
      [...results.values()].flatMap((r) => r.transitions.flatMap((t) => [t.state, t.to])),
    );
    const never = Object.keys(config.process.states).filter((s) => !visited.has(s));
    expect(never, `states no scenario reaches: ${never.join(', ')}`).toEqual([]);
  });
});
