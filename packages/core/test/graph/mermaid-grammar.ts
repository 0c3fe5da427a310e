/**
 * What Mermaid's state-diagram lexer accepts, line by line, for the statements the renderer
 * writes. Transcribed from the grammar's token rules: an id is `[^:\n\s\-{]+` and must not
 * start a keyword; a transition label runs from `:` to the next `:` `;` or newline; `#` and
 * `%%` start comments; a state name ends at `"`; a line holding `direction LR` (any case) is a
 * direction statement; a multi-line note ends at the first `end note`; class names are `\w+`.
 */

const ID = /^[A-Za-z][A-Za-z0-9_]*$/;
const DIRECTION_TEXT = /direction\s+(tb|bt|rl|lr)/i;

function badText(text: string): string | undefined {
  if (/[\n;#]/.test(text)) return 'a newline, `;` or `#`';
  if (text.includes('%%')) return '`%%`';
  if (DIRECTION_TEXT.test(text)) return 'a direction statement';
  // `<br/>` is the one tag the renderer writes; any other `<` or `>` would be HTML
  if (/[<>]/.test(text.replaceAll('<br/>', ''))) return 'a `<` or `>` other than `<br/>`';
  if (/[{}"`]/.test(text)) return 'a brace, quote or backtick';
  return undefined;
}

function badId(id: string): string | undefined {
  if (!ID.test(id)) return `id \`${id}\` has characters outside [A-Za-z0-9_]`;
  if (/^default/i.test(id)) return `id \`${id}\` starts with the keyword default`;
  if (
    /^(state|note|class|classdef|scale|hide|direction|end|style|click|href|call|acctitle|accdescr|linkstyle|as)$/i.test(
      id,
    )
  )
    return `id \`${id}\` is a keyword`;
  return undefined;
}

/** The problems Mermaid would have with `diagram`, each with its line number; empty when it parses. */
export function mermaidProblems(diagram: string): string[] {
  const problems: string[] = [];
  const lines = diagram.replace(/\n$/, '').split('\n');
  const declared = new Set<string>();
  const used: [number, string][] = [];
  const report = (n: number, why: string) => problems.push(`line ${n + 1}: ${why}: ${lines[n]}`);
  const check = (n: number, why: string | undefined) => {
    if (why) report(n, why);
  };
  /** Each statement the renderer writes, with what must hold of its parts. */
  const statements: [RegExp, (m: RegExpExecArray, n: number) => void][] = [
    [/^ {2}direction (TB|LR)$/, () => {}],
    [
      /^ {2}%%(.*)$/,
      (m, n) => check(n, m[1]!.includes('{') ? 'a comment with `{` is read as a directive' : undefined),
    ],
    [
      /^ {2}classDef (\S+) (\S.*)$/,
      (m, n) => check(n, /^\w+$/.test(m[1]!) ? undefined : `class name \`${m[1]}\` is not \\w+`),
    ],
    [
      /^ {2}state "([^"]*)" as (\S+)$/,
      (m, n) => {
        check(n, badText(m[1]!) ?? badId(m[2]!));
        declared.add(m[2]!);
      },
    ],
    [
      /^ {2}(\S+) --> (\S+)(?: : (.*))?$/,
      (m, n) => {
        for (const id of [m[1]!, m[2]!].filter((id) => id !== '[*]')) {
          check(n, badId(id));
          used.push([n, id]);
        }
        const label = m[3];
        if (label === undefined) return;
        check(n, label.trim() === '' ? 'an empty label' : undefined);
        const why = (label.includes(':') ? 'a `:`' : undefined) ?? badText(label);
        check(n, why ? `the label has ${why}` : undefined);
      },
    ],
    [
      /^ {2}class (\S+) (\w+)$/,
      (m, n) => {
        for (const id of m[1]!.split(',')) {
          check(n, /^\w+$/.test(id) ? undefined : `class target \`${id}\` is not \\w+`);
          used.push([n, id]);
        }
      },
    ],
  ];
  check(0, lines[0] === 'stateDiagram-v2' ? undefined : 'the first line must be stateDiagram-v2');
  let inNote = false;
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n]!;
    if (inNote) {
      if (line === '  end note') inNote = false;
      else {
        const why = badText(line) ?? (/end\s+note/i.test(line) ? 'ends the note early' : undefined);
        check(n, why ? `note text has ${why}` : undefined);
      }
      continue;
    }
    const note = /^ {2}note (right|left) of (\S+)$/.exec(line);
    if (note) {
      check(n, badId(note[2]!));
      used.push([n, note[2]!]);
      inNote = true;
      continue;
    }
    const statement = statements.find(([pattern]) => pattern.test(line));
    if (statement) statement[1](statement[0].exec(line)!, n);
    else report(n, 'not a statement the renderer should write');
  }
  if (inNote) problems.push('a note is never closed with `end note`');
  for (const [n, id] of used) if (!declared.has(id)) report(n, `\`${id}\` is not a declared state`);
  return problems;
}
