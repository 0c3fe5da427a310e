import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type SealedDocument, verifyDocument } from '@xinfang/core';
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

    // every document and notification went out through the webhook, once per idempotency key,
    // each signature checked at the receiver
    const sent = (await store.outbox()).filter((r) => r.kind !== 'receipt');
    expect(sent.length).toBeGreaterThan(petitions);
    expect(sent.every((r) => r.status === 'delivered')).toBe(true);
    const delivered =
      /delivered through the webhook: (\d+) \(deduplicated by idempotency key, signatures checked: 0 bad/.exec(
        out,
      );
    expect(Number(delivered?.[1])).toBe(sent.length);
    // the opinions' receipts came from the deliveries, recorded by the system
    const receipts = [];
    for (const c of cases)
      receipts.push(...(await store.events(c.caseId)).filter((e) => e.type === 'RECEIPT'));
    expect(receipts.length).toBeGreaterThan(0);
    expect(receipts.every((e) => e.actor.role === 'system')).toBe(true);

    // the printed notice is one the store holds, sealed, and it verifies
    const notice = /one sealed notice, as received — (\S+) (\S+):/.exec(out);
    expect(notice).not.toBeNull();
    const row = sent.find((r) => r.payload.number === notice?.[2]);
    const sealed = row?.payload.sealed as unknown as SealedDocument;
    expect(sealed.document.name).toBe(notice?.[1]);
    for (const line of sealed.document.text.split('\n').filter((l) => l.trim() !== ''))
      expect(out).toContain(`  ${line}`);
    expect(out).toContain(`key ${sealed.seal.keyId} · signature ${sealed.seal.signature.slice(0, 24)}…`);
    expect(out).toMatch(/verifyDocument: ok/);
    // and it verifies here too, under the public key the demo printed
    const key = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/.exec(out)?.[0];
    expect(await verifyDocument(sealed, String(key))).toEqual({ ok: true, problems: [] });
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
      // the first line names the file and the timing line varies, and each run seals under a
      // key of its own; the board and the notice's text must not vary
      return io
        .stdout()
        .split('\n')
        .slice(3)
        .filter((l) => !/^seal: |PUBLIC KEY|^[A-Za-z0-9+/=]{40,}$/.test(l))
        .join('\n');
    };
    expect(await run('a.sqlite')).toBe(await run('b.sqlite'));
  });

  it('runs on PostgreSQL too, telling the same story as on SQLite, into an empty schema only', async () => {
    const url = process.env.XINFANG_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
    const schema = `xf_test_demo_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const args = ['--days', '20', '--petitions', '30', '--no-progress', '--json'];
    const run = async (db: string[]) => {
      const io = bufferIo(root);
      const code = await runCli(['demo', ...db, ...args], io);
      expect(io.stderr()).toBe('');
      expect(code).toBe(0);
      const out = JSON.parse(io.stdout()) as Record<string, unknown>;
      return { board: out.board, report: out.report, annual: out.annual };
    };
    const { createPostgresStore } = await import('@xinfang/storage-postgres');
    try {
      const onPg = await run(['--db', url, '--schema', schema]);
      expect(onPg).toEqual(await run(['--db', join(dir, 'same.sqlite')]));
      // a schema that holds cases is somebody's records: refused, left as it was
      const io = bufferIo(root);
      expect(await runCli(['demo', '--db', url, '--schema', schema, ...args], io)).toBe(2);
      expect(io.stderr()).toMatch(
        /CLI_USAGE: schema .* already holds cases; the demo writes only to an empty schema/,
      );
      const store = await createPostgresStore({ connectionString: url, schema, migrate: false });
      const totals = (onPg.report as { totals: { cases: number }[] }).totals;
      expect((await store.query({ limit: 1000 })).length).toBe(totals[0]?.cases);
      await store.close();
    } finally {
      const store = await createPostgresStore({ connectionString: url, schema: 'public', migrate: false });
      await store.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await store.close();
    }
  });

  it('refuses a bad option with a usage error', async () => {
    const io = bufferIo(root);
    expect(await runCli(['demo', '--days', '0', '--db', join(dir, 'x.sqlite')], io)).toBe(2);
    expect(io.stderr()).toMatch(/CLI_USAGE: --days must be a whole number/);
    const io2 = bufferIo(root);
    expect(await runCli(['demo', '--start', '2026-13-01', '--db', join(dir, 'x.sqlite')], io2)).toBe(2);
    expect(io2.stderr()).toMatch(/--start must be a date/);
    // a province with its own registry: refused before any file is written
    const io3 = bufferIo(root);
    const file = join(dir, 'zj.sqlite');
    expect(
      await runCli(['demo', '--config', 'configs/provinces/zhejiang/zhejiang.yaml', '--db', file], io3),
    ).toBe(2);
    expect(io3.stderr()).toMatch(
      /CLI_USAGE: the demo simulates the national demo registry .* has none of county-bureau/,
    );
    expect(existsSync(file)).toBe(false);
  });
});
