/**
 * The JSON Schemas a config embeds — the registration form's and each command's payload — are
 * checked at load, at the line that wrote them. Before, `findings: { type: text }` passed
 * `validate` and every later step (`createEngine`, `scenario`, `check`) died in ajv; an invalid
 * `pattern` did the same when the validator was compiled.
 */

import type { Diagnostic } from '../base/diagnostics.js';
import { createAjv, payloadSchema } from '../compiler/schema.js';
import { isRec } from '../config/checks.js';
import type { Locale } from '../config/messages.js';
import type { TransitionDef } from '../config/types.js';
import { makeDiagnostic, type Path, type Position } from '../config/yaml-source.js';

type Locate = (path: Path, at: 'key' | 'value') => Position;

/**
 * One embedded schema: where its root is written, what it is, and the schema as the compiler
 * uses it. A payload's schema wraps `payload` (its `properties` and `required` are the config's),
 * so its root maps to the `payload` entry and every path inside it maps one to one.
 */
interface Embedded {
  path: string[];
  what: Record<Locale, string>;
  schema: unknown;
}

/** Every embedded schema of a config value (whatever its shape: the loader calls this before trusting it). */
function embeddedSchemas(value: unknown): Embedded[] {
  const out: Embedded[] = [];
  // only schemas the config's own schema accepted in shape (a map): a wrong type is reported there
  if (isRec(value) && isRec(value.form) && isRec(value.form.schema)) {
    out.push({
      path: ['form', 'schema'],
      what: { en: 'the registration form', zh: '登记表单' },
      schema: value.form.schema,
    });
  }
  const states =
    isRec(value) && isRec(value.process) && isRec(value.process.states) ? value.process.states : {};
  for (const [state, def] of Object.entries(states)) {
    if (!isRec(def) || !isRec(def.on)) continue;
    for (const [type, alts] of Object.entries(def.on)) {
      const list = Array.isArray(alts) ? alts : [alts];
      list.forEach((alt, i) => {
        if (!isRec(alt) || !isRec(alt.payload) || !isRec(alt.payload.properties)) return;
        if (alt.payload.required !== undefined && !Array.isArray(alt.payload.required)) return;
        const at = ['process', 'states', state, 'on', type, ...(Array.isArray(alts) ? [String(i)] : [])];
        out.push({
          path: [...at, 'payload'],
          what: { en: `the payload of ${type}`, zh: `${type} 的载荷` },
          schema: payloadSchema(alt as unknown as TransitionDef),
        });
      });
    }
  }
  return out;
}

/** The path inside the config of a schema error's instance path (`/properties/findings/type`). */
function inConfig(e: Embedded, instancePath: string): string[] {
  const parts = instancePath === '' ? [] : instancePath.slice(1).split('/').map(unescapeSegment);
  return [...e.path, ...parts];
}

function unescapeSegment(s: string): string {
  return s.replaceAll('~1', '/').replaceAll('~0', '~');
}

/** Each `pattern` and `patternProperties` key under a schema that is no valid Unicode regex. */
function badPatterns(schema: unknown, path: string[]): { path: string[]; pattern: string; detail: string }[] {
  const out: { path: string[]; pattern: string; detail: string }[] = [];
  const check = (pattern: string, at: string[]) => {
    try {
      new RegExp(pattern, 'u');
    } catch (e) {
      out.push({
        path: at,
        pattern,
        detail: (e as Error).message.replace(/^Invalid regular expression: /, ''),
      });
    }
  };
  const stack: { v: unknown; at: string[] }[] = [{ v: schema, at: path }];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { v, at } = top;
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        stack.push({ v: x, at: [...at, String(i)] });
      });
    }
    if (!isRec(v)) continue;
    if (typeof v.pattern === 'string') check(v.pattern, [...at, 'pattern']);
    if (isRec(v.patternProperties))
      for (const k of Object.keys(v.patternProperties)) check(k, [...at, 'patternProperties', k]);
    for (const [k, x] of Object.entries(v)) stack.push({ v: x, at: [...at, k] });
  }
  return out;
}

/**
 * Diagnostics for every embedded schema that is no valid draft 2020-12 schema (checked against
 * the meta-schema, one per place) or holds an invalid regular expression.
 */
export function checkEmbeddedSchemas(value: unknown, locate: Locate, locale: Locale): Diagnostic[] {
  const ajv = createAjv();
  const out: Diagnostic[] = [];
  for (const e of embeddedSchemas(value)) {
    const regexes = badPatterns(e.schema, e.path);
    for (const r of regexes) {
      out.push(
        makeDiagnostic('badRegex', locale, { pattern: r.pattern, detail: r.detail }, locate(r.path, 'value')),
      );
    }
    if (regexes.length > 0) continue;
    if (ajv.validateSchema(e.schema as object) === true) continue;
    const seen = new Set<string>();
    for (const err of ajv.errors ?? []) {
      if (seen.has(err.instancePath)) continue;
      seen.add(err.instancePath);
      const allowed = (err.params as { allowedValues?: unknown[] }).allowedValues;
      const detail = `${err.instancePath || '/'} ${err.message ?? err.keyword}${allowed ? ` (${allowed.join(', ')})` : ''}`;
      out.push(
        makeDiagnostic(
          'badSchema',
          locale,
          { what: e.what[locale], detail },
          locate(inConfig(e, err.instancePath), 'value'),
        ),
      );
    }
  }
  return out;
}
