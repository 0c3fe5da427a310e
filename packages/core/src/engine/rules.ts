/**
 * The engine's rule step. Before a case is created (submit) or a transition is taken, the rule
 * sets that apply there are evaluated on facts the engine gathers: the petition, the
 * petitioner's earlier cases from the store, the unit registry, the date from the clock and the
 * jurisdiction's calendar. json-rules-engine is asynchronous and XState guards are not, so the
 * decisions are made first and travel in the machine event, where guards read them; the event
 * stores them (`payload.decisions`) and the case keeps the latest of each set (`data.rules`),
 * each with its explanation, so a replay needs no rule engine and a supervisor sees why.
 */

import { toJson } from '../base/json.js';
import type { Calendar } from '../calendar/index.js';
import type { CompiledConfig } from '../compiler/compile.js';
import type { JurisdictionConfig } from '../config/types.js';
import { buildFacts, evaluateNamedRuleSets } from '../rules/index.js';
import type { Decision, RuleFacts } from '../rules/types.js';
import type { CaseProjection, CaseStore, JsonObject } from '../store/types.js';

/** Page size of the earlier-cases lookup; every page is read (a repeat must not hide on page 2). */
const PRIOR_PAGE = 100;

/** The rule sets that apply to a step: those the transition names, and those whose `on` lists the trigger. */
export function ruleSetsAt(config: JurisdictionConfig, trigger: string, named: readonly string[]): string[] {
  const sets = config.ruleSets ?? {};
  return Object.keys(sets).filter((id) => named.includes(id) || (sets[id]?.on ?? []).includes(trigger));
}

/**
 * The petitioner's cases in the store, found by identity key, without `exclude`. `identityKeys`
 * lists every form a case of theirs may be stored under (`IdentityKeyring.lookups`: the keyed
 * key under each secret, and the clear key of a case not yet re-keyed); a case is listed once.
 */
export async function priorCasesOf(
  store: CaseStore,
  jurisdictionId: string,
  identityKeys: string | readonly string[] | undefined,
  exclude?: string,
): Promise<CaseProjection[]> {
  // an anonymous petitioner, or one no key list identifies, has no earlier cases to find
  const keys =
    identityKeys === undefined ? [] : typeof identityKeys === 'string' ? [identityKeys] : identityKeys;
  const found = new Map<string, CaseProjection>();
  for (const identityKey of keys) {
    let after: string | undefined;
    for (;;) {
      const page = await store.query({
        jurisdictionId,
        identityKey,
        limit: PRIOR_PAGE,
        ...(after !== undefined ? { after } : {}),
      });
      for (const p of page) if (p.caseId !== exclude && !found.has(p.caseId)) found.set(p.caseId, p);
      if (page.length < PRIOR_PAGE) break;
      after = page.at(-1)?.caseId;
    }
  }
  return [...found.values()];
}

/** What the rule step is given. */
export interface RuleStepInput {
  compiled: CompiledConfig;
  calendar: Calendar;
  /** The step's instant (the engine's clock). */
  at: string;
  petition: JsonObject;
  priorCases: readonly CaseProjection[];
  /** The `identityKey` fact: the keyed key the engine stores, never the clear one (decisions are stored). */
  identityKey?: string | null;
  /** Decisions the case already holds (`data.rules`): their outcomes are facts for sets run later. */
  earlier?: Record<string, JsonObject>;
}

/** The facts of a step: {@link buildFacts}, plus the merged outcome of each earlier decision by set id. */
export function stepFacts(input: RuleStepInput): RuleFacts {
  const facts = buildFacts({
    config: input.compiled.config,
    petition: input.petition,
    now: input.at,
    calendar: input.calendar,
    priorCases: input.priorCases,
    ...(input.identityKey !== undefined ? { identityKey: input.identityKey } : {}),
  });
  for (const [id, d] of Object.entries(input.earlier ?? {})) facts[id] = d.merged ?? null;
  return facts;
}

/** Evaluates the rule sets `ids` on `facts`; RULE_CONFLICT and RULE_EVALUATION propagate. */
export async function evaluateStep(
  input: RuleStepInput,
  ids: readonly string[],
  facts: RuleFacts,
): Promise<Record<string, Decision>> {
  if (ids.length === 0) return {};
  return evaluateNamedRuleSets(input.compiled.config, ids, facts, {
    calendar: input.calendar,
    now: input.at,
    configHash: input.compiled.hash,
  });
}

function isDecision(v: unknown): v is Decision {
  return (
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    typeof (v as Decision).ruleSet === 'string' &&
    'merged' in v &&
    Array.isArray((v as Decision).fired)
  );
}

/**
 * A hook's result in the shape guards read: a `Decision` as given, a bare outcome wrapped as a
 * decision of no fired rule (so `ruleOutcome` reads `merged` whatever decided it).
 */
export function asDecisions(
  config: JurisdictionConfig,
  given: Record<string, unknown> | undefined,
): Record<string, Decision> {
  const out: Record<string, Decision> = {};
  for (const [id, v] of Object.entries(given ?? {})) {
    if (v === undefined) continue;
    if (isDecision(v)) {
      out[id] = v;
      continue;
    }
    const outcome = (v ?? null) as Decision['merged'];
    out[id] = {
      ruleSet: id,
      hitPolicy: config.ruleSets?.[id]?.hitPolicy ?? 'first',
      outcome,
      merged: outcome,
      fired: [],
      defaulted: false,
    };
  }
  return toJson(out);
}
