/**
 * Two versions of one jurisdiction for the migration tests: national.yaml, and
 * configs/migration/national-v2.yaml (its `opinion-issued` renamed `opinion-served`, handling
 * 45 days instead of 60, a notice of the new period). Cases start on an engine given national
 * only; the engine after the redeploy is given the new version only, and reads the old one
 * back from the store by hash.
 */

import { fileURLToPath } from 'node:url';
import type { ManualClock } from '../../src/base/clock.js';
import { configHash } from '../../src/config/hash.js';
import type { JurisdictionConfig } from '../../src/config/types.js';
import { createEngine, type Engine } from '../../src/engine/index.js';
import { loadConfigOrThrow } from '../../src/loader/index.js';
import { type MigrationPlan, parsePlanText } from '../../src/loader/plan.js';
import type { CaseStore } from '../../src/store/types.js';
import { mainland, nationalConfig } from '../engine/helpers.js';
import { TEST_IDENTITY_KEYS } from '../keys.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

let v2: JurisdictionConfig | undefined;

/** The second version (configs/migration/national-v2.yaml). */
export function nationalV2(): JurisdictionConfig {
  v2 ??= loadConfigOrThrow(`${root}configs/migration/national-v2.yaml`).value;
  return v2;
}

/** A plan's YAML from national to its second version: the header, then `body`. */
export function planYaml(body: string, to: JurisdictionConfig = nationalV2()): string {
  return `migration: test-plan\nfrom: ${configHash(nationalConfig())}\nto: ${configHash(to)}\n${body}`;
}

/** Parses and checks a plan against the two versions on the mainland calendar; throws on an error. */
export function plan(body: string): MigrationPlan {
  const r = parsePlanText(planYaml(body), 'plan.yaml', {
    from: nationalConfig(),
    to: nationalV2(),
    calendar: mainland(),
  });
  if (!r.plan)
    throw new Error(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`).join('\n'));
  return r.plan;
}

/** The engine after the redeploy: the new version only, on the same store and clock. */
export function engineV2(store: CaseStore, clock: ManualClock): Engine {
  return createEngine({
    configs: [nationalV2()],
    calendars: [mainland()],
    store,
    clock,
    identityKeys: TEST_IDENTITY_KEYS,
  });
}

/** Runs a plan over every page. */
export async function migrateAll(engine: Engine, p: MigrationPlan, dryRun = false) {
  const out = {
    moved: [] as string[],
    left: [] as { caseId: string; reason: string }[],
    already: 0,
    skipped: 0,
  };
  let after: string | undefined;
  do {
    const r = await engine.migrate(p, { dryRun, limit: 100, ...(after ? { after } : {}) });
    out.moved.push(...r.moved.map((m) => m.caseId));
    out.left.push(...r.left.map((l) => ({ caseId: l.caseId, reason: l.reason })));
    out.already += r.already.length;
    out.skipped += r.skipped.length;
    after = r.next;
  } while (after !== undefined);
  return out;
}
