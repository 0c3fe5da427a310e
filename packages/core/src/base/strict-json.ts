/**
 * A strict JSON parser (RFC 8259) for files whose every byte must mean one thing: sealed
 * documents. `JSON.parse` keeps the last of two equal keys, so a file with two `"text"` members
 * verifies against one text while a viewer may show the other. This parser refuses a repeated
 * key, and anything RFC 8259 does not allow, with the line and column.
 *
 * Written here rather than taken from a package: the parsers that report duplicate keys are
 * either unmaintained or much larger than this, and the grammar is small and fixed. It is
 * iterative (no recursion), so a file of 100,000 `[` is refused by its depth, not a stack overflow.
 */

import type { Json } from './json.js';

/** Why a text is no strict JSON. */
export type StrictJsonProblem = 'syntax' | 'duplicate-key' | 'too-deep';

/** Thrown by {@link parseStrictJson}; the caller turns it into its own coded error. */
export class StrictJsonError extends Error {
  constructor(
    readonly problem: StrictJsonProblem,
    message: string,
    readonly line: number,
    readonly column: number,
    readonly key?: string,
  ) {
    super(`${message} at line ${line}, column ${column}`);
  }
}

/** A container being filled, and for an object the key waiting for its value. */
type Open = { kind: 'array'; value: Json[] } | { kind: 'object'; value: Record<string, Json>; key?: string };

const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

/** Parses `text` as strict JSON: no repeated keys, at most `maxDepth` levels of nesting. */
export function parseStrictJson(text: string, maxDepth = 64): Json {
  const p = new Reader(text);
  const stack: Open[] = [];
  let result: Json | undefined;
  let done = false;
  const put = (v: Json) => {
    const top = stack.at(-1);
    if (!top) {
      result = v;
      done = true;
    } else if (top.kind === 'array') top.value.push(v);
    else {
      Object.defineProperty(top.value, top.key as string, {
        value: v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      top.key = undefined;
    }
  };
  while (!done) {
    p.space();
    const top = stack.at(-1);
    if (top?.kind === 'object' && top.key === undefined) {
      if (!p.objectKey(top)) {
        stack.pop();
        if (stack.length === 0) {
          result = top.value;
          done = true;
        } else put(top.value);
        continue;
      }
      continue;
    }
    if (top?.kind === 'array' && p.closeArray(top)) {
      stack.pop();
      if (stack.length === 0) {
        result = top.value;
        done = true;
      } else put(top.value);
      continue;
    }
    const c = p.peek();
    if (c === '{' || c === '[') {
      if (stack.length >= maxDepth) p.fail('too-deep', `nested deeper than ${maxDepth} levels`);
      p.pos++;
      stack.push(c === '{' ? { kind: 'object', value: {} } : { kind: 'array', value: [] });
      continue;
    }
    put(p.scalar());
  }
  p.space();
  if (p.pos < text.length) p.fail('syntax', 'text after the end of the value');
  return result as Json;
}

/** The cursor over the text, and the small grammar rules. */
class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  peek(): string | undefined {
    return this.text[this.pos];
  }

  space(): void {
    WHITESPACE.lastIndex = this.pos;
    WHITESPACE.exec(this.text);
    this.pos = WHITESPACE.lastIndex;
  }

  fail(problem: StrictJsonProblem, message: string, key?: string): never {
    const before = this.text.slice(0, this.pos);
    const line = before.split('\n').length;
    const column = this.pos - before.lastIndexOf('\n');
    throw new StrictJsonError(problem, message, line, column, key);
  }

  expect(c: string): void {
    if (this.text[this.pos] !== c) this.fail('syntax', `expected ${JSON.stringify(c)}`);
    this.pos++;
  }

  /** Reads `"key":` into `top` (after a comma when it is not the first), or the `}` that closes it (false). */
  objectKey(top: Extract<Open, { kind: 'object' }>): boolean {
    const first = Object.keys(top.value).length === 0;
    if (this.peek() === '}') {
      this.pos++;
      return false;
    }
    if (!first) {
      this.expect(',');
      this.space();
    }
    if (this.peek() !== '"') this.fail('syntax', 'expected a key in double quotes');
    const at = this.pos;
    const key = this.string();
    if (Object.hasOwn(top.value, key)) {
      this.pos = at;
      this.fail(
        'duplicate-key',
        `the key ${JSON.stringify(key.slice(0, 64))} appears twice in one object`,
        key,
      );
    }
    this.space();
    this.expect(':');
    top.key = key;
    return true;
  }

  /** Reads the `]` that closes `top`, or the comma before its next item (false). */
  closeArray(top: Extract<Open, { kind: 'array' }>): boolean {
    if (this.peek() === ']') {
      this.pos++;
      return true;
    }
    if (top.value.length > 0) {
      this.expect(',');
      this.space();
    }
    return false;
  }

  scalar(): Json {
    const c = this.peek();
    if (c === '"') return this.string();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (!m || m[0] === '')
      this.fail('syntax', c === undefined ? 'unexpected end of the text' : 'expected a value');
    this.pos += m[0].length;
    return Number(m[0]);
  }

  string(): string {
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) this.fail('syntax', 'a string is not closed');
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c < ' ') this.fail('syntax', 'a control character inside a string');
      if (c !== '\\') {
        out += c;
        this.pos++;
        continue;
      }
      out += this.escape();
    }
  }

  escape(): string {
    const e = this.text[this.pos + 1] ?? '';
    if (e === 'u') {
      const hex = this.text.slice(this.pos + 2, this.pos + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('syntax', 'a \\u escape needs four hex digits');
      this.pos += 6;
      return String.fromCharCode(Number.parseInt(hex, 16));
    }
    const v = ESCAPES[e];
    if (v === undefined) this.fail('syntax', 'an unknown escape in a string');
    this.pos += 2;
    return v;
  }
}
