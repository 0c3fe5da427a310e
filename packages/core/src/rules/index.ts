/**
 * Classification, routing and acceptance rules (json-rules-engine): facts, evaluation with
 * hit policies and explanations, the static checks the loader runs, routing over the unit
 * registry.
 */

export type { CheckRuleSetsOptions, LocatePointer } from './check.js';
export { checkRuleSets, knownFacts } from './check.js';
export { RuleConflictError, RuleEvaluationError, UnknownRuleSetError } from './errors.js';
export {
  clearRuleEngineCache,
  evaluateNamedRuleSets,
  evaluateRuleSet,
  evaluateRuleSets,
  ruleOrder,
} from './evaluate.js';
export type { FactsInput, PriorCaseFact } from './facts.js';
export { buildFacts, FACT_NAMES, noticeOwed } from './facts.js';
export { identityKey, matterKey } from './keys.js';
export type { DateContext } from './operators.js';
export { BUILTIN_OPERATORS, DATE_OPERATORS, dateOperators, KNOWN_OPERATORS } from './operators.js';
export { pathSegments, resolvePath } from './path.js';
export type { ConditionTrace, Decision, EvaluateOptions, FiredRule, Outcome, RuleFacts } from './types.js';
export type { Bodies } from './units.js';
export { bodiesFor, commonSuperior, competentUnits, superiorOf, territoryOf } from './units.js';
