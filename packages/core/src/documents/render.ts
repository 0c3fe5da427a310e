/**
 * Rendering with liquidjs in strict mode: an unknown variable or filter is an error, never a
 * blank in a legal document. Each template may include only files under its own directory
 * (liquidjs checks that a referenced path stays inside `root`), so a province's template cannot
 * read the server's files.
 */

import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Liquid, type Template } from 'liquidjs';
import { DEFAULT_MAX_FILE_BYTES, readConfinedFile, realPathOf } from '../base/files.js';
import type { DocumentContext } from './context.js';
import { TemplateError } from './errors.js';

/** A rendered document: the plain text is what is sealed; the HTML is derived from it. */
export interface RenderedDocument {
  text: string;
  html: string;
}

/** Options shared by every Liquid instance: strict, own properties only, no globals. */
const STRICT = {
  strictVariables: true,
  strictFilters: true,
  ownPropertyOnly: true,
  extname: '.liquid',
  // templates are small and few; recompiling on change matters more than a cache hit
  cache: false,
} as const;

const engines = new Map<string, Liquid>();

/** The Liquid instance sandboxed to `dir` (its includes, partials and layouts stay inside it). */
export function liquidFor(dir: string): Liquid {
  const root = resolve(dir);
  let engine = engines.get(root);
  if (!engine) {
    engine = new Liquid({ ...STRICT, root: [root], partials: [root], layouts: [root] });
    engines.set(root, engine);
  }
  return engine;
}

/** Line and column of a liquidjs error, when it has a token. */
export function liquidPosition(e: unknown): { line?: number; column?: number } {
  const token = (e as { token?: { getPosition?: () => [number, number] } }).token;
  const pos = token?.getPosition?.();
  return pos ? { line: pos[0], column: pos[1] } : {};
}

/** The first line of a liquidjs message, without the `, line:1, col:2` it appends. */
function reason(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return (m.split('\n')[0] ?? m).replace(/, line:\d+, col:\d+$/, '');
}

/**
 * Parsed templates by path, with the file's mtime and size when parsed: every document issued
 * would otherwise read and parse its template again, while an edited file is still picked up.
 */
const parsed = new Map<string, { mtimeMs: number; size: number; template: Template[] }>();

/** Parses a template file (syntax and unknown filters are caught here). */
export function parseTemplateFile(path: string, documentId?: string): Template[] {
  let stat: { mtimeMs: number; size: number } | undefined;
  try {
    stat = statSync(path);
  } catch {
    // unreadable: reported by the read below
  }
  const hit = parsed.get(path);
  if (hit && stat && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.template;
  const template = parseTemplateText(path, documentId);
  if (stat) parsed.set(path, { mtimeMs: stat.mtimeMs, size: stat.size, template });
  return template;
}

function parseTemplateText(path: string, documentId?: string): Template[] {
  // a regular file of bounded size: a path swapped for a FIFO or a device must not hang an issue
  const read = readConfinedFile(path, {
    roots: [realPathOf(dirname(path))],
    maxBytes: DEFAULT_MAX_FILE_BYTES,
  });
  if (!read.ok) {
    throw new TemplateError(
      `cannot read template ${path}: ${read.reason} (a regular file of at most 1 MiB)`,
      {
        document: documentId,
        template: path,
      },
    );
  }
  const text = read.text;
  try {
    return liquidFor(dirname(path)).parse(text, path);
  } catch (e) {
    throw new TemplateError(
      `template ${path}: ${reason(e)}`,
      { document: documentId, template: path, ...liquidPosition(e) },
      e,
    );
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

/**
 * The HTML form of a rendered text: every line a paragraph, everything escaped (a petitioner's
 * own words reach the page as text, never as markup). Indented lines keep their indent.
 */
export function textToHtml(text: string, title?: string): string {
  const lines = text.replace(/\s+$/, '').split('\n');
  const body = lines
    .map((line) => {
      const trimmed = line.trimStart();
      if (trimmed === '') return '<br>';
      const indent = line.length - trimmed.length;
      const style = indent > 0 ? ` style="text-indent:${indent / 2}em"` : '';
      return `<p${style}>${escapeHtml(trimmed)}</p>`;
    })
    .join('\n');
  const head = title === undefined ? '' : `<title>${escapeHtml(title)}</title>`;
  return `<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">${head}</head>\n<body>\n${body}\n</body></html>\n`;
}

/**
 * Renders the template at `path` with `context`, strictly. Throws `TemplateError`
 * (`TEMPLATE_RENDER`) naming the template, the line and the variable that is missing.
 */
export async function renderTemplate(
  path: string,
  context: DocumentContext,
  options: { documentId?: string; title?: string } = {},
): Promise<RenderedDocument> {
  const template = parseTemplateFile(path, options.documentId);
  let text: string;
  try {
    text = await liquidFor(dirname(path)).render(template, context);
  } catch (e) {
    const variable = /undefined variable: ([\w.[\]]+)/.exec(e instanceof Error ? e.message : '')?.[1];
    throw new TemplateError(
      `template ${path}${options.documentId ? ` (${options.documentId})` : ''}: ${reason(e)}`,
      { document: options.documentId, template: path, variable, ...liquidPosition(e) },
      e,
    );
  }
  return { text, html: textToHtml(text, options.title) };
}
