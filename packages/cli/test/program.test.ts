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
