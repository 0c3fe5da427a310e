import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import {
  type Document,
  isAlias,
  isMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
} from 'yaml';
import type { Diagnostic } from '../base/diagnostics.js';
import { closest } from '../base/suggest.js';
import { didYouMean, type Locale, type MessageId, message, messageCode, quoteHint } from './messages.js';

/** A path into a parsed value: map keys and (stringified) list indexes. */
export type Path = readonly string[];

/** Where a diagnostic points: the file, 1-based line and column, the JSON pointer, the source line. */
export interface Position {
  file: string;
  line: number;
  column: number;
  pointer: string;
  sourceLine?: string;
}

/**
 * Finds the position of a path. `key` points at the key that introduces the value (unknown
 * or missing keys, a whole entry); `value` at the value itself (a wrong type, a bad name).
 */
export type Locate = (path: Path, at: 'key' | 'value') => Position;

/** One parsed YAML file that keeps its positions. */
export interface YamlSource {
  file: string;
  text: string;
  /** The plain value (maps become objects), or undefined when the YAML did not parse. */
  value: unknown;
  locate: Locate;
}

/** RFC 6901 JSON pointer of a path. */
export function toPointer(path: Path): string {
  return path.map((s) => `/${s.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** Builds a diagnostic from a message id and a position. */
export function makeDiagnostic(
  id: MessageId,
  locale: Locale,
  params: Record<string, string | number | undefined>,
  pos: Position,
  extra: { severity?: 'error' | 'warning'; hint?: string } = {},
): Diagnostic {
  const d: Diagnostic = {
    severity: extra.severity ?? 'error',
    code: messageCode(id),
    message: message(id, locale, params),
    file: pos.file,
    line: pos.line,
    column: pos.column,
    pointer: pos.pointer,
  };
  if (pos.sourceLine !== undefined) d.sourceLine = pos.sourceLine;
  if (extra.hint !== undefined) d.hint = extra.hint;
  return d;
}

function keyOf(node: unknown): string {
  if (isScalar(node)) return String(node.value);
  return String(node);
}

/**
 * Parses YAML keeping positions. Syntax errors (and duplicate keys, which YAML forbids and
 * which would otherwise silently drop a state or a deadline) are diagnostics, and the value
 * is then left undefined so later checks do not report their consequences.
 */
export function parseYamlSource(
  text: string,
  file: string,
  locale: Locale = 'en',
): { source: YamlSource; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  // yaml's own duplicate-key check compares every pair of keys; ours below is one pass
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  } catch (e) {
    // the parser recurses on flow nesting: thousands of `[` overflow its stack
    const detail = e instanceof RangeError ? tooDeep(locale) : String((e as Error)?.message ?? e);
    const pos: Position = { file, line: 1, column: 1, pointer: '' };
    const empty: YamlSource = { file, text, value: undefined, locate: () => pos };
    return { source: empty, diagnostics: [makeDiagnostic('yamlSyntax', locale, { detail }, pos)] };
  }
  let lines: string[] | undefined;
  const sourceLine = (line: number): string | undefined => {
    lines ??= text.split(/\r?\n/);
    return lines[line - 1];
  };
  const posAt = (offset: number, path: Path): Position => {
    const lp = lineCounter.linePos(offset);
    // LineCounter answers line 0 before the first recorded newline
    const line = Math.max(1, lp.line);
    const column = Math.max(1, lp.col);
    const p: Position = { file, line, column, pointer: toPointer(path) };
    const s = sourceLine(line);
    if (s !== undefined) p.sourceLine = s;
    return p;
  };
  const locate: Locate = (path, at) => locateIn(doc, path, at, posAt);

  const diagnostics = documentProblems(doc, posAt, locale);
  let value: unknown;
  if (diagnostics.every((d) => d.severity !== 'error')) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
      if (isCyclic(value)) {
        value = undefined;
        const detail = 'an alias refers to a node that contains it; a config must be a tree';
        diagnostics.push(makeDiagnostic('yamlSyntax', locale, { detail }, posAt(0, [])));
      }
    } catch (e) {
      // alias bombs and the like surface here rather than as parse errors
      const detail = e instanceof Error ? e.message : String(e);
      diagnostics.push(makeDiagnostic('yamlSyntax', locale, { detail }, posAt(0, [])));
    }
  }
  return { source: { file, text, value, locate }, diagnostics };
}

/** The parse's errors and warnings, then (when it parsed) too deep a nesting or a repeated key. */
function documentProblems(
  doc: Document.Parsed,
  posAt: (offset: number, path: Path) => Position,
  locale: Locale,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  // a stack overflow inside the parser is one problem, however many errors it left behind
  const overflow = doc.errors.find((e) => e.message.includes('call stack'));
  if (overflow)
    return [makeDiagnostic('yamlSyntax', locale, { detail: tooDeep(locale) }, posAt(overflow.pos[0], []))];
  for (const e of doc.errors) {
    const pos = posAt(e.pos[0], []);
    const first = e.message.split('\n')[0] ?? e.message;
    const detail = first.includes('call stack') ? tooDeep(locale) : first;
    diagnostics.push(makeDiagnostic('yamlSyntax', locale, { detail }, pos));
  }
  const deep = doc.errors.length === 0 ? deeperThan(doc.contents, MAX_YAML_DEPTH) : undefined;
  if (deep)
    diagnostics.push(
      makeDiagnostic('yamlSyntax', locale, { detail: tooDeep(locale) }, posAt(deep.range?.[0] ?? 0, [])),
    );
  else if (doc.errors.length === 0) {
    for (const key of duplicateKeys(doc.contents)) {
      const pos = posAt(key.range?.[0] ?? 0, []);
      diagnostics.push(makeDiagnostic('duplicateKey', locale, { key: keyOf(key) }, pos));
    }
  }
  for (const w of doc.warnings) {
    const detail = w.message.split('\n')[0] ?? w.message;
    diagnostics.push(
      makeDiagnostic('yamlWarning', locale, { detail }, posAt(w.pos[0], []), { severity: 'warning' }),
    );
  }
  return diagnostics;
}

/**
 * How deep a YAML file may nest. National is 8 levels deep; a file nested past this is no config,
 * and the passes after parsing (merge, schema, checks) walk it recursively.
 */
export const MAX_YAML_DEPTH = 64;

function tooDeep(locale: Locale): string {
  return locale === 'zh'
    ? `嵌套过深（超过 ${MAX_YAML_DEPTH} 层）；配置不需要这么多层`
    : `nested too deeply (more than ${MAX_YAML_DEPTH} levels); no config needs that many`;
}

/** The first node nested deeper than `limit` maps and lists, found without recursion. */
function deeperThan(root: unknown, limit: number): Node | undefined {
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 0 }];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { node, depth } = top;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth >= limit) return node as Node;
    for (const item of node.items as unknown[]) {
      const value = isMap(node) ? (item as { value: unknown }).value : item;
      stack.push({ node: value, depth: depth + 1 });
      if (isMap(node)) stack.push({ node: (item as { key: unknown }).key, depth: depth + 1 });
    }
  }
  return undefined;
}

/** True when a value contains itself (`a: &x [*x]`), which no JSON value can. */
function isCyclic(value: unknown): boolean {
  const path = new Set<object>();
  const walk = (v: unknown): boolean => {
    if (typeof v !== 'object' || v === null) return false;
    if (path.has(v)) return true;
    path.add(v);
    const found = (Array.isArray(v) ? v : Object.values(v)).some(walk);
    path.delete(v);
    return found;
  };
  return walk(value);
}

/**
 * The second and later occurrences of a key in any map. YAML forbids them, and keeping one
 * silently would drop a state or a deadline the author wrote.
 */
function duplicateKeys(root: unknown): Node[] {
  const out: Node[] = [];
  const walk = (node: unknown): void => {
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const k = keyOf(pair.key);
        if (seen.has(k) && isNode(pair.key)) out.push(pair.key);
        seen.add(k);
        walk(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item);
    }
  };
  walk(root);
  return out;
}

function locateIn(
  doc: Document.Parsed,
  path: Path,
  at: 'key' | 'value',
  posAt: (offset: number, path: Path) => Position,
): Position {
  let node: unknown = doc.contents;
  let keyNode: Node | undefined;
  let found = 0;
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => keyOf(p.key) === seg);
      if (!pair) break;
      keyNode = isScalar(pair.key) ? pair.key : undefined;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (item === undefined || !/^\d+$/.test(seg)) break;
      keyNode = undefined;
      node = item;
    } else {
      break;
    }
    found++;
  }
  const valueRange = (node as Node | null | undefined)?.range;
  const keyRange = keyNode?.range;
  // a path only partly found points at its deepest existing key (where a key is missing)
  const wantKey = at === 'key' || found < path.length;
  const range = wantKey ? (keyRange ?? valueRange) : (valueRange ?? keyRange);
  return posAt(range?.[0] ?? 0, path);
}

// ajv compiles a schema once per process: compiling is most of the cost of a first load.
const compiled = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: object): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    const ajv = new Ajv2020({
      allErrors: true,
      verbose: true,
      strict: true,
      // `required` inside if/oneOf branches names keys the enclosing schema defines
      strictRequired: false,
      allowUnionTypes: true,
    });
    v = ajv.compile(schema);
    compiled.set(schema, v);
  }
  return v;
}

/** A value as a message shows it: cut at 60 characters, so a 200 KB value does not fill the terminal. */
function shown(v: unknown): string {
  const s = typeof v === 'string' ? v : String(JSON.stringify(v));
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') return `a string (${JSON.stringify(v.length > 30 ? `${v.slice(0, 30)}…` : v)})`;
  if (typeof v === 'number') return Number.isInteger(v) ? `an integer (${v})` : `a number (${v})`;
  return `a ${typeof v} (${String(v)})`;
}

function expectedName(t: unknown): string {
  const names: Record<string, string> = {
    object: 'a map',
    array: 'a list',
    string: 'a string',
    integer: 'an integer',
    number: 'a number',
    boolean: 'true or false',
    null: 'null',
  };
  const list = Array.isArray(t) ? t : [t];
  return list.map((x) => names[String(x)] ?? String(x)).join(' or ');
}

function pathOf(instancePath: string): string[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/**
 * Validates a value against a JSON Schema and turns ajv's errors into our coded
 * diagnostics, each located through `locate`. Union branches (`if`/`else`, `oneOf`) are
 * folded so an author sees one message per mistake, not one per branch.
 */
export function validateWithSchema(
  value: unknown,
  schema: object,
  locate: Locate,
  locale: Locale = 'en',
): Diagnostic[] {
  const validate = validatorFor(schema);
  if (validate(value)) return [];
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if');
  // errors raised inside a failing oneOf's branches are replaced by the oneOf's own message
  const oneOfs = errors.filter((e) => e.keyword === 'oneOf');
  const inBranch = (e: ErrorObject) =>
    e.keyword !== 'oneOf' &&
    oneOfs.some((o) => e.instancePath === o.instancePath && e.schemaPath.startsWith(`${o.schemaPath}/`));
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (inBranch(e)) continue;
    const d = translate(e, locate, locale);
    const key = `${d.code}|${d.line}|${d.column}|${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

/** One ajv error with what translating it needs: its instance path, its params, where and how to report. */
interface SchemaError {
  e: ErrorObject;
  path: string[];
  params: Record<string, unknown>;
  locate: Locate;
  locale: Locale;
}

function translate(e: ErrorObject, locate: Locate, locale: Locale): Diagnostic {
  const x: SchemaError = {
    e,
    path: pathOf(e.instancePath),
    params: e.params as Record<string, unknown>,
    locate,
    locale,
  };
  return (
    keyProblem(x) ??
    valueProblem(x) ??
    makeDiagnostic('schemaOther', locale, { detail: e.message ?? e.keyword }, locate(x.path, 'value'))
  );
}

/** The errors about a map's keys: unknown, missing, dependent, or none of a `oneOf`'s. */
function keyProblem(x: SchemaError): Diagnostic | undefined {
  const { e, path, params, locate, locale } = x;
  switch (e.keyword) {
    case 'additionalProperties':
      return unknownKey(x);
    case 'required':
      return makeDiagnostic(
        'missingKey',
        locale,
        { key: String(params.missingProperty) },
        locate(path, 'key'),
      );
    case 'dependentRequired':
      return makeDiagnostic(
        'dependent',
        locale,
        { key: String(params.property), missing: String(params.missingProperty) },
        locate([...path, String(params.property)], 'key'),
      );
    case 'oneOf': {
      const branches = Array.isArray(e.schema) ? (e.schema as { required?: string[] }[]) : [];
      const alternatives = branches
        .map((b) => b.required?.[0])
        .filter((k): k is string => k !== undefined)
        .map((k) => `\`${k}\``)
        .join(', ');
      return makeDiagnostic('oneOf', locale, { alternatives }, locate(path, 'key'));
    }
    default:
      return undefined;
  }
}

function unknownKey({ e, path, params, locate, locale }: SchemaError): Diagnostic {
  const where = path.length > 0 ? toPointer(path) : undefined;
  const key = String(params.additionalProperty);
  const allowed = Object.keys((e.parentSchema?.properties as object | undefined) ?? {});
  const near = closest(key, allowed);
  const at = locate([...path, key], 'key');
  // the map as the author wrote it (a `process.common` command is written once, copied
  // into many states), so the same slip reads the same wherever the loader found it
  const written = at.pointer.slice(0, at.pointer.lastIndexOf('/'));
  return makeDiagnostic('unknownKey', locale, { key, where: where && (written || where) }, at, {
    hint: near ? didYouMean(near, locale) : undefined,
  });
}

/** The errors about a value: its type, its allowed values, its bounds, its pattern, its length. */
function valueProblem(x: SchemaError): Diagnostic | undefined {
  const { e, path, params, locate, locale } = x;
  switch (e.keyword) {
    case 'type':
      return wrongType(x);
    case 'enum':
      return badEnum(x);
    case 'const':
      return makeDiagnostic(
        'badConst',
        locale,
        { expected: JSON.stringify(params.allowedValue) },
        locate(path, 'value'),
      );
    case 'minimum':
    case 'exclusiveMinimum':
      return makeDiagnostic(
        'tooSmall',
        locale,
        { value: shown(e.data), limit: Number(params.limit) },
        locate(path, 'value'),
      );
    case 'maximum':
    case 'exclusiveMaximum':
      return makeDiagnostic(
        'tooLarge',
        locale,
        { value: shown(e.data), limit: Number(params.limit) },
        locate(path, 'value'),
      );
    case 'pattern':
      return makeDiagnostic(
        'badPattern',
        locale,
        { value: shown(e.data), pattern: String(params.pattern) },
        locate(path, 'value'),
      );
    case 'minLength':
      return makeDiagnostic('emptyString', locale, {}, locate(path, 'value'));
    case 'minItems':
      return makeDiagnostic('tooFew', locale, { limit: Number(params.limit) }, locate(path, 'value'));
    default:
      return undefined;
  }
}

function wrongType({ e, path, params, locate, locale }: SchemaError): Diagnostic {
  // a number or boolean where a string belongs is most often a value YAML read unquoted
  const hint =
    params.type === 'string' && (typeof e.data === 'number' || typeof e.data === 'boolean')
      ? quoteHint(locale)
      : undefined;
  return makeDiagnostic(
    'wrongType',
    locale,
    { expected: expectedName(params.type), actual: typeName(e.data) },
    locate(path, 'value'),
    { hint },
  );
}

function badEnum({ e, path, params, locate, locale }: SchemaError): Diagnostic {
  const allowed = (params.allowedValues as unknown[]).map(String);
  const near = typeof e.data === 'string' ? closest(e.data, allowed) : undefined;
  return makeDiagnostic(
    'badEnum',
    locale,
    { value: shown(e.data), allowed: allowed.join(', ') },
    locate(path, 'value'),
    { hint: near ? didYouMean(near, locale) : undefined },
  );
}

/** What {@link parseYamlWithSchema} returns: the value only when there was no error. */
export interface SchemaParseResult<T> {
  value?: T;
  diagnostics: Diagnostic[];
  source: YamlSource;
}

/**
 * Parses a YAML file and validates it against a JSON Schema, reporting every problem with
 * its file, line, column and pointer. Reusable for any YAML format xinfang reads (jurisdiction
 * configs use it through the `extends`-aware loader; calendars may use it directly).
 */
export function parseYamlWithSchema<T = unknown>(
  text: string,
  file: string,
  schema: object,
  options: { locale?: Locale } = {},
): SchemaParseResult<T> {
  const locale = options.locale ?? 'en';
  const { source, diagnostics } = parseYamlSource(text, file, locale);
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics, source };
  diagnostics.push(...validateWithSchema(source.value, schema, source.locate, locale));
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics, source };
  return { value: source.value as T, diagnostics, source };
}
