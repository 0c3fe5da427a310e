/**
 * Every code block the docs mark as runnable is run here (the markers are described in
 * `docs-blocks.ts` and in docs/README.md), so an example in the docs cannot rot. Each block is
 * a test named by its file and line.
 */

import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferIo, runCli } from '../src/index.js';
import { codeBlocks, commandLines, type DocBlock, matchesOutput, shellWords } from './docs-blocks.js';

const root = join(import.meta.dirname, '../../..');
// inside the repository, so `@xinfang/*` imports of a TypeScript block resolve; git ignores .xinfang/
const modules = join(root, '.xinfang', `docs-test-${process.pid}`);

const TS = new Set(['ts', 'typescript']);
const SHELL = new Set(['sh', 'shell', 'bash', 'console']);

function markdownFiles(): string[] {
  const walk = (dir: string): string[] =>
    existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : [],
        )
      : [];
  const packageReadmes = readdirSync(join(root, 'packages'))
    .map((p) => join(root, 'packages', p, 'README.md'))
    .filter(existsSync);
  return [
    join(root, 'README.md'),
    ...walk(join(root, 'docs')),
    ...walk(join(root, 'examples')),
    ...packageReadmes,
  ]
    .map((f) => relative(root, f))
    .sort();
}

/** `*` in the last segment of an argument, expanded against `cwd` as a shell would. */
function expandGlob(cwd: string, arg: string): string[] {
  if (!arg.includes('*')) return [arg];
  const dir = dirname(arg);
  const pattern = new RegExp(
    `^${arg
      .slice(dir.length + 1)
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replaceAll('*', '.*')}$`,
  );
  const found = readdirSync(join(cwd, dir))
    .filter((f) => pattern.test(f))
    .sort()
    .map((f) => (dir === '.' ? f : `${dir}/${f}`));
  return found.length > 0 ? found : [arg];
}

function isRunnable(b: DocBlock): boolean {
  return b.flags.has('runnable');
}

function name(b: DocBlock): string {
  return `${b.file}:${b.line} (${b.lang} runnable)`;
}

/**
 * A scratch directory per doc: a project (a package.json, as the reader's repository has) with a
 * copy of configs/ and `@xinfang/configs` installed, and the files its `file=` blocks write. The project is what lets a province
 * read `../../national.yaml`: the loader reads only inside the config's project.
 */
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'xinfang-docs-'));
  writeFileSync(join(dir, 'package.json'), '{ "name": "province-configs", "private": true }\n');
  cpSync(join(root, 'configs'), join(dir, 'configs'), { recursive: true });
  // `@xinfang/configs` installed, as `npm install` lays it out (its links become files)
  cpSync(join(root, 'packages/configs'), join(dir, 'node_modules/@xinfang/configs'), {
    recursive: true,
    dereference: true,
  });
  return dir;
}

async function runShell(cwd: string, block: DocBlock): Promise<string> {
  const want = Number(block.params.exit ?? 0);
  let printed = '';
  const lines = commandLines(block.code);
  expect(lines.length, 'a runnable shell block holds at least one command').toBeGreaterThan(0);
  for (const line of lines) {
    const [cmd, ...args] = shellWords(line);
    expect(cmd, `only xinfang commands run in a runnable block: ${line}`).toBe('xinfang');
    const io = bufferIo(cwd);
    const code = await runCli(
      args.flatMap((a) => expandGlob(cwd, a)),
      io,
    );
    printed += io.stdout() + io.stderr();
    expect(
      code,
      `\`${line}\` exited ${code}, expected ${want}; it printed:\n${io.stdout()}${io.stderr()}`,
    ).toBe(want);
  }
  return printed;
}

async function runTypeScript(cwd: string, block: DocBlock): Promise<void> {
  mkdirSync(modules, { recursive: true });
  const slug = block.file.replace(/[^A-Za-z0-9]+/g, '-');
  const file = join(modules, `${slug}-${block.line}.ts`);
  writeFileSync(file, `${block.code}\n`);
  const before = process.cwd();
  // the block reads paths like `configs/national.yaml` relative to where a reader would run it
  process.chdir(cwd);
  try {
    await import(pathToFileURL(file).href);
  } finally {
    process.chdir(before);
  }
}

afterAll(() => rmSync(modules, { recursive: true, force: true }));

const docs = markdownFiles()
  .map((file) => ({ file, blocks: codeBlocks(file, readFileSync(join(root, file), 'utf8')) }))
  .filter((d) => d.blocks.some(isRunnable));

it('the docs have runnable blocks', () => {
  expect(docs.length).toBeGreaterThan(0);
});

for (const doc of docs) {
  describe(doc.file, () => {
    let cwd: string | undefined;
    const workspace = () => {
      cwd ??= scratch();
      return cwd;
    };
    afterAll(() => {
      if (cwd) rmSync(cwd, { recursive: true, force: true });
    });

    doc.blocks.forEach((block, i) => {
      if (block.params.file) {
        it(`${block.file}:${block.line} writes ${block.params.file}`, () => {
          const target = join(workspace(), block.params.file!);
          mkdirSync(dirname(target), { recursive: true });
          writeFileSync(target, `${block.code}\n`);
        });
        return;
      }
      if (!isRunnable(block)) return;
      if (TS.has(block.lang)) {
        it(name(block), async () => {
          await runTypeScript(workspace(), block);
        });
      } else if (SHELL.has(block.lang)) {
        const next = doc.blocks[i + 1];
        const output = next?.flags.has('output') ? next : undefined;
        it(name(block), async () => {
          const printed = await runShell(workspace(), block);
          if (output) {
            expect(
              matchesOutput(output.code, printed),
              `${output.file}:${output.line} shows output the commands above it no longer print; they print:\n${printed}`,
            ).toBe(true);
          }
        });
      } else {
        it(name(block), () => {
          expect.fail(`runnable blocks are ts or sh, not ${block.lang}`);
        });
      }
    });
  });
}
