/**
 * A migration killed in the middle finishes correctly on restart. `xinfang migrate` (the built
 * CLI, a real child process) moves the cases of a SQLite file one transaction each, and is
 * SIGKILLed once some are moved and others are not. Every case is then either wholly on its old
 * version or wholly moved (one `config.migrated` event, its rows recounted), and everything
 * verifies; a second run moves exactly the rest and passes the moved ones by.
 */

import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_MIGRATED } from '@xinfang/core';
import { createSqliteStore } from '@xinfang/storage-sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { bufferIo, runCli } from '../src/index.js';
import { national, plan, root, store, V2, v2, verifyAll } from './migrate-cases.js';

// the CLI from its sources (no build needed), through the repository's TypeScript loader
const BIN = join(root, 'packages/cli/src/bin.ts');
const LOADER = join(root, 'examples/ts-loader/register.mjs');
const CASES = 60;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** How many cases of the file are on each version, read by another connection. */
async function versions(db: string) {
  const s = createSqliteStore({ path: db });
  try {
    const cases = await s.query({ limit: 1000 });
    return {
      old: cases.filter((c) => c.configHash === national.hash).length,
      moved: cases.filter((c) => c.configHash === v2.hash).length,
    };
  } finally {
    await s.close();
  }
}

describe('xinfang migrate, killed mid-run', () => {
  it('leaves no case half moved, and a restart moves exactly the rest', async () => {
    const { db, dir } = await store(dirs, CASES);
    const file = join(dir, 'plan.yaml');
    writeFileSync(
      file,
      plan('states:\n  opinion-issued: opinion-served\ndeadlines:\n  handling: recompute\n'),
    );
    const child = spawn(
      process.execPath,
      [
        '--conditions=@xinfang/source',
        '--import',
        LOADER,
        BIN,
        'migrate',
        db,
        '--plan',
        file,
        '--config',
        V2,
        '--batch',
        '10',
      ],
      {
        cwd: root,
        stdio: 'ignore',
      },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    // kill it once a few cases are moved, well before all are
    let seen = { old: CASES, moved: 0 };
    for (let i = 0; i < 600 && seen.moved < 5; i++) {
      await new Promise((r) => setTimeout(r, 25));
      seen = await versions(db);
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const killed = await versions(db);
    expect(killed.moved).toBeGreaterThanOrEqual(5);
    expect(killed.moved).toBeLessThan(CASES);
    expect(killed.old + killed.moved).toBe(CASES);

    // nothing half done: each case has its migration event exactly when it is on the new version
    const s = createSqliteStore({ path: db });
    try {
      for (const c of await s.query({ limit: 1000 })) {
        const events = (await s.events(c.caseId)).filter((e) => e.type === CONFIG_MIGRATED);
        expect(events.length).toBe(c.configHash === v2.hash ? 1 : 0);
      }
      expect(await verifyAll(s, db)).toEqual({ checked: CASES, failed: [] });
    } finally {
      await s.close();
    }

    const io = bufferIo(root);
    expect(await runCli(['migrate', db, '--plan', file, '--config', V2, '--json'], io)).toBe(0);
    const rerun = JSON.parse(io.stdout());
    expect(rerun.moved.length).toBe(killed.old);
    expect(rerun.already).toBe(killed.moved);
    expect(await versions(db)).toEqual({ old: 0, moved: CASES });
    const after = createSqliteStore({ path: db });
    try {
      expect(await verifyAll(after, db)).toEqual({ checked: CASES, failed: [] });
    } finally {
      await after.close();
    }
  }, 120_000);
});
