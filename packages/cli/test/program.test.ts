import { describe, expect, it } from 'vitest';
import { bufferIo, runCli } from '../src/index.js';

describe('xinfang command line', () => {
  it('refuses an unknown command with exit code 2 and a hint', async () => {
    const io = bufferIo(process.cwd());
    const code = await runCli(['frobnicate'], io);
    expect(code).toBe(2);
    expect(io.stderr()).toMatch(/unknown command 'frobnicate'/);
  });
});

describe('xinfang --version', () => {
  it('prints the version of the cli package and exits 0', async () => {
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const io = bufferIo(process.cwd());
    expect(await runCli(['--version'], io)).toBe(0);
    expect(io.stdout().trim()).toBe(pkg.version);
  });
});
