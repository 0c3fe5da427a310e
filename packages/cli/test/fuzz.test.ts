import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIo, runCli } from '../src/index.js';

const root = join(import.meta.dirname, '../../..');

describe('xinfang fuzz', () => {
  it('runs both fuzzers at the count asked and prints what each input came to', async () => {
    const io = bufferIo(root);
    const code = await runCli(
      [
        'fuzz',
        'configs/national.yaml',
        '--runs',
        '4',
        '--province',
        'configs/provinces/zhejiang/zhejiang.yaml',
        '--no-progress',
      ],
      io,
    );
    expect(io.stderr()).toBe('');
    expect(code).toBe(0);
    const lines = io.stdout().trim().split('\n');
    expect(lines[0]).toMatch(/^config fuzz \(seed 17\): 4 inputs, \d+ operations, 0 uncoded failures/);
    expect(lines[1]).toMatch(/^command fuzz \(seed 17\): 4 inputs, \d+ operations, 0 uncoded failures/);
  });

  it('prints JSON reports, one fuzzer with --kind', async () => {
    const io = bufferIo(root);
    expect(
      await runCli(
        ['fuzz', '--kind', 'command', '--runs', '3', '--seed', '5', '--json', '--no-progress'],
        io,
      ),
    ).toBe(0);
    const reports = JSON.parse(io.stdout()) as {
      kind: string;
      seed: number;
      inputs: number;
      failures: unknown[];
    }[];
    expect(reports.map((r) => [r.kind, r.seed, r.inputs, r.failures])).toEqual([['command', 5, 3, []]]);
  });

  it('refuses a count that is no positive whole number', async () => {
    const io = bufferIo(root);
    expect(await runCli(['fuzz', '--runs', '0'], io)).toBe(2);
    expect(io.stderr()).toContain('--runs must be a whole number of at least 1');
  });
});
