/**
 * Re-keying a database written before identity keys were keyed. `fixtures/clear-identity.sqlite`
 * was written by the engine and this store as they were before (commit c23390f, see
 * `fixtures/README.md`): four cases, three with an identity key in clear (张三 twice, 李四
 * once), one anonymous. The test works on a copy: it re-keys, verifies every case, checks no
 * row or new event holds the ID number, that repeats are found, and rotates to a second secret.
 */

import { createHmac } from 'node:crypto';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, IDENTITY_REKEYED, type IdentityKeys, ManualClock } from '@xinfang/core';
import { readCaseFacts } from '@xinfang/core/reporting';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { A, mainland, nationalConfig, petition } from '../../core/test/engine/helpers.js';
import { createSqliteStore, type SqliteStore } from '../src/index.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/clear-identity.sqlite', import.meta.url));
const ZHANG = '11010119900101123X';
const LI = '110101198502021234';
const CLEAR_ZHANG = `petitioner.idNumber:["${ZHANG}"]`;
const SECRET_1 = 'store-secret-one-of-at-least-32-bytes';
const SECRET_2 = 'store-secret-two-of-at-least-32-bytes';
const K1: IdentityKeys = { current: { id: 'k1', secret: SECRET_1 } };
const K2: IdentityKeys = { current: { id: 'k2', secret: SECRET_2 }, previous: [K1.current] };

const hk = (id: string, secret: string, plain: string) =>
  `hk:${id}:${createHmac('sha256', secret).update(plain).digest('base64url')}`;

let dir: string;
let path: string;
const open: SqliteStore[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xinfang-rekey-'));
  path = join(dir, 'cases.sqlite');
  await copyFile(FIXTURE, path);
});

afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  await rm(dir, { recursive: true, force: true });
});

function storeAt(): SqliteStore {
  const store = createSqliteStore({ path });
  open.push(store);
  return store;
}

/** An engine on the copy, recording `priorCaseCount` at every rule step. */
function engineOn(store: SqliteStore, identityKeys: IdentityKeys, seen: number[] = []) {
  return createEngine({
    configs: [nationalConfig()],
    calendars: [mainland()],
    store,
    clock: new ManualClock('2026-03-10T09:00:00+08:00'),
    identityKeys,
    // the fixture was written before keyed events: its cases predate the upgrade, everything
    // written from here on is keyed (one integrity key whichever identity secrets are given)
    integrityKeys: { current: { id: 'fixture', secret: 'xinfang-rekey-fixture-integrity-key!' } },
    unkeyedBefore: '2026-03-10T00:00:00Z',
    decide: (_trigger, facts) => {
      seen.push(facts.facts.priorCaseCount as number);
      return undefined;
    },
  });
}

/** The identity key column of every row, read with SQL past the store. */
function identityColumn(): (string | null)[] {
  const db = new Database(path, { readonly: true });
  try {
    return (
      db.prepare('SELECT identity_key FROM cases ORDER BY case_id').all() as { identity_key: string | null }[]
    ).map((r) => r.identity_key);
  } finally {
    db.close();
  }
}

describe('re-keying a database written with clear identity keys', () => {
  it('moves every case to the keyed key, verifies, and finds repeats under it', async () => {
    expect(identityColumn().filter((k) => k?.includes(ZHANG))).toHaveLength(2);
    const store = storeAt();
    const engine = engineOn(store, K1);
    const before = new Map((await store.query({})).map((p) => [p.caseId, p.version]));
    expect([...before.keys()]).toEqual([
      'XF-2026-000001',
      'XF-2026-000002',
      'XF-2026-000003',
      'XF-2026-000004',
    ]);

    const result = await engine.rekeyIdentities();
    expect(result.rekeyed.map((r) => [r.caseId, r.from])).toEqual([
      ['XF-2026-000001', null],
      ['XF-2026-000002', null],
      ['XF-2026-000003', null],
    ]);
    expect(result).toMatchObject({ unknownKey: [], mismatched: [], examined: 4 });
    expect(result.next).toBeUndefined();

    for (const [caseId, version] of before) {
      expect(await engine.verify(caseId), caseId).toEqual({ ok: true, problems: [] });
      const log = await store.events(caseId);
      const added = log.slice(version);
      // the old chain is as it was; a keyed case gained one identity.rekeyed event, and no ID number
      expect(added.map((e) => e.type)).toEqual(caseId === 'XF-2026-000004' ? [] : [IDENTITY_REKEYED]);
      for (const e of added) {
        expect(JSON.stringify(e)).not.toContain(ZHANG);
        expect(JSON.stringify(e)).not.toContain(LI);
      }
    }
    // the index column holds keyed keys only
    const column = identityColumn();
    expect(column.slice(0, 3).every((k) => k?.startsWith('hk:k1:'))).toBe(true);
    expect(column[3]).toBeNull();
    expect(column.join(' ')).not.toMatch(/11010119/);
    expect(column[0]).toBe(hk('k1', SECRET_1, CLEAR_ZHANG));
    expect(column[2]).toBe(column[0]);
    expect(await store.query({ identityKey: CLEAR_ZHANG })).toEqual([]);

    // re-keying again moves nothing
    expect((await engine.rekeyIdentities()).rekeyed).toEqual([]);

    // 张三 petitions again: both earlier cases are found, under the keyed key
    const seen: number[] = [];
    const { caseId } = await engineOn(store, K1, seen).submit(petition(), A.registrar, {
      petitionerId: 'p-1',
    });
    expect(seen).toEqual([2]);
    expect((await store.getCase(caseId))?.identityKey).toBe(column[0]);
    // the reports read a re-keyed case like any other: the event moves no state
    const read = await readCaseFacts(store);
    expect(read.facts.map((f) => f.caseId)).toHaveLength(5);
  });

  it('finds repeats in clear before the re-key, and rotates from one secret to the next after it', async () => {
    const store = storeAt();
    const seen: number[] = [];
    // not yet re-keyed: the clear key is looked up (never written)
    await engineOn(store, K1, seen).submit(petition(), A.registrar);
    expect(seen).toEqual([2]);
    expect((await engineOn(store, K1).rekeyIdentities()).rekeyed).toHaveLength(3);

    const rotated = engineOn(store, K2, seen);
    const moved = await rotated.rekeyIdentities({ limit: 2 });
    expect(moved.rekeyed.map((r) => r.from)).toEqual(['k1', 'k1']);
    expect(moved.next).toBe('XF-2026-000002');
    const rest = await rotated.rekeyIdentities({ after: moved.next });
    expect(rest.rekeyed.map((r) => [r.caseId, r.from])).toEqual([
      ['XF-2026-000003', 'k1'],
      ['XF-2026-000005', 'k1'],
    ]);
    for (const p of await store.query({})) {
      expect(await rotated.verify(p.caseId), p.caseId).toEqual({ ok: true, problems: [] });
    }
    const column = identityColumn();
    expect(column.filter((k) => k !== null).every((k) => k?.startsWith('hk:k2:'))).toBe(true);

    // the first secret dropped: 张三's three cases are found under the second alone
    const onlyK2 = engineOn(store, { current: K2.current }, seen);
    await onlyK2.submit(petition(), A.registrar);
    expect(seen.at(-1)).toBe(3);
  });
});
