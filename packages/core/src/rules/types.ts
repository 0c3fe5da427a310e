/**
 * What rule evaluation gives back: a decision per rule set, with the explanation a
 * supervisor reads (which rule fired, on which legal basis, each condition and its value).
 */

import type { Calendar } from '../calendar/index.js';
import type { HitPolicy } from '../config/types.js';

/** An outcome as the config writes it, with fact references resolved. */
export type Outcome = Record<string, unknown>;

/** One leaf condition of a fired rule, as it was evaluated. */
export interface ConditionTrace {
  fact: string;
  path?: string;
  operator: string;
  /** The value compared against (a fact reference resolved to its value). */
  value: unknown;
  /** The fact's value at `path`. */
  factValue: unknown;
  result: boolean;
  /** True when the leaf sits under a `not`: the rule needed it to be false. */
  negated?: boolean;
}

/** One rule that matched and contributes to the decision. */
export interface FiredRule {
  ruleId: string;
  name?: string;
  basis?: string;
  outcome: Outcome;
  /** Leaves that were evaluated (json-rules-engine skips the rest of a decided `any` / `all`). */
  conditions: ConditionTrace[];
}

/** The decision of one rule set for one input. Plain JSON: it is stored in the case's events. */
export interface Decision {
  ruleSet: string;
  hitPolicy: HitPolicy;
  /**
   * `first` / `unique`: the fired rule's outcome, else the set's default, else null.
   * `collect`: every fired rule's outcome in order, else `[default]` (or `[]`).
   */
  outcome: Outcome | Outcome[] | null;
  /**
   * One object for every policy, so a guard reads a key without knowing the policy. For
   * `collect`: the default overlaid with the fired outcomes, where an earlier rule (higher
   * priority, then config order) wins on a key two rules both set.
   */
  merged: Outcome | null;
  fired: FiredRule[];
  /** No rule matched: the outcome is the set's default (or none). */
  defaulted: boolean;
}

/** Options of rule evaluation. */
export interface EvaluateOptions {
  /**
   * The jurisdiction's calendar, for the `withinDays` and `workingDaysSince` operators. A rule
   * set using them without a calendar fails with RULE_EVALUATION.
   */
  calendar?: Calendar;
  /**
   * The evaluation instant (the engine's clock). Needed by the date operators unless the
   * facts carry `today`; rules never read the wall clock.
   */
  now?: Date | string;
  /**
   * Hash of the config ({@link configHash}); engines are cached by it. @default computed once
   * per config object (configs are immutable once loaded)
   */
  configHash?: string;
}

/** The facts rules read; see `FACT_NAMES` for each one's meaning. */
export type RuleFacts = Record<string, unknown>;
