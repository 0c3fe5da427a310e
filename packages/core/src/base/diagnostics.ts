import { type ConfigLocation, type DiagnosticCode, XinfangError } from './errors.js';

/**
 * One problem found in a config or calendar file. Loading collects every problem before
 * anything throws, so an author fixes them all in one pass.
 */
export interface Diagnostic {
  severity: 'error' | 'warning';
  code: DiagnosticCode;
  message: string;
  /** The file as given to the loader. */
  file: string;
  /** 1-based line and column of the offending node (1/1 when the whole file is at fault). */
  line: number;
  column: number;
  /** JSON pointer of the offending value (`/process/states/accepted/on/OPINION`). */
  pointer: string;
  /** The source line, for printing with a caret. */
  sourceLine?: string;
  /** A suggested fix ("did you mean ...?"). */
  hint?: string;
}

/** Thrown by the throwing loaders with every error diagnostic of the load. */
export class ConfigError extends XinfangError<DiagnosticCode> {
  static override readonly brand: string = 'ConfigError';

  declare readonly details: Readonly<ConfigLocation>;
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const first = errors[0] ?? diagnostics[0];
    const head = first
      ? `${first.file}:${first.line}:${first.column} ${first.code} ${first.message}`
      : 'invalid config';
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    super(first?.code ?? 'CONFIG_INVALID', `${head}${more}`, {
      file: first?.file,
      line: first?.line,
      column: first?.column,
      pointer: first?.pointer,
    });
    this.diagnostics = diagnostics;
  }
}

/** `file:line:col code message`, then the source line and a caret under the column. */
export function formatDiagnostic(d: Diagnostic): string {
  let s = `${d.file}:${d.line}:${d.column} ${d.severity === 'warning' ? 'warning ' : ''}${d.code} ${d.message}`;
  if (d.hint) s += ` (${d.hint})`;
  if (d.sourceLine !== undefined) {
    s += `\n  ${d.sourceLine}\n  ${' '.repeat(Math.max(0, d.column - 1))}^`;
  }
  return s;
}
