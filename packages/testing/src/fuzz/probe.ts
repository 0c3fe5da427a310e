/** A petition a config's form accepts, and a registrar of the unit that received it: the config fuzzer's probe. */

import type { ActorRef, JurisdictionConfig } from '@xinfang/core';
import fc from 'fast-check';
import { petitionArbitrary } from '../compliance/arbitraries.js';

/** What the config fuzzer submits on each mutated config that still loads. */
export interface FuzzProbe {
  petition: Record<string, unknown>;
  actor: ActorRef;
  /** The clock's start (an instant the config's calendar covers). */
  at: string;
}

/** A probe for `config`, drawn with `seed`: a valid petition and a registrar of its receiving unit. */
export function probeFor(config: JurisdictionConfig, seed = 17, at = '2026-03-02T09:00:00+08:00'): FuzzProbe {
  const [petition = {}] = fc.sample(petitionArbitrary(config, { date: at.slice(0, 10) }), {
    numRuns: 1,
    seed,
  });
  const received = petition.receivingUnit;
  const unit = typeof received === 'string' ? received : (Object.keys(config.units)[0] ?? '');
  return { petition, actor: { id: 'registrar-fuzz', role: 'registrar', unit }, at };
}
