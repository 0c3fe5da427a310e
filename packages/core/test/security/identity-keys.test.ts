/**
 * Identity keys are keyed hashes: no ID number in any stored key, repeats found across the
 * store's cases, nothing matched without the secret, re-keying and rotation that extend the
 * chain without rewriting it, and no identity key as proof of ownership or query filter.
 */

import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/base/json.js';
import { compileConfig } from '../../src/compiler/compile.js';
import {
  createEngine,
  type EngineOptions,
  ephemeralIdentityKeys,
  IDENTITY_REKEYED,
  type IdentityKeys,
  identityKeyFile,
} from '../../src/engine/index.js';
import { redactEvent } from '../../src/engine/redact.js';
import { createMemoryStore } from '../../src/store/index.js';
import type { CaseEvent, CaseProjection, CaseStore } from '../../src/store/types.js';
import { A, mainland, nationalConfig, petition, setup } from '../engine/helpers.js';
import { TEST_IDENTITY_KEYS, TEST_INTEGRITY_KEYS } from '../keys.js';

const ID = '11010119900101123X';
const PLAIN = `petitioner.idNumber:["${ID}"]`;
const KEY_A: IdentityKeys = { current: { id: 'a', secret: 'secret-a-secret-a-secret-a-secret-a!' } };
const KEY_B: IdentityKeys = {
  current: { id: 'b', secret: 'secret-b-secret-b-secret-b-secret-b!' },
  previous: [KEY_A.current],
};

/** The keyed form of `plain` as the issue defines it, computed here independently of the engine. */
function hk(id: string, secret: string, plain: string): string {
  return `hk:${id}:${createHmac('sha256', secret).update(plain).digest('base64url')}`;
}

/** An engine on `store` with `keys`, recording `priorCaseCount` of every rule step. */
function engineWith(store: CaseStore, keys: IdentityKeys, seen: number[] = []) {
  return createEngine({
    configs: [nationalConfig()],
    calendars: [mainland()],
    store,
    clock: { now: () => new Date('2026-03-02T01:00:00Z') },
    identityKeys: keys,
    // one store, one integrity key, whichever identity secrets an engine is given
    integrityKeys: TEST_INTEGRITY_KEYS,
    decide: (_trigger, facts) => {
      seen.push(facts.facts.priorCaseCount as number);
      return undefined;
    },
  });
}

/** Every identity key the store holds: each event's `identityKey` fields and each projection's. */
async function storedKeys(store: CaseStore): Promise<string[]> {
  const out: string[] = [];
  for (const p of await store.query({})) {
    if (p.identityKey !== undefined) out.push(p.identityKey);
    if (typeof p.data.identityKey === 'string') out.push(p.data.identityKey);
    for (const e of await store.events(p.caseId)) {
      JSON.stringify(e.payload, (k, v) => {
        if (k === 'identityKey' && typeof v === 'string') out.push(v);
        return v;
      });
    }
  }
  return out;
}

describe('keyed identity keys', () => {
  it('stores only the keyed key: events, case data, projection, and the rules facts', async () => {
    const { engine, store, submit } = setup();
    const { caseId } = await submit();
    await engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
    const key = hk('test', TEST_IDENTITY_KEYS.current.secret as string, PLAIN);
    expect((await store.getCase(caseId))?.identityKey).toBe(key);
    const keys = await storedKeys(store);
    expect(keys.length).toBeGreaterThanOrEqual(3);
    for (const k of keys) {
      expect(k).toBe(key);
      expect(k).not.toContain(ID.slice(0, 10));
    }
    // the decisions the engine stores hold no identity in clear either
    for (const e of await store.events(caseId))
      expect(JSON.stringify(e.payload.decisions ?? {})).not.toContain(ID);
    expect(JSON.stringify((await store.getCase(caseId))?.data.rules)).not.toContain(ID);
    expect((await engine.verify(caseId)).ok).toBe(true);
  });

  it("finds a petitioner's second petition as a repeat across the store's cases", async () => {
    const store = createMemoryStore();
    const seen: number[] = [];
    const engine = engineWith(store, KEY_A, seen);
    await engine.submit(petition(), A.registrar, { petitionerId: 'p-1' });
    // the same person, the ID number typed with a lower-case x, registered by another account
    const again = petition({ petitioner: { name: '张三', idNumber: ID.toLowerCase(), address: '示范县' } });
    await engine.submit(again, A.registrar);
    await engine.submit(
      petition({ petitioner: { name: '李四', idNumber: '110101198502021234' } }),
      A.registrar,
    );
    expect(seen).toEqual([0, 1, 0]);
  });

  it('matches nothing without the secret: another secret makes another key', async () => {
    const store = createMemoryStore();
    await engineWith(store, KEY_A).submit(petition(), A.registrar);
    const seen: number[] = [];
    const other = engineWith(
      store,
      { current: { id: 'a', secret: 'another-secret-of-at-least-32-bytes' } },
      seen,
    );
    const { caseId } = await other.submit(petition(), A.registrar);
    expect(seen).toEqual([0]);
    const [first, second] = (await store.query({})).map((p) => p.identityKey);
    expect(first).toMatch(/^hk:a:/);
    expect(second).toMatch(/^hk:a:/);
    expect(second).not.toBe(first);
    expect((await store.getCase(caseId))?.identityKey).toBe(
      hk('a', 'another-secret-of-at-least-32-bytes', PLAIN),
    );
  });

  it('refuses an engine without identity keys, or with unusable ones, saying what to pass', () => {
    const base = {
      configs: [nationalConfig()],
      calendars: [mainland()],
      store: createMemoryStore(),
      clock: { now: () => new Date() },
    };
    const make = (identityKeys: unknown) => () =>
      createEngine({ ...base, identityKeys } as unknown as EngineOptions);
    expect(make(undefined)).toThrow(expect.objectContaining({ code: 'ENGINE_KEY_MISSING' }));
    expect(make(undefined)).toThrow(/identityKeys: \{ current: \{ id, secret \} \}/);
    expect(make({ current: { id: 'k', secret: 'short' } })).toThrow(
      expect.objectContaining({ code: 'ENGINE_KEY_INVALID', details: { keyId: 'k' } }),
    );
    expect(make({ current: { id: 'a:b', secret: 'x'.repeat(32) } })).toThrow(
      expect.objectContaining({ code: 'ENGINE_KEY_INVALID' }),
    );
    expect(make({ current: KEY_A.current, previous: [KEY_A.current] })).toThrow(/given twice/);
    expect(make(ephemeralIdentityKeys())).not.toThrow();
  });

  it('refuses a viewer query by identity key (an oracle for guessed ID numbers)', async () => {
    const { engine, submit, store } = setup();
    await submit();
    const key = (await store.query({}))[0]?.identityKey as string;
    for (const identityKey of [key, PLAIN]) {
      await expect(engine.query({ identityKey }, A.supervisor)).rejects.toMatchObject({
        code: 'QUERY_FORBIDDEN',
        details: { field: 'identityKey' },
      });
    }
    expect((await engine.query({ stage: 'registration' }, A.supervisor)).cases).toHaveLength(1);
  });

  it('an identity key is no proof of ownership: only the account the case was registered for', async () => {
    const { engine, store, submit } = setup();
    const { caseId } = await submit();
    const key = (await store.getCase(caseId))?.identityKey as string;
    // a petitioner account named by the key (or the ID number) is not the case's: to it the
    // case does not exist, for reading, for the commands offered and for sending
    for (const id of [key, PLAIN]) {
      const viewer = { id, role: 'petitioner' };
      await expect(engine.get(caseId, viewer)).rejects.toMatchObject({ code: 'CASE_NOT_FOUND' });
      await expect(engine.history(caseId, viewer)).rejects.toMatchObject({ code: 'CASE_NOT_FOUND' });
      await expect(engine.allowedCommands(caseId, viewer)).rejects.toMatchObject({ code: 'CASE_NOT_FOUND' });
      await expect(engine.send(caseId, { type: 'WITHDRAW' }, viewer)).rejects.toMatchObject({
        code: 'CASE_NOT_FOUND',
      });
      expect((await engine.query({}, viewer)).cases).toEqual([]);
    }
    expect(await engine.allowedCommands(caseId, A.petitioner)).toEqual(['WITHDRAW']);
    const own = await engine.get(caseId, A.petitioner);
    expect(JSON.stringify(own.data.petition)).toContain(ID);
  });
});

describe('re-keying and rotation', () => {
  it('moves cases from a previous secret to the current one, linked, verified, idempotent and resumable', async () => {
    const store = createMemoryStore();
    const a = engineWith(store, KEY_A);
    const first = await a.submit(petition(), A.registrar, { petitionerId: 'p-1' });
    await a.send(first.caseId, { type: 'ACCEPT' }, A.acceptor);
    const second = await a.submit(petition(), A.registrar, { petitionerId: 'p-1' });
    const anonymous = await a.submit(
      petition({ petitioner: { name: '匿名', anonymous: true } }),
      A.registrar,
    );
    const oldKey = hk('a', 'secret-a-secret-a-secret-a-secret-a!', PLAIN);
    const newKey = hk('b', 'secret-b-secret-b-secret-b-secret-b!', PLAIN);

    // rotated but not yet re-keyed: cases under the previous secret are still found
    const seen: number[] = [];
    const b = engineWith(store, KEY_B, seen);
    const events = new Map((await store.query({})).map((p) => [p.caseId, p.version]));

    // one case per call, resumed with `next`
    const page1 = await b.rekeyIdentities({ limit: 1 });
    expect(page1).toMatchObject({
      rekeyed: [{ caseId: first.caseId, from: 'a' }],
      examined: 1,
      next: first.caseId,
    });
    const rest = await b.rekeyIdentities({ after: page1.next });
    expect(rest.rekeyed.map((r) => r.caseId)).toEqual([second.caseId]);
    expect(rest.next).toBeUndefined();
    expect(rest).toMatchObject({ unknownKey: [], mismatched: [], examined: 2 });

    for (const caseId of [first.caseId, second.caseId]) {
      const log = await store.events(caseId);
      const last = log.at(-1);
      expect(last?.type).toBe(IDENTITY_REKEYED);
      // the chain is extended: every earlier event is as it was, the old key still in the first
      expect(log.length).toBe((events.get(caseId) as number) + 1);
      expect(log[0]?.payload.identityKey).toBe(oldKey);
      expect(last?.payload).toEqual({
        identityKey: newKey,
        keyId: 'b',
        previousIdentityKey: { keyId: 'a', link: hk('b', 'secret-b-secret-b-secret-b-secret-b!', oldKey) },
      });
      // another petitioner may not read the case at all
      await expect(b.history(caseId, A.stranger)).rejects.toMatchObject({ code: 'CASE_NOT_FOUND' });
      // and the redaction behind that: a viewer who may not see personal fields sees neither
      // the key nor its link
      const stored = (await store.getCase(caseId)) as CaseProjection;
      const seenByStranger = redactEvent(
        compileConfig(nationalConfig()),
        last as CaseEvent,
        A.stranger,
        stored.data.petition as JsonObject,
        stored.data as never,
      );
      expect(seenByStranger?.payload).toEqual({ keyId: 'b' });
      expect(seenByStranger?.redacted).toEqual(['identityKey']);
      expect((await store.getCase(caseId))?.identityKey).toBe(newKey);
      expect(await b.verify(caseId)).toEqual({ ok: true, problems: [] });
      expect((await b.replay(caseId)).identityKey).toBe(newKey);
    }
    // the anonymous case has no key and got no event
    expect((await store.events(anonymous.caseId)).map((e) => e.type)).toEqual(['SUBMITTED']);
    // the index moved: nothing is found under the old key any more, both under the new one
    expect(await store.query({ identityKey: oldKey })).toEqual([]);
    expect((await store.query({ identityKey: newKey })).map((p) => p.caseId)).toEqual([
      first.caseId,
      second.caseId,
    ]);
    // idempotent: nothing left to move
    expect((await b.rekeyIdentities()).rekeyed).toEqual([]);

    // with the old secret dropped, repeats are still found
    const onlyB = engineWith(store, { current: KEY_B.current }, seen);
    await onlyB.submit(petition(), A.registrar);
    expect(seen).toEqual([2]);
  });

  it('finds cases under a previous secret before they are re-keyed, and reports a secret it lacks', async () => {
    const store = createMemoryStore();
    await engineWith(store, KEY_A).submit(petition(), A.registrar);
    const seen: number[] = [];
    await engineWith(store, KEY_B, seen).submit(petition(), A.registrar);
    expect(seen).toEqual([1]);
    // an engine given neither earlier secret cannot move those cases, and says which secret they need
    const c = engineWith(store, { current: { id: 'c', secret: 'secret-c-secret-c-secret-c-secret-c!' } });
    const result = await c.rekeyIdentities();
    expect(result.rekeyed).toEqual([]);
    expect(result.unknownKey.map((u) => u.keyId)).toEqual(['a', 'b']);
  });
});

describe('identityKeyFile', () => {
  it('makes a secret beside the store once, readable by its owner only, and reads it after', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xinfang-key-'));
    try {
      const file = join(dir, 'sub', 'cases.sqlite.identity.key');
      expect(() => identityKeyFile(file, { create: false })).toThrow(
        expect.objectContaining({ code: 'ENGINE_KEY_MISSING' }),
      );
      const made = identityKeyFile(file);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url')).toHaveLength(32);
      const again = identityKeyFile(file);
      expect(again).toEqual(made);
      expect(made.current.id).toMatch(/^f-[0-9a-f]{12}$/);
      // two stores, two secrets
      expect(identityKeyFile(join(dir, 'other.key')).current.id).not.toBe(made.current.id);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
