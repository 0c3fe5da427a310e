/**
 * What a scenario run reports. Apart from `run.ts` so the expectation checks (`expect.ts`) can
 * name a failure without importing the runner that imports them.
 */

/** One expectation that did not hold, located by step and JSON pointer into the scenario file. */
export interface ScenarioFailure {
  /** 0 is the submission; n is `steps[n-1]`. */
  step: number;
  pointer: string;
  /** 1-based line in the scenario file, when the caller could locate it. */
  line?: number;
  message: string;
  expected?: unknown;
  actual?: unknown;
  /** The run stopped here: later steps were not run. */
  stopped?: boolean;
}

/**
 * A transition the case took: the state it was in, the event (a command's type, or
 * `<deadline>.expired` for an expiry found by the tick) and the state it went to (the same
 * state for a transition without `to`).
 */
export interface TakenTransition {
  state: string;
  event: string;
  to: string;
}

export interface ScenarioResult {
  name: string;
  passed: boolean;
  caseId?: string;
  failures: ScenarioFailure[];
  /** Steps run, including the submission. */
  steps: number;
  /** Every transition the case took, in order (refused commands take none). */
  transitions: TakenTransition[];
}
