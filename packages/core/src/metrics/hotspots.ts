/**
 * Early warning of hot spots: regions, bodies or subjects whose petitions over the last period, or whose
 * repeat rate then, exceed their own trailing average by a configured factor
 * (`reporting.hotSpots` of a config: `periodDays`, `trailingPeriods`, `factor`).
 */

import type { JurisdictionConfig } from '../config/types.js';
import { groupNaming, latestConfigs, NO_GROUP, ratio } from './report.js';
import type { CaseFacts, Ratio } from './types.js';

/** What hot spots are looked for by. */
export type HotSpotBy = 'region' | 'unit' | 'subject';

/** How hot spots are found. */
export interface HotSpotSettings {
  /** Length of a period in days. */
  periodDays: number;
  /** How many periods before the last one make the trailing average. */
  trailingPeriods: number;
  /** The last period is hot when it exceeds the trailing average times this. */
  factor: number;
}

/** Settings used when a config gives none. */
export const DEFAULT_HOT_SPOT_SETTINGS: Readonly<HotSpotSettings> = Object.freeze({
  periodDays: 30,
  trailingPeriods: 3,
  factor: 1.5,
});

/** A repeat-rate alarm needs at least this many repeats in the last period. */
export const MIN_HOT_REPEATS = 2;

export interface HotSpot {
  /** A region code, a unit or a subject. */
  key: string;
  name: string;
  jurisdictionId: string;
  /**
   * Cases registered in the last period, and the trailing periods' average over the
   * `trailingPeriods` of them the jurisdiction's records cover (fewer than the setting in its
   * first weeks; none: no history to compare with, and no alarm).
   */
  volume: { last: number; trailingAverage: number; trailingPeriods: number; hot: boolean };
  /** Repeat petitions among cases whose repetition can be told, last period and trailing periods. */
  repeat: { last: Ratio; trailing: Ratio; hot: boolean };
  hot: boolean;
}

export interface HotSpotReport {
  asOf: string;
  by: HotSpotBy;
  settings: HotSpotSettings;
  /** The last period, `(from, to]` as instants. */
  last: { from: string; to: string };
  /** Every region or subject seen in the window, the hot ones first. */
  spots: HotSpot[];
}

export interface HotSpotOptions {
  asOf: string;
  /**
   * Where petitions are counted: the region or the body that registered them (where they came
   * in), or their subject. @default 'region'
   */
  by?: HotSpotBy;
  /** Overrides the config's settings. */
  settings?: Partial<HotSpotSettings>;
  configs: ReadonlyMap<string, JurisdictionConfig>;
}

/** The hot-spot settings of a config, completed with the defaults. */
export function hotSpotSettings(
  config: JurisdictionConfig | undefined,
  overrides: Partial<Record<keyof HotSpotSettings, unknown>> = {},
): HotSpotSettings {
  // an override that is not a positive number falls back like a config value would
  const given: Partial<Record<keyof HotSpotSettings, unknown>> = {
    ...config?.reporting?.hotSpots,
    ...overrides,
  };
  const positive = (v: unknown, fallback: number) =>
    typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback;
  return {
    periodDays: positive(given.periodDays, DEFAULT_HOT_SPOT_SETTINGS.periodDays),
    trailingPeriods: positive(given.trailingPeriods, DEFAULT_HOT_SPOT_SETTINGS.trailingPeriods),
    factor: positive(given.factor, DEFAULT_HOT_SPOT_SETTINGS.factor),
  };
}

const DAY_MS = 86_400_000;

/**
 * Hot spots as of `asOf`. The last period is the `periodDays` before the instant; the trailing
 * periods are the `trailingPeriods` periods of the same length before it. Volume is hot when the
 * last period's cases exceed `factor` times the trailing average (an average below one case
 * counts as one, so a quiet region is not an alarm for a single petition); the repeat rate is
 * hot when it exceeds `factor` times the trailing periods' rate, with at least
 * `MIN_HOT_REPEATS` repeats in the last period.
 */
export function hotSpots(facts: readonly CaseFacts[], options: HotSpotOptions): HotSpotReport {
  const by = options.by ?? 'region';
  const asOf = new Date(options.asOf).toISOString();
  const latest = latestConfigs(facts, options.configs);
  const first = [...latest.values()][0]?.config;
  const settings = hotSpotSettings(first, options.settings);
  const scope: Scope = { by, settings, latest, window: windowOf(facts, settings, asOf) };
  const spots = [...countGroups(facts, scope).values()].map((g) => spotOf(g, scope));
  spots.sort(
    (a, b) =>
      Number(b.hot) - Number(a.hot) ||
      b.volume.last - a.volume.last ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  return {
    asOf,
    by,
    settings,
    last: { from: new Date(scope.window.lastFrom).toISOString(), to: asOf },
    spots,
  };
}

/** The periods compared, as epoch milliseconds. */
interface Window {
  end: number;
  /** Length of one period. */
  span: number;
  /** Start (exclusive) of the last period. */
  lastFrom: number;
  /** Start (exclusive) of the first trailing period. */
  windowFrom: number;
  /** How many whole trailing periods a jurisdiction's records cover. */
  covered(jurisdictionId: string): number;
}

/** What the counting and judging share. */
interface Scope {
  by: HotSpotBy;
  settings: HotSpotSettings;
  latest: ReturnType<typeof latestConfigs>;
  window: Window;
}

/** Running counts of one group. */
interface Acc {
  jurisdictionId: string;
  key: string;
  last: number;
  lastRep: number;
  lastKnown: number;
  trail: number;
  trailRep: number;
  trailKnown: number;
}

function windowOf(facts: readonly CaseFacts[], settings: HotSpotSettings, asOf: string): Window {
  const end = Date.parse(asOf);
  const span = settings.periodDays * DAY_MS;
  const lastFrom = end - span;
  // A trailing period from before a jurisdiction's first registration is no history: counted as
  // empty it would make every group look hot in a new store's first weeks. Only whole periods
  // after the first registration form the average.
  const firstAt = new Map<string, number>();
  for (const f of facts) {
    const t = Date.parse(f.registeredAt);
    if (t <= end && t < (firstAt.get(f.jurisdictionId) ?? Number.POSITIVE_INFINITY))
      firstAt.set(f.jurisdictionId, t);
  }
  const covered = (jurisdictionId: string): number => {
    const since = firstAt.get(jurisdictionId) ?? end;
    return Math.max(0, Math.min(settings.trailingPeriods, Math.floor((lastFrom - since) / span)));
  };
  return { end, span, lastFrom, windowFrom: end - span * (settings.trailingPeriods + 1), covered };
}

/** The group a case counts in: its subject, its registering unit, or that unit's region. */
function groupKey(f: CaseFacts, { by, latest }: Scope): string {
  const config = latest.get(f.jurisdictionId)?.config;
  const unit = f.registeringUnit ?? f.unit;
  if (by === 'subject') return f.subject ?? NO_GROUP;
  if (by === 'unit') return unit ?? NO_GROUP;
  return (unit && config?.units[unit]?.region) ?? NO_GROUP;
}

/** The cases of the window counted by group, last period and trailing periods apart. */
function countGroups(facts: readonly CaseFacts[], scope: Scope): Map<string, Acc> {
  const { end, span, lastFrom, windowFrom, covered } = scope.window;
  const groups = new Map<string, Acc>();
  for (const f of facts) {
    const t = Date.parse(f.registeredAt);
    if (t > end || t <= windowFrom) continue;
    const key = groupKey(f, scope);
    const id = `${f.jurisdictionId}\u0000${key}`;
    const acc = groups.get(id) ?? {
      jurisdictionId: f.jurisdictionId,
      key,
      last: 0,
      lastRep: 0,
      lastKnown: 0,
      trail: 0,
      trailRep: 0,
      trailKnown: 0,
    };
    const inLast = t > lastFrom;
    // a case in a trailing period only partly covered by the records is left out with it
    if (!inLast && t <= lastFrom - covered(f.jurisdictionId) * span) continue;
    if (inLast) acc.last++;
    else acc.trail++;
    if (f.repeat !== null) {
      if (inLast) acc.lastKnown++;
      else acc.trailKnown++;
      if (f.repeat && inLast) acc.lastRep++;
      else if (f.repeat) acc.trailRep++;
    }
    groups.set(id, acc);
  }
  return groups;
}

/** One group's counts judged against its trailing average and rate. */
function spotOf(g: Acc, { by, settings, latest, window }: Scope): HotSpot {
  const config = latest.get(g.jurisdictionId)?.config;
  const name =
    by === 'subject' || !config
      ? g.key === NO_GROUP
        ? '(未指明)'
        : g.key
      : groupNaming(config, by === 'unit' ? 'unit' : 'region').name(g.key);
  const periods = window.covered(g.jurisdictionId);
  const trailingAverage = periods === 0 ? 0 : g.trail / periods;
  const last = ratio(g.lastRep, g.lastKnown);
  const trailing = ratio(g.trailRep, g.trailKnown);
  const volumeHot = periods > 0 && g.last > settings.factor * Math.max(trailingAverage, 1);
  const repeatHot =
    g.lastRep >= MIN_HOT_REPEATS &&
    last.rate !== null &&
    trailing.rate !== null &&
    last.rate > settings.factor * trailing.rate;
  return {
    key: g.key,
    name,
    jurisdictionId: g.jurisdictionId,
    volume: { last: g.last, trailingAverage, trailingPeriods: periods, hot: volumeHot },
    repeat: { last, trailing, hot: repeatHot },
    hot: volumeHot || repeatHot,
  };
}
