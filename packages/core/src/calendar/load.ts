/**
 * Calendar files: YAML -> schema check (ajv, draft 2020-12) -> semantic check -> Calendar,
 * collecting every problem as a Diagnostic with file, line, column and JSON pointer.
 *
 * The generic config loader (config/) does the same for jurisdiction configs; the YAML
 * positions and the ajv-error mapping here could move onto `parseYamlWithSchema` there; the
 * "did you mean" hint already uses the config module's `closest`.
 */

import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { type Document, isMap, isNode, isPair, isScalar, LineCounter, parseDocument } from 'yaml';
import { ConfigError, type Diagnostic } from '../base/diagnostics.js';
import type { DiagnosticCode } from '../base/errors.js';
import { DEFAULT_MAX_FILE_BYTES, packagePath, readConfinedFile, realPathOf } from '../base/files.js';
import { closest } from '../base/suggest.js';
import {
  Calendar,
  type CalendarData,
  checkCalendarData,
  type ItemPointer,
  type NamedDay,
} from './calendar.js';
import calendarSchema from './calendar.schema.json' with { type: 'json' };
import { formatDay, tryDayNumber } from './civil.js';
import { UnknownCalendarError } from './errors.js';

/** The JSON Schema (draft 2020-12) of a calendar file, for editors and docs. */
export const CALENDAR_SCHEMA: Readonly<Record<string, unknown>> = calendarSchema;

let validator: ValidateFunction | undefined;
function validate(value: unknown): ErrorObject[] {
  validator ??= new Ajv2020({ allErrors: true, strict: true, verbose: true }).compile(calendarSchema);
  return validator(value) ? [] : (validator.errors ?? []);
}

/** One position in the source: where a pointer's node starts. */
interface Located {
  line: number;
  column: number;
}

function pathOf(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Line and column of the node at `pointer`, or of its nearest existing ancestor. */
function locate(doc: Document, counter: LineCounter, pointer: string, atKey = false): Located {
  const path = pathOf(pointer);
  for (let n = path.length; n >= 0; n--) {
    const parentPath = path.slice(0, Math.max(0, n - 1));
    // an unknown key is best shown at the key itself, not at its value
    if (atKey && n === path.length && n > 0) {
      const parent = parentPath.length === 0 ? doc.contents : doc.getIn(parentPath, true);
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === path[n - 1]);
        const range = pair && isNode(pair.key) ? pair.key.range : undefined;
        if (range) return toLocated(counter, range[0]);
      }
    }
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return toLocated(counter, node.range[0]);
  }
  return { line: 1, column: 1 };
}

function toLocated(counter: LineCounter, offset: number): Located {
  const { line, col } = counter.linePos(offset);
  return { line, column: col };
}

/** An ajv error as code, pointer, message and hint. */
function describeSchemaError(e: ErrorObject): {
  code: DiagnosticCode;
  pointer: string;
  message: string;
  hint?: string;
  atKey?: boolean;
} {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return {
        code: 'CONFIG_MISSING_KEY',
        pointer: e.instancePath,
        message: `missing required key "${String(p.missingProperty)}"`,
      };
    case 'dependentRequired':
      return {
        code: 'CONFIG_MISSING_KEY',
        pointer: e.instancePath,
        message: `"${String(p.property)}" needs "${String(p.missingProperty)}" too (a range is { from, to, name })`,
      };
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const allowed = Object.keys((e.parentSchema?.properties as object | undefined) ?? {});
      const guess = closest(key, allowed);
      return {
        code: 'CONFIG_UNKNOWN_KEY',
        pointer: `${e.instancePath}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        message: `unknown key "${key}"; allowed: ${allowed.join(', ')}`,
        ...(guess ? { hint: `did you mean "${guess}"?` } : {}),
        atKey: true,
      };
    }
    case 'type':
      return {
        code: 'CONFIG_WRONG_TYPE',
        pointer: e.instancePath,
        message: `must be ${String(p.type)}`,
        ...(e.instancePath === '/version' ? { hint: 'quote the version: version: "2026.1"' } : {}),
      };
    case 'pattern':
      return {
        code: 'CONFIG_BAD_VALUE',
        pointer: e.instancePath,
        message: e.schemaPath.includes('/date/')
          ? 'must be a date written YYYY-MM-DD'
          : `must match ${String(p.pattern)}`,
      };
    default:
      return { code: 'CONFIG_BAD_VALUE', pointer: e.instancePath, message: e.message ?? 'is not valid' };
  }
}

interface CalendarSource {
  id: string;
  name: string;
  description?: string;
  version: string;
  timezone?: string;
  weekend: number[];
  years: { from: number; to: number };
  holidays: { date?: string; from?: string; to?: string; name: string }[];
  workdays: NamedDay[];
}

/** Longest holiday range accepted: a longer one is a typo in a year or month. */
const MAX_RANGE_DAYS = 31;

/** A calendar file being parsed: its text and YAML document, and the diagnostics found so far. */
interface CalendarText {
  file: string;
  lines: string[];
  doc: Document;
  counter: LineCounter;
  diagnostics: Diagnostic[];
}

/** One problem to report; located at `at`, or else at the node `pointer` names (its key with `atKey`). */
interface Problem {
  severity: Diagnostic['severity'];
  code: DiagnosticCode;
  pointer: string;
  message: string;
  hint?: string | undefined;
  atKey?: boolean | undefined;
  at?: Located;
}

function add(ct: CalendarText, p: Problem): void {
  const at = p.at ?? locate(ct.doc, ct.counter, p.pointer, p.atKey);
  const { severity, code, message, pointer } = p;
  const d: Diagnostic = { severity, code, message, file: ct.file, line: at.line, column: at.column, pointer };
  const sourceLine = ct.lines[at.line - 1];
  if (sourceLine !== undefined) d.sourceLine = sourceLine;
  if (p.hint) d.hint = p.hint;
  ct.diagnostics.push(d);
}

/**
 * Parses and validates a calendar file's text. Returns the calendar when there is no
 * error, and every diagnostic (errors and warnings) with file, line, column, pointer and
 * source line. Never throws for bad input.
 */
export function parseCalendar(text: string, file: string): { value?: Calendar; diagnostics: Diagnostic[] } {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const diagnostics: Diagnostic[] = [];
  const ct: CalendarText = { file, lines: text.split(/\r?\n/), doc, counter, diagnostics };
  addYamlProblems(ct);
  if (doc.errors.length > 0) return { diagnostics };

  const source = doc.toJS() as unknown;
  const schemaErrors = validate(source);
  for (const e of schemaErrors) add(ct, { severity: 'error', ...describeSchemaError(e) });
  if (schemaErrors.length > 0) return { diagnostics };

  const src = source as CalendarSource;
  const { holidays, origin } = expandHolidays(ct, src);
  const data: CalendarData = {
    id: src.id,
    name: src.name,
    version: src.version,
    weekend: src.weekend,
    years: src.years,
    holidays,
    workdays: src.workdays,
  };
  if (src.timezone !== undefined) data.timezone = src.timezone;
  for (const p of checkCalendarData(data, itemPointer(src, origin))) {
    add(ct, { ...p, code: p.code ?? 'CALENDAR_INVALID' });
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return { value: Calendar.fromData(data), diagnostics };
}

/** The YAML parser's errors, then its warnings. */
function addYamlProblems(ct: CalendarText): void {
  for (const [severity, list] of [
    ['error', ct.doc.errors],
    ['warning', ct.doc.warnings],
  ] as const) {
    for (const e of list) {
      add(ct, {
        severity,
        code: 'CONFIG_YAML_SYNTAX',
        pointer: '',
        message: e.message.split('\n')[0] ?? e.message,
        at: toLocated(ct.counter, e.pos[0]),
      });
    }
  }
}

/**
 * The holidays as single days, ranges expanded, with the index of the YAML item each day
 * came from (`origin`, parallel to `holidays`) so a problem with a day points at its item.
 */
function expandHolidays(ct: CalendarText, src: CalendarSource): { holidays: NamedDay[]; origin: number[] } {
  const holidays: NamedDay[] = [];
  const origin: number[] = [];
  src.holidays.forEach((h, i) => {
    for (const day of holidayDays(ct, h, i)) {
      holidays.push(day);
      origin.push(i);
    }
  });
  return { holidays, origin };
}

/** The days of one holiday item: its date, or each day of its range; none when it is wrong. */
function holidayDays(ct: CalendarText, h: CalendarSource['holidays'][number], i: number): NamedDay[] {
  const pointer = `/holidays/${i}`;
  if ((h.date === undefined) === (h.from === undefined)) {
    add(ct, {
      severity: 'error',
      code: 'CONFIG_BAD_VALUE',
      pointer,
      message: 'give either date, or from and to',
    });
    return [];
  }
  if (h.date !== undefined) return [{ date: h.date, name: h.name }];
  const from = tryDayNumber(h.from);
  const to = tryDayNumber(h.to);
  for (const [field, day] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (day === undefined) {
      add(ct, {
        severity: 'error',
        code: 'CALENDAR_BAD_DATE',
        pointer: `${pointer}/${field}`,
        message: `${JSON.stringify(h[field])} is not a real date`,
      });
    }
  }
  if (from === undefined || to === undefined) return [];
  if (to < from || to - from >= MAX_RANGE_DAYS) {
    add(ct, {
      severity: 'error',
      code: 'CALENDAR_INVALID',
      pointer,
      message: `range ${h.from} .. ${h.to} must run forwards and span at most ${MAX_RANGE_DAYS} days`,
    });
    return [];
  }
  const days: NamedDay[] = [];
  for (let d = from; d <= to; d++) days.push({ date: formatDay(d), name: h.name });
  return days;
}

/** The pointer into the file of a holiday or workday of the checked data. */
function itemPointer(src: CalendarSource, origin: number[]): ItemPointer {
  return (list, index, field) => {
    if (list === 'workdays') return `/workdays/${index}${field ? `/${field}` : ''}`;
    const i = origin[index] ?? index;
    // a day from a range is located at the range item, since it has no date of its own
    const ranged = src.holidays[i]?.date === undefined;
    return `/holidays/${i}${field && !(ranged && field === 'date') ? `/${field}` : ''}`;
  };
}

function notFound(file: string, what: string): ConfigError {
  return new ConfigError([
    {
      severity: 'error',
      code: 'CONFIG_FILE_NOT_FOUND',
      message: what,
      file,
      line: 1,
      column: 1,
      pointer: '',
    },
  ]);
}

/** A calendar file's text: a regular file (no FIFO or device) of at most 1 MiB, else undefined. */
function boundedText(path: string): string | undefined {
  const read = readConfinedFile(path, {
    roots: [realPathOf(dirname(path))],
    maxBytes: DEFAULT_MAX_FILE_BYTES,
  });
  return read.ok ? read.text : undefined;
}

/**
 * Loads one calendar file. Throws `ConfigError` carrying every diagnostic when the file is
 * missing or has any error (warnings alone do not stop it).
 */
export function loadCalendarFile(named: string): Calendar {
  const path = packagePath(named);
  const text = boundedText(path);
  if (text === undefined)
    throw notFound(path, `calendar file ${path} cannot be read (a regular file of at most 1 MiB)`);
  const { value, diagnostics } = parseCalendar(text, path);
  if (!value) throw new ConfigError(diagnostics);
  return value;
}

/**
 * Loads every `*.yaml` / `*.yml` calendar in `dir`, keyed by calendar id. Throws one
 * `ConfigError` with the diagnostics of all files (and CONFIG_DUPLICATE_ID when two files
 * share an id).
 */
export function loadCalendarDir(named: string): Map<string, Calendar> {
  const dir = packagePath(named);
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => /\.ya?ml$/.test(n))
      .sort();
  } catch {
    throw notFound(dir, `calendar directory ${dir} cannot be read`);
  }
  const calendars = new Map<string, Calendar>();
  const fileOf = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  for (const name of names) {
    const file = join(dir, name);
    const text = boundedText(file);
    if (text === undefined)
      throw notFound(file, `calendar file ${file} cannot be read (a regular file of at most 1 MiB)`);
    const parsed = parseCalendar(text, file);
    diagnostics.push(...parsed.diagnostics.filter((d) => d.severity === 'error'));
    const cal = parsed.value;
    if (!cal) continue;
    const first = fileOf.get(cal.id);
    if (first !== undefined) {
      const counter = new LineCounter();
      const doc = parseDocument(text, { lineCounter: counter });
      const at = locate(doc, counter, '/id');
      diagnostics.push({
        severity: 'error',
        code: 'CONFIG_DUPLICATE_ID',
        message: `calendar id ${cal.id} is already defined in ${first}`,
        file,
        line: at.line,
        column: at.column,
        pointer: '/id',
      });
      continue;
    }
    calendars.set(cal.id, cal);
    fileOf.set(cal.id, file);
  }
  if (diagnostics.length > 0) throw new ConfigError(diagnostics);
  return calendars;
}

/** The calendar with `id` among `calendars`; throws `UnknownCalendarError` (CALENDAR_UNKNOWN) naming the known ids. */
export function findCalendar(calendars: ReadonlyMap<string, Calendar>, id: string): Calendar {
  const cal = calendars.get(id);
  if (!cal) throw new UnknownCalendarError(id, [...calendars.keys()].sort());
  return cal;
}
