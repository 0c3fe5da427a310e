/**
 * docs/config-guide.md must mention every key a config author can write (every property name
 * of the jurisdiction schema, at any depth) and every guard and action a transition can name,
 * so the guide stays complete as the schema grows.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jurisdictionSchema, KNOWN_ACTIONS, KNOWN_GUARDS } from '@xinfang/core/tooling';
import { describe, expect, it } from 'vitest';
import { codeBlocks } from './docs-blocks.js';

const root = join(import.meta.dirname, '../../..');
const GUIDE = 'docs/config-guide.md';
const guide = readFileSync(join(root, GUIDE), 'utf8');

/** Every property name in the schema, with the schema pointers that declare it. */
function schemaKeys(schema: unknown): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  const walk = (node: unknown, pointer: string): void => {
    if (Array.isArray(node)) {
      node.forEach((n, i) => {
        walk(n, `${pointer}/${i}`);
      });
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'properties' && typeof v === 'object' && v !== null && !Array.isArray(v)) {
        for (const [name, sub] of Object.entries(v)) {
          keys.set(name, [...(keys.get(name) ?? []), `${pointer}/properties/${name}`]);
          walk(sub, `${pointer}/properties/${name}`);
        }
      } else walk(v, `${pointer}/${k}`);
    }
  };
  walk(schema, '#');
  return keys;
}

/**
 * The words the guide mentions as code: inline code spans (split at anything but a name's
 * characters), and the keys written in its YAML examples.
 */
function mentioned(markdown: string): Set<string> {
  const words = new Set<string>();
  for (const m of markdown.matchAll(/`([^`\n]+)`/g)) {
    for (const w of m[1]!.split(/[^A-Za-z0-9_$-]+/)) if (w) words.add(w);
  }
  for (const block of codeBlocks(GUIDE, markdown)) {
    if (!['yaml', 'yml'].includes(block.lang)) continue;
    for (const m of block.code.matchAll(/(?:^|[\s{,[-])([A-Za-z_$][\w$-]*)\s*:/gm)) words.add(m[1]!);
  }
  return words;
}

describe(GUIDE, () => {
  const words = mentioned(guide);

  it('mentions every key of the jurisdiction schema', () => {
    const keys = schemaKeys(jurisdictionSchema);
    expect(keys.size).toBeGreaterThan(80);
    const missing = [...keys].filter(([k]) => !words.has(k)).map(([k, at]) => `${k} (${at[0]})`);
    expect(missing, `document these keys in ${GUIDE}, each with an example`).toEqual([]);
  });

  it('names every guard and action a transition can use', () => {
    const missing = [...KNOWN_GUARDS, ...KNOWN_ACTIONS].filter((n) => !words.has(n));
    expect(missing, `describe these in the guard and action tables of ${GUIDE}`).toEqual([]);
  });

  it('notices a key it does not mention', () => {
    const keys = schemaKeys({ properties: { shown: {}, nested: { properties: { hidden: {} } } } });
    expect(
      [...keys.keys()].filter((k) => !mentioned('`shown` and\n```yaml\nnested: {}\n```\n').has(k)),
    ).toEqual(['hidden']);
  });
});
