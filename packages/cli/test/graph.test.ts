import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIo, runCli } from '../src/index.js';

const root = join(import.meta.dirname, '../../..');
const national = join(root, 'configs/national.yaml');

describe('xinfang graph', () => {
  it('prints the process as a Mermaid state diagram', async () => {
    const io = bufferIo(root);
    const code = await runCli(['graph', 'configs/national.yaml'], io);
    expect(io.stderr()).toBe('');
    expect(code).toBe(0);
    const out = io.stdout();
    expect(out.startsWith('stateDiagram-v2\n  direction TB\n')).toBe(true);
    expect(out).toContain('  [*] --> registered\n');
    expect(out).toMatch(/^ {2}registered --> accepted : ACCEPT<br\/>by acceptor<br\/>.*reg-2022 art\. 23$/m);
  });

  it('lays out left to right and leaves out the commands asked', async () => {
    const io = bufferIo(root);
    const code = await runCli(
      ['graph', 'configs/national.yaml', '--direction', 'LR', '--omit', 'WITHDRAW'],
      io,
    );
    expect(code).toBe(0);
    expect(io.stdout()).toContain('  direction LR\n');
    expect(io.stdout()).not.toContain('--> withdrawn : WITHDRAW');
  });

  it('refuses to leave out a command the config does not have, naming the ones it has', async () => {
    const io = bufferIo(root);
    const code = await runCli(['graph', 'configs/national.yaml', '--omit', 'WITHDRAWW'], io);
    expect(code).toBe(2);
    expect(io.stderr()).toMatch(
      /^error CLI_USAGE: --omit names WITHDRAWW, which no state of .* accepts; its commands are .*WITHDRAW/,
    );
  });

  it('writes a Markdown page for a .md --out file, and --check tells whether it is current', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xinfang-graph-'));
    const io = bufferIo(dir);
    expect(await runCli(['graph', national, '--out', 'diagram.md'], io)).toBe(0);
    expect(io.stdout()).toBe('wrote diagram.md\n');
    const page = readFileSync(join(dir, 'diagram.md'), 'utf8');
    const config = relative(dir, national);
    expect(page).toContain(`by \`xinfang graph ${config} --out diagram.md\``);
    expect(page).toMatch(/\n```mermaid\nstateDiagram-v2\n[\s\S]*\n```\n$/);

    const check = bufferIo(dir);
    expect(await runCli(['graph', national, '--out', 'diagram.md', '--check'], check)).toBe(0);
    expect(check.stdout()).toBe('diagram.md is up to date\n');

    writeFileSync(join(dir, 'diagram.md'), page.replace('ACCEPT', 'ACCEPTED'));
    const stale = bufferIo(dir);
    expect(await runCli(['graph', national, '--out', 'diagram.md', '--check'], stale)).toBe(1);
    expect(stale.stderr()).toBe(
      `diagram.md is out of date; refresh it with: xinfang graph ${config} --out diagram.md\n`,
    );
    // --check never writes
    expect(readFileSync(join(dir, 'diagram.md'), 'utf8')).toContain('ACCEPTED');
  });

  it('writes plain Mermaid to any other --out file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xinfang-graph-'));
    expect(await runCli(['graph', national, '--out', 'national.mmd'], bufferIo(dir))).toBe(0);
    expect(readFileSync(join(dir, 'national.mmd'), 'utf8').startsWith('stateDiagram-v2\n')).toBe(true);
  });

  it('needs --out to --check, and refuses an invalid config with its diagnostics', async () => {
    const io = bufferIo(root);
    expect(await runCli(['graph', 'configs/national.yaml', '--check'], io)).toBe(2);
    expect(io.stderr()).toBe('error CLI_USAGE: --check needs --out <file> to compare with\n');

    const dir = mkdtempSync(join(tmpdir(), 'xinfang-graph-'));
    writeFileSync(
      join(dir, 'broken.yaml'),
      `extends: ${relative(dir, national)}\nprocess:\n  initial: registred\n`,
    );
    const bad = bufferIo(dir);
    // the scratch folder is no project: the repo's configs are read only when allowed
    expect(await runCli(['graph', 'broken.yaml', '--allow-root', dirname(national)], bad)).toBe(1);
    expect(bad.stderr()).toContain(
      'CONFIG_UNKNOWN_STATE the initial state `registred` is not a state of the process',
    );
    expect(bad.stdout()).toBe('');
  });
});

describe('xinfang basis', () => {
  it('prints the legal-basis map as Markdown', async () => {
    const io = bufferIo(root);
    expect(await runCli(['basis', 'configs/national.yaml'], io)).toBe(0);
    expect(io.stdout()).toContain('\n## reg-2022 art. 34\n\n- state `accepted` ');
  });

  it('prints it as JSON with --json', async () => {
    const io = bufferIo(root);
    expect(await runCli(['basis', 'configs/national.yaml', '--json'], io)).toBe(0);
    const map = JSON.parse(io.stdout()) as {
      articles: { label: string; items: { kind: string; ref: string }[] }[];
    };
    const art22 = map.articles.find((a) => a.label === 'reg-2022 art. 22');
    expect(art22?.items).toContainEqual(expect.objectContaining({ kind: 'deadline', ref: 'disposal' }));
  });

  it('writes and checks a page like graph does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xinfang-basis-'));
    expect(await runCli(['basis', national, '--out', 'basis.md'], bufferIo(dir))).toBe(0);
    const check = bufferIo(dir);
    expect(await runCli(['basis', national, '--out', 'basis.md', '--check'], check)).toBe(0);
    writeFileSync(join(dir, 'basis.md'), '');
    const stale = bufferIo(dir);
    expect(await runCli(['basis', national, '--out', 'basis.md', '--check'], stale)).toBe(1);
    expect(stale.stderr()).toMatch(
      /^basis\.md is out of date; refresh it with: xinfang basis .* --out basis\.md\n$/,
    );
  });
});
