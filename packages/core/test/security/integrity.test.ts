/**
 * The integrity key and what it vouches for, on the memory store: the MAC on every event and
 * projection, key rotation and a store written before keyed events, keyed checkpoints, `tick`
 * never past the clock, and the alarm. The edits a database writer makes with SQL are the tamper
 * suite's (`@xinfang/testing`), run by every durable store.
 */

import { describe, expect, it } from 'vitest';
import type { CaseCheckpoint } from '../../src/engine/checkpoint.js';
import type { IntegrityAlarm } from '../../src/engine/integrity.js';
import { createMemoryStore } from '../../src/store/index.js';
import type { CaseEvent, CaseProjection, CaseStore } from '../../src/store/types.js';
import { A, nationalConfig, setup } from '../engine/helpers.js';

const OLD = { id: 'old', secret: 'integrity-old-secret-integrity-old-secret' };
const NEW = { id: 'new', secret: 'integrity-new-secret-integrity-new-secret' };

/** A store whose reads strip the MACs off events and projections, as a store written before them. */
function unkeyedView(inner: CaseStore): CaseStore {
  return {
    ...inner,
    capabilities: inner.capabilities,
    events: async (caseId, from) =>
      (await inner.events(caseId, from)).map(({ mac: _, ...e }) => e as CaseEvent),
    getCase: async (caseId) => {
      const p = await inner.getCase(caseId);
      if (!p) return p;
      const { mac: _, ...rest } = p;
      return rest as CaseProjection;
    },
  };
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  return p.then(
    () => undefined,
    (e: { code?: string }) => e.code,
  );
}

describe('tick never runs past the clock', () => {
  it('refuses a later instant with TICK_AFTER_NOW and writes nothing; now and earlier instants run', async () => {
    const { engine, store, submit } = setup();
    const { caseId } = await submit();
    const before = await store.events(caseId);
    const refused = await engine.tick('2099-01-01T00:00:00Z').catch((e) => e);
    expect(refused).toMatchObject({
      code: 'TICK_AFTER_NOW',
      details: { now: '2099-01-01T00:00:00.000Z', clock: '2026-03-02T01:00:00.000Z' },
    });
    // one millisecond past the clock is past it
    expect(await codeOf(engine.tick('2026-03-02T01:00:00.001Z'))).toBe('TICK_AFTER_NOW');
    expect(await store.events(caseId)).toEqual(before);
    expect(await engine.tick('2026-03-02T01:00:00.000Z')).toEqual([]);
    expect(await engine.tick('2026-03-01T00:00:00Z')).toEqual([]);
  });
});

describe('the integrity key', () => {
  it('keys every event and projection; another key finds them unvouched, and refuses reads', async () => {
    const store = createMemoryStore();
    const { engine, submit } = setup({ store, integrityKeys: { current: OLD } });
    const { caseId } = await submit();
    await engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
    const events = await store.events(caseId);
    expect(events.map((e) => e.mac?.startsWith('ik:old:'))).toEqual([true, true]);
    expect((await store.getCase(caseId))?.mac?.startsWith('ik:old:')).toBe(true);

    const alarms: IntegrityAlarm[] = [];
    const stranger = setup({
      store,
      integrityKeys: { current: NEW },
      onIntegrityAlarm: (a) => alarms.push(a),
    });
    expect((await stranger.engine.verify(caseId)).problems.map((p) => [p.seq, p.code])).toEqual([
      [1, 'KEY_UNKNOWN'],
      [2, 'KEY_UNKNOWN'],
      [2, 'PROJECTION_FORGED'],
    ]);
    expect(await codeOf(stranger.engine.get(caseId, A.registrar))).toBe('INTEGRITY_VIOLATION');
    expect(alarms).toEqual([
      {
        source: 'read',
        caseId,
        at: '2026-03-02T01:00:00.000Z',
        problems: [expect.objectContaining({ code: 'PROJECTION_FORGED' })],
      },
    ]);
  });

  it('rotates: the old key under previous still checks, new writes use the current one', async () => {
    const store = createMemoryStore();
    const first = setup({ store, integrityKeys: { current: OLD } });
    const { caseId } = await first.submit();
    const rotated = setup({ store, integrityKeys: { current: NEW, previous: [OLD] } });
    await rotated.engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
    expect((await store.events(caseId)).map((e) => e.mac?.split(':')[1])).toEqual(['old', 'new']);
    expect(await rotated.engine.verify(caseId)).toEqual({ ok: true, problems: [] });
  });

  it('is derived from the identity keys when not given: engines sharing the identity secret agree', async () => {
    const store = createMemoryStore();
    const { caseId } = await setup({ store }).submit();
    expect((await store.events(caseId))[0]?.mac?.startsWith('ik:i-test:')).toBe(true);
    expect(await setup({ store }).engine.verify(caseId)).toEqual({ ok: true, problems: [] });
  });

  it('refuses an unusable key or upgrade instant with ENGINE_KEY_INVALID', () => {
    expect(() => setup({ integrityKeys: { current: { id: 'short', secret: 'too short' } } })).toThrow(
      expect.objectContaining({ code: 'ENGINE_KEY_INVALID' }),
    );
    expect(() => setup({ integrityKeys: { current: OLD, previous: [OLD] } })).toThrow(
      expect.objectContaining({ code: 'ENGINE_KEY_INVALID' }),
    );
    expect(() => setup({ unkeyedBefore: 'last tuesday' })).toThrow(
      expect.objectContaining({ code: 'ENGINE_KEY_INVALID' }),
    );
  });
});

describe('a store written before keyed events', () => {
  it('accepts unkeyed events and projections dated before unkeyedBefore, and nothing unkeyed after', async () => {
    const inner = createMemoryStore();
    const { caseId } = await setup({ store: inner }).submit();
    const legacy = unkeyedView(inner);
    // without an upgrade instant every event must be keyed
    expect((await setup({ store: legacy }).engine.verify(caseId)).problems.map((p) => p.code)).toEqual([
      'EVENT_UNKEYED',
      'PROJECTION_FORGED',
    ]);
    const upgraded = setup({ store: legacy, unkeyedBefore: '2026-03-02T02:00:00Z' });
    expect(await upgraded.engine.verify(caseId)).toEqual({ ok: true, problems: [] });
    expect(await upgraded.engine.get(caseId, A.registrar)).toMatchObject({ caseId });
    // a case dated after the upgrade has no excuse
    const early = setup({ store: legacy, unkeyedBefore: '2026-03-02T00:00:00Z' });
    expect((await early.engine.verify(caseId)).problems.map((p) => p.code)).toEqual([
      'EVENT_UNKEYED',
      'PROJECTION_FORGED',
    ]);
  });

  it('finds an unkeyed event after a keyed one, whatever its date', async () => {
    const inner = createMemoryStore();
    const { engine, submit } = setup({ store: inner });
    const { caseId } = await submit();
    await engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
    // the writer strips the MAC off the second event only
    const stripped: CaseStore = {
      ...inner,
      capabilities: inner.capabilities,
      events: async (id, from) =>
        (await inner.events(id, from)).map((e) => {
          if (e.seq !== 2) return e;
          const { mac: _, ...rest } = e;
          return rest as CaseEvent;
        }),
    };
    const late = setup({ store: stripped, unkeyedBefore: '2030-01-01T00:00:00Z' });
    expect((await late.engine.verify(caseId)).problems.map((p) => [p.seq, p.code])).toEqual([
      [2, 'EVENT_UNKEYED'],
    ]);
  });
});

describe('keyed checkpoints', () => {
  it('sign the heads with a count and root per jurisdiction; an edited checkpoint fails its MAC or root', async () => {
    const { engine, submit } = setup();
    const one = await submit();
    const two = await submit();
    const cp = await engine.checkpoint();
    expect(cp.entries.map((e) => [e.caseId, e.version])).toEqual([
      [one.caseId, 1],
      [two.caseId, 1],
    ]);
    expect(Object.values(cp.jurisdictions).map((j) => j.count)).toEqual([2]);
    expect(cp.at).toBe('2026-03-02T01:00:00.000Z');
    expect(await engine.verifyCheckpoint(cp)).toEqual({ ok: true, problems: [] });

    // dropping a case from the list (to hide it) breaks the root and the MAC
    const fewer: CaseCheckpoint = { ...cp, entries: cp.entries.slice(1) };
    expect((await engine.verifyCheckpoint(fewer)).problems.map((p) => p.code)).toEqual(['SIGNATURE', 'ROOT']);
    // a checkpoint made under another key is not this engine's
    const other = setup({ store: createMemoryStore(), integrityKeys: { current: NEW } });
    const foreign = await other.engine.checkpoint();
    expect((await engine.verifyCheckpoint(foreign)).problems.map((p) => p.code)).toContain('KEY_UNKNOWN');
    expect(await engine.verifyCheckpoint({ format: 'nope' } as unknown as CaseCheckpoint)).toMatchObject({
      ok: false,
      problems: [{ code: 'FORMAT' }],
    });
  });

  it('follow cases that moved on since, checked at the version they list; later cases are the MACs’ to vouch for', async () => {
    const { engine, submit, clock } = setup();
    const { caseId } = await submit();
    clock.advance(60_000);
    const cp = await engine.checkpoint();
    await engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
    // created at the checkpoint's very instant, and after it: neither is the checkpoint's to list
    await submit();
    clock.advance(60_000);
    await submit();
    expect(await engine.verifyCheckpoint(cp)).toEqual({ ok: true, problems: [] });
  });
});

describe('a stored config edited in the database', () => {
  it('refuses its cases (STORED_CONFIG_TAMPERED, alarm) while tick and query go on with the others', async () => {
    const inner = createMemoryStore();
    const v1 = nationalConfig();
    const v2 = { ...v1, jurisdiction: { ...v1.jurisdiction, version: `${v1.jurisdiction.version}-b` } };
    const pinnedToV2 = (await setup({ store: inner, configs: [v2] }).submit()).caseId;
    const other = (await setup({ store: inner, configs: [v1] }).submit()).caseId;
    const hash = (await inner.getCase(pinnedToV2))?.configHash as string;
    // the writer widens the second version in the configs table
    const edited: CaseStore = {
      ...inner,
      capabilities: inner.capabilities,
      getConfig: async (h) => {
        const c = await inner.getConfig(h);
        return h === hash && c ? { ...c, roles: { ...(c.roles as object), intruder: {} } } : c;
      },
    };
    const alarms: IntegrityAlarm[] = [];
    const { engine, clock } = setup({
      store: edited,
      configs: [v1],
      onIntegrityAlarm: (a) => alarms.push(a),
    });
    expect(await codeOf(engine.get(pinnedToV2, A.registrar))).toBe('STORED_CONFIG_TAMPERED');
    expect((await engine.query({}, A.registrar)).cases.map((c) => c.caseId)).toEqual([other]);
    // both were registered on 2026-03-02: disposal (15 days, Reg. 22) is over on the 18th
    clock.set('2026-03-18T09:00:00+08:00');
    expect((await engine.tick()).map((f) => [f.caseId, f.deadlineId])).toEqual([[other, 'disposal']]);
    expect((await inner.events(pinnedToV2)).length).toBe(1);
    expect(alarms.every((a) => a.source === 'config' && a.configHash === hash)).toBe(true);
    expect(alarms.length).toBeGreaterThanOrEqual(3);
    expect((await engine.verify(pinnedToV2)).problems.map((p) => p.code)).toEqual(['CONFIG_TAMPERED']);
  });
});

describe('verifyAll', () => {
  it('verifies the store page by page, reporting and alarming the cases with problems', async () => {
    const inner = createMemoryStore();
    const { engine, submit } = setup({ store: inner });
    const ids = [(await submit()).caseId, (await submit()).caseId, (await submit()).caseId];
    const alarms: IntegrityAlarm[] = [];
    // the second case's deadline row is stopped behind the engine's back
    const edited: CaseStore = {
      ...inner,
      capabilities: inner.capabilities,
      deadlines: async (id) =>
        (await inner.deadlines(id)).map((r) => (id === ids[1] ? { ...r, status: 'stopped' as const } : r)),
    };
    const sweeping = setup({ store: edited, onIntegrityAlarm: (a) => alarms.push(a) }).engine;
    const first = await sweeping.verifyAll({ limit: 2 });
    expect(first).toEqual({
      checked: 2,
      failed: [{ caseId: ids[1], problems: [expect.objectContaining({ code: 'DEADLINE_MISMATCH' })] }],
      next: ids[1],
    });
    expect(await sweeping.verifyAll({ after: first.next, limit: 2 })).toEqual({ checked: 1, failed: [] });
    expect(alarms.map((a) => [a.source, a.caseId])).toEqual([['verify', ids[1]]]);
    expect(await engine.verifyAll()).toEqual({ checked: 3, failed: [] });
  });
});

describe('the alarm', () => {
  it('never turns a refusal into another error when the hook throws', async () => {
    const inner = createMemoryStore();
    const { caseId } = await setup({ store: inner }).submit();
    const { engine } = setup({
      store: unkeyedView(inner),
      onIntegrityAlarm: () => {
        throw new Error('the pager is down');
      },
    });
    expect(await codeOf(engine.get(caseId, A.registrar))).toBe('INTEGRITY_VIOLATION');
  });
});
