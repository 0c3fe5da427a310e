/**
 * Reads the facts of a store's cases for a report: pages through the cases (keyset, in case-id
 * order), loads the configs they pinned from the store (by hash), and each reported case's
 * events. The store is only read.
 */

import { instantAt } from '../calendar/index.js';
import { compileConfig } from '../compiler/compile.js';
import type { CaseData } from '../compiler/types.js';
import type { JurisdictionConfig } from '../config/types.js';
import { mayRead } from '../engine/access.js';
import { actorRefusal } from '../engine/admit.js';
import { ConfigVersionUnknownError } from '../engine/errors.js';
import type { ActorRef, CaseEvent, CaseProjection, CaseStore } from '../store/types.js';
import { caseFacts } from './facts.js';
import { type RepeatEntry, repeatIndex } from './repeat.js';
import type { CaseFacts } from './types.js';

export interface ReadFactsOptions {
  /**
   * The report's instant (ISO). Events after it are ignored.
   * @default the instant of the store's latest event, so a report of the same store reads the same
   */
  asOf?: string;
  /** Only cases registered on or after this civil date (`YYYY-MM-DD`, in each case's zone). */
  from?: string;
  /** Only cases registered before this civil date (exclusive). */
  to?: string;
  /** Cases per page. @default 500 */
  pageSize?: number;
  /**
   * Report only the cases this person may read, as the engine's reads judge it (`mayRead`): a
   * report run for a unit's staff counts that unit's cases, never an accusation against it.
   * Absent: every case (a report for whoever the embedder lets see the whole jurisdiction).
   */
  viewer?: ActorRef;
}

export interface ReadFacts {
  /** The instant the facts are as of; undefined for a store with no case and no `asOf`. */
  asOf: string | undefined;
  facts: CaseFacts[];
  /** Every config the store's cases pinned, by hash. */
  configs: Map<string, JurisdictionConfig>;
  /** Cases in the store registered by `asOf` (reported or not). */
  cases: number;
  /**
   * The instant of the store's latest event. An `asOf` after it reports on steps nobody has
   * recorded yet: periods still running then count as missed while the colours stay as last
   * recorded (the clock's ticks would have turned them), so a caller may want to say so.
   */
  latestEvent?: string;
}

async function* pages(store: CaseStore, size: number): AsyncGenerator<CaseProjection[]> {
  let after: string | undefined;
  for (;;) {
    const page = await store.query({ limit: size, ...(after !== undefined ? { after } : {}) });
    if (page.length > 0) yield page;
    if (page.length < size) return;
    after = page.at(-1)?.caseId;
  }
}

/**
 * The facts of the store's cases registered in `[from, to)` by `asOf`. Every case registered by
 * `asOf` is read once to tell repeat petitions (a repeat of a case from before `from` is still a
 * repeat); the reported cases' projections are kept while the instant is settled, and only their
 * events are loaded.
 */
export async function readCaseFacts(store: CaseStore, options: ReadFactsOptions = {}): Promise<ReadFacts> {
  const asked = options.asOf === undefined ? undefined : new Date(options.asOf).toISOString();
  const scan = await scanCases(store, { options, asked });
  const { configs, entries, latest } = scan;
  const asOf = asked ?? latest;
  if (asOf === undefined) return { asOf, facts: [], configs, cases: 0 };
  const last = latest === undefined ? {} : { latestEvent: latest };
  const facts = await factsOf(store, { scan, asOf });
  return { asOf, facts, configs, cases: entries.length, ...last };
}

/** Whether `viewer` (when given) may read the case, by the engine's own rule. */
function readableBy(viewer: ActorRef | undefined, config: JurisdictionConfig, p: CaseProjection): boolean {
  if (viewer === undefined) return true;
  const compiled = compileConfig(config, p.configHash);
  if (actorRefusal(compiled, viewer) || viewer.queryCode !== undefined) return false;
  return mayRead(compiled, { state: p.state, data: p.data as unknown as CaseData }, viewer);
}

/** What one pass over the store's cases found. */
interface Scan {
  /** Every case registered by the asked instant, to tell repeats by. */
  entries: RepeatEntry[];
  configs: Map<string, JurisdictionConfig>;
  /** The cases registered in `[from, to)` by the asked instant. */
  reported: CaseProjection[];
  /** The instant of the store's latest event. */
  latest: string | undefined;
}

/** Pages through the cases once, loading each pinned config the first time it is seen. */
async function scanCases(
  store: CaseStore,
  { options, asked }: { options: ReadFactsOptions; asked: string | undefined },
): Promise<Scan> {
  const scan: Scan = { entries: [], configs: new Map(), reported: [], latest: undefined };
  /** Per config: the registration bounds as instants in its zone. */
  const bounds = new Map<string, { lo?: string; hi?: string }>();
  const configOf = async (p: CaseProjection): Promise<void> => {
    if (scan.configs.has(p.configHash)) return;
    const config = (await store.getConfig(p.configHash)) as JurisdictionConfig | undefined;
    if (!config) throw new ConfigVersionUnknownError(p.configHash, p.caseId);
    const zone = config.jurisdiction.timezone;
    scan.configs.set(p.configHash, config);
    bounds.set(p.configHash, {
      ...(options.from !== undefined ? { lo: instantAt(options.from, '00:00', zone) } : {}),
      ...(options.to !== undefined ? { hi: instantAt(options.to, '00:00', zone) } : {}),
    });
  };
  for await (const page of pages(store, options.pageSize ?? 500)) {
    for (const p of page) {
      await configOf(p);
      if (scan.latest === undefined || p.updatedAt > scan.latest) scan.latest = p.updatedAt;
      if (asked !== undefined && p.createdAt > asked) continue;
      scan.entries.push({
        caseId: p.caseId,
        createdAt: p.createdAt,
        ...(p.identityKey ? { identityKey: p.identityKey } : {}),
        ...(p.matterKey ? { matterKey: p.matterKey } : {}),
      });
      const b = bounds.get(p.configHash);
      const inRange =
        (b?.lo === undefined || p.createdAt >= b.lo) && (b?.hi === undefined || p.createdAt < b.hi);
      if (inRange && readableBy(options.viewer, scan.configs.get(p.configHash) as JurisdictionConfig, p)) {
        scan.reported.push(p);
      }
    }
  }
  return scan;
}

/** The facts of the reported cases as of `asOf`, in the cases' order. */
async function factsOf(store: CaseStore, { scan, asOf }: { scan: Scan; asOf: string }): Promise<CaseFacts[]> {
  const { reported, configs } = scan;
  const repeats = repeatIndex(scan.entries);
  const facts: CaseFacts[] = [];
  /** Versions moved cases were on before, which no case pins now (undefined: not stored). */
  const earlier = new Map<string, JurisdictionConfig | undefined>();
  // A few case histories in flight at once: over a network store (PostgreSQL) one round trip
  // per case at a time was most of a report's time; the facts keep the cases' order.
  const inFlight = 8;
  for (let i = 0; i < reported.length; i += inFlight) {
    const chunk = reported.slice(i, i + inFlight);
    const histories = await Promise.all(chunk.map((p) => store.events(p.caseId)));
    // a moved case's events before the move are read under the version they were made under
    for (const events of histories)
      for (const e of events)
        if (!configs.has(e.configHash) && !earlier.has(e.configHash))
          earlier.set(e.configHash, (await store.getConfig(e.configHash)) as JurisdictionConfig | undefined);
    chunk.forEach((p, k) => {
      const f = caseFacts(
        { projection: p, events: histories[k] as CaseEvent[] },
        configs.get(p.configHash) as JurisdictionConfig,
        { asOf, repeat: repeats.isRepeat(p), versions: (hash) => configs.get(hash) ?? earlier.get(hash) },
      );
      if (f) facts.push(f);
    });
  }
  return facts;
}
