/**
 * Text and ids that Mermaid's state-diagram grammar accepts. Its lexer ends a transition label
 * at `:` `;` or a newline, reads `#` and `%%` as comments, a quote as the end of a state name,
 * `{` as the start of a composite state, and any line holding `direction LR` (in any case) as
 * a direction statement; ids may not contain `-` `:` or spaces. Config text is full of these
 * (`reg-2022 art. 31 (1)`, `opinion-issued`), so everything from a config passes through here.
 */

/** Look-alike characters that keep a label readable where the original would break it. */
const REPLACEMENTS: [RegExp, string][] = [
  [/[\r\n\t]+/g, ' '],
  [/:/g, '∶'],
  [/;/g, ','],
  [/#/g, '＃'],
  [/"/g, "'"],
  [/`/g, "'"],
  [/\{/g, '('],
  [/\}/g, ')'],
  [/</g, '‹'],
  [/>/g, '›'],
  [/%%+/g, '%'],
  [/(direction)\s+(tb|bt|rl|lr)/gi, '$1-$2'],
  [/end\s+note/gi, 'end-note'],
  [/ {2,}/g, ' '],
];

/** One line of label text from a config value, safe inside any Mermaid label or note. */
export function mermaidText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of REPLACEMENTS) out = out.replace(pattern, replacement);
  return out.trim();
}

/** The line break Mermaid renders inside state names and transition labels. */
export const LINE_BREAK = '<br/>';

/** Lines joined into one label; empty lines are dropped. */
export function mermaidLines(lines: (string | undefined)[]): string {
  return lines
    .filter((l): l is string => typeof l === 'string' && l.trim() !== '')
    .map(mermaidText)
    .join(LINE_BREAK);
}

/**
 * Words the lexer takes for keywords when an id starts with them (`default` at any length,
 * the others when a space follows, as one does in `state -->`).
 */
const RESERVED =
  /^(default|state|note|class|classdef|scale|hide|direction|end|statediagram(-v2)?|style|click|href|call|acctitle|accdescr|linkstyle|as)$/i;

/**
 * Gives each config id a Mermaid id: letters, digits and `_` only, never a keyword, unique
 * within the diagram. The same id always gets the same Mermaid id from one `IdMap`.
 */
export class IdMap {
  private readonly byId = new Map<string, string>();
  private readonly used = new Set<string>();

  constructor(private readonly prefix = 's_') {}

  get(id: string): string {
    const known = this.byId.get(id);
    if (known) return known;
    let base = id.replace(/[^A-Za-z0-9_]/g, '_');
    if (base === '' || /^[0-9_]/.test(base) || RESERVED.test(base) || /^default/i.test(base)) {
      base = `${this.prefix}${base}`;
    }
    let candidate = base;
    for (let n = 2; this.used.has(candidate.toLowerCase()); n++) candidate = `${base}_${n}`;
    this.used.add(candidate.toLowerCase());
    this.byId.set(id, candidate);
    return candidate;
  }
}
