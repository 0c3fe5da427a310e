/**
 * `xinfang migrate` on a SQLite store: cases started on national.yaml, moved to its second
 * version (configs/migration/national-v2.yaml) by a plan. The dry run prints per case what would
 * change and writes nothing; its counts are the applied run's; a second run moves nothing; every
 * moved case verifies under the new version.
 *
 * `XINFANG_MIGRATION_DEMO=1` also runs the demo (2,400 cases over 90 days, about two minutes) and
 * migrates it the same way.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '@xinfang/storage-sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { bufferIo, runCli } from '../src/index.js';
import { national, plan, root, store, V2, v2, verifyAll } from './migrate-cases.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function cli(...args: string[]) {
  const io = bufferIo(root);
  const code = await runCli(['migrate', ...args], io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe('xinfang migrate', () => {
  it('prints what a dry run would change, writes nothing, and then applies the same', async () => {
    const { db, dir } = await store(dirs);
    const file = join(dir, 'plan.yaml');
    writeFileSync(
      file,
      plan(
        'states:\n  opinion-issued: opinion-served\ndeadlines:\n  handling: recompute\ndocuments:\n  accepted: [handling-period-notice]\n',
      ),
    );
    const dry = await cli(db, '--plan', file, '--config', V2, '--dry-run');
    expect(dry.err).toBe('');
    expect(dry.code).toBe(0);
    // accepted 09-16: handling 60 days to 11-16 (11-15 a Sunday); 45 days: 10-31, a Saturday -> 11-02
    expect(dry.out).toContain(
      'accepted -> accepted\n  handling (recompute): due 2026-11-16 -> 2026-11-02\n  owes handling-period-notice',
    );
    expect(dry.out).toContain('opinion-issued -> opinion-served');
    expect(dry.out).toContain('6 cases examined: 6 would move, 0 left on their version, 0 already moved');
    const before = createSqliteStore({ path: db });
    expect((await before.query({ limit: 100 })).every((c) => c.configHash === national.hash)).toBe(true);
    await before.close();

    const dryJson = JSON.parse((await cli(db, '--plan', file, '--config', V2, '--dry-run', '--json')).out);
    const applied = await cli(db, '--plan', file, '--config', V2, '--json');
    expect(applied.code).toBe(0);
    const result = JSON.parse(applied.out);
    const ids = (r: { moved: { caseId: string }[] }) => r.moved.map((m) => m.caseId);
    expect(ids(result)).toHaveLength(6);
    expect(ids(result)).toEqual(ids(dryJson));
    expect(result.moved.map((m: { deadlines: unknown }) => m.deadlines)).toEqual(
      dryJson.moved.map((m: { deadlines: unknown }) => m.deadlines),
    );
    expect(result.moved.every((m: { seq?: number }) => typeof m.seq === 'number')).toBe(true);

    const again = await cli(db, '--plan', file, '--config', V2);
    expect(again.out).toContain('6 cases examined: 0 moved, 0 left on their version, 6 already moved');

    const s = createSqliteStore({ path: db });
    try {
      const cases = await s.query({ limit: 100 });
      expect(cases.every((c) => c.configHash === v2.hash)).toBe(true);
      expect(cases.filter((c) => c.state === 'opinion-served')).toHaveLength(2);
      expect(await verifyAll(s, db)).toEqual({ checked: 6, failed: [] });
    } finally {
      await s.close();
    }
  });

  it('reports on the moved store with the same counts, each case under the new names, as of before the move too', async () => {
    const { db, dir } = await store(dirs);
    const file = join(dir, 'plan.yaml');
    writeFileSync(file, plan('states:\n  opinion-issued: opinion-served\n'));
    const report = async (...args: string[]) => {
      const io = bufferIo(root);
      // as of a week after the opinions: the move (dated by the system clock) comes later
      const code = await runCli(['report', db, '--as-of', '2026-11-06T12:00:00+08:00', ...args], io);
      expect(code).toBe(0);
      return io.stdout();
    };
    const before = JSON.parse(await report('--format', 'json'));
    expect((await cli(db, '--plan', file, '--config', V2)).code).toBe(0);
    const after = JSON.parse(await report('--format', 'json'));
    expect(after.jurisdictions.map((j: { hash: string }) => j.hash)).toEqual([v2.hash]);
    // counts, colours, stages and rates: the move changes none of them; the longest-open cases
    // are listed under the renamed state
    const renamed = JSON.stringify(before.rows).replaceAll('"opinion-issued"', '"opinion-served"');
    expect(renamed).not.toBe(JSON.stringify(before.rows));
    expect(after.rows).toEqual(JSON.parse(renamed));
    // the cases whose opinion was issued under national.yaml are listed in v2's state, read from
    // their steps before the move (national's `opinion-issued`, renamed by the plan)
    const table = await report('--top', '10');
    expect(table).toMatch(/^XF-2026-00000[56] .* opinion-served +opinion +green/m);
    expect(table).not.toContain('opinion-issued');
  });

  it('refuses a plan with an error, at its line, and writes nothing', async () => {
    const { db, dir } = await store(dirs);
    const file = join(dir, 'plan.yaml');
    writeFileSync(file, plan('states:\n  opinion-issued: opinion-serve\n'));
    const r = await cli(db, '--plan', file, '--config', V2);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'plan.yaml:5:19 PLAN_UNKNOWN_STATE `opinion-serve` is no state of the to version',
    );
    const s = createSqliteStore({ path: db });
    expect((await s.query({ limit: 100 })).every((c) => c.configHash === national.hash)).toBe(true);
    await s.close();
  });

  it.runIf(process.env.XINFANG_MIGRATION_DEMO === '1')(
    "migrates the demo's cases: the dry run's counts are the applied ones, and every case verifies",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'xinfang-migrate-demo-'));
      dirs.push(dir);
      const db = join(dir, 'demo.sqlite');
      const demo = bufferIo(root);
      expect(await runCli(['demo', '--db', db, '--no-progress'], demo)).toBe(0);
      const file = join(dir, 'plan.yaml');
      writeFileSync(
        file,
        plan('states:\n  opinion-issued: opinion-served\ndeadlines:\n  handling: recompute\n'),
      );
      const dry = JSON.parse((await cli(db, '--plan', file, '--config', V2, '--dry-run', '--json')).out);
      const applied = JSON.parse((await cli(db, '--plan', file, '--config', V2, '--json')).out);
      for (const k of ['examined', 'already', 'skipped'] as const) expect(applied[k]).toBe(dry[k]);
      expect(applied.moved.map((m: { caseId: string }) => m.caseId)).toEqual(
        dry.moved.map((m: { caseId: string }) => m.caseId),
      );
      expect(applied.left).toEqual(dry.left);
      expect(applied.examined).toBeGreaterThan(2000);
      const s = createSqliteStore({ path: db });
      try {
        expect((await verifyAll(s, db)).failed).toEqual([]);
      } finally {
        await s.close();
      }
    },
    600_000,
  );
});
