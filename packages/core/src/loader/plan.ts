/**
 * Migration plans: how open cases move from one version of a jurisdiction's config to another
 * (a new local rule, a shorter period, a renamed state, a new document). A plan is YAML, checked
 * at load like a config: every problem is a positioned diagnostic with a stable code, and a plan
 * with an error is never returned. The engine applies it (`engine/migrate.ts`).
 *
 * ```yaml
 * migration: national-2026.2        # the plan's name
 * from: <config hash>               # the version cases are on
 * to: <config hash>                 # the version they move to
 * states:                           # old state -> new state (a state of both maps to itself)
 *   accepted: in-handling
 *   registered:                     # a split: the first route whose `when` holds
 *     - { to: registered-letter, when: { field: petition.channel, equals: letter } }
 *     - { to: registered }
 * deadlines:                        # keep (the default) | restart | recompute; `to` renames
 *   handling: { rule: recompute }
 * documents:                        # documents owed on moving, by new state
 *   in-handling: [migration-notice]
 * fields:                           # case data renamed (paths under petition or decisions)
 *   petition.summary: petition.facts
 * ```
 */

import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import canonicalize from 'canonicalize';
import type { Diagnostic } from '../base/diagnostics.js';
import { ConfigError } from '../base/diagnostics.js';
import type { DiagnosticCode } from '../base/errors.js';
import { DEFAULT_MAX_FILE_BYTES, readConfinedFile, realPathOf } from '../base/files.js';
import { configHash } from '../config/hash.js';
import type { JurisdictionConfig } from '../config/types.js';
import { type Path, parseYamlSource, toPointer, type YamlSource } from '../config/yaml-source.js';
import type { Json } from '../store/types.js';
import {
  checkDeadlineRules,
  type DeadlineRule,
  type PlanContext,
  type PlanDeadline,
} from './plan-deadlines.js';

export type { DeadlineRule, PlanContext, PlanDeadline };

/** A condition on the case data that picks one route of a split. */
export interface PlanCondition {
  /** A dotted path into the case data (`petition.channel`, `responsibleUnit`). */
  field: string;
  equals?: Json;
  in?: Json[];
}

/** One route of an old state: the new state, and when it applies (absent: always). */
export interface StateRoute {
  to: string;
  when?: PlanCondition;
}

/** A checked migration plan. */
export interface MigrationPlan {
  id: string;
  /** The config hash cases are moved from, and the one they move to. */
  from: string;
  to: string;
  /** Old state -> routes, every state the plan names (states of both versions map to themselves). */
  states: Record<string, StateRoute[]>;
  deadlines: Record<string, PlanDeadline>;
  /** New state -> documents owed to a case moved into it. */
  documents: Record<string, string[]>;
  /** Old data path -> new data path. */
  fields: Record<string, string>;
  /** SHA-256 of the plan's canonical JSON: what a `config.migrated` event names. */
  hash: string;
}

/** What a plan load found: the plan when there was no error, and every diagnostic. */
export interface PlanLoadResult {
  plan?: MigrationPlan;
  diagnostics: Diagnostic[];
}

const TOP = ['migration', 'from', 'to', 'states', 'deadlines', 'documents', 'fields'];
const RULES: readonly DeadlineRule[] = ['keep', 'restart', 'recompute'];
const FIELD_ROOTS = ['petition', 'decisions'];

/** Reports diagnostics at a path of the plan's YAML. */
export class PlanReporter {
  readonly diagnostics: Diagnostic[] = [];
  constructor(private readonly source: YamlSource) {}

  error(code: DiagnosticCode, path: Path, message: string, at: 'key' | 'value' = 'value'): void {
    this.push('error', code, path, message, at);
  }

  warn(code: DiagnosticCode, path: Path, message: string, at: 'key' | 'value' = 'value'): void {
    this.push('warning', code, path, message, at);
  }

  private push(
    severity: Diagnostic['severity'],
    code: DiagnosticCode,
    path: Path,
    message: string,
    at: 'key' | 'value',
  ) {
    const pos = this.source.locate(path, at);
    this.diagnostics.push({
      severity,
      code,
      message,
      file: pos.file,
      line: pos.line,
      column: pos.column,
      pointer: toPointer(path),
      ...(pos.sourceLine !== undefined ? { sourceLine: pos.sourceLine } : {}),
    });
  }
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses and checks a plan's text against the two configs. */
export function parsePlanText(text: string, file: string, ctx: PlanContext): PlanLoadResult {
  const { source, diagnostics } = parseYamlSource(text, file);
  if (source.value === undefined) return { diagnostics };
  const r = new PlanReporter(source);
  const plan = readPlan(r, source.value);
  if (plan) checkPlan(r, plan, ctx, source.value as Record<string, unknown>);
  const all = [...diagnostics, ...r.diagnostics];
  if (!plan || all.some((d) => d.severity === 'error')) return { diagnostics: all };
  return { plan: { ...plan, hash: planHash(plan) }, diagnostics: all };
}

/** Reads the plan at `path` (a regular file of at most 1 MiB); see {@link parsePlanText}. */
export function loadPlan(path: string, ctx: PlanContext): PlanLoadResult {
  const read = readConfinedFile(path, {
    roots: [dirname(realPathOf(path))],
    maxBytes: DEFAULT_MAX_FILE_BYTES,
  });
  if (!read.ok) {
    const why = read.reason === 'missing' ? 'no such file' : `refused (${read.reason})`;
    const d: Diagnostic = {
      severity: 'error',
      code: 'PLAN_INVALID',
      message: `cannot read the plan ${path}: ${why}`,
      file: path,
      line: 1,
      column: 1,
      pointer: '',
    };
    return { diagnostics: [d] };
  }
  return parsePlanText(read.text, path, ctx);
}

/**
 * The `from` and `to` hashes a plan's text names, read before it is checked: a tool looks the
 * old version up in the store by them (the new one it is given) and then checks the plan.
 */
export function planVersions(text: string): { from?: string; to?: string } {
  const { source } = parseYamlSource(text, 'plan');
  const v = source.value;
  if (!isMap(v)) return {};
  return {
    ...(typeof v.from === 'string' ? { from: v.from } : {}),
    ...(typeof v.to === 'string' ? { to: v.to } : {}),
  };
}

/** {@link loadPlan}, throwing a `ConfigError` with every diagnostic when any is an error. */
export function loadPlanOrThrow(path: string, ctx: PlanContext): MigrationPlan {
  const { plan, diagnostics } = loadPlan(path, ctx);
  if (!plan) throw new ConfigError(diagnostics);
  return plan;
}

/** The hash a plan is named by in the events it writes. */
export function planHash(plan: Omit<MigrationPlan, 'hash'> & { hash?: string }): string {
  const { hash: _drop, ...body } = plan;
  return createHash('sha256')
    .update(canonicalize(body) ?? '', 'utf8')
    .digest('hex');
}

/** The plan's shape: every key known, every value of its type. Undefined when it cannot be read. */
function readPlan(r: PlanReporter, value: unknown): Omit<MigrationPlan, 'hash'> | undefined {
  if (!isMap(value)) {
    r.error('PLAN_INVALID', [], 'a migration plan is a map with `migration`, `from` and `to`');
    return undefined;
  }
  for (const k of Object.keys(value)) {
    if (!TOP.includes(k))
      r.error('PLAN_INVALID', [k], `unknown key \`${k}\` (a plan has ${TOP.join(', ')})`, 'key');
  }
  const str = (k: string): string => {
    const v = value[k];
    if (typeof v === 'string' && v.length > 0) return v;
    // a hash of digits (and one `e`) reads as a number in YAML: it must be quoted
    const hint = typeof v === 'number' ? ' (quote it: YAML read it as a number)' : '';
    r.error('PLAN_INVALID', v === undefined ? [] : [k], `\`${k}\` must be a non-empty string${hint}`);
    return '';
  };
  const plan = {
    id: str('migration'),
    from: str('from'),
    to: str('to'),
    states: readStates(r, value.states),
    deadlines: readDeadlines(r, value.deadlines),
    documents: readLists(r, value.documents, 'documents'),
    fields: readFields(r, value.fields),
  };
  return plan;
}

function mapAt(r: PlanReporter, v: unknown, key: string): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (isMap(v)) return v;
  r.error('PLAN_INVALID', [key], `\`${key}\` must be a map`);
  return {};
}

function readStates(r: PlanReporter, v: unknown): Record<string, StateRoute[]> {
  const out: Record<string, StateRoute[]> = {};
  for (const [from, routes] of Object.entries(mapAt(r, v, 'states'))) {
    if (typeof routes === 'string') {
      out[from] = [{ to: routes }];
      continue;
    }
    if (!Array.isArray(routes) || routes.length === 0) {
      r.error(
        'PLAN_INVALID',
        ['states', from],
        'a state maps to a state, or to a list of routes `{ to, when }`',
      );
      continue;
    }
    out[from] = routes.flatMap((route, i) =>
      readRoute(r, ['states', from, String(i)], route, i === routes.length - 1),
    );
  }
  return out;
}

function readRoute(r: PlanReporter, path: string[], route: unknown, last: boolean): StateRoute[] {
  if (!isMap(route) || typeof route.to !== 'string') {
    r.error('PLAN_INVALID', path, 'a route is `{ to: <state>, when: { field, equals | in } }`');
    return [];
  }
  for (const k of Object.keys(route)) {
    if (k !== 'to' && k !== 'when')
      r.error('PLAN_INVALID', [...path, k], `unknown key \`${k}\` in a route`, 'key');
  }
  if (route.when === undefined) {
    if (!last)
      r.error(
        'PLAN_INVALID',
        path,
        'only the last route may go without `when`: the routes after it could never apply',
      );
    return [{ to: route.to }];
  }
  const w = route.when;
  const ok =
    isMap(w) &&
    typeof w.field === 'string' &&
    Object.keys(w).every((k) => ['field', 'equals', 'in'].includes(k)) &&
    'equals' in w !== 'in' in w &&
    (!('in' in w) || Array.isArray(w.in));
  if (!ok) {
    r.error(
      'PLAN_INVALID',
      [...path, 'when'],
      '`when` is `{ field: <data path>, equals: <value> }` or `{ field, in: [values] }`',
    );
    return [];
  }
  return [{ to: route.to, when: w as unknown as PlanCondition }];
}

function readDeadlines(r: PlanReporter, v: unknown): Record<string, PlanDeadline> {
  const out: Record<string, PlanDeadline> = {};
  for (const [id, d] of Object.entries(mapAt(r, v, 'deadlines'))) {
    const path = ['deadlines', id];
    const def = typeof d === 'string' ? { rule: d } : d;
    if (!isMap(def) || !RULES.includes(def.rule as DeadlineRule)) {
      r.error(
        'PLAN_INVALID',
        typeof d === 'string' ? path : [...path, 'rule'],
        `a deadline rule is one of ${RULES.join(', ')}`,
      );
      continue;
    }
    for (const k of Object.keys(def)) {
      if (k !== 'rule' && k !== 'to')
        r.error('PLAN_INVALID', [...path, k], `unknown key \`${k}\` in a deadline rule`, 'key');
    }
    if (def.to !== undefined && typeof def.to !== 'string') {
      r.error('PLAN_INVALID', [...path, 'to'], '`to` names a deadline of the new version');
      continue;
    }
    out[id] = { rule: def.rule as DeadlineRule, ...(typeof def.to === 'string' ? { to: def.to } : {}) };
  }
  return out;
}

function readLists(r: PlanReporter, v: unknown, key: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, list] of Object.entries(mapAt(r, v, key))) {
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) {
      r.error('PLAN_INVALID', [key, k], `\`${key}.${k}\` must be a list of names`);
      continue;
    }
    out[k] = list as string[];
  }
  return out;
}

function readFields(r: PlanReporter, v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [from, to] of Object.entries(mapAt(r, v, 'fields'))) {
    const path = ['fields', from];
    const fieldPath = (p: unknown) =>
      typeof p === 'string' &&
      FIELD_ROOTS.includes(p.split('.')[0] ?? '') &&
      p.split('.').length >= 2 &&
      !p.split('.').includes('');
    if (!fieldPath(from))
      r.error(
        'PLAN_INVALID',
        path,
        `a renamed field is a path under ${FIELD_ROOTS.join(' or ')} (\`petition.summary\`)`,
        'key',
      );
    else if (!fieldPath(to))
      r.error('PLAN_INVALID', path, `the new name is a path under ${FIELD_ROOTS.join(' or ')}`);
    else if (from === to || seen.has(to as string))
      r.error('PLAN_INVALID', path, `\`${String(to)}\` is not a new name of its own`);
    else {
      seen.add(to as string);
      out[from] = to as string;
    }
  }
  return out;
}

/** The plan against its two configs: versions, names, documents, and the deadline rules' bounds. */
function checkPlan(
  r: PlanReporter,
  plan: Omit<MigrationPlan, 'hash'>,
  ctx: PlanContext,
  raw: Record<string, unknown>,
): void {
  checkVersions(r, plan, ctx);
  // where a name sits: a list's item (`states.x.0.to`), or the value written in short form
  const rawStates = isMap(raw.states) ? raw.states : {};
  checkStates(r, plan, ctx, (id) => Array.isArray(rawStates[id]));
  checkDocuments(r, plan, ctx);
  checkFields(r, plan, ctx);
  const written = isMap(raw.deadlines) ? raw.deadlines : {};
  const short = new Set(Object.keys(plan.deadlines).filter((id) => typeof written[id] === 'string'));
  checkDeadlineRules(r, plan.deadlines, ctx, short);
}

function checkVersions(r: PlanReporter, plan: Omit<MigrationPlan, 'hash'>, ctx: PlanContext): void {
  const hashes = { from: configHash(ctx.from), to: configHash(ctx.to) };
  for (const k of ['from', 'to'] as const) {
    if (plan[k] !== '' && plan[k] !== hashes[k]) {
      const found = `\`${k}\` is ${plan[k].slice(0, 12)}…, but the ${k} config hashes to ${hashes[k]}`;
      r.error('PLAN_CONFIG_MISMATCH', [k], found);
    }
  }
  if (ctx.from.jurisdiction.id !== ctx.to.jurisdiction.id) {
    const ids = `${ctx.from.jurisdiction.id}, not ${ctx.to.jurisdiction.id}`;
    r.error('PLAN_CONFIG_MISMATCH', ['to'], `a plan moves cases within one jurisdiction (${ids})`);
  }
}

function checkStates(
  r: PlanReporter,
  plan: Omit<MigrationPlan, 'hash'>,
  ctx: PlanContext,
  listed: (id: string) => boolean,
): void {
  const oldStates = ctx.from.process.states;
  const newStates = ctx.to.process.states;
  for (const [from, routes] of Object.entries(plan.states)) {
    if (!Object.hasOwn(oldStates, from))
      r.error('PLAN_UNKNOWN_STATE', ['states', from], `\`${from}\` is no state of the from version`, 'key');
    routes.forEach((route, i) => {
      if (Object.hasOwn(newStates, route.to)) return;
      const path = listed(from) ? ['states', from, String(i), 'to'] : ['states', from];
      r.error('PLAN_UNKNOWN_STATE', path, `\`${route.to}\` is no state of the to version`);
    });
  }
  for (const s of Object.keys(oldStates)) {
    if (Object.hasOwn(plan.states, s) || Object.hasOwn(newStates, s)) continue;
    const gone = `state \`${s}\` is gone from the to version and the plan does not map it: its cases stay on their version`;
    r.warn('PLAN_UNKNOWN_STATE', ['states'], gone, 'key');
  }
}

function checkDocuments(r: PlanReporter, plan: Omit<MigrationPlan, 'hash'>, ctx: PlanContext): void {
  for (const [state, docs] of Object.entries(plan.documents)) {
    if (!Object.hasOwn(ctx.to.process.states, state))
      r.error(
        'PLAN_UNKNOWN_STATE',
        ['documents', state],
        `\`${state}\` is no state of the to version`,
        'key',
      );
    docs.forEach((d, i) => {
      if (!Object.hasOwn(ctx.to.documents, d))
        r.error(
          'PLAN_UNKNOWN_DOCUMENT',
          ['documents', state, String(i)],
          `\`${d}\` is no document of the to version`,
        );
    });
  }
}

/**
 * A renamed field keeps its protection: a petition field the old version marks `personal` or
 * `accusation` must land on one the new version marks the same, or it would be shown to
 * viewers the form hides it from.
 */
function checkFields(r: PlanReporter, plan: Omit<MigrationPlan, 'hash'>, ctx: PlanContext): void {
  for (const [from, to] of Object.entries(plan.fields)) {
    for (const kind of ['personal', 'accusation'] as const) {
      if (marked(ctx.from, kind, from) && !marked(ctx.to, kind, to)) {
        const why = `\`${from}\` is ${kind} in the from version, \`${to}\` is not in the to version: the rename would show it to viewers the form hides it from`;
        r.error('PLAN_INVALID', ['fields', from], why);
      }
    }
  }
}

/** Whether a data path lies under (or over) a field the form marks `kind`. */
function marked(config: JurisdictionConfig, kind: 'personal' | 'accusation', path: string): boolean {
  if (!path.startsWith('petition.')) return false;
  const field = path.slice('petition.'.length);
  return (config.form[kind] ?? []).some(
    (p) => field === p || field.startsWith(`${p}.`) || p.startsWith(`${field}.`),
  );
}
