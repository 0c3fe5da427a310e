import { XinfangError } from '../base/errors.js';

/**
 * Two or more rules of a `unique` rule set matched the same input (RULE_CONFLICT). The set's
 * author must make the rules exclusive; the engine must not pick one silently.
 */
export class RuleConflictError extends XinfangError<'RULE_CONFLICT'> {
  static override readonly brand: string = 'RuleConflictError';

  readonly ruleSet: string;
  readonly rules: readonly string[];

  constructor(ruleSet: string, rules: string[]) {
    super(
      'RULE_CONFLICT',
      `rule set ${ruleSet} is unique, but rules ${rules.map((r) => JSON.stringify(r)).join(' and ')} both match this input; make their conditions exclusive`,
      { ruleSet, rules },
    );
    this.ruleSet = ruleSet;
    this.rules = rules;
  }
}

/** A rule could not be evaluated: a date operator without a calendar, a date outside it, ... */
export class RuleEvaluationError extends XinfangError<'RULE_EVALUATION'> {
  static override readonly brand: string = 'RuleEvaluationError';

  constructor(ruleSet: string, message: string, cause?: unknown) {
    super(
      'RULE_EVALUATION',
      `rule set ${ruleSet}: ${message}`,
      { ruleSet },
      cause === undefined ? undefined : { cause },
    );
  }
}

/** The config declares no rule set of this id (RULE_SET_UNKNOWN). */
export class UnknownRuleSetError extends XinfangError<'RULE_SET_UNKNOWN'> {
  static override readonly brand: string = 'UnknownRuleSetError';

  constructor(ruleSet: string, known: string[]) {
    super(
      'RULE_SET_UNKNOWN',
      `no rule set ${JSON.stringify(ruleSet)}; the config declares ${known.join(', ') || 'none'}`,
      {
        ruleSet,
        known,
      },
    );
  }
}
