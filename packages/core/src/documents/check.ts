/**
 * Checks templates against the variable contract at config load: a template that names a
 * variable the context never provides is an error with its file and line, found before a case
 * needs the document; a declared `variables` entry the template does not use is an error too
 * (the list documents what the document needs, so it must be true).
 */

import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Diagnostic } from '../base/diagnostics.js';
import { closest } from '../base/suggest.js';
import type { Locale } from '../config/messages.js';
import type { JurisdictionConfig } from '../config/types.js';
import { DOCUMENT_VARIABLES, isContractPath } from './contract.js';
import { liquidFor, liquidPosition } from './render.js';

/** A position in the config file, for diagnostics about a document's declaration. */
export interface DeclarationPosition {
  file: string;
  line: number;
  column: number;
}

/** Options of {@link checkTemplates}. */
export interface CheckTemplatesOptions {
  /**
   * Where `documents.<id>.variables` (or the document) is written, for diagnostics about the
   * declaration; the loader passes its locator. @default the template file, line 1
   */
  locate?: (documentId: string, key: 'variables' | 'template') => DeclarationPosition | undefined;
  /** Language of the messages (as the loader's). @default 'en' */
  locale?: Locale;
  /**
   * Reads a template's text, undefined when it cannot be read; the loader passes its confined
   * reader (regular files of bounded size only). @default `fs.readFileSync`
   */
  read?: (path: string) => string | undefined;
}

function readPlain(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The messages of this check, in both languages side by side (as the loader's own). */
const TEXTS = {
  parse: {
    en: (id: string, reason: string) => `template of ${id} does not parse: ${reason}`,
    zh: (id: string, reason: string) => `文书 ${id} 的模板无法解析：${reason}`,
  },
  unknown: {
    en: (id: string, name: string) =>
      `template of ${id} uses ${name}, which documents are not given (see DOCUMENT_VARIABLES)`,
    zh: (id: string, name: string) =>
      `文书 ${id} 的模板使用了变量 ${name}，文书上下文中没有该变量（见 DOCUMENT_VARIABLES）`,
  },
  suggest: { en: (g: string) => `did you mean ${g}?`, zh: (g: string) => `是否应为 ${g}？` },
  unused: {
    en: (id: string, name: string, path: string) =>
      `${id} declares variable ${name}, which its template ${path} does not use`,
    zh: (id: string, name: string, path: string) => `${id} 声明了变量 ${name}，但其模板 ${path} 未使用`,
  },
  undeclaredUnknown: {
    en: (id: string, name: string) =>
      `${id} declares variable ${name}, which documents are not given (see DOCUMENT_VARIABLES)`,
    zh: (id: string, name: string) =>
      `${id} 声明了变量 ${name}，文书上下文中没有该变量（见 DOCUMENT_VARIABLES）`,
  },
  undeclared: {
    en: (id: string, name: string) => `template of ${id} uses ${name}, which its variables list leaves out`,
    zh: (id: string, name: string) => `文书 ${id} 的模板使用了 ${name}，但其 variables 列表未声明`,
  },
} as const;

/** A variable's dotted path from liquidjs segments (`decision.findings`, `list[0]`). */
function pathOf(segments: readonly unknown[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'string') out += out === '' ? s : `.${s}`;
    else if (typeof s === 'number') out += `[${s}]`;
    else out += '[]';
  }
  return out;
}

const escapePointer = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * Parses each document's template and reports, as `CONFIG_TEMPLATE` diagnostics: syntax
 * errors and unknown filters; variables outside the context contract (with a suggestion);
 * declared `variables` the template does not use; and (as warnings) variables it uses that
 * the declaration leaves out. Missing files are the loader's to report, so they are skipped.
 * @param templates absolute template path by document id (`LoadResult.templates`)
 */
export function checkTemplates(
  config: Pick<JurisdictionConfig, 'documents'>,
  templates: Readonly<Record<string, string>>,
  options: CheckTemplatesOptions = {},
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const lang = options.locale ?? 'en';
  for (const [id, def] of Object.entries(config.documents ?? {})) {
    const path = templates[id];
    if (path === undefined) continue;
    const text = (options.read ?? readPlain)(path);
    if (text === undefined) continue;
    out.push(...checkTemplate({ id, variables: def.variables, path, text }, { lang, options }));
  }
  return out;
}

/** One document's template as read. */
interface Template {
  id: string;
  /** The document's declared `variables`, if any. */
  variables: readonly string[] | undefined;
  path: string;
  text: string;
}

/** How to report: the language, and where the declarations are. */
interface Reporting {
  lang: Locale;
  options: CheckTemplatesOptions;
}

interface Position {
  line: number;
  column: number;
}

/** The diagnostics of one template: parse errors, unknown variables, then the declaration's. */
function checkTemplate(t: Template, { lang, options }: Reporting): Diagnostic[] {
  const out: Diagnostic[] = [];
  const lines = t.text.split('\n');
  const at = (pos: Position, message: string, more: Partial<Pick<Diagnostic, 'hint' | 'severity'>> = {}) => {
    const d: Diagnostic = {
      severity: more.severity ?? 'error',
      code: 'CONFIG_TEMPLATE',
      message,
      file: t.path,
      line: pos.line,
      column: pos.column,
      pointer: `/documents/${escapePointer(t.id)}/template`,
      sourceLine: lines[pos.line - 1] ?? '',
    };
    if (more.hint) d.hint = more.hint;
    out.push(d);
  };
  const used = usedVariables(t);
  if (!(used instanceof Map)) {
    at(used.at, TEXTS.parse[lang](t.id, used.reason));
    return out;
  }
  for (const [name, pos] of used) {
    if (isContractPath(name)) continue;
    const guess = closest(name, Object.keys(DOCUMENT_VARIABLES));
    at(pos, TEXTS.unknown[lang](t.id, name), guess ? { hint: TEXTS.suggest[lang](guess) } : {});
  }
  if (t.variables === undefined) return out;
  const declared = new Set(t.variables);
  out.push(...unusedDeclarations(t, { declared, used }, { lang, options }));
  for (const [name, pos] of used) {
    if (declared.has(name) || !isContractPath(name)) continue;
    at(pos, TEXTS.undeclared[lang](t.id, name), { severity: 'warning' });
  }
  return out;
}

/** Each variable the template uses, where it is first used; or why the template does not parse. */
function usedVariables(t: Template): Map<string, Position> | { at: Position; reason: string } {
  const liquid = liquidFor(dirname(t.path));
  try {
    const parsed = liquid.parse(t.text, t.path);
    const analysis = liquid.analyzeSync(parsed, { partials: true });
    const used = new Map<string, Position>();
    for (const vars of Object.values(analysis.globals)) {
      for (const v of vars) {
        const name = pathOf(v.toArray());
        if (!used.has(name)) used.set(name, { line: v.location.row, column: v.location.col });
      }
    }
    return used;
  } catch (e) {
    const pos = liquidPosition(e);
    const reason = ((e as Error).message.split('\n')[0] ?? '').replace(/, line:\d+, col:\d+$/, '');
    return { at: { line: pos.line ?? 1, column: pos.column ?? 1 }, reason };
  }
}

/** Declared variables the template does not use (or that documents are never given). */
function unusedDeclarations(
  t: Template,
  { declared, used }: { declared: ReadonlySet<string>; used: ReadonlyMap<string, Position> },
  { lang, options }: Reporting,
): Diagnostic[] {
  const where = options.locate?.(t.id, 'variables') ?? { file: t.path, line: 1, column: 1 };
  const out: Diagnostic[] = [];
  for (const name of declared) {
    if (used.has(name)) continue;
    out.push({
      severity: 'error',
      code: 'CONFIG_TEMPLATE',
      message: isContractPath(name)
        ? TEXTS.unused[lang](t.id, name, t.path)
        : TEXTS.undeclaredUnknown[lang](t.id, name),
      file: where.file,
      line: where.line,
      column: where.column,
      pointer: `/documents/${escapePointer(t.id)}/variables`,
    });
  }
  return out;
}
