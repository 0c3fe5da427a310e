import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIo, runCli } from '../src/index.js';

const fixtures = join(import.meta.dirname, '../../core/test/fixtures');
const root = join(import.meta.dirname, '../../..');

/** A scratch copy of the valid fixtures, so tests can add broken files beside them. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'xinfang-validate-'));
  cpSync(join(fixtures, 'valid'), dir, { recursive: true });
  return dir;
}

describe('xinfang validate', () => {
  it('exits 0 with a one-line summary when every file is valid', async () => {
    const io = bufferIo(workspace());
    const code = await runCli(
      ['validate', 'national-mini.yaml', 'province/province-mini.yaml', 'calendars/cn-mainland.yaml'],
      io,
    );
    expect(io.stdout()).toBe('3 files valid (2 jurisdictions, 1 calendar)\n');
    expect(code).toBe(0);
  });

  it('takes a directory for every YAML file under it', async () => {
    const io = bufferIo(workspace());
    const code = await runCli(['validate', '.'], io);
    expect(io.stdout()).toBe('3 files valid (2 jurisdictions, 1 calendar)\n');
    expect(code).toBe(0);
  });

  it('prints each problem as file:line:col code message with the source line and a caret, and exits 1', async () => {
    const dir = workspace();
    writeFileSync(
      join(dir, 'broken.yaml'),
      'extends: national-mini.yaml\nprocess:\n  states:\n    registered:\n      on:\n        ACCEPT: { to: acepted }\n',
    );
    const io = bufferIo(dir);
    const code = await runCli(['validate', 'broken.yaml', 'national-mini.yaml'], io);
    expect(code).toBe(1);
    expect(io.stdout()).toBe(
      [
        'broken.yaml:6:23 CONFIG_UNKNOWN_STATE transition `ACCEPT` goes to `acepted`, which is not a state of the process (did you mean `accepted`?)',
        '          ACCEPT: { to: acepted }',
        '                        ^',
        '1 error in 2 files',
        '',
      ].join('\n'),
    );
  });

  it('prints the diagnostics as a JSON array with --json', async () => {
    const io = bufferIo(fixtures);
    const code = await runCli(
      ['validate', '--json', 'broken/unknown-role.yaml', 'valid/national-mini.yaml'],
      io,
    );
    expect(code).toBe(1);
    const out = JSON.parse(io.stdout()) as Record<string, unknown>[];
    expect(out).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'CONFIG_UNKNOWN_ROLE',
        file: join('broken', 'unknown-role.yaml'),
        line: 8,
        column: 28,
        pointer: '/process/states/accepted/on/OPINION/roles/1',
      }),
    ]);
  });

  it('writes messages in Chinese with --locale zh', async () => {
    const io = bufferIo(fixtures);
    const code = await runCli(['validate', '--locale', 'zh', 'broken/unknown-role.yaml'], io);
    expect(code).toBe(1);
    expect(io.stdout()).toContain('`handlr` 不是 `roles` 中声明的角色');
  });

  it('validates a calendar file with the calendar checks', async () => {
    const dir = workspace();
    writeFileSync(
      join(dir, 'holidays.yaml'),
      'id: x\nname: X\nversion: "1"\nweekend: [0, 6]\nyears: { from: 2025, to: 2025 }\nholidays: 3\nworkdays: []\n',
    );
    const io = bufferIo(dir);
    const code = await runCli(['validate', 'holidays.yaml'], io);
    expect(code).toBe(1);
    expect(io.stdout()).toMatch(/^holidays\.yaml:6:\d+ CONFIG_/m);
  });

  it('reports a file that does not exist', async () => {
    const io = bufferIo(workspace());
    const code = await runCli(['validate', 'nowhere.yaml'], io);
    expect(code).toBe(1);
    expect(io.stdout()).toMatch(/^nowhere\.yaml:1:1 CONFIG_FILE_NOT_FOUND/);
  });

  it('refuses an unknown locale', async () => {
    const io = bufferIo(fixtures);
    expect(await runCli(['validate', '--locale', 'fr', 'valid/national-mini.yaml'], io)).toBe(2);
  });

  it('validates every config the project ships', async () => {
    const io = bufferIo(root);
    const code = await runCli(['validate', 'configs'], io);
    expect(io.stdout()).toMatch(/^\d+ files valid \(\d+ jurisdictions?, \d+ calendars?, \d+ scenarios?\)\n$/);
    expect(code).toBe(0);
  });

  it('tells a scenario file from a config and reports its problems with lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xinfang-validate-'));
    const file = join(dir, 'broken-scenario.yaml');
    writeFileSync(
      file,
      'name: x\nstart: 2026-03-02T09:00:00+08:00\nactors: {}\npetition: {}\nsteps:\n  - sendd: ACCEPT\n',
    );
    const io = bufferIo(dir);
    expect(await runCli(['validate', file], io)).toBe(1);
    expect(io.stdout()).toMatch(/broken-scenario\.yaml:6:\d+ /);
    rmSync(dir, { recursive: true, force: true });
  });
});
