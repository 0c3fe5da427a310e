import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createSqliteStore } from '@xinfang/storage-sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferIo, runCli } from '../src/index.js';

const root = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'xinfang-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('xinfang demo', () => {
  it('simulates a province on a SQLite file and prints the three-colour board', async () => {
    const db = join(dir, 'demo.sqlite');
    const io = bufferIo(root);
    const code = await runCli(
      ['demo', '--db', db, '--days', '75', '--petitions', '150', '--no-progress'],
      io,
    );
    expect(io.stderr()).toBe('');
    expect(code).toBe(0);
    const out = io.stdout();
    const m = /(\d+) petitions, (\d+) commands, (\d+) deadlines fired/.exec(out);
    expect(m).not.toBeNull();
    const petitions = Number(m?.[1]);
    expect(petitions).toBeGreaterThan(100);
    expect(out).toMatch(/three-colour board — (\d+) cases/);
    expect(out).toMatch(/on-time acceptance: \d+\.\d%/);
    expect(out).toMatch(/on-time completion: \d+\.\d%/);

    // the board agrees with the file it was computed from
    const store = createSqliteStore({ path: db });
    const cases = await store.query({ limit: 10_000 });
    expect(cases.length).toBe(petitions);
    const colours = { green: 0, blue: 0, red: 0 };
    for (const c of cases) colours[c.colour]++;
    expect(out).toContain(`绿 green ${colours.green} · 蓝 blue ${colours.blue} · 红 red ${colours.red}`);
    // some late handlers were simulated: red cases are listed with their reasons
    expect(colours.red).toBeGreaterThan(0);
    expect(out).toMatch(/why: deadline \w+/);
    await store.close();
  });

  it('tells the same story for the same seed', async () => {
    const run = async (name: string) => {
      const io = bufferIo(root);
      const code = await runCli(
        ['demo', '--db', join(dir, name), '--days', '30', '--petitions', '40', '--no-progress'],
        io,
      );
      expect(code).toBe(0);
      // the first line names the file and the timing line varies; the board itself must not
      return io.stdout().split('\n').slice(3).join('\n');
    };
    expect(await run('a.sqlite')).toBe(await run('b.sqlite'));
  });

  it('refuses a bad option with a usage error', async () => {
    const io = bufferIo(root);
    expect(await runCli(['demo', '--days', '0', '--db', join(dir, 'x.sqlite')], io)).toBe(1);
    expect(io.stderr()).toMatch(/CLI_USAGE: --days must be a whole number/);
    const io2 = bufferIo(root);
    expect(await runCli(['demo', '--start', '2026-13-01', '--db', join(dir, 'x.sqlite')], io2)).toBe(1);
    expect(io2.stderr()).toMatch(/--start must be a date/);
  });
});
