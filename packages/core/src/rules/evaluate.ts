/**
 * Evaluates the config's rule sets with json-rules-engine and turns the result into a
 * {@link Decision}: the outcome under the set's hit policy, and the explanation.
 *
 * One `Engine` is built per (config hash, rule set) and reused: building one parses every
 * condition. A set that uses a date operator also depends on the calendar and on today (the
 * operators cannot see the facts), so its engines are keyed by those too; the cache is small
 * and bounded, and in steady state every request of a day hits the same engine.
 */

import { Engine, type RuleResult } from 'json-rules-engine';
import { XinfangError } from '../base/errors.js';
import { civilDate } from '../calendar/index.js';
import { configHash } from '../config/hash.js';
import type { JurisdictionConfig, RuleDef, RuleSetDef } from '../config/types.js';
import { RuleConflictError, RuleEvaluationError, UnknownRuleSetError } from './errors.js';
import { DATE_OPERATORS, type DateContext, dateOperators } from './operators.js';
import { resolvePath } from './path.js';
import type { ConditionTrace, Decision, EvaluateOptions, FiredRule, Outcome, RuleFacts } from './types.js';

const MAX_ENGINES = 256;

interface Compiled {
  engine: Engine;
  set: RuleSetDef;
  /** Rules by id, with their place in the evaluation order (priority desc, then config order). */
  order: Map<string, { rule: RuleDef; rank: number }>;
  /** The last run queued on this engine (see {@link runExclusive}). */
  tail: Promise<unknown>;
}

const engines = new Map<string, Compiled>();
const hashes = new WeakMap<JurisdictionConfig, string>();

function hashOf(config: JurisdictionConfig, given: string | undefined): string {
  if (given !== undefined) return given;
  let h = hashes.get(config);
  if (h === undefined) {
    h = configHash(config);
    hashes.set(config, h);
  }
  return h;
}

const dateOperatorNames = new Set<string>(DATE_OPERATORS);

/** Whether any leaf of a condition tree uses one of the date operators. */
function usesDates(node: unknown): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some(usesDates);
  const n = node as Record<string, unknown>;
  if (typeof n.operator === 'string' && dateOperatorNames.has(n.operator)) return true;
  return usesDates(n.all) || usesDates(n.any) || usesDates(n.not);
}

function setUsesDates(set: RuleSetDef): boolean {
  return set.rules.some((r) => usesDates(r.conditions));
}

/**
 * The rules of a set in the order a `first` set tries them: higher `priority` first, then
 * config order.
 */
export function ruleOrder(set: RuleSetDef): RuleDef[] {
  return set.rules
    .map((rule, index) => ({ rule, index }))
    .sort((a, b) => (b.rule.priority ?? 1) - (a.rule.priority ?? 1) || a.index - b.index)
    .map((x) => x.rule);
}

/**
 * A json-rules-engine `Engine` holding a set's rules, with the date operators bound to
 * `dates` when given. Exported for the benchmark, which compares against a bare engine.
 */
export function buildEngine(set: RuleSetDef, dates?: DateContext): Engine {
  // a fact the facts builder did not provide reads as undefined, so a rule on it does not
  // match; unknown fact *names* are refused at load by checkRuleSets
  const engine = new Engine([], { allowUndefinedFacts: true, pathResolver: resolvePath });
  for (const rule of set.rules) {
    // one json-rules-engine priority for all: the hit policy orders the matches afterwards
    // (see ruleOrder), and every rule must be evaluated anyway to explain and to detect conflicts
    engine.addRule({
      name: rule.id,
      // json-rules-engine keeps and decorates what it is given: hand it a copy
      conditions: structuredClone(rule.conditions) as never,
      event: { type: rule.id },
    });
  }
  if (dates) {
    for (const [name, fn] of Object.entries(dateOperators(dates))) engine.addOperator(name, fn);
  }
  return engine;
}

function compiled(
  config: JurisdictionConfig,
  id: string,
  set: RuleSetDef,
  facts: RuleFacts,
  options: EvaluateOptions,
): Compiled {
  let key = `${hashOf(config, options.configHash)}\u0000${id}`;
  let dates: DateContext | undefined;
  if (setUsesDates(set)) {
    const timezone = config.jurisdiction.timezone;
    const today =
      typeof facts.today === 'string'
        ? facts.today
        : options.now !== undefined
          ? civilDate(options.now, timezone)
          : undefined;
    if (today === undefined) {
      throw new RuleEvaluationError(
        id,
        'its rules count dates, and neither a `today` fact nor `now` was given',
      );
    }
    dates = { today, timezone };
    if (options.calendar) dates.calendar = options.calendar;
    key += `\u0000${today}\u0000${options.calendar ? `${options.calendar.id}@${options.calendar.version}` : ''}`;
  }
  let hit = engines.get(key);
  if (hit) {
    // refresh its place: the map's order is the eviction order
    engines.delete(key);
    engines.set(key, hit);
    return hit;
  }
  const order = new Map(ruleOrder(set).map((rule, rank) => [rule.id, { rule, rank }]));
  hit = { engine: buildEngine(set, dates), set, order, tail: Promise.resolve() };
  engines.set(key, hit);
  if (engines.size > MAX_ENGINES) {
    const oldest = engines.keys().next().value;
    if (oldest !== undefined) engines.delete(oldest);
  }
  return hit;
}

/**
 * Runs the engine after any run already queued on it. json-rules-engine keeps one `status` per
 * engine and a run that finishes marks it FINISHED, which makes a run still in progress on the
 * same engine skip its remaining rules: concurrent runs on a shared engine can silently miss a
 * match. Facts are plain values, so runs do no I/O and queuing them costs no parallelism.
 */
function runExclusive(c: Compiled, facts: RuleFacts): ReturnType<Engine['run']> {
  const run = c.tail.then(() => c.engine.run(facts));
  c.tail = run.catch(() => undefined);
  return run;
}

/** Drops every cached engine (tests; a process that reloads many configs). */
export function clearRuleEngineCache(): void {
  engines.clear();
}

/** Leaves of an evaluated condition tree, in order; skipped leaves are left out. */
function traceOf(node: unknown, negated = false, out: ConditionTrace[] = []): ConditionTrace[] {
  if (node === null || typeof node !== 'object') return out;
  const n = node as Record<string, unknown>;
  if (Array.isArray(n.all)) for (const c of n.all) traceOf(c, negated, out);
  else if (Array.isArray(n.any)) for (const c of n.any) traceOf(c, negated, out);
  else if (n.not !== undefined) traceOf(n.not, !negated, out);
  else if (typeof n.fact === 'string' && typeof n.result === 'boolean') {
    const t: ConditionTrace = {
      fact: n.fact,
      operator: String(n.operator),
      value: 'valueResult' in n ? n.valueResult : n.value,
      factValue: n.factResult ?? null,
      result: n.result,
    };
    if (typeof n.path === 'string') t.path = n.path;
    if (negated) t.negated = true;
    out.push(t);
  }
  return out;
}

function isFactRef(v: unknown): v is { fact: string; path?: string } {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  const r = v as Record<string, unknown>;
  return typeof r.fact === 'string' && keys.every((k) => k === 'fact' || k === 'path');
}

/** An outcome with its `{ fact, path? }` references replaced by the facts' values (null when absent). */
async function resolveOutcome(
  outcome: Outcome,
  read: (fact: string, path?: string) => Promise<unknown>,
): Promise<Outcome> {
  const out: Outcome = {};
  for (const [k, v] of Object.entries(outcome)) {
    out[k] = isFactRef(v) ? ((await read(v.fact, v.path)) ?? null) : v;
  }
  return out;
}

function evaluationError(id: string, e: unknown): XinfangError {
  if (e instanceof XinfangError && e.code !== 'CALENDAR_NOT_COVERED' && e.code !== 'CALENDAR_BAD_DATE')
    return e;
  return new RuleEvaluationError(id, e instanceof Error ? e.message : String(e), e);
}

/**
 * Evaluates one rule set on `facts` (build them with {@link buildFacts}).
 *
 * - `first`: the first matching rule (higher priority first, then config order) decides.
 * - `unique`: at most one rule may match; two matching is a `RuleConflictError`
 *   (RULE_CONFLICT) naming them.
 * - `collect`: every matching rule contributes, in that order.
 *
 * With no match the set's default (if any) is the outcome and `defaulted` is true. Outcome
 * values written `{ fact, path? }` are replaced by the facts' values (routing names the
 * competent body it found). Throws `UnknownRuleSetError` (RULE_SET_UNKNOWN) for an unknown
 * id and `RuleEvaluationError` (RULE_EVALUATION) when a rule cannot be evaluated.
 */
export async function evaluateRuleSet(
  config: JurisdictionConfig,
  ruleSetId: string,
  facts: RuleFacts,
  options: EvaluateOptions = {},
): Promise<Decision> {
  const set = config.ruleSets?.[ruleSetId];
  if (!set) throw new UnknownRuleSetError(ruleSetId, Object.keys(config.ruleSets ?? {}));
  const c = compiled(config, ruleSetId, set, facts, options);
  const { order } = c;
  let results: RuleResult[];
  let read: (fact: string, path?: string) => Promise<unknown>;
  try {
    const run = await runExclusive(c, facts);
    results = run.results;
    read = (fact, path) => run.almanac.factValue(fact, {}, path);
  } catch (e) {
    throw evaluationError(ruleSetId, e);
  }

  const matched = results
    .map((r) => ({ r, o: order.get(r.name) }))
    .filter((x): x is { r: RuleResult; o: { rule: RuleDef; rank: number } } => x.o !== undefined)
    .sort((a, b) => a.o.rank - b.o.rank);
  if (set.hitPolicy === 'unique' && matched.length > 1) {
    throw new RuleConflictError(
      ruleSetId,
      matched.map((m) => m.o.rule.id),
    );
  }
  const chosen = set.hitPolicy === 'collect' ? matched : matched.slice(0, 1);
  const fired: FiredRule[] = [];
  for (const { r, o } of chosen) {
    const f: FiredRule = {
      ruleId: o.rule.id,
      outcome: await resolveOutcome(o.rule.outcome, read),
      conditions: traceOf(r.conditions),
    };
    if (o.rule.name !== undefined) f.name = o.rule.name;
    if (o.rule.basis !== undefined) f.basis = o.rule.basis;
    fired.push(f);
  }
  const fallback = set.default ? await resolveOutcome(set.default, read) : null;
  const defaulted = fired.length === 0;

  let outcome: Decision['outcome'];
  let merged: Outcome | null;
  if (set.hitPolicy === 'collect') {
    const outcomes = fired.map((f) => f.outcome);
    outcome = defaulted ? (fallback ? [fallback] : []) : outcomes;
    // earlier (stronger) rules win a key: assign the later ones first
    merged = defaulted && !fallback ? null : Object.assign({}, fallback, ...outcomes.slice().reverse());
  } else {
    outcome = fired[0]?.outcome ?? fallback;
    merged = outcome;
  }
  return { ruleSet: ruleSetId, hitPolicy: set.hitPolicy, outcome, merged, fired, defaulted };
}

/**
 * Evaluates every rule set whose `on` lists `trigger` (`submit`, or an event type before its
 * transition), in config order; see {@link evaluateNamedRuleSets}. Keyed by rule set id.
 */
export async function evaluateRuleSets(
  config: JurisdictionConfig,
  trigger: string,
  facts: RuleFacts,
  options: EvaluateOptions = {},
): Promise<Record<string, Decision>> {
  const ids = Object.entries(config.ruleSets ?? {})
    .filter(([, set]) => set.on?.includes(trigger))
    .map(([id]) => id);
  return evaluateNamedRuleSets(config, ids, facts, options);
}

/**
 * Evaluates the rule sets `ids` in config order (not the order given: a set may read the
 * outcome of one declared before it). Each set's merged outcome becomes a fact named after the
 * set for the sets after it (routing reads `classification`). Keyed by rule set id; an id the
 * config does not declare is an `UnknownRuleSetError`.
 */
export async function evaluateNamedRuleSets(
  config: JurisdictionConfig,
  ids: readonly string[],
  facts: RuleFacts,
  options: EvaluateOptions = {},
): Promise<Record<string, Decision>> {
  const declared = Object.keys(config.ruleSets ?? {});
  const unknown = ids.find((id) => !declared.includes(id));
  if (unknown !== undefined) throw new UnknownRuleSetError(unknown, declared);
  const out: Record<string, Decision> = {};
  let current: RuleFacts = facts;
  for (const id of declared) {
    if (!ids.includes(id)) continue;
    const decision = await evaluateRuleSet(config, id, current, options);
    out[id] = decision;
    current = { ...current, [id]: decision.merged };
  }
  return out;
}
