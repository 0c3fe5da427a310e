/**
 * The code blocks of the Markdown docs, as the docs test reads them. A block is run when its
 * info string says so:
 *
 * - ```` ```ts runnable ```` — a TypeScript module, imported in the test (so `@xinfang/*`
 *   resolve to the sources); it passes when it finishes without throwing.
 * - ```` ```sh runnable ```` — `xinfang ...` command lines, run in-process; each must exit 0,
 *   or the code given as `exit=N` in the info string.
 * - ```` ```text output ```` right after a runnable shell block — what its commands print;
 *   a line `...` stands for any number of lines.
 * - ```` ```yaml file=my-province.yaml ```` — written to the doc's scratch directory before the
 *   blocks after it run (the scratch directory holds a copy of `configs/`).
 */

/** One fenced block of a Markdown file. */
export interface DocBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  /** Words of the info string after the language. */
  flags: Set<string>;
  /** `key=value` words of the info string. */
  params: Record<string, string>;
  code: string;
}

/** The fenced code blocks of a Markdown text, nested fences (a longer fence) respected. */
export function codeBlocks(file: string, text: string): DocBlock[] {
  const out: DocBlock[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})\s*(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    const [lang = '', ...words] = open[2]!.trim().split(/\s+/).filter(Boolean);
    const body: string[] = [];
    let j = i + 1;
    const closes = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    while (j < lines.length && !closes.test(lines[j]!)) body.push(lines[j++]!);
    const params: Record<string, string> = {};
    const flags = new Set<string>();
    for (const w of words) {
      const eq = w.indexOf('=');
      if (eq > 0) params[w.slice(0, eq)] = w.slice(eq + 1);
      else flags.add(w);
    }
    out.push({ file, line: i + 1, lang, flags, params, code: body.join('\n') });
    i = j;
  }
  return out;
}

/** Splits a command line as a POSIX shell would (quotes, backslashes), without expansions. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) current += line[++i];
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      current += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unclosed ${quote} in: ${line}`);
  if (inWord) words.push(current);
  return words;
}

/** The command lines of a shell block: comments and blank lines dropped, `\` continuations joined. */
export function commandLines(code: string): string[] {
  return code
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** Whether `actual` is what an output block shows; a line `...` matches any run of lines. */
export function matchesOutput(expected: string, actual: string): boolean {
  const norm = (s: string) =>
    s
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n')
      .trim();
  const pattern = norm(expected)
    .split('\n')
    .map((l) => (l === '...' ? '(?:[^\\n]*\\n)*?' : `${l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`))
    .join('');
  return new RegExp(`^${pattern}$`).test(`${norm(actual)}\n`);
}
