/**
 * Small functions: no function in packages/core/src is longer than 80 lines (a long one hides
 * steps that deserve names). The few between 60 and 80 are listed, each with why it stays whole,
 * so a new one is a decision, not drift.
 */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const src = join(root, 'packages/core/src');

/** Functions over 60 lines that stay whole, and why. */
const LONG_ON_PURPOSE: Record<string, string> = {};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every function of the sources with its length in lines, named `file:line name`. */
function functions(): { where: string; lines: number }[] {
  const out: { where: string; lines: number }[] = [];
  for (const file of sources(src)) {
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (n: ts.Node): void => {
      if (ts.isFunctionLike(n) && 'body' in n && n.body) {
        const from = sf.getLineAndCharacterOfPosition(n.getStart()).line;
        const to = sf.getLineAndCharacterOfPosition(n.getEnd()).line;
        const named = n.name ?? (n.parent && 'name' in n.parent ? (n.parent.name as ts.Node) : undefined);
        const name = named?.getText(sf) ?? '(anonymous)';
        out.push({ where: `${relative(src, file)} ${name}`, lines: to - from + 1 });
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return out;
}

describe('function length in packages/core/src', () => {
  const all = functions();

  it('finds the functions it measures', () => {
    expect(all.length).toBeGreaterThan(500);
  });

  it('has none over 80 lines', () => {
    expect(all.filter((f) => f.lines > 80).map((f) => `${f.where} (${f.lines} lines)`)).toEqual([]);
  });

  it('lists each one over 60 lines with its reason', () => {
    expect(
      all
        .filter((f) => f.lines > 60)
        .map((f) => f.where)
        .sort(),
    ).toEqual(Object.keys(LONG_ON_PURPOSE).sort());
  });
});
