/**
 * The supervision queue (Reg. 38-40): a red case waits for the body one level above the unit
 * responsible for it, where the petition bureau under that body supervises it (`SUPERVISE`).
 * Nothing is stored for the queue: it is the red cases of the units a body supervises, read
 * from the store, so a case leaves it as soon as it is no longer red.
 */

import { supervises, unitRegistry } from '../compiler/units.js';
import type { JurisdictionConfig } from '../config/types.js';
import type { CaseQuery } from '../store/types.js';

/** The units whose cases `unit` supervises, in registry order; none for an unknown unit. */
export function supervisedUnits(config: Pick<JurisdictionConfig, 'units'>, unit: string): string[] {
  const registry = unitRegistry(config);
  if (!registry.has(unit)) return [];
  return Object.keys(config.units).filter((u) => u !== unit && supervises(registry, unit, u));
}

/** Options of {@link supervisionQueue}. */
export interface SupervisionQueueOptions {
  jurisdictionId?: string;
  /** Page size of each query. @default 100 */
  pageSize?: number;
}

/**
 * The red cases `unit` supervises, by responsible unit, then case id. `query` reads cases:
 * a store's `query`, or an engine's with the viewer's redaction (`(q) => engine.query(q, viewer)`).
 */
export async function supervisionQueue<T extends { caseId: string }>(
  query: (q: CaseQuery) => Promise<T[]>,
  config: Pick<JurisdictionConfig, 'units'>,
  unit: string,
  options: SupervisionQueueOptions = {},
): Promise<T[]> {
  const limit = options.pageSize ?? 100;
  const out: T[] = [];
  for (const responsible of supervisedUnits(config, unit)) {
    let after: string | undefined;
    for (;;) {
      const page = await query({
        colour: 'red',
        unit: responsible,
        limit,
        ...(options.jurisdictionId ? { jurisdictionId: options.jurisdictionId } : {}),
        ...(after ? { after } : {}),
      });
      out.push(...page);
      if (page.length < limit) break;
      after = page.at(-1)?.caseId;
    }
  }
  return out;
}
