/**
 * `xinfang keys rotate` and `retire` on a real SQLite store: a new secret becomes current, every
 * case is re-keyed by a chained event (the log still verifies), earlier cases are still found
 * under the new key, and the old secret is retired only once nothing needs it.
 */

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CaseStore,
  createEngine,
  identityKeyFile,
  loadCalendarFile,
  loadConfigOrThrow,
  ManualClock,
} from '@xinfang/core';
import { createSqliteStore } from '@xinfang/storage-sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { bufferIo, runCli } from '../src/index.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const config = loadConfigOrThrow(join(root, 'configs/national.yaml')).value;
const calendar = loadCalendarFile(join(root, 'configs/calendars/cn-mainland.yaml'));
const registrar = { id: 'reg-1', role: 'registrar', unit: 'county-bureau' };

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function petition(idNumber: string, request: string) {
  return {
    channel: 'letter',
    receivedAt: '2026-03-02',
    receivingUnit: 'county-bureau',
    petitioner: { name: '张三', idNumber, address: '示范县人民路 1 号' },
    subject: 'labour',
    summary: '单位拖欠工资',
    request,
    respondentUnit: 'county-hrss',
  };
}

function engineOn(store: CaseStore, keyFile: string) {
  return createEngine({
    store,
    clock: new ManualClock('2026-03-02T09:00:00+08:00'),
    configs: [config],
    calendars: [calendar],
    identityKeys: identityKeyFile(keyFile, { create: false }),
  });
}

async function cli(...args: string[]) {
  const io = bufferIo(root);
  const code = await runCli(['keys', ...args], io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe('xinfang keys', () => {
  it('rotates the key, re-keys every case by chained events, and retires the old key when nothing needs it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xf-keys-'));
    dirs.push(dir);
    const db = join(dir, 'store.sqlite');
    const keyFile = `${db}.identity.key`;
    identityKeyFile(keyFile);
    let store = createSqliteStore({ path: db });
    let engine = engineOn(store, keyFile);
    const withAccount = await engine.submit(petition('11010119900101123X', '支付工资'), registrar, {
      petitionerId: 'p-1',
    });
    const withCode = await engine.submit(petition('110101198001011234', '补缴社保'), registrar);
    const oldKey = (await store.getCase(withAccount.caseId))?.identityKey as string;
    await store.close();

    const rotated = await cli('rotate', db);
    expect(rotated.err).toBe('');
    expect(rotated.code).toBe(0);
    expect(rotated.out).toContain('2 of 2 cases re-keyed');
    expect(readFileSync(keyFile, 'utf8').trim().split('\n')).toHaveLength(2);

    store = createSqliteStore({ path: db });
    engine = engineOn(store, keyFile);
    const c = await store.getCase(withAccount.caseId);
    expect(c?.identityKey).not.toBe(oldKey);
    expect(c?.identityKey?.startsWith(`hk:${identityKeyFile(keyFile).current.id}:`)).toBe(true);
    expect((await store.events(withAccount.caseId)).map((e) => e.type)).toEqual([
      'SUBMITTED',
      'identity.rekeyed',
    ]);
    expect(await engine.verify(withAccount.caseId)).toEqual({ ok: true, problems: [] });
    await store.close();

    // the open case's query code was made with the old key: retiring it would void the code
    const refused = await cli('retire', db);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain(withCode.caseId);
    expect(readFileSync(keyFile, 'utf8').trim().split('\n')).toHaveLength(2);
    // the old code still opens the case while the old key is kept
    store = createSqliteStore({ path: db });
    engine = engineOn(store, keyFile);
    const code = withCode.queryCodes?.[0]?.code as string;
    await expect(
      engine.get(withCode.caseId, { id: 'v', role: 'petitioner', queryCode: code }),
    ).resolves.toBeDefined();
    // a new code under the new key, then the old key can go
    await engine.issueQueryCode(withCode.caseId, registrar, { holder: 'query-code:1' });
    await store.close();
    const retired = await cli('retire', db);
    expect(retired.err).toBe('');
    expect(retired.code).toBe(0);
    expect(readFileSync(keyFile, 'utf8').trim().split('\n')).toHaveLength(1);

    // a petition from the first petitioner is matched to their earlier case under the new key
    store = createSqliteStore({ path: db });
    engine = engineOn(store, keyFile);
    const again = await engine.submit(petition('11010119900101123X', '再次反映拖欠工资'), registrar, {
      petitionerId: 'p-1',
    });
    expect((await store.getCase(again.caseId))?.identityKey).toBe(
      (await store.getCase(withAccount.caseId))?.identityKey,
    );
    await store.close();
  });

  it('refuses a store without its key file, and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xf-keys-'));
    dirs.push(dir);
    const db = join(dir, 'store.sqlite');
    const store = createSqliteStore({ path: db });
    await store.close();
    const r = await cli('rotate', db);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('--key-file');
  });
});
