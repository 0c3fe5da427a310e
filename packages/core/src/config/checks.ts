import type { Diagnostic } from '../base/diagnostics.js';
import { closest } from '../base/suggest.js';
import type { Tree } from './merge.js';
import { didYouMean, type Locale, type MessageId } from './messages.js';
import { type Locate, makeDiagnostic } from './yaml-source.js';

type Rec = Record<string, unknown>;

export function isRec(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The entries of a map-valued key, or none when the value has another shape. */
export function entriesOf(v: unknown): [string, Rec][] {
  if (!isRec(v)) return [];
  return Object.entries(v).filter((e): e is [string, Rec] => isRec(e[1]));
}

function strings(v: unknown): [number, string][] {
  if (!Array.isArray(v)) return [];
  const out: [number, string][] = [];
  v.forEach((s, i) => {
    if (typeof s === 'string') out.push([i, s]);
  });
  return out;
}

/** The transitions of a state: each `on` entry, or each alternative of a list entry. */
export function transitionsOf(state: Rec): { event: string; path: string[]; t: Rec }[] {
  const out: { event: string; path: string[]; t: Rec }[] = [];
  for (const [event, v] of isRec(state.on) ? Object.entries(state.on) : []) {
    if (isRec(v)) out.push({ event, path: ['on', event], t: v });
    else if (Array.isArray(v)) {
      v.forEach((alt, i) => {
        if (isRec(alt)) out.push({ event, path: ['on', event, String(i)], t: alt });
      });
    }
  }
  return out;
}

/** Guards or actions by name, with the parameters each needs (`params`) and may take (`optional`). */
export type ParamTable = Readonly<
  Record<string, { readonly params?: readonly string[]; readonly optional?: readonly string[] }>
>;

export interface CheckOptions {
  locale: Locale;
  knownGuards: readonly string[];
  knownActions: readonly string[];
  /** Parameters of the built-in guards and actions; a custom one (not listed) is not checked. */
  guardParams?: ParamTable;
  actionParams?: ParamTable;
}

/** The names a config declares, by kind: what its references are checked against. */
interface Declared {
  roles: Set<string>;
  deadlines: Set<string>;
  documents: Set<string>;
  units: Set<string>;
  ruleSets: Set<string>;
  states: Set<string>;
  /** The decisions some step records: what guards and actions may name. */
  decisions: Set<string>;
  /** The commands of the process (and `submit`): what rule sets may run on. */
  events: Set<string>;
}

/** What the reference checks share: where they report, how they locate, what they check against. */
interface RefContext {
  out: Diagnostic[];
  locate: Locate;
  opts: CheckOptions;
  declared: Declared;
}

/** A reference to report when undeclared: its message, the message's parameters, where it sits. */
interface Reference {
  path: string[];
  id: MessageId;
  params: Record<string, string>;
}

/** One transition being checked, with the path of its entry in the config. */
interface TransitionAt {
  event: string;
  t: Rec;
  at: string[];
}

/**
 * The cross-reference checks over a resolved config: every name a state, transition or
 * deadline uses must be declared, units must form a tree. Written against `unknown` data:
 * the config may also have failed the schema, and the checks must still not throw.
 */
export function checkReferences(config: unknown, locate: Locate, opts: CheckOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!isRec(config)) return out;
  const process = isRec(config.process) ? config.process : {};
  const cx: RefContext = { out, locate, opts, declared: declaredNames(config, process) };
  const { states } = cx.declared;
  if (typeof process.initial === 'string') {
    ref(cx, states, process.initial, {
      path: ['process', 'initial'],
      id: 'unknownInitial',
      params: { state: process.initial },
    });
  }
  checkDeadlineRefs(cx, config);
  for (const [sid, s] of entriesOf(process.states)) checkStateRefs(cx, sid, s);
  checkNamedListRefs(cx, config, process);
  const form = isRec(config.form) ? config.form : {};
  checkFormRefs(cx, config, form);
  checkGroundRefs(cx, config, process);
  out.push(...checkUnits(config.units, cx.declared.units, locate, opts.locale));
  return out;
}

/** The names the config declares, and the decisions and commands its process uses. */
function declaredNames(config: Rec, process: Rec): Declared {
  const keysOf = (v: unknown) => new Set(isRec(v) ? Object.keys(v) : []);
  // what guards and actions may name: the decisions some step records, the commands of the process
  const decisions = new Set<string>();
  const events = new Set<string>(['submit']);
  for (const [, s] of entriesOf(process.states)) {
    for (const { event, t } of transitionsOf(s)) {
      events.add(event);
      for (const a of Array.isArray(t.actions) ? t.actions : [])
        if (isRec(a) && a.type === 'recordDecision' && isRec(a.params) && typeof a.params.as === 'string')
          decisions.add(a.params.as);
    }
  }
  return {
    roles: keysOf(config.roles),
    deadlines: keysOf(config.deadlines),
    documents: keysOf(config.documents),
    units: keysOf(config.units),
    ruleSets: keysOf(config.ruleSets),
    states: keysOf(process.states),
    decisions,
    events,
  };
}

/** Reports `name` when it is a string that `known` does not hold, with the nearest known one. */
function ref(cx: RefContext, known: Set<string>, name: unknown, r: Reference): void {
  if (typeof name !== 'string' || known.has(name)) return;
  const { locale } = cx.opts;
  const near = closest(name, known);
  cx.out.push(
    makeDiagnostic(r.id, locale, r.params, cx.locate(r.path, 'value'), {
      hint: near ? didYouMean(near, locale) : undefined,
    }),
  );
}

/** {@link ref} for each string of a list, the name passed to the message as `param`. */
function refs(
  cx: RefContext,
  known: Set<string>,
  list: unknown,
  r: { path: string[]; id: MessageId; param: string },
): void {
  for (const [i, name] of strings(list)) {
    ref(cx, known, name, { path: [...r.path, String(i)], id: r.id, params: { [r.param]: name } });
  }
}

/** The states a deadline pauses in, and the roles and notice of its extension. */
function checkDeadlineRefs(cx: RefContext, config: Rec): void {
  const { states, roles, documents } = cx.declared;
  for (const [id, d] of entriesOf(config.deadlines)) {
    const base = ['deadlines', id];
    for (const [i, s] of strings(d.pausedBy)) {
      ref(cx, states, s, {
        path: [...base, 'pausedBy', String(i)],
        id: 'unknownPauseState',
        params: { deadline: id, state: s },
      });
    }
    if (isRec(d.extension)) {
      refs(cx, roles, d.extension.approvedBy, {
        path: [...base, 'extension', 'approvedBy'],
        id: 'unknownRole',
        param: 'role',
      });
      if (typeof d.extension.notice === 'string') {
        ref(cx, documents, d.extension.notice, {
          path: [...base, 'extension', 'notice'],
          id: 'unknownDocument',
          params: { document: d.extension.notice },
        });
      }
    }
  }
}

/** A state's deadlines and documents, then each of its transitions. */
function checkStateRefs(cx: RefContext, sid: string, s: Rec): void {
  const { deadlines, documents } = cx.declared;
  const base = ['process', 'states', sid];
  refs(cx, deadlines, s.starts, { path: [...base, 'starts'], id: 'unknownDeadline', param: 'deadline' });
  refs(cx, deadlines, s.stops, { path: [...base, 'stops'], id: 'unknownDeadline', param: 'deadline' });
  refs(cx, documents, s.issues, { path: [...base, 'issues'], id: 'unknownDocument', param: 'document' });
  for (const { event, path, t } of transitionsOf(s)) {
    const tr: TransitionAt = { event, t, at: [...base, ...path] };
    checkTransitionRefs(cx, tr);
    checkGuardRefs(cx, tr);
    checkActionRefs(cx, tr);
  }
}

/** A transition's target, roles, deadlines, documents and rule sets. */
function checkTransitionRefs(cx: RefContext, { event, t, at }: TransitionAt): void {
  const { states, roles, deadlines, documents, ruleSets } = cx.declared;
  if (typeof t.to === 'string')
    ref(cx, states, t.to, { path: [...at, 'to'], id: 'unknownStateTarget', params: { event, state: t.to } });
  refs(cx, roles, t.roles, { path: [...at, 'roles'], id: 'unknownRole', param: 'role' });
  refs(cx, deadlines, t.starts, { path: [...at, 'starts'], id: 'unknownDeadline', param: 'deadline' });
  refs(cx, deadlines, t.stops, { path: [...at, 'stops'], id: 'unknownDeadline', param: 'deadline' });
  for (const key of ['within', 'extends'] as const) {
    const v = t[key];
    if (typeof v === 'string')
      ref(cx, deadlines, v, { path: [...at, key], id: 'unknownDeadline', params: { deadline: v } });
  }
  refs(cx, documents, t.issues, { path: [...at, 'issues'], id: 'unknownDocument', param: 'document' });
  refs(cx, ruleSets, t.rules, { path: [...at, 'rules'], id: 'unknownRuleSet', param: 'ruleSet' });
}

/**
 * Where the config declares liability grounds (`supervision.grounds`, Reg. 42-46), a command's
 * payload field `ground` may offer only those: the annual report names each record's ground by
 * its article and item, and a ground it cannot name would count under no article.
 */
function checkGroundRefs(cx: RefContext, config: Rec, process: Rec): void {
  const supervision = isRec(config.supervision) ? config.supervision : {};
  if (!isRec(supervision.grounds)) return;
  const grounds = new Set(Object.keys(supervision.grounds));
  const steps: TransitionAt[] = [];
  for (const [sid, s] of entriesOf(process.states))
    for (const { event, path, t } of transitionsOf(s))
      steps.push({ event, t, at: ['process', 'states', sid, ...path] });
  for (const [group, g] of entriesOf(process.common))
    for (const [event, t] of entriesOf(g.on))
      steps.push({ event, t, at: ['process', 'common', group, 'on', event] });
  for (const { t, at } of steps) {
    const payload = isRec(t.payload) ? t.payload : {};
    const props = isRec(payload.properties) ? payload.properties : {};
    const ground = isRec(props.ground) ? props.ground : undefined;
    if (!ground) continue;
    refs(cx, grounds, ground.enum, {
      path: [...at, 'payload', 'properties', 'ground', 'enum'],
      id: 'unknownGround',
      param: 'ground',
    });
  }
}

/** Each guard of a transition: a known type, its parameters, the units it names. */
function checkGuardRefs(cx: RefContext, tr: TransitionAt): void {
  const { t, at, event } = tr;
  const { opts } = cx;
  const { units } = cx.declared;
  const guards: [unknown, string[]][] = Array.isArray(t.guard)
    ? t.guard.map((g, i) => [g, ['guard', String(i)]])
    : [[t.guard, ['guard']]];
  for (const [g, gp] of guards) {
    if (!isRec(g) || typeof g.type !== 'string') continue;
    ref(cx, new Set(opts.knownGuards), g.type, {
      path: [...at, ...gp, 'type'],
      id: 'unknownGuard',
      params: { type: g.type, known: opts.knownGuards.join(', ') },
    });
    checkParams(cx, tr, { kind: 'guard', node: g, at: [...at, ...gp], table: opts.guardParams });
    // A guard that names bodies must name declared ones: a misspelt unit would refuse the
    // command to everybody, found only when a case reaches it.
    if (g.type === 'actorUnitIn' && isRec(g.params) && units.size > 0) {
      for (const [i, u] of strings(g.params.units)) {
        ref(cx, units, u, {
          path: [...at, ...gp, 'params', 'units', String(i)],
          id: 'unknownGuardUnit',
          params: { event, unit: u },
        });
      }
    }
  }
}

/** Each action of a transition: a known type and its parameters. */
function checkActionRefs(cx: RefContext, tr: TransitionAt): void {
  const { opts } = cx;
  (Array.isArray(tr.t.actions) ? tr.t.actions : []).forEach((a, i) => {
    if (!isRec(a) || typeof a.type !== 'string') return;
    const at = [...tr.at, 'actions', String(i)];
    ref(cx, new Set(opts.knownActions), a.type, {
      path: [...at, 'type'],
      id: 'unknownAction',
      params: { type: a.type, known: opts.knownActions.join(', ') },
    });
    checkParams(cx, tr, { kind: 'action', node: a, at, table: opts.actionParams });
  });
}

/** A guard or action of a transition, the path of its entry, and the parameters its type takes. */
interface ParamUse {
  kind: 'guard' | 'action';
  node: Rec;
  at: string[];
  table: ParamTable | undefined;
}

/** A guard's or action's parameters: none unknown, none missing, each name it refers by declared. */
function checkParams(cx: RefContext, tr: TransitionAt, use: ParamUse): void {
  const { kind, node, at } = use;
  const spec = typeof node.type === 'string' ? use.table?.[node.type] : undefined;
  if (!spec) return;
  const { locale } = cx.opts;
  const params = isRec(node.params) ? node.params : {};
  const required = spec.params ?? [];
  const allowed = [...required, ...(spec.optional ?? [])];
  for (const key of Object.keys(params)) {
    if (allowed.includes(key)) continue;
    const near = closest(key, allowed);
    cx.out.push(
      makeDiagnostic(
        'unknownParam',
        locale,
        { kind, type: String(node.type), param: key, known: allowed.join(', ') || 'none' },
        cx.locate([...at, 'params', key], 'key'),
        { hint: near ? didYouMean(near, locale) : undefined },
      ),
    );
  }
  for (const key of required) {
    if (Object.hasOwn(params, key)) continue;
    cx.out.push(
      makeDiagnostic(
        'missingParam',
        locale,
        { kind, type: String(node.type), param: key },
        cx.locate(isRec(node.params) ? [...at, 'params'] : at, 'key'),
      ),
    );
  }
  checkNamedParams(cx, tr, { node, at, params });
}

/** The parameters that name a deadline, rule set, decision or payload field name a declared one. */
function checkNamedParams(
  cx: RefContext,
  tr: TransitionAt,
  p: { node: Rec; at: string[]; params: Rec },
): void {
  const { event, t } = tr;
  const { node, at, params } = p;
  const { deadlines, ruleSets, decisions } = cx.declared;
  const named = (key: string, known: Set<string>, id: MessageId, param: string) => {
    const v = params[key];
    if (typeof v === 'string')
      ref(cx, known, v, { path: [...at, 'params', key], id, params: { [param]: v, event } });
  };
  named('deadline', deadlines, 'unknownDeadline', 'deadline');
  named('ruleSet', ruleSets, 'unknownRuleSet', 'ruleSet');
  named('decision', decisions, 'unknownDecision', 'decision');
  named('answers', decisions, 'unknownDecision', 'decision');
  // the payload field a unit is taken from must be one the command's payload declares
  if (node.type === 'setResponsibleUnit' && typeof params.from === 'string') {
    const fields = new Set(
      Object.keys(isRec(t.payload) && isRec(t.payload.properties) ? t.payload.properties : {}),
    );
    ref(cx, fields, params.from, {
      path: [...at, 'params', 'from'],
      id: 'unknownPayloadField',
      params: { field: params.from, event },
    });
  }
}

/** The states a common group skips, the commands rule sets run on, the units of reception days. */
function checkNamedListRefs(cx: RefContext, config: Rec, process: Rec): void {
  const { states, events, units } = cx.declared;
  // the groups' transitions are checked in the states they were copied into
  for (const [group, g] of entriesOf(process.common)) {
    for (const [i, s] of strings(g.except)) {
      ref(cx, states, s, {
        path: ['process', 'common', group, 'except', String(i)],
        id: 'unknownExceptState',
        params: { group, state: s },
      });
    }
  }
  for (const [id, r] of entriesOf(config.ruleSets)) {
    for (const [i, e] of strings(r.on)) {
      ref(cx, events, e, {
        path: ['ruleSets', id, 'on', String(i)],
        id: 'unknownRuleSetEvent',
        params: { ruleSet: id, event: e },
      });
    }
  }
  for (const [id, r] of entriesOf(config.receptionDays)) {
    if (typeof r.unit === 'string') {
      ref(cx, units, r.unit, {
        path: ['receptionDays', id, 'unit'],
        id: 'unknownReceptionUnit',
        params: { id, unit: r.unit },
      });
    }
  }
}

/** The form's roles, sections and the form fields reporting names. */
function checkFormRefs(cx: RefContext, config: Rec, form: Rec): void {
  const { roles, deadlines } = cx.declared;
  const { locale } = cx.opts;
  if (isRec(form.visibleTo)) {
    for (const key of ['personal', 'accusation']) {
      refs(cx, roles, form.visibleTo[key], {
        path: ['form', 'visibleTo', key],
        id: 'unknownRole',
        param: 'role',
      });
    }
  }
  // a visibility entry names a role: a misspelt one would silently leave that role at the default
  for (const role of Object.keys(isRec(config.visibility) ? config.visibility : {})) {
    if (roles.has(role)) continue;
    const near = closest(role, roles);
    cx.out.push(
      makeDiagnostic('unknownRole', locale, { role }, cx.locate(['visibility', role], 'key'), {
        hint: near ? didYouMean(near, locale) : undefined,
      }),
    );
  }
  for (const [id, section] of entriesOf(form.sections)) {
    refs(cx, deadlines, section.deadlines, {
      path: ['form', 'sections', id, 'deadlines'],
      id: 'unknownDeadline',
      param: 'deadline',
    });
  }
  cx.out.push(...checkSections(form, cx.locate, locale));
  checkRegisterFields(cx, config, form);
  const reporting = isRec(config.reporting) ? config.reporting : {};
  for (const [key, field] of Object.entries(isRec(reporting.fields) ? reporting.fields : {})) {
    if (typeof field !== 'string') continue;
    const d = formFieldProblem(form.schema, field, locale, 'unknownReportField', { key, field }, () =>
      cx.locate(['reporting', 'fields', key], 'value'),
    );
    if (d) cx.out.push(d);
  }
}

/**
 * The first segment of a dotted form field that the form schema does not declare, with the
 * names it does declare there; undefined when every segment is declared.
 */
function unknownFormField(schema: unknown, field: string): { name: string; known: string[] } | undefined {
  let at: unknown = schema;
  for (const name of field.split('.')) {
    const props = isRec(at) && isRec(at.properties) ? at.properties : {};
    if (!Object.hasOwn(props, name)) return { name, known: Object.keys(props) };
    at = props[name];
  }
  return undefined;
}

/** The diagnostic for a dotted form field the form schema does not declare, with a did-you-mean. */
function formFieldProblem(
  schema: unknown,
  field: string,
  locale: Locale,
  id: MessageId,
  params: Record<string, string>,
  at: () => ReturnType<Locate>,
): Diagnostic | undefined {
  const bad = unknownFormField(schema, field);
  if (!bad) return undefined;
  const near = closest(bad.name, bad.known);
  return makeDiagnostic(id, locale, params, at(), { hint: near ? didYouMean(near, locale) : undefined });
}

/**
 * The form's sections (Shaanxi's seven) name fields of the form, and no stage belongs to two
 * sections: the three-colour board places a case's current stage in exactly one section.
 */
function checkSections(form: Rec, locate: Locate, locale: Locale): Diagnostic[] {
  const out: Diagnostic[] = [];
  const stageAt = new Map<string, string>();
  // a field id names one field of the register: the section it is in, the value it holds
  const registerAt = new Map<string, string>();
  for (const [id, section] of entriesOf(form.sections)) {
    const base = ['form', 'sections', id];
    const fieldAt = new Map<string, string>();
    for (const [i, field] of registerIds(section.fields)) {
      const first = fieldAt.get(field) ?? registerAt.get(field);
      if (first === undefined) fieldAt.set(field, id);
      else {
        const path = [...base, 'fields', String(i), ...(isRec(asList(section.fields)[i]) ? ['id'] : [])];
        out.push(
          makeDiagnostic('registerFieldTwice', locale, { field, section: id, first }, locate(path, 'value')),
        );
      }
    }
    for (const [field, at] of fieldAt) registerAt.set(field, at);
    for (const [i, field] of strings(section.fields)) {
      const d = formFieldProblem(
        form.schema,
        field,
        locale,
        'unknownSectionField',
        { section: id, field },
        () => locate([...base, 'fields', String(i)], 'value'),
      );
      if (d) out.push(d);
    }
    for (const [i, stage] of strings(section.stages)) {
      const first = stageAt.get(stage);
      if (first === undefined) stageAt.set(stage, id);
      else {
        out.push(
          makeDiagnostic(
            'sectionStageTwice',
            locale,
            { stage, section: id, first },
            locate([...base, 'stages', String(i)], 'value'),
          ),
        );
      }
    }
  }
  return out;
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The id of each field of a section's list: a form field's path, or a register field's `id`. */
function registerIds(fields: unknown): [number, string][] {
  const out: [number, string][] = [];
  asList(fields).forEach((f, i) => {
    if (typeof f === 'string') out.push([i, f]);
    else if (isRec(f) && typeof f.id === 'string') out.push([i, f.id]);
  });
  return out;
}

/** The payload fields each command declares, over every state that has it. */
function payloadFields(process: Rec): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [, s] of entriesOf(process.states)) {
    for (const { event, t } of transitionsOf(s)) {
      const known = out.get(event) ?? new Set<string>();
      const props = isRec(t.payload) && isRec(t.payload.properties) ? t.payload.properties : {};
      for (const k of Object.keys(props)) known.add(k);
      out.set(event, known);
    }
  }
  return out;
}

/**
 * The sources of the register fields (`from`): the command, document, deadline, rule set or form
 * field each reads must be declared, and a payload path must start with a field the command's
 * payload declares. A misspelt source would leave the field empty on every case, silently.
 */
function checkRegisterFields(cx: RefContext, config: Rec, form: Rec): void {
  const payloads = payloadFields(isRec(config.process) ? config.process : {});
  for (const [sid, section] of entriesOf(form.sections)) {
    asList(section.fields).forEach((f, i) => {
      if (!isRec(f) || !isRec(f.from)) return;
      const field = typeof f.id === 'string' ? f.id : String(i);
      const base = ['form', 'sections', sid, 'fields', String(i), 'from'];
      checkRegisterSource(cx, form, payloads, { field, base, src: f.from });
    });
  }
}

/** One register field's source, at `base` (the path of its `from`). */
interface SourceAt {
  field: string;
  base: string[];
  src: Rec;
}

function checkRegisterSource(
  cx: RefContext,
  form: Rec,
  payloads: Map<string, Set<string>>,
  at: SourceAt,
): void {
  const { documents, deadlines, ruleSets } = cx.declared;
  const { field, base, src } = at;
  const each = (key: string, fn: (name: string, path: string[]) => void) => {
    const v = src[key];
    if (typeof v === 'string') fn(v, [...base, key]);
    else for (const [j, name] of strings(v)) fn(name, [...base, key, String(j)]);
  };
  each('event', (event, path) => checkRegisterEvent(cx, payloads, at, event, path));
  each('document', (document, path) =>
    ref(cx, documents, document, { path, id: 'unknownRegisterDocument', params: { field, document } }),
  );
  each('deadline', (deadline, path) =>
    ref(cx, deadlines, deadline, { path, id: 'unknownRegisterDeadline', params: { field, deadline } }),
  );
  each('rule', (ruleSet, path) =>
    ref(cx, ruleSets, ruleSet, { path, id: 'unknownRegisterRuleSet', params: { field, ruleSet } }),
  );
  if (typeof src.petition === 'string') {
    const d = formFieldProblem(
      form.schema,
      src.petition,
      cx.opts.locale,
      'unknownRegisterPetitionField',
      { field, path: src.petition },
      () => cx.locate([...base, 'petition'], 'value'),
    );
    if (d) cx.out.push(d);
  }
}

/**
 * A dissolved unit's successor (Reg. 24) is another unit of the registry, itself not dissolved:
 * its staff take over the matters, so a chain of successors would leave them with nobody.
 */
function checkSuccessors(
  unitsValue: unknown,
  units: Set<string>,
  locate: Locate,
  locale: Locale,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [id, u] of entriesOf(unitsValue)) {
    if (typeof u.successor !== 'string') continue;
    const next = isRec(unitsValue) ? (unitsValue[u.successor] as Rec | undefined) : undefined;
    const problem = !units.has(u.successor)
      ? 'unknownSuccessor'
      : u.successor === id || (isRec(next) && typeof next.successor === 'string')
        ? 'successorDissolved'
        : undefined;
    if (problem === undefined) continue;
    const near = problem === 'unknownSuccessor' ? closest(u.successor, units) : undefined;
    out.push(
      makeDiagnostic(
        problem,
        locale,
        { unit: id, successor: u.successor },
        locate(['units', id, 'successor'], 'value'),
        {
          hint: near ? didYouMean(near, locale) : undefined,
        },
      ),
    );
  }
  return out;
}

/** An `event` source: a command of the process (or `SUBMITTED`), and the payload field it reads. */
function checkRegisterEvent(
  cx: RefContext,
  payloads: Map<string, Set<string>>,
  { field, base, src }: SourceAt,
  event: string,
  path: string[],
): void {
  const { locale } = cx.opts;
  if (event !== 'SUBMITTED' && !payloads.has(event)) {
    ref(cx, new Set([...payloads.keys(), 'SUBMITTED']), event, {
      path,
      id: 'unknownRegisterCommand',
      params: { field, event },
    });
    return;
  }
  const value = typeof src.value === 'string' ? src.value : '';
  if (!value.startsWith('payload.')) return;
  const name = value.slice('payload.'.length).split('.')[0] ?? '';
  // SUBMITTED carries the form, not a payload: its fields are read with `petition`
  const known = event === 'SUBMITTED' ? new Set<string>() : (payloads.get(event) ?? new Set<string>());
  if (known.has(name)) return;
  const near = closest(name, known);
  cx.out.push(
    makeDiagnostic(
      'unknownRegisterPayload',
      locale,
      { field, event, path: value, name },
      cx.locate([...base, 'value'], 'value'),
      { hint: near ? didYouMean(near, locale) : undefined },
    ),
  );
}

function checkUnits(unitsValue: unknown, units: Set<string>, locate: Locate, locale: Locale): Diagnostic[] {
  const out: Diagnostic[] = [];
  const parentOf = new Map<string, string>();
  for (const [id, u] of entriesOf(unitsValue)) {
    if (typeof u.parent !== 'string') continue;
    if (!units.has(u.parent)) {
      const near = closest(u.parent, units);
      out.push(
        makeDiagnostic(
          'unknownUnit',
          locale,
          { unit: id, parent: u.parent },
          locate(['units', id, 'parent'], 'value'),
          {
            hint: near ? didYouMean(near, locale) : undefined,
          },
        ),
      );
    } else parentOf.set(id, u.parent);
  }
  out.push(...checkSuccessors(unitsValue, units, locate, locale));
  // each cycle is reported once, at the unit of the cycle that is declared first
  const reported = new Set<string>();
  for (const start of parentOf.keys()) {
    const chain: string[] = [];
    let at: string | undefined = start;
    while (at !== undefined && !chain.includes(at) && !reported.has(at)) {
      chain.push(at);
      at = parentOf.get(at);
    }
    if (at === undefined || reported.has(at)) continue;
    const cycle = chain.slice(chain.indexOf(at));
    cycle.forEach((u) => {
      reported.add(u);
    });
    const first = cycle[0] ?? at;
    out.push(
      makeDiagnostic(
        'unitCycle',
        locale,
        { chain: [...cycle, first].join(' -> ') },
        locate(['units', first, 'parent'], 'value'),
      ),
    );
  }
  return out;
}

/**
 * Duplicate ids in a list of named items within one file. Checked per file before merging,
 * because merging by id would fold the second item into the first and hide the mistake.
 */
export function checkDuplicateIds(tree: Tree, locale: Locale): Diagnostic[] {
  const out: Diagnostic[] = [];
  const walk = (t: Tree): void => {
    if (t.kind === 'map') {
      for (const c of t.entries.values()) walk(c);
    } else if (t.kind === 'list') {
      const first = new Map<string, Tree>();
      for (const item of t.items) {
        walk(item);
        if (item.kind !== 'map') continue;
        const id = item.entries.get('id');
        if (id?.kind !== 'leaf' || typeof id.value !== 'string') continue;
        const prev = first.get(id.value);
        if (!prev) {
          first.set(id.value, id);
          continue;
        }
        const firstLine = prev.origin.source.locate(prev.origin.path, 'value').line;
        out.push(
          makeDiagnostic(
            'duplicateId',
            locale,
            { id: id.value, firstLine },
            id.origin.source.locate(id.origin.path, 'value'),
          ),
        );
      }
    }
  };
  walk(tree);
  return out;
}
