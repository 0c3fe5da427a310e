/**
 * Mermaid's own parser, for the tests: `mermaid.parse` validates a diagram without drawing it,
 * but Mermaid sanitises labels with DOMPurify, which needs a DOM; jsdom gives it one. Mermaid 11
 * is the last line that runs on Node 20 (12 needs Node 22).
 */

import { JSDOM } from 'jsdom';

type Parse = (text: string) => Promise<unknown>;
let parser: Promise<Parse> | undefined;

async function load(): Promise<Parse> {
  const { window } = new JSDOM('');
  Object.assign(globalThis, { window, document: window.document });
  const { default: mermaid } = await import('mermaid');
  return (text) => mermaid.parse(text);
}

/** Mermaid's error for `diagram`, or undefined when Mermaid parses it. */
export async function mermaidParseError(diagram: string): Promise<string | undefined> {
  parser ??= load();
  const parse = await parser;
  try {
    await parse(diagram);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
