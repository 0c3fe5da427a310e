/**
 * The legalization index (法治化指数): a weighted composite of the metrics, 0 to 100, with each
 * component published beside it. Weights come from the config (`reporting.index.weights`), so a
 * province weighs the components as it decides; a config without them uses the defaults here.
 */

import { type JurisdictionConfig, METRIC_IDS, type MetricId } from '../config/types.js';
import type { IndexResult, IndexWeights, Ratio } from './types.js';

/** Weights used when a config sets none (they need not sum to anything: they are relative). */
export const DEFAULT_INDEX_WEIGHTS: Readonly<IndexWeights> = Object.freeze({
  onTimeAcceptance: 20,
  onTimeCompletion: 20,
  satisfaction: 20,
  ratingParticipation: 10,
  repeatPetition: 10,
  reviewRate: 5,
  reexaminationRate: 5,
  overturnRate: 10,
});

/** Components where a lower rate is better: they score `1 - rate`. */
export const LOWER_IS_BETTER: ReadonlySet<MetricId> = new Set<MetricId>([
  'repeatPetition',
  'reviewRate',
  'reexaminationRate',
  'overturnRate',
]);

/**
 * The index weights of a config. A config that gives `reporting.index.weights` gets exactly
 * those (a component it leaves out weighs 0); one that gives none gets the defaults.
 */
export function indexWeights(config: JurisdictionConfig): { weights: IndexWeights; fromConfig: boolean } {
  const given = config.reporting?.index?.weights as Record<string, unknown> | undefined;
  if (!given || typeof given !== 'object')
    return { weights: { ...DEFAULT_INDEX_WEIGHTS }, fromConfig: false };
  const weights = {} as IndexWeights;
  for (const c of METRIC_IDS) {
    const w = given[c];
    weights[c] = typeof w === 'number' && Number.isFinite(w) && w > 0 ? w : 0;
  }
  return { weights, fromConfig: true };
}

/**
 * The index of a set of rates. A component without a rate (nothing to count it of) is left out
 * and the others' weights are renormalised, so a body with no reviews is neither rewarded nor
 * punished for them; with no component left, the index is null.
 */
export function legalizationIndex(
  rates: Readonly<Record<MetricId, Ratio>>,
  weights: IndexWeights,
): IndexResult {
  const scored = METRIC_IDS.map((component) => {
    const rate = rates[component].rate;
    const score = rate === null ? null : LOWER_IS_BETTER.has(component) ? 1 - rate : rate;
    return { component, weight: weights[component], rate, score };
  });
  const total = scored.reduce((sum, c) => sum + (c.score === null ? 0 : c.weight), 0);
  const components = scored.map((c) => ({
    ...c,
    points: c.score === null || total === 0 ? null : (100 * c.weight * c.score) / total,
  }));
  const value = total === 0 ? null : components.reduce((sum, c) => sum + (c.points ?? 0), 0);
  return { value, components };
}
