/**
 * The rule step as a command runs it: the config's rule sets that apply are evaluated
 * (`rules.ts`), then the embedder's `decide` hook may replace or add decisions. Runs before the
 * machine step, so a refusal here (RULE_CONFLICT) writes nothing.
 */

import { toJson } from '../base/json.js';
import type { CompiledConfig } from '../compiler/compile.js';
import { identityKey as identityKeyOf } from '../rules/index.js';
import type { Decision, RuleFacts } from '../rules/types.js';
import { asDecisions, evaluateStep, priorCasesOf, type RuleStepInput, stepFacts } from './rules.js';
import type { EngineRuntime } from './runtime.js';
import type { DecideFacts, DecideTrigger } from './types.js';

/** What a command tells the rule step. */
export interface RuleStepCall {
  trigger: Omit<DecideTrigger, 'ruleSets' | 'jurisdiction'>;
  /** The rule sets that apply here (`ruleSetsAt`). */
  ids: string[];
  at: string;
  petition: RuleStepInput['petition'];
  /** The case to leave out of the petitioner's earlier cases (found by the petition's identity key). */
  exclude?: string;
  earlier?: RuleStepInput['earlier'];
  /** What the hook sees besides the facts and decisions. */
  seen: Omit<DecideFacts, 'facts' | 'decisions'>;
}

/** The step's facts, and its decisions (undefined when no rule set applies and the hook adds none). */
export interface RuleStepResult {
  facts: RuleFacts;
  decisions: Record<string, Decision> | undefined;
}

/** Runs the rule step of a command on `compiled`. */
export async function runRuleStep(
  rt: EngineRuntime,
  compiled: CompiledConfig,
  call: RuleStepCall,
): Promise<RuleStepResult> {
  const jurisdiction = compiled.config.jurisdiction.id;
  // the plain key is made here, looked up in every form a case may be stored under, and never kept
  const plain = identityKeyOf(compiled.config, call.petition);
  const step: RuleStepInput = {
    compiled,
    calendar: rt.configs.calendarOf(compiled),
    at: call.at,
    petition: call.petition,
    priorCases:
      call.ids.length > 0
        ? await priorCasesOf(rt.store, jurisdiction, rt.keys.lookups(plain), call.exclude)
        : [],
    identityKey: rt.keys.keyOf(plain) ?? null,
    ...(call.earlier ? { earlier: call.earlier } : {}),
  };
  const facts = stepFacts(step);
  if (call.ids.length === 0) return { facts, decisions: undefined };
  let out = await evaluateStep(step, call.ids, facts);
  if (rt.decide) {
    const given = await rt.decide(
      { ...call.trigger, ruleSets: call.ids, jurisdiction },
      { ...call.seen, facts, decisions: out },
    );
    out = { ...out, ...asDecisions(compiled.config, given) };
  }
  return { facts, decisions: Object.keys(out).length > 0 ? toJson(out) : undefined };
}
