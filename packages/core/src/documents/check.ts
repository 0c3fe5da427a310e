/**
 * Checks templates against the variable contract at config load: a template that names a
 * variable the context never provides is an error with its file and line, found before a case
 * needs the document; a declared `variables` entry the template does not use is an error too
 * (the list documents what the document needs, so it must be true).
 */

import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Diagnostic } from '../config/diagnostics.js';
import { closest } from '../config/suggest.js';
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
}

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
  for (const [id, def] of Object.entries(config.documents ?? {})) {
    const path = templates[id];
    if (path === undefined) continue;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    const lines = text.split('\n');
    const pointer = `/documents/${escapePointer(id)}/template`;
    const at = (
      line: number,
      column: number,
      message: string,
      hint?: string,
      severity: 'error' | 'warning' = 'error',
    ) => {
      const d: Diagnostic = {
        severity,
        code: 'CONFIG_TEMPLATE',
        message,
        file: path,
        line,
        column,
        pointer,
        sourceLine: lines[line - 1] ?? '',
      };
      if (hint) d.hint = hint;
      out.push(d);
    };
    const liquid = liquidFor(dirname(path));
    let used: Map<string, { line: number; column: number }>;
    try {
      const parsed = liquid.parse(text, path);
      const analysis = liquid.analyzeSync(parsed, { partials: true });
      used = new Map();
      for (const vars of Object.values(analysis.globals)) {
        for (const v of vars) {
          const name = pathOf(v.toArray());
          if (!used.has(name)) used.set(name, { line: v.location.row, column: v.location.col });
        }
      }
    } catch (e) {
      const pos = liquidPosition(e);
      const reason = ((e as Error).message.split('\n')[0] ?? '').replace(/, line:\d+, col:\d+$/, '');
      at(pos.line ?? 1, pos.column ?? 1, `template of ${id} does not parse: ${reason}`);
      continue;
    }

    for (const [name, pos] of used) {
      if (isContractPath(name)) continue;
      const guess = closest(name, Object.keys(DOCUMENT_VARIABLES));
      at(
        pos.line,
        pos.column,
        `template of ${id} uses ${name}, which documents are not given (see DOCUMENT_VARIABLES)`,
        guess ? `did you mean ${guess}?` : undefined,
      );
    }

    if (def.variables === undefined) continue;
    const declared = new Set(def.variables);
    const where = options.locate?.(id, 'variables') ?? { file: path, line: 1, column: 1 };
    for (const name of declared) {
      if (used.has(name)) continue;
      const d: Diagnostic = {
        severity: 'error',
        code: 'CONFIG_TEMPLATE',
        message: isContractPath(name)
          ? `${id} declares variable ${name}, which its template ${path} does not use`
          : `${id} declares variable ${name}, which documents are not given (see DOCUMENT_VARIABLES)`,
        file: where.file,
        line: where.line,
        column: where.column,
        pointer: `/documents/${escapePointer(id)}/variables`,
      };
      out.push(d);
    }
    for (const [name, pos] of used) {
      if (declared.has(name) || !isContractPath(name)) continue;
      at(
        pos.line,
        pos.column,
        `template of ${id} uses ${name}, which its variables list leaves out`,
        undefined,
        'warning',
      );
    }
  }
  return out;
}
