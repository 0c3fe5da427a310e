/**
 * @xinfang/testing/compliance — is a configured procedure lawful? Arbitraries for a
 * jurisdiction, the statutory invariants (static and property-based), and `runCheck`, which
 * `xinfang check` prints. Free of vitest, so it runs outside a test runner.
 */

export {
  actorArbitrary,
  advanceArbitrary,
  dayArbitrary,
  petitionArbitrary,
  scenarioArbitrary,
  stepArbitrary,
} from './arbitraries.js';
export type { CheckOptions, CheckReport, Counterexample, InvariantResult } from './check.js';
export { DEFAULT_SEED, runCheck } from './check.js';
export type {
  CheckPlan,
  DriverOptions,
  StepOutcome,
  Trace,
  TracedCase,
  TracedEvent,
  TraceEntry,
} from './driver.js';
export { PETITIONER_ID, runCheckScenario } from './driver.js';
export type { DynamicInvariant, InvariantContext, Violation } from './invariants/index.js';
export { DYNAMIC_INVARIANTS } from './invariants/index.js';
export type { AdvanceTarget, CheckScenario, CheckStep } from './scenario.js';
export type { StaticFinding, StaticInvariant } from './static.js';
export { pathCoverage, STATIC_INVARIANTS } from './static.js';
export type { StatutoryPeriod, StatutoryPeriodId } from './statute.js';
export { STATUTE } from './statute.js';
export { renderTimeline } from './timeline.js';
