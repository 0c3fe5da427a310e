import { describe, expect, it } from 'vitest';
import { codeBlocks, commandLines, matchesOutput, shellWords } from './docs-blocks.js';

describe('reading the docs’ code blocks', () => {
  it('finds fenced blocks with their language, flags, parameters and line', () => {
    const md = [
      '# Title',
      '',
      '```sh runnable exit=1',
      'xinfang validate broken.yaml',
      '```',
      '',
      '````md',
      '```ts runnable',
      'not a block of its own',
      '```',
      '````',
      '~~~yaml file=a/b.yaml',
      'x: 1',
      '~~~',
    ].join('\n');
    const blocks = codeBlocks('doc.md', md);
    expect(blocks.map((b) => [b.line, b.lang, [...b.flags], b.params])).toEqual([
      [3, 'sh', ['runnable'], { exit: '1' }],
      [7, 'md', [], {}],
      [12, 'yaml', [], { file: 'a/b.yaml' }],
    ]);
    expect(blocks[1]!.code).toBe('```ts runnable\nnot a block of its own\n```');
  });

  it('splits command lines as a shell would, without expanding anything', () => {
    expect(shellWords(`xinfang graph "my config.yaml" --omit 'A,B' a\\ b`)).toEqual([
      'xinfang',
      'graph',
      'my config.yaml',
      '--omit',
      'A,B',
      'a b',
    ]);
    expect(() => shellWords('xinfang "open')).toThrow(/unclosed/);
    expect(commandLines('# comment\nxinfang a \\\n  --b\n\nxinfang c').map(shellWords)).toEqual([
      ['xinfang', 'a', '--b'],
      ['xinfang', 'c'],
    ]);
  });

  it('compares output line by line, `...` standing for any lines', () => {
    expect(matchesOutput('a\nb', 'a\nb\n')).toBe(true);
    expect(matchesOutput('a\nb', 'a\nc')).toBe(false);
    expect(matchesOutput('a\n...\nd', 'a\nb\nc\nd')).toBe(true);
    expect(matchesOutput('a\n...\nd', 'a\nd')).toBe(true);
    expect(matchesOutput('a\n...', 'b\nc')).toBe(false);
    // characters that mean something in a pattern are taken literally
    expect(matchesOutput('x (y) [z] $1 *', 'x (y) [z] $1 *')).toBe(true);
    expect(matchesOutput('a.c', 'abc')).toBe(false);
  });
});
