/**
 * What every province test needs: the province's resolved config beside national's, its
 * scenario files under configs/scenarios/<name>/, and a run of one of them that reports each
 * failed expectation with its line.
 */

import { generateKeyPairSync } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { ManualClock } from '../../src/base/clock.js';
import { type Calendar, loadCalendarDir } from '../../src/calendar/index.js';
import { transitionEntries } from '../../src/config/index.js';
import { createDocumentIssuer, createEd25519Sealer } from '../../src/documents/index.js';
import { createEngine } from '../../src/engine/index.js';
import { type LoadedConfig, loadConfig, loadConfigOrThrow } from '../../src/loader/index.js';
import { loadScenarioFile, runScenario, type ScenarioResult } from '../../src/scenario/index.js';
import { createMemoryStore } from '../../src/store/index.js';
import type { CaseStore, JsonObject } from '../../src/store/types.js';
import { TEST_IDENTITY_KEYS } from '../keys.js';

export const root = fileURLToPath(new URL('../../../../', import.meta.url));

let national: LoadedConfig | undefined;
let calendars: Map<string, Calendar> | undefined;

/** national.yaml, resolved, once per test file. */
export function nationalConfig(): LoadedConfig {
  national ??= loadConfigOrThrow(`${root}configs/national.yaml`);
  return national;
}

/** The calendars of configs/calendars/. */
export function calendarsDir(): Map<string, Calendar> {
  calendars ??= loadCalendarDir(`${root}configs/calendars`);
  return calendars;
}

/**
 * The resolved config with each document's template as the file it resolves to (relative to the
 * repository): a province that names `templates/x.liquid` beside itself has its own template,
 * though the string is national's.
 */
export function withTemplateFiles(loaded: LoadedConfig): Record<string, unknown> {
  const documents = Object.fromEntries(
    Object.entries(loaded.value.documents).map(([id, d]) => [
      id,
      { ...d, template: relative(root, loaded.templates[id] ?? d.template) },
    ]),
  );
  return { ...loaded.value, documents };
}

/**
 * The diff lines a province's own unit registry makes against national: the national demo
 * units (`prov-*`, `city-*`, `county-*`) removed, the province's own units added, and the
 * reception days that named the demo units removed. Each sorted, as `configDiff` lists them.
 */
export function registrySwap(
  national: LoadedConfig,
  province: LoadedConfig,
): { units: string[]; receptionDays: string[] } {
  const demo = Object.keys(national.value.units).filter((id) => /^(prov|city|county)-/.test(id));
  const own = Object.keys(province.value.units).filter((id) => !(id in national.value.units));
  return {
    units: [...demo.map((id) => `- /units/${id}`), ...own.map((id) => `+ /units/${id}`)].sort(),
    receptionDays: Object.entries(national.value.receptionDays ?? {})
      .filter(([, d]) => demo.includes(d.unit))
      .map(([id]) => `- /receptionDays/${id}`)
      .sort(),
  };
}

/** Where a province's config is: configs/provinces/<name>/<name>.yaml. */
export function provinceFile(name: string): string {
  return `${root}configs/provinces/${name}/${name}.yaml`;
}

/** Loads a province's config; the diagnostics are returned too, so a test can show them. */
export function loadProvince(name: string) {
  return loadConfig(provinceFile(name));
}

/** The scenario files of a province, sorted. */
export function scenarioFiles(name: string): string[] {
  return readdirSync(`${root}configs/scenarios/${name}`)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
}

/** Runs one scenario file of a province; `report` lists each failure as `file:line step n: message`. */
export async function runProvinceScenario(
  config: LoadedConfig,
  name: string,
  file: string,
): Promise<{ result: ScenarioResult; report: string[] }> {
  const src = loadScenarioFile(`${root}configs/scenarios/${name}/${file}`);
  expect(src.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  if (!src.value) throw new Error(`${file} did not parse`);
  const result = await runScenario(config.value, src.value, {
    calendars: calendarsDir(),
    locate: src.locate,
    templates: config.templates,
  });
  return {
    result,
    report: result.failures.map((f) => `${file}:${f.line ?? '?'} step ${f.step}: ${f.message}`),
  };
}

/**
 * An engine on a memory store that renders, numbers and seals the documents of `config` with
 * its own templates, the clock at `start`.
 */
export function issuingEngine(config: LoadedConfig, start: string) {
  const store: CaseStore = createMemoryStore();
  const clock = new ManualClock(start);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const documents = createDocumentIssuer({
    store,
    sealer: createEd25519Sealer({ privateKey, publicKey }),
    templates: config.templates,
  });
  const engine = createEngine({
    configs: [config.value],
    calendars: calendarsDir(),
    store,
    clock,
    documents,
    identityKeys: TEST_IDENTITY_KEYS,
  });
  /** The documents rendered for a case, by document id (the latest of each). */
  const rendered = async (caseId: string): Promise<Map<string, JsonObject>> => {
    const rows = (await store.outbox({ caseId })).filter((r) => r.kind === 'document');
    return new Map(rows.map((r) => [String(r.payload.documentId), r.payload]));
  };
  const publicKeyPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
  return { engine, store, clock, rendered, publicKeyPem };
}

/** Document ids some state or transition of the config's process issues. */
export function issuedByProcess(config: LoadedConfig): string[] {
  const ids = new Set<string>();
  for (const state of Object.values(config.value.process.states)) {
    for (const d of state.issues ?? []) ids.add(d);
    for (const { alternatives } of transitionEntries(state)) {
      for (const def of alternatives) for (const d of def.issues ?? []) ids.add(d);
    }
  }
  for (const d of Object.values(config.value.deadlines)) if (d.extension?.notice) ids.add(d.extension.notice);
  return [...ids].sort();
}
