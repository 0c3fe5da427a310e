/**
 * What the JSON Schema cannot see in rule sets: facts and operators that do not exist,
 * petition paths that are not fields of the form, outcome values outside the config's own
 * vocabulary, and two rules of a `unique` set that can be shown to match the same input.
 * Pure: the loader passes the resolved config and a way to locate a JSON pointer.
 */

import type { Diagnostic } from '../base/diagnostics.js';
import { closest } from '../base/suggest.js';
import { type Locale, type MessageId, message, messageCode } from '../config/messages.js';
import { type JurisdictionConfig, type RuleDef, STAGES } from '../config/types.js';
import { FACT_NAMES } from './facts.js';
import { KNOWN_OPERATORS, periodOf, rangeOf } from './operators.js';
import { pathSegments, type Segment } from './path.js';

/** Where a JSON pointer is in the source. The loader's positions fit; tests may omit it. */
export type LocatePointer = (pointer: string) => {
  line: number;
  column: number;
  file?: string;
  sourceLine?: string;
};

/** Options of {@link checkRuleSets}. */
export interface CheckRuleSetsOptions {
  /** File named in diagnostics when `locate` gives none. @default '<config>' */
  file?: string;
  /** Facts the embedding adds to the built-in ones. */
  extraFacts?: readonly string[];
  /** Language of the messages. @default 'en' */
  locale?: Locale;
}

const esc = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');

/** Outcome keys whose values the config itself constrains; `what` in each language. */
type Vocabulary = Record<
  string,
  { values: ReadonlySet<string>; what: Record<Locale, string>; list?: boolean }
>;

function enumOf(schema: unknown, prop: string): string[] | undefined {
  const p = (schema as { properties?: Record<string, { enum?: unknown[] }> } | undefined)?.properties?.[prop];
  return Array.isArray(p?.enum) ? p.enum.filter((v): v is string => typeof v === 'string') : undefined;
}

/** Facts whose values are state ids or stages: a condition's value must be one. */
const CONDITION_NAMES: Readonly<Record<string, 'state' | 'stage'>> = {
  sameMatterStates: 'state',
  sameMatterStages: 'stage',
};
const STAGE_NAMES: ReadonlySet<string> = new Set(STAGES);

function vocabulary(config: JurisdictionConfig): Vocabulary {
  const units = new Set(Object.keys(config.units ?? {}));
  const unit = { en: 'a unit of the registry', zh: '单位注册表中的单位' };
  const commands = new Set(
    Object.values(config.process?.states ?? {}).flatMap((s) => Object.keys(s?.on ?? {})),
  );
  const v: Vocabulary = {
    unit: { values: units, what: unit },
    units: { values: units, what: { en: 'units of the registry', zh: '单位注册表中的单位' }, list: true },
    decide: { values: units, what: unit },
    notice: {
      values: new Set(Object.keys(config.documents ?? {})),
      what: { en: 'a document of the config', zh: '配置中的文书' },
    },
    // the command an outcome tells the acceptor to send instead (a guard's refusal names it)
    command: { values: commands, what: { en: 'a command of the process', zh: '流程中的命令' } },
  };
  const kinds = enumOf(config.form?.schema, 'kind');
  if (kinds)
    v.kind = {
      values: new Set(kinds),
      what: {
        en: 'a kind of the form (`form.schema.properties.kind.enum`)',
        zh: '表单的事项类别（`form.schema.properties.kind.enum`）',
      },
    };
  const routes = enumOf(config.form?.schema, 'route');
  if (routes)
    v.route = {
      values: new Set(routes),
      what: {
        en: 'a route of the form (`form.schema.properties.route.enum`)',
        zh: '表单的处理途径（`form.schema.properties.route.enum`）',
      },
    };
  return v;
}

/** The first segment of `path` that the JSON Schema does not declare, or undefined. */
function unknownSegment(schema: unknown, segs: Segment[]): { at: number; known: string[] } | undefined {
  let cur = schema as Record<string, unknown> | undefined;
  for (let i = 0; i < segs.length; i++) {
    if (!cur || typeof cur !== 'object') return undefined;
    const seg = segs[i] as Segment;
    if (typeof seg === 'number' || seg === '*') {
      cur = cur.items as Record<string, unknown> | undefined;
      continue;
    }
    const props = cur.properties as Record<string, unknown> | undefined;
    if (props && Object.hasOwn(props, seg)) {
      cur = props[seg] as Record<string, unknown>;
      continue;
    }
    // only a closed object (or one that lists its fields) makes an undeclared name an error
    if (props || cur.additionalProperties === false) return { at: i, known: Object.keys(props ?? {}) };
    return undefined;
  }
  return undefined;
}

interface Leaf {
  node: Record<string, unknown>;
  pointer: string;
}

/** Leaves and condition references of a condition tree, with their pointers. */
function walk(node: unknown, pointer: string, leaves: Leaf[], refs: Leaf[]): void {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
  const n = node as Record<string, unknown>;
  for (const op of ['all', 'any'] as const) {
    const list = n[op];
    if (!Array.isArray(list)) continue;
    for (const [i, c] of list.entries()) walk(c, `${pointer}/${op}/${i}`, leaves, refs);
  }
  if (n.not !== undefined) walk(n.not, `${pointer}/not`, leaves, refs);
  if (typeof n.condition === 'string') refs.push({ node: n, pointer });
  if (typeof n.fact === 'string') leaves.push({ node: n, pointer });
}

// ---- static overlap of `unique` rules -------------------------------------------------

/** What a conjunction says about one fact path: the values it may take, and those it may not. */
interface Constraint {
  eq?: Set<string>;
  ne: Set<string>;
}
type Conjunction = Map<string, Constraint>;

const MAX_TERMS = 64;
const lit = (v: unknown) => JSON.stringify(v);

/**
 * The rule's conditions in disjunctive normal form over equality-like leaves (`equal`,
 * `notEqual`, `in`, `notIn` on constants), or undefined when it uses anything else: then no
 * overlap is claimed, and a run-time RULE_CONFLICT remains the guard.
 */
function dnf(node: unknown): Conjunction[] | undefined {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const n = node as Record<string, unknown>;
  if (Array.isArray(n.all)) {
    let acc: Conjunction[] | undefined = [new Map()];
    for (const c of n.all) {
      const terms = dnf(c);
      if (!terms || !acc) return undefined;
      const next: Conjunction[] = [];
      for (const a of acc)
        for (const t of terms) {
          const merged = conjoin(a, t);
          if (merged) next.push(merged);
        }
      if (next.length > MAX_TERMS) return undefined;
      acc = next;
    }
    return acc;
  }
  if (Array.isArray(n.any)) {
    const out: Conjunction[] = [];
    for (const c of n.any) {
      const terms = dnf(c);
      if (!terms) return undefined;
      out.push(...terms);
    }
    return out.length > MAX_TERMS ? undefined : out;
  }
  if (typeof n.fact !== 'string' || typeof n.operator !== 'string') return undefined;
  const value = n.value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return undefined; // a fact reference
  const key = `${n.fact}${typeof n.path === 'string' ? ` ${n.path}` : ''}`;
  let c: Constraint;
  switch (n.operator) {
    case 'equal':
      c = { eq: new Set([lit(value)]), ne: new Set() };
      break;
    case 'notEqual':
      c = { ne: new Set([lit(value)]) };
      break;
    case 'in':
      if (!Array.isArray(value)) return undefined;
      c = { eq: new Set(value.map(lit)), ne: new Set() };
      break;
    case 'notIn':
      if (!Array.isArray(value)) return undefined;
      c = { ne: new Set(value.map(lit)) };
      break;
    default:
      return undefined;
  }
  return satisfiable(c) ? [new Map([[key, c]])] : [];
}

function satisfiable(c: Constraint): boolean {
  return c.eq === undefined || [...c.eq].some((v) => !c.ne.has(v));
}

/** Both conjunctions at once, or undefined when they contradict each other. */
function conjoin(a: Conjunction, b: Conjunction): Conjunction | undefined {
  const out: Conjunction = new Map(a);
  for (const [key, cb] of b) {
    const ca = out.get(key);
    if (!ca) {
      out.set(key, cb);
      continue;
    }
    const eq = ca.eq && cb.eq ? new Set([...ca.eq].filter((v) => cb.eq?.has(v))) : (ca.eq ?? cb.eq);
    const c: Constraint = { ne: new Set([...ca.ne, ...cb.ne]) };
    if (eq) c.eq = eq;
    if (!satisfiable(c)) return undefined;
    out.set(key, c);
  }
  return out;
}

/** An input both rules match, described for the message, or undefined when none can be shown. */
export function overlapWitness(a: RuleDef, b: RuleDef): string | undefined {
  const da = dnf(a.conditions);
  const db = dnf(b.conditions);
  if (!da || !db) return undefined;
  for (const x of da)
    for (const y of db) {
      const both = conjoin(x, y);
      if (!both) continue;
      const parts = [...both].map(([key, c]) => {
        const v = c.eq ? [...c.eq].find((e) => !c.ne.has(e)) : undefined;
        return v !== undefined ? `${key} = ${v}` : `${key} not in [${[...c.ne].join(', ')}]`;
      });
      return parts.length > 0 ? parts.join(', ') : 'any input';
    }
  return undefined;
}

// ---- the check ---------------------------------------------------------------------------

const WHAT_STATE = { en: 'a state of the process', zh: '流程中的状态' };
const WHAT_STAGE = { en: 'a stage (STAGES)', zh: '阶段（STAGES）' };

/** What the rule checks share: the config, the language, and where problems go. */
interface RuleCheck {
  config: JurisdictionConfig;
  locale: Locale;
  vocab: Vocabulary;
  operators: ReadonlySet<string>;
  /** The states of the process: what a condition on `sameMatterStates` may name. */
  states: ReadonlySet<string>;
  report: (id: MessageId, pointer: string, params: Record<string, string>, hint?: string) => void;
}

/** A rule set being checked: its id, its pointer, and the facts its rules may use. */
interface SetScope {
  setId: string;
  sp: string;
  facts: string[];
}

/**
 * Checks the config's rule sets beyond their shape (which the schema checks): every fact is
 * known (the facts of `FACT_NAMES`, `extraFacts`, or a rule set declared earlier), a
 * `petition` path names a field of the form, every operator is known, named condition
 * references are refused (a config declares none), date operators get values they can read,
 * outcome values (`kind`, `route`, `unit`, `units`, `decide`, `notice`, in rules and
 * defaults) belong to the config's own vocabulary, and no two rules of a `unique` set can be
 * shown to match the same input (CONFIG_RULE_OVERLAP, naming both). Errors are CONFIG_RULE.
 */
export function checkRuleSets(
  config: JurisdictionConfig,
  locate?: LocatePointer,
  options: CheckRuleSetsOptions = {},
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const locale = options.locale ?? 'en';
  const report: RuleCheck['report'] = (id, pointer, params, hint) => {
    const at = locate?.(pointer);
    const d: Diagnostic = {
      severity: 'error',
      code: messageCode(id),
      message: message(id, locale, params),
      file: at?.file ?? options.file ?? '<config>',
      line: at?.line ?? 1,
      column: at?.column ?? 1,
      pointer,
    };
    if (at?.sourceLine !== undefined) d.sourceLine = at.sourceLine;
    if (hint !== undefined) d.hint = hint;
    out.push(d);
  };
  const cx: RuleCheck = {
    config,
    locale,
    vocab: vocabulary(config),
    operators: new Set(KNOWN_OPERATORS),
    states: new Set(Object.keys(config.process?.states ?? {})),
    report,
  };
  const builtinFacts = [...Object.keys(FACT_NAMES), ...(options.extraFacts ?? [])];
  // a rule may use the rule sets declared before its own: they are evaluated first
  const declared: string[] = [];
  for (const [setId, set] of Object.entries(config.ruleSets ?? {})) {
    const sp = `/ruleSets/${esc(setId)}`;
    if (builtinFacts.includes(setId)) {
      report('ruleSetShadowsFact', sp, { ruleSet: lit(setId) });
    }
    const scope: SetScope = { setId, sp, facts: [...builtinFacts, ...declared] };
    const rules = Array.isArray(set?.rules) ? set.rules : [];
    rules.forEach((rule, i) => {
      checkRule(cx, scope, rule, `${sp}/rules/${i}`);
    });
    checkOutcome(cx, set?.default, `${sp}/default`, scope.facts);
    if (set?.hitPolicy === 'unique') checkOverlaps(cx, scope, rules);
    declared.push(setId);
  }
  return out;
}

function didYouMean(cx: RuleCheck, near: string | undefined): string | undefined {
  return near === undefined
    ? undefined
    : cx.locale === 'zh'
      ? `是否应为 ${lit(near)}？`
      : `did you mean ${lit(near)}?`;
}

/** One rule: its conditions' leaves (no condition references), then its outcome. */
function checkRule(cx: RuleCheck, scope: SetScope, rule: RuleDef, rp: string): void {
  const leaves: Leaf[] = [];
  const refs: Leaf[] = [];
  walk(rule.conditions, `${rp}/conditions`, leaves, refs);
  for (const r of refs) {
    cx.report('ruleConditionRef', `${r.pointer}/condition`, { condition: lit(r.node.condition) });
  }
  for (const leaf of leaves) {
    checkFactRef(cx, leaf.node, `${leaf.pointer}/fact`, scope.facts);
    checkOperatorAndValue(cx, leaf, scope.facts);
    checkNamedValue(cx, leaf);
  }
  checkOutcome(cx, rule.outcome, `${rp}/outcome`, scope.facts);
}

function checkFactRef(cx: RuleCheck, ref: Record<string, unknown>, pointer: string, facts: string[]): void {
  const fact = ref.fact;
  // a config may write anything there (a number, a list): report it, never crash on it
  if (typeof fact !== 'string' || !facts.includes(fact)) {
    const near = typeof fact === 'string' ? closest(fact, facts) : undefined;
    cx.report('ruleUnknownFact', pointer, { fact: lit(fact) }, didYouMean(cx, near));
  }
}

/** A leaf's operator is known, its value one the operator can read, its paths well formed. */
function checkOperatorAndValue(cx: RuleCheck, { node, pointer }: Leaf, facts: string[]): void {
  const { report } = cx;
  const op = node.operator;
  if (typeof op !== 'string' || !cx.operators.has(op)) {
    const near = typeof op === 'string' ? closest(op, cx.operators) : undefined;
    report('ruleUnknownOperator', `${pointer}/operator`, { operator: lit(op) }, didYouMean(cx, near));
  }
  const value = node.value;
  const isRef = value !== null && typeof value === 'object' && !Array.isArray(value) && 'fact' in value;
  if (isRef) checkFactRef(cx, value as Record<string, unknown>, `${pointer}/value/fact`, facts);
  else if (op === 'withinDays' && !periodOf(value)) {
    report('ruleWithinDays', `${pointer}/value`, { value: lit(value) });
  } else if (op === 'workingDaysSince' && !rangeOf(value)) {
    report('ruleWorkingDaysSince', `${pointer}/value`, { value: lit(value) });
  } else if (
    (op === 'before' || op === 'after') &&
    !(typeof value === 'string' && (value === 'today' || /^\d{4}-\d{2}-\d{2}/.test(value)))
  ) {
    report('ruleDateValue', `${pointer}/value`, { operator: op, value: lit(value) });
  }
  for (const [where, p] of [
    ['path', node.path],
    ['value/path', isRef ? (value as Record<string, unknown>).path : undefined],
  ] as const) {
    if (typeof p === 'string' && !pathSegments(p)) {
      report('rulePathForm', `${pointer}/${where}`, { path: lit(p) });
    }
  }
}

/** A value that names a state or stage names one that exists; a petition path a form field. */
function checkNamedValue(cx: RuleCheck, { node, pointer }: Leaf): void {
  const { locale } = cx;
  const value = node.value;
  // a state id is the config's own name: a condition on one that the process does not
  // have (renamed, or a stage written for a state) would never match, silently
  const named = CONDITION_NAMES[String(node.fact)];
  if (named && typeof value === 'string') {
    const known = named === 'state' ? cx.states : STAGE_NAMES;
    if (!known.has(value))
      cx.report(
        'ruleConditionValue',
        `${pointer}/value`,
        {
          fact: lit(node.fact),
          value: lit(value),
          what: named === 'state' ? WHAT_STATE[locale] : WHAT_STAGE[locale],
        },
        didYouMean(cx, closest(value, known)),
      );
  }
  if (node.fact === 'petition' && typeof node.path === 'string') {
    const segs = pathSegments(node.path);
    const bad = segs && unknownSegment(cx.config.form?.schema, segs);
    if (bad) {
      const name = String(segs[bad.at]);
      cx.report(
        'rulePetitionPath',
        `${pointer}/path`,
        { path: lit(node.path), field: lit(name) },
        didYouMean(cx, closest(name, bad.known)),
      );
    }
  }
}

/** An outcome's fact references are known, its values in the config's vocabulary. */
function checkOutcome(
  cx: RuleCheck,
  outcome: Record<string, unknown> | undefined,
  pointer: string,
  facts: string[],
): void {
  for (const [key, value] of Object.entries(outcome ?? {})) {
    const at = `${pointer}/${esc(key)}`;
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'fact' in value) {
      checkFactRef(cx, value as Record<string, unknown>, `${at}/fact`, facts);
      continue;
    }
    // an outcome key is the config's: `constructor` must not find Object's own member
    const v = Object.hasOwn(cx.vocab, key) ? cx.vocab[key] : undefined;
    if (!v) continue;
    const items = v.list && Array.isArray(value) ? value : [value];
    items.forEach((item, i) => {
      if (typeof item === 'string' && v.values.has(item)) return;
      const near = typeof item === 'string' ? closest(item, v.values) : undefined;
      cx.report(
        'ruleOutcomeValue',
        v.list && Array.isArray(value) ? `${at}/${i}` : at,
        { key, value: lit(item), what: v.what[cx.locale] },
        didYouMean(cx, near),
      );
    });
  }
}

/** Each pair of rules of a `unique` set that can be shown to match one input, at the later rule. */
function checkOverlaps(cx: RuleCheck, { setId, sp }: SetScope, rules: readonly RuleDef[]): void {
  for (let i = 0; i < rules.length; i++)
    for (let j = i + 1; j < rules.length; j++) {
      const a = rules[i] as RuleDef;
      const b = rules[j] as RuleDef;
      const witness = overlapWitness(a, b);
      if (witness === undefined) continue;
      cx.report(
        'ruleOverlap',
        `${sp}/rules/${j}`,
        { a: lit(a.id), b: lit(b.id), ruleSet: lit(setId), witness },
        cx.locale === 'zh'
          ? '请使两条规则的条件互斥，或改用 hitPolicy first'
          : 'make their conditions exclusive, or use hitPolicy first',
      );
    }
}

/** Every fact name a rule may use in `config` (built-in facts and rule set ids). */
export function knownFacts(config: JurisdictionConfig): string[] {
  return [...Object.keys(FACT_NAMES), ...Object.keys(config.ruleSets ?? {})];
}
