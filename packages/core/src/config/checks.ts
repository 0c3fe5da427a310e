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

/**
 * The cross-reference checks over a resolved config: every name a state, transition or
 * deadline uses must be declared, units must form a tree. Written against `unknown` data:
 * the config may also have failed the schema, and the checks must still not throw.
 */
export function checkReferences(config: unknown, locate: Locate, opts: CheckOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!isRec(config)) return out;
  const { locale } = opts;
  const keysOf = (v: unknown) => new Set(isRec(v) ? Object.keys(v) : []);
  const roles = keysOf(config.roles);
  const deadlines = keysOf(config.deadlines);
  const documents = keysOf(config.documents);
  const units = keysOf(config.units);
  const ruleSets = keysOf(config.ruleSets);
  const process = isRec(config.process) ? config.process : {};
  const states = keysOf(process.states);

  const ref = (
    known: Set<string>,
    name: unknown,
    path: string[],
    id: MessageId,
    params: Record<string, string>,
  ): void => {
    if (typeof name !== 'string' || known.has(name)) return;
    const near = closest(name, known);
    out.push(
      makeDiagnostic(id, locale, params, locate(path, 'value'), {
        hint: near ? didYouMean(near, locale) : undefined,
      }),
    );
  };
  const refs = (known: Set<string>, list: unknown, path: string[], id: MessageId, param: string) => {
    for (const [i, name] of strings(list)) ref(known, name, [...path, String(i)], id, { [param]: name });
  };

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
  /** A guard's or action's parameters: none unknown, none missing, each name it refers by declared. */
  const checkParams = (
    kind: 'guard' | 'action',
    node: Rec,
    at: string[],
    table: ParamTable | undefined,
    t: Rec,
    event: string,
  ): void => {
    const spec = typeof node.type === 'string' ? table?.[node.type] : undefined;
    if (!spec) return;
    const params = isRec(node.params) ? node.params : {};
    const required = spec.params ?? [];
    const allowed = [...required, ...(spec.optional ?? [])];
    for (const key of Object.keys(params)) {
      if (allowed.includes(key)) continue;
      const near = closest(key, allowed);
      out.push(
        makeDiagnostic(
          'unknownParam',
          locale,
          { kind, type: String(node.type), param: key, known: allowed.join(', ') || 'none' },
          locate([...at, 'params', key], 'key'),
          { hint: near ? didYouMean(near, locale) : undefined },
        ),
      );
    }
    for (const key of required) {
      if (Object.hasOwn(params, key)) continue;
      out.push(
        makeDiagnostic(
          'missingParam',
          locale,
          { kind, type: String(node.type), param: key },
          locate(isRec(node.params) ? [...at, 'params'] : at, 'key'),
        ),
      );
    }
    const named = (key: string, known: Set<string>, id: MessageId, param: string) => {
      const v = params[key];
      if (typeof v === 'string') ref(known, v, [...at, 'params', key], id, { [param]: v, event });
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
      ref(fields, params.from, [...at, 'params', 'from'], 'unknownPayloadField', {
        field: params.from,
        event,
      });
    }
  };

  if (typeof process.initial === 'string') {
    ref(states, process.initial, ['process', 'initial'], 'unknownInitial', { state: process.initial });
  }

  for (const [id, d] of entriesOf(config.deadlines)) {
    const base = ['deadlines', id];
    for (const [i, s] of strings(d.pausedBy)) {
      ref(states, s, [...base, 'pausedBy', String(i)], 'unknownPauseState', { deadline: id, state: s });
    }
    if (isRec(d.extension)) {
      refs(roles, d.extension.approvedBy, [...base, 'extension', 'approvedBy'], 'unknownRole', 'role');
      if (typeof d.extension.notice === 'string') {
        ref(documents, d.extension.notice, [...base, 'extension', 'notice'], 'unknownDocument', {
          document: d.extension.notice,
        });
      }
    }
  }

  for (const [sid, s] of entriesOf(process.states)) {
    const base = ['process', 'states', sid];
    refs(deadlines, s.starts, [...base, 'starts'], 'unknownDeadline', 'deadline');
    refs(deadlines, s.stops, [...base, 'stops'], 'unknownDeadline', 'deadline');
    refs(documents, s.issues, [...base, 'issues'], 'unknownDocument', 'document');
    for (const { event, path, t } of transitionsOf(s)) {
      const tp = [...base, ...path];
      if (typeof t.to === 'string')
        ref(states, t.to, [...tp, 'to'], 'unknownStateTarget', { event, state: t.to });
      refs(roles, t.roles, [...tp, 'roles'], 'unknownRole', 'role');
      refs(deadlines, t.starts, [...tp, 'starts'], 'unknownDeadline', 'deadline');
      refs(deadlines, t.stops, [...tp, 'stops'], 'unknownDeadline', 'deadline');
      for (const key of ['within', 'extends'] as const) {
        const v = t[key];
        if (typeof v === 'string') ref(deadlines, v, [...tp, key], 'unknownDeadline', { deadline: v });
      }
      refs(documents, t.issues, [...tp, 'issues'], 'unknownDocument', 'document');
      refs(ruleSets, t.rules, [...tp, 'rules'], 'unknownRuleSet', 'ruleSet');
      const guards: [unknown, string[]][] = Array.isArray(t.guard)
        ? t.guard.map((g, i) => [g, ['guard', String(i)]])
        : [[t.guard, ['guard']]];
      for (const [g, gp] of guards) {
        if (isRec(g) && typeof g.type === 'string') {
          ref(new Set(opts.knownGuards), g.type, [...tp, ...gp, 'type'], 'unknownGuard', {
            type: g.type,
            known: opts.knownGuards.join(', '),
          });
          if (isRec(g)) checkParams('guard', g, [...tp, ...gp], opts.guardParams, t, event);
          // A guard that names bodies must name declared ones: a misspelt unit would refuse the
          // command to everybody, found only when a case reaches it.
          if (g.type === 'actorUnitIn' && isRec(g.params) && units.size > 0) {
            for (const [i, u] of strings(g.params.units)) {
              ref(units, u, [...tp, ...gp, 'params', 'units', String(i)], 'unknownGuardUnit', {
                event,
                unit: u,
              });
            }
          }
        }
      }
      (Array.isArray(t.actions) ? t.actions : []).forEach((a, i) => {
        if (isRec(a) && typeof a.type === 'string') {
          ref(new Set(opts.knownActions), a.type, [...tp, 'actions', String(i), 'type'], 'unknownAction', {
            type: a.type,
            known: opts.knownActions.join(', '),
          });
          checkParams('action', a, [...tp, 'actions', String(i)], opts.actionParams, t, event);
        }
      });
    }
  }

  // the groups' transitions are checked in the states they were copied into
  for (const [group, g] of entriesOf(process.common)) {
    for (const [i, s] of strings(g.except)) {
      ref(states, s, ['process', 'common', group, 'except', String(i)], 'unknownExceptState', {
        group,
        state: s,
      });
    }
  }
  for (const [id, r] of entriesOf(config.ruleSets)) {
    for (const [i, e] of strings(r.on)) {
      ref(events, e, ['ruleSets', id, 'on', String(i)], 'unknownRuleSetEvent', { ruleSet: id, event: e });
    }
  }
  for (const [id, r] of entriesOf(config.receptionDays)) {
    if (typeof r.unit === 'string') {
      ref(units, r.unit, ['receptionDays', id, 'unit'], 'unknownReceptionUnit', { id, unit: r.unit });
    }
  }

  const form = isRec(config.form) ? config.form : {};
  if (isRec(form.visibleTo)) {
    for (const key of ['personal', 'accusation']) {
      refs(roles, form.visibleTo[key], ['form', 'visibleTo', key], 'unknownRole', 'role');
    }
  }

  for (const [id, section] of entriesOf(form.sections)) {
    refs(deadlines, section.deadlines, ['form', 'sections', id, 'deadlines'], 'unknownDeadline', 'deadline');
  }
  out.push(...checkSections(form, locate, locale));
  const reporting = isRec(config.reporting) ? config.reporting : {};
  for (const [key, field] of Object.entries(isRec(reporting.fields) ? reporting.fields : {})) {
    if (typeof field !== 'string') continue;
    const d = formFieldProblem(form.schema, field, locale, 'unknownReportField', { key, field }, () =>
      locate(['reporting', 'fields', key], 'value'),
    );
    if (d) out.push(d);
  }
  out.push(...checkUnits(config.units, units, locate, locale));
  return out;
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
  for (const [id, section] of entriesOf(form.sections)) {
    const base = ['form', 'sections', id];
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
