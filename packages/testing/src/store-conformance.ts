/**
 * The one test suite every `CaseStore` runs: the in-memory store, SQLite, PostgreSQL and a
 * province's own. A bug found in one store becomes a case here, so every store gets it.
 */

import {
  type CaseQuery,
  type CaseStore,
  type ErrorCode,
  PROJECTION_COLUMNS,
  PROJECTION_DOCUMENT_COLUMN,
} from '@xinfang/core/store-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FIXTURE_EPOCH,
  hashEvent,
  largePayload,
  makeBatch,
  makeDeadline,
  makeEvent,
  makeIdempotency,
  makeOutboxRow,
  minutesAfter,
  nextBatch,
  seedCase,
} from './store-fixtures.js';

/** What a store factory hands the suite for one test. */
export interface StoreUnderTest {
  store: CaseStore;
  /** Removes what the store left behind (a temp file, a schema). Called after `store.close()`. */
  cleanup?: () => Promise<void>;
  /**
   * Opens the same data again, as a restarted process would. The suite closes the current store
   * first. Without it, the cases about surviving a restart are skipped.
   */
  reopen?: () => Promise<CaseStore>;
  /**
   * Opens a second handle on the same data while the first stays open, as another process would.
   * Without it, or without `capabilities.multiProcess`, the cases about sharing are skipped.
   */
  connect?: () => Promise<CaseStore>;
}

const DAY = 24 * 60;

async function refusal(promise: Promise<unknown>): Promise<{ code?: ErrorCode; details?: object }> {
  let caught: unknown;
  try {
    await promise;
  } catch (e) {
    caught = e;
  }
  expect(caught, 'the call should have been refused').toBeInstanceOf(Error);
  return caught as { code?: ErrorCode; details?: object };
}

/** Everything a store holds about `caseIds` and the idempotency `keys`: to show nothing changed. */
async function snapshot(store: CaseStore, caseIds: string[], keys: string[] = []) {
  return {
    cases: await Promise.all(caseIds.map((id) => store.getCase(id))),
    events: await Promise.all(caseIds.map((id) => store.events(id))),
    deadlines: await Promise.all(caseIds.map((id) => store.deadlines(id))),
    outbox: await store.outbox(),
    idempotency: await Promise.all(keys.map((key) => store.getIdempotency(key))),
  };
}

/**
 * Registers the conformance suite for one store. `makeStore` is called once per test (and once
 * at collection, to read the store's capabilities), each time for an empty store.
 *
 * @example
 * storeConformance('sqlite file', async () => {
 *   const dir = await mkdtemp(join(tmpdir(), 'xinfang-'));
 *   const path = join(dir, 'cases.db');
 *   return {
 *     store: createSqliteStore({ path }),
 *     reopen: async () => createSqliteStore({ path }),
 *     cleanup: () => rm(dir, { recursive: true, force: true }),
 *   };
 * });
 */
export function storeConformance(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`CaseStore conformance: ${name}`, async () => {
    // Capabilities decide, at collection time, which cases are skipped, so read them first.
    const probe = await makeStore();
    const capabilities = { ...probe.store.capabilities };
    const canReopen = probe.reopen !== undefined;
    const canConnect = probe.connect !== undefined;
    await probe.store.close();
    await probe.cleanup?.();

    /** A case the store cannot do is skipped under a name that says why. */
    function itIf(able: boolean, reason: string, title: string, fn: () => Promise<void>) {
      it.skipIf(!able)(able ? title : `${title} [skipped: ${reason}]`, fn);
    }
    const reopenReason = !capabilities.durable
      ? 'capabilities.durable is false'
      : 'the factory gives no reopen()';
    const connectReason = !capabilities.multiProcess
      ? 'capabilities.multiProcess is false'
      : 'the factory gives no connect()';

    let current: StoreUnderTest;
    let store: CaseStore;
    const others: CaseStore[] = [];

    beforeEach(async () => {
      current = await makeStore();
      store = current.store;
    });

    afterEach(async () => {
      for (const other of others.splice(0)) await other.close();
      await store.close();
      await current.cleanup?.();
    });

    async function reopen(): Promise<CaseStore> {
      await store.close();
      store = await (current.reopen as () => Promise<CaseStore>)();
      return store;
    }

    async function connect(): Promise<CaseStore> {
      const other = await (current.connect as () => Promise<CaseStore>)();
      others.push(other);
      return other;
    }

    it('declares its capabilities', async () => {
      expect(typeof capabilities.durable).toBe('boolean');
      expect(typeof capabilities.multiProcess).toBe('boolean');
      expect(store.capabilities).toEqual(capabilities);
    });

    describe('append and load', () => {
      it('round-trips a new case: events, projection, deadlines, outbox rows, idempotency record', async () => {
        const batch = makeBatch('case-1', {
          count: 3,
          deadlines: [makeDeadline('case-1')],
          outbox: [makeOutboxRow('case-1', 3)],
          idempotency: makeIdempotency('submit-1', 'case-1'),
        });
        const result = await store.append(batch);
        expect(result).toEqual({ duplicate: false, version: 3, idempotency: batch.idempotency });
        expect(await store.getCase('case-1')).toEqual(batch.projection);
        expect(await store.events('case-1')).toEqual(batch.events);
        expect(await store.deadlines('case-1')).toEqual(batch.deadlines);
        expect(await store.outbox({ caseId: 'case-1' })).toEqual(batch.outbox);
        expect(await store.getIdempotency('submit-1')).toEqual(batch.idempotency);
      });

      it('continues a case batch after batch, replacing its projection, and reads from a seq', async () => {
        const first = await seedCase(store, 'case-1', { count: 2 });
        const second = nextBatch(first, { count: 3, projection: { state: 'accepted', stage: 'handling' } });
        expect(await store.append(second)).toMatchObject({ duplicate: false, version: 5 });
        expect(await store.getCase('case-1')).toEqual(second.projection);
        expect((await store.events('case-1')).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
        expect(await store.events('case-1', 4)).toEqual(second.events.slice(1));
        expect(await store.events('case-1', 6)).toEqual([]);
      });

      it('reports the copies it keeps beside a case (caseColumns) as the store kit derives them', async () => {
        if (!store.caseColumns) return; // a store that filters its documents themselves keeps no copies
        const first = await seedCase(store, 'case-1', {
          projection: { readers: ['unit-b', 'unit-a'], data: { petitionerId: 'p-1' } },
          deadlines: [makeDeadline('case-1', 1, { dueAt: '2026-03-18T00:00:00+08:00' })],
        });
        const second = nextBatch(first, {
          projection: {
            state: 'accepted',
            stage: 'handling',
            colour: 'red',
            responsibleUnit: 'unit-c',
            readers: ['unit-c'],
          },
          deadlines: [makeDeadline('case-1', 1, { status: 'stopped' })],
        });
        await store.append(second);
        const p = second.projection;
        const columns = Object.fromEntries(
          PROJECTION_COLUMNS.filter((c) => c !== PROJECTION_DOCUMENT_COLUMN).map((c) => [c.name, c.value(p)]),
        );
        expect(await store.caseColumns('case-1')).toEqual({
          columns,
          readers: ['unit-c'],
          deadlines: [{ id: 'case-1:disposal:1', status: 'stopped', dueAt: '2026-03-17T16:00:00.000Z' }],
        });
        expect(await store.caseColumns('nope')).toBeUndefined();
      });

      it('answers an unknown case, key, config and row with nothing', async () => {
        expect(await store.getCase('nope')).toBeUndefined();
        expect(await store.events('nope')).toEqual([]);
        expect(await store.deadlines('nope')).toEqual([]);
        expect(await store.outbox({ caseId: 'nope' })).toEqual([]);
        expect(await store.getIdempotency('nope')).toBeUndefined();
        expect(await store.getConfig('nope')).toBeUndefined();
      });

      it('keeps Chinese text, emoji and escapes exactly, in ids as in payloads', async () => {
        const caseId = '京信-2026-第0001号';
        const text = '关于拖欠农民工工资的信访事项 — “请依法处理” 🏛️ \u0000\n\t\\"';
        const batch = makeBatch(caseId, {
          each: () => ({ actor: { id: '张三', role: 'petitioner', name: '张三' }, payload: { 诉求: text } }),
          projection: { responsibleUnit: '北京市信访局', data: { 标题: text, 附件: ['材料一', '材料二'] } },
          deadlines: [makeDeadline(caseId, 1, { explanation: { 说明: '十五日内告知' } })],
          outbox: [makeOutboxRow(caseId, 1, 1, { recipient: '张三', payload: { 正文: text } })],
        });
        await store.append(batch);
        expect(await store.getCase(caseId)).toEqual(batch.projection);
        expect(await store.events(caseId)).toEqual(batch.events);
        expect(await store.deadlines(caseId)).toEqual(batch.deadlines);
        expect(await store.outbox({ caseId })).toEqual(batch.outbox);
        expect(await store.query({ unit: '北京市信访局' })).toEqual([batch.projection]);
      });

      it('keeps 1 MB payloads in an event, a projection and an outbox row', async () => {
        const big = largePayload(1_048_576);
        const batch = makeBatch('case-big', {
          each: () => ({ payload: big }),
          projection: { data: big },
          outbox: [makeOutboxRow('case-big', 1, 1, { payload: big })],
        });
        await store.append(batch);
        const [event] = await store.events('case-big');
        expect(event?.payload).toEqual(big);
        expect(event?.hash).toBe(hashEvent(batch.events[0]!));
        expect((await store.getCase('case-big'))?.data).toEqual(big);
        expect((await store.outbox({ caseId: 'case-big' }))[0]?.payload).toEqual(big);
      });

      it('hands out copies: mutating what went in or came out changes nothing stored', async () => {
        const batch = makeBatch('case-1', {
          deadlines: [makeDeadline('case-1')],
          outbox: [makeOutboxRow('case-1', 1)],
        });
        const pristine = structuredClone(batch);
        await store.append(batch);
        batch.projection.data.tampered = true;
        (batch.events[0] as { payload: Record<string, unknown> }).payload.tampered = true;
        const projection = await store.getCase('case-1');
        if (projection) projection.state = 'tampered';
        const [event] = await store.events('case-1');
        if (event) event.type = 'TAMPERED';
        const [deadline] = await store.deadlines('case-1');
        if (deadline) deadline.status = 'fired';
        const [row] = await store.outbox();
        if (row) row.status = 'dead';
        expect(await store.getCase('case-1')).toEqual(pristine.projection);
        expect(await store.events('case-1')).toEqual(pristine.events);
        expect(await store.deadlines('case-1')).toEqual(pristine.deadlines);
        expect(await store.outbox()).toEqual(pristine.outbox);
      });
    });

    describe('optimistic concurrency and refused batches', () => {
      it('refuses a stale expectedVersion with CONCURRENCY_CONFLICT and writes nothing', async () => {
        const first = await seedCase(store, 'case-1', {
          deadlines: [makeDeadline('case-1')],
          outbox: [makeOutboxRow('case-1', 1)],
        });
        await store.append(nextBatch(first));
        const before = await snapshot(store, ['case-1'], ['stale-key']);
        const stale = nextBatch(first, {
          count: 2,
          projection: { stage: 'handling' },
          deadlines: [makeDeadline('case-1', 1, { status: 'fired' }), makeDeadline('case-1', 2)],
          outbox: [makeOutboxRow('case-1', 2, 7)],
          idempotency: makeIdempotency('stale-key', 'case-1'),
        });
        const e = await refusal(store.append(stale));
        expect(e.code).toBe('CONCURRENCY_CONFLICT');
        expect(e.details).toEqual({ caseId: 'case-1', expected: 1, actual: 2 });
        expect(await snapshot(store, ['case-1'], ['stale-key'])).toEqual(before);
      });

      it('refuses to create a case that exists (expectedVersion 0)', async () => {
        await seedCase(store, 'case-1');
        const e = await refusal(store.append(makeBatch('case-1')));
        expect(e).toMatchObject({ code: 'CONCURRENCY_CONFLICT', details: { expected: 0, actual: 1 } });
      });

      it('refuses to continue a case that does not exist', async () => {
        const e = await refusal(store.append(makeBatch('ghost', { expectedVersion: 3 })));
        expect(e).toMatchObject({
          code: 'CONCURRENCY_CONFLICT',
          details: { caseId: 'ghost', expected: 3, actual: 0 },
        });
        expect(await store.getCase('ghost')).toBeUndefined();
      });

      it('refuses a batch whose seqs have a gap, writing nothing', async () => {
        const first = await seedCase(store, 'case-1');
        const before = await snapshot(store, ['case-1']);
        const gap = nextBatch(first, { count: 3, outbox: [makeOutboxRow('case-1', 2)] });
        gap.events.splice(1, 1); // seqs 2, 4
        gap.projection.version = 4;
        expect((await refusal(store.append(gap))).code).toBe('STORE_INVALID_INPUT');
        const late = makeBatch('case-1', { expectedVersion: 1, count: 1, each: () => ({ seq: 3 }) });
        late.projection.version = 2;
        expect((await refusal(store.append(late))).code).toBe('STORE_INVALID_INPUT');
        expect(await snapshot(store, ['case-1'])).toEqual(before);
      });

      it('refuses a new case without events, a projection not at the last seq, rows of another case', async () => {
        const before = await snapshot(store, ['case-1', 'case-2']);
        const wrongVersion = makeBatch('case-1', { count: 2, projection: { version: 1 } });
        expect((await refusal(store.append(wrongVersion))).code).toBe('STORE_INVALID_INPUT');
        const foreignRow = makeBatch('case-1', { deadlines: [makeDeadline('case-2')] });
        expect((await refusal(store.append(foreignRow))).code).toBe('STORE_INVALID_INPUT');
        const foreignEvent = makeBatch('case-1');
        foreignEvent.events[0] = makeEvent('case-2', 1);
        expect((await refusal(store.append(foreignEvent))).code).toBe('STORE_INVALID_INPUT');
        const emptyNewCase = makeBatch('case-1');
        emptyNewCase.events = [];
        emptyNewCase.projection.version = 0;
        expect((await refusal(store.append(emptyNewCase))).code).toBe('STORE_INVALID_INPUT');
        const badInstant = makeBatch('case-1', { deadlines: [makeDeadline('case-1', 1, { dueAt: 'soon' })] });
        expect((await refusal(store.append(badInstant))).code).toBe('STORE_INVALID_INPUT');
        expect(await snapshot(store, ['case-1', 'case-2'])).toEqual(before);
      });

      it('takes a batch of rows alone for an existing case, still checking its version', async () => {
        const first = await seedCase(store, 'case-1', { deadlines: [makeDeadline('case-1')] });
        await store.claimDueDeadlines('2026-03-20T00:00:00.000Z', { owner: 'a', leaseMs: 60_000 });
        const stopped = makeDeadline('case-1', 1, { status: 'stopped' });
        const rowsOnly = {
          ...nextBatch(first),
          events: [],
          projection: first.projection,
          deadlines: [stopped],
        };
        expect(await store.append(rowsOnly)).toMatchObject({ duplicate: false, version: 1 });
        expect(await store.deadlines('case-1')).toEqual([stopped]);
        expect(await store.events('case-1')).toEqual(first.events);
        const moved = { ...rowsOnly, projection: { ...first.projection, version: 2 } };
        expect((await refusal(store.append(moved))).code).toBe('STORE_INVALID_INPUT');
        await store.append(nextBatch(first));
        expect((await refusal(store.append(rowsOnly))).code).toBe('CONCURRENCY_CONFLICT');
      });

      it('refuses an outbox row id already stored, or a deadline id of another case, writing nothing', async () => {
        const a = await seedCase(store, 'case-a', {
          outbox: [makeOutboxRow('case-a', 1, 1, { id: 'msg-1' })],
          deadlines: [makeDeadline('case-a', 1, { id: 'dl-1' })],
        });
        await seedCase(store, 'case-b');
        const before = await snapshot(store, ['case-a', 'case-b']);
        const reusedOutbox = nextBatch(a, { outbox: [makeOutboxRow('case-a', 2, 1, { id: 'msg-1' })] });
        expect((await refusal(store.append(reusedOutbox))).code).toBe('STORE_INVALID_INPUT');
        const b = makeBatch('case-b', {
          expectedVersion: 1,
          deadlines: [makeDeadline('case-b', 1, { id: 'dl-1' })],
        });
        expect((await refusal(store.append(b))).code).toBe('STORE_INVALID_INPUT');
        expect(await snapshot(store, ['case-a', 'case-b'])).toEqual(before);
      });
    });

    describe('idempotency', () => {
      it('returns the first result for a repeated key with the same fingerprint, writing nothing', async () => {
        const record = makeIdempotency('cmd-1', 'case-1', { result: { accepted: true, version: 1 } });
        const first = makeBatch('case-1', { idempotency: record, outbox: [makeOutboxRow('case-1', 1)] });
        await store.append(first);
        const later = nextBatch(first);
        await store.append(later);
        const before = await snapshot(store, ['case-1'], ['cmd-1']);
        // A client retrying after a lost reply resends the same command, now stale.
        const retry = makeBatch('case-1', { idempotency: record, outbox: [makeOutboxRow('case-1', 1, 2)] });
        expect(await store.append(retry)).toEqual({ duplicate: true, version: 2, idempotency: record });
        expect(await snapshot(store, ['case-1'], ['cmd-1'])).toEqual(before);
      });

      it('returns the original case when a retried submission names a new case id', async () => {
        const record = makeIdempotency('submit-1', 'case-a', { fingerprint: 'petition-hash' });
        await store.append(makeBatch('case-a', { idempotency: record }));
        const retry = makeBatch('case-b', {
          idempotency: makeIdempotency('submit-1', 'case-b', { fingerprint: 'petition-hash' }),
        });
        expect(await store.append(retry)).toEqual({ duplicate: true, version: 1, idempotency: record });
        expect(await store.getCase('case-b')).toBeUndefined();
      });

      it('refuses the same key with a different fingerprint (IDEMPOTENCY_CONFLICT), writing nothing', async () => {
        const first = await seedCase(store, 'case-1', { idempotency: makeIdempotency('cmd-1', 'case-1') });
        const before = await snapshot(store, ['case-1'], ['cmd-1']);
        const other = nextBatch(first, {
          idempotency: makeIdempotency('cmd-1', 'case-1', { fingerprint: 'another-request' }),
        });
        const e = await refusal(store.append(other));
        expect(e).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT', details: { key: 'cmd-1' } });
        expect(await snapshot(store, ['case-1'], ['cmd-1'])).toEqual(before);
      });
    });

    describe('queries', () => {
      const inDays = (days: number) => minutesAfter(days * DAY);
      /** Five cases across jurisdictions, stages, colours and units; returns the first one's batch. */
      async function seedBoard() {
        const c01 = await seedCase(store, 'c01', {
          projection: { jurisdictionId: 'J1', responsibleUnit: 'U1', identityKey: 'I1', matterKey: 'M1' },
          deadlines: [makeDeadline('c01', 1, { dueAt: inDays(1) })],
        });
        await seedCase(store, 'c02', {
          projection: {
            jurisdictionId: 'J1',
            stage: 'handling',
            state: 'accepted',
            colour: 'red',
            responsibleUnit: 'U2',
            identityKey: 'I1',
            matterKey: 'M2',
          },
          deadlines: [makeDeadline('c02', 1, { dueAt: inDays(20) })],
        });
        await seedCase(store, 'c03', {
          projection: {
            jurisdictionId: 'J2',
            stage: 'handling',
            state: 'accepted',
            colour: 'blue',
            responsibleUnit: 'U1',
            identityKey: 'I2',
            matterKey: 'M1',
          },
          deadlines: [makeDeadline('c03', 1, { dueAt: inDays(1), status: 'paused' })],
        });
        await seedCase(store, 'c04', {
          projection: {
            jurisdictionId: 'J2',
            stage: 'closed',
            state: 'closed',
            colour: 'blue',
            responsibleUnit: 'U2',
            identityKey: 'I2',
          },
          deadlines: [makeDeadline('c04', 1, { dueAt: inDays(-5), status: 'fired' })],
        });
        await seedCase(store, 'c05', {
          projection: {
            stage: 'review',
            state: 'in-review',
            jurisdictionId: 'J1',
            responsibleUnit: undefined,
          },
          deadlines: [
            makeDeadline('c05', 1, { dueAt: inDays(1) }),
            makeDeadline('c05', 2, { dueAt: inDays(-9), status: 'stopped' }),
          ],
        });
        return c01;
      }
      const ids = async (query: Parameters<CaseStore['query']>[0]) =>
        (await store.query(query)).map((p) => p.caseId);

      it('lists every case in case-id order without filters', async () => {
        await seedBoard();
        expect(await ids({})).toEqual(['c01', 'c02', 'c03', 'c04', 'c05']);
        expect(await store.query({ colour: 'red' })).toEqual([
          expect.objectContaining({ caseId: 'c02', colour: 'red', responsibleUnit: 'U2' }),
        ]);
      });

      it('filters by jurisdiction', async () => {
        await seedBoard();
        expect(await ids({ jurisdictionId: 'J1' })).toEqual(['c01', 'c02', 'c05']);
        expect(await ids({ jurisdictionId: 'J9' })).toEqual([]);
      });

      it('filters by stage, one or several', async () => {
        await seedBoard();
        expect(await ids({ stage: 'handling' })).toEqual(['c02', 'c03']);
        expect(await ids({ stage: ['registration', 'review'] })).toEqual(['c01', 'c05']);
        expect(await ids({ stage: [] })).toEqual([]);
      });

      it('filters by state, one or several', async () => {
        await seedBoard();
        expect(await ids({ state: 'accepted' })).toEqual(['c02', 'c03']);
        expect(await ids({ state: ['closed', 'in-review'] })).toEqual(['c04', 'c05']);
      });

      it('filters by colour, one or several', async () => {
        await seedBoard();
        expect(await ids({ colour: 'blue' })).toEqual(['c03', 'c04']);
        expect(await ids({ colour: ['green', 'red'] })).toEqual(['c01', 'c02', 'c05']);
      });

      it('filters by responsible unit', async () => {
        await seedBoard();
        expect(await ids({ unit: 'U1' })).toEqual(['c01', 'c03']);
        expect(await ids({ unit: 'U2' })).toEqual(['c02', 'c04']);
      });

      it('filters by a running deadline due strictly before an instant, in any offset', async () => {
        await seedBoard();
        // Paused, fired and stopped deadlines do not count, however early they fell due.
        expect(await ids({ dueBefore: inDays(2) })).toEqual(['c01', 'c05']);
        expect(await ids({ dueBefore: inDays(1) })).toEqual([]);
        expect(await ids({ dueBefore: inDays(30) })).toEqual(['c01', 'c02', 'c05']);
        const offset = '2026-03-04T09:00:00+08:00'; // = 2026-03-04T01:00Z, two days after the epoch
        expect(await ids({ dueBefore: offset })).toEqual(['c01', 'c05']);
      });

      it('combines the deadline filter with the others and with paging, listing each case once', async () => {
        await seedBoard();
        // A second running deadline, also overdue: the case is still listed once.
        await seedCase(store, 'c06', {
          projection: { colour: 'red', identityKey: 'I1' },
          deadlines: [
            makeDeadline('c06', 1, { dueAt: inDays(1) }),
            makeDeadline('c06', 1, { deadlineId: 'handling', dueAt: inDays(1.5) }),
          ],
        });
        expect(await ids({ dueBefore: inDays(2) })).toEqual(['c01', 'c05', 'c06']);
        expect(await ids({ dueBefore: inDays(2), limit: 2 })).toEqual(['c01', 'c05']);
        expect(await ids({ dueBefore: inDays(30), after: 'c01' })).toEqual(['c02', 'c05', 'c06']);
        expect(await ids({ dueBefore: inDays(30), after: 'c01', limit: 1 })).toEqual(['c02']);
        expect(await ids({ dueBefore: inDays(2), colour: 'red' })).toEqual(['c06']);
        expect(await ids({ dueBefore: inDays(2), stage: ['registration', 'review'] })).toEqual([
          'c01',
          'c05',
          'c06',
        ]);
        // By a petitioner's or a matter's key, with and without paging.
        expect(await ids({ dueBefore: inDays(30), identityKey: 'I1' })).toEqual(['c01', 'c02', 'c06']);
        expect(await ids({ dueBefore: inDays(30), identityKey: 'I1', after: 'c01' })).toEqual(['c02', 'c06']);
        expect(await ids({ dueBefore: inDays(2), matterKey: 'M1' })).toEqual(['c01']);
        expect(await ids({ dueBefore: inDays(2), unit: 'nowhere' })).toEqual([]);
      });

      it('filters by normalised identity and matter key (a petitioner’s cases, repeat petitions)', async () => {
        await seedBoard();
        expect(await ids({ identityKey: 'I1' })).toEqual(['c01', 'c02']);
        expect(await ids({ matterKey: 'M1' })).toEqual(['c01', 'c03']);
        expect(await ids({ identityKey: 'I2', matterKey: 'M1' })).toEqual(['c03']);
      });

      it('combines filters with AND and follows replaced projections', async () => {
        const first = await seedBoard();
        expect(await ids({ jurisdictionId: 'J1', stage: 'handling', unit: 'U2', colour: 'red' })).toEqual([
          'c02',
        ]);
        expect(await ids({ jurisdictionId: 'J2', colour: 'green' })).toEqual([]);
        await store.append(
          nextBatch(first, {
            projection: {
              stage: 'handling',
              state: 'accepted',
              colour: 'red',
              responsibleUnit: 'U2',
              jurisdictionId: 'J1',
            },
            deadlines: [makeDeadline('c01', 1, { dueAt: inDays(1), status: 'stopped' })],
          }),
        );
        expect(await ids({ stage: 'registration' })).toEqual([]);
        expect(await ids({ colour: 'red', unit: 'U2' })).toEqual(['c01', 'c02']);
        expect(await ids({ dueBefore: inDays(2) })).toEqual(['c05']);
      });

      it('pages by case id with `after` and `limit`, each case exactly once', async () => {
        for (let i = 0; i < 25; i++) await seedCase(store, `p${String(i).padStart(3, '0')}`);
        const seen: string[] = [];
        let after: string | undefined;
        for (;;) {
          const page = await ids({ limit: 10, ...(after === undefined ? {} : { after }) });
          if (page.length === 0) break;
          expect(page.length).toBeLessThanOrEqual(10);
          seen.push(...page);
          after = page.at(-1);
        }
        expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `p${String(i).padStart(3, '0')}`));
        expect(await ids({ after: 'p020', stage: 'registration' })).toEqual(['p021', 'p022', 'p023', 'p024']);
      });

      it('returns nothing for a limit of 0', async () => {
        await seedBoard();
        expect(await ids({ limit: 0 })).toEqual([]);
        expect(await ids({ limit: 0, dueBefore: inDays(30) })).toEqual([]);
      });

      it('refuses a malformed query with STORE_INVALID_INPUT: a bad limit or instant, an unknown field', async () => {
        await seedBoard();
        for (const query of [
          { limit: -1 },
          { limit: 1.5 },
          { dueBefore: 'next week' },
          { colours: 'red' },
          { stage: 3 },
        ] as unknown as CaseQuery[]) {
          expect((await refusal(store.query(query))).code, JSON.stringify(query)).toBe('STORE_INVALID_INPUT');
        }
      });

      it('returns 100 cases a page by default', async () => {
        for (let i = 0; i < 105; i++) await seedCase(store, `d${String(i).padStart(3, '0')}`);
        const page = await ids({});
        expect(page).toHaveLength(100);
        expect(page.at(-1)).toBe('d099');
      });
    });

    describe('reads scoped to the viewer (readableBy)', () => {
      const inDays = (days: number) => minutesAfter(days * DAY);
      /**
       * Seven cases: readers of one or two units, none, absent (the responsible and registering
       * units read it), repeated; petitioners shared, absent, not a string.
       */
      async function seedReaders() {
        const r01 = await seedCase(store, 'r01', {
          projection: { readers: ['U1', 'U2'], data: { petitionerId: 'p1' } },
          deadlines: [makeDeadline('r01', 1, { dueAt: inDays(1) })],
        });
        const r02 = await seedCase(store, 'r02', {
          projection: { readers: ['U2'], stage: 'handling', data: { petitionerId: 'p2' } },
        });
        await seedCase(store, 'r03', {
          projection: { readers: [], data: { petitionerId: 'p1' } },
          deadlines: [makeDeadline('r03', 1, { dueAt: inDays(1) })],
        });
        await seedCase(store, 'r04', { projection: { readers: ['U3'], colour: 'red', data: {} } });
        await seedCase(store, 'r05', {
          projection: {
            readers: undefined,
            responsibleUnit: 'U4',
            data: { registeringUnit: 'U5', petitionerId: 'p3' },
          },
        });
        await seedCase(store, 'r06', {
          projection: { readers: ['U1'], responsibleUnit: 'U9', colour: 'red', data: { petitionerId: 7 } },
          deadlines: [makeDeadline('r06', 1, { dueAt: inDays(1) })],
        });
        await seedCase(store, 'r07', { projection: { readers: ['U1', 'U1', 'U6'], data: {} } });
        return { r01, r02 };
      }
      const ids = async (query: Parameters<CaseStore['query']>[0]) =>
        (await store.query(query)).map((p) => p.caseId);
      const units = (...u: string[]) => ({ units: u });

      it('lists the cases one of whose readers is among the units, each once', async () => {
        await seedReaders();
        expect(await ids({ readableBy: units('U1') })).toEqual(['r01', 'r06', 'r07']);
        expect(await ids({ readableBy: units('U2') })).toEqual(['r01', 'r02']);
        expect(await ids({ readableBy: units('U1', 'U2') })).toEqual(['r01', 'r02', 'r06', 'r07']);
        expect(await ids({ readableBy: units('U2', 'U1', 'U2', 'U6') })).toEqual([
          'r01',
          'r02',
          'r06',
          'r07',
        ]);
        expect(await ids({ readableBy: units('U3') })).toEqual(['r04']);
        expect(await ids({ readableBy: units('U6') })).toEqual(['r07']);
        expect(await ids({ readableBy: units('nowhere') })).toEqual([]);
        // Readers, when the projection has them, are the whole list: its responsible unit is not.
        expect(await ids({ readableBy: units('U9') })).toEqual([]);
        expect(await ids({ readableBy: units('cn.test.bureau') })).toEqual([]);
      });

      it('lets a projection without readers be read by its responsible and registering units', async () => {
        await seedReaders();
        expect(await ids({ readableBy: units('U4') })).toEqual(['r05']);
        expect(await ids({ readableBy: units('U5') })).toEqual(['r05']);
        // A case stored without readers by a fixture: its responsible unit reads it.
        await seedCase(store, 'r08');
        expect(await ids({ readableBy: units('cn.test.bureau') })).toEqual(['r08']);
      });

      it('matches nothing for no units and no petitioner', async () => {
        await seedReaders();
        expect(await ids({ readableBy: units() })).toEqual([]);
        expect(await ids({ readableBy: { units: [], petitionerId: undefined } })).toEqual([]);
        expect(await ids({ readableBy: units(), colour: ['green', 'red'], limit: 50 })).toEqual([]);
      });

      it("lists a petitioner's own cases, alone or beside the units'", async () => {
        await seedReaders();
        expect(await ids({ readableBy: { units: [], petitionerId: 'p1' } })).toEqual(['r01', 'r03']);
        expect(await ids({ readableBy: { units: [], petitionerId: 'p3' } })).toEqual(['r05']);
        expect(await ids({ readableBy: { units: ['U3'], petitionerId: 'p1' } })).toEqual([
          'r01',
          'r03',
          'r04',
        ]);
        expect(await ids({ readableBy: { units: ['U2'], petitionerId: 'p1' } })).toEqual([
          'r01',
          'r02',
          'r03',
        ]);
        expect(await ids({ readableBy: { units: [], petitionerId: 'nobody' } })).toEqual([]);
        // Only a string is a petitioner id.
        expect(await ids({ readableBy: { units: [], petitionerId: '7' } })).toEqual([]);
        expect(await ids({ readableBy: { units: [], petitionerId: '' } })).toEqual([]);
      });

      it('combines with the other filters by AND', async () => {
        await seedReaders();
        const all = units('U1', 'U2', 'U3', 'U4');
        expect(await ids({ readableBy: all, colour: 'red' })).toEqual(['r04', 'r06']);
        expect(await ids({ readableBy: units('U1'), colour: 'red' })).toEqual(['r06']);
        expect(await ids({ readableBy: all, stage: 'handling' })).toEqual(['r02']);
        expect(
          await ids({ readableBy: { units: ['U2'], petitionerId: 'p1' }, stage: 'registration' }),
        ).toEqual(['r01', 'r03']);
        expect(await ids({ readableBy: all, unit: 'U4' })).toEqual(['r05']);
        expect(await ids({ readableBy: units('U2'), identityKey: 'id:r02' })).toEqual(['r02']);
        expect(await ids({ readableBy: units('U1'), identityKey: 'id:r02' })).toEqual([]);
        // With the deadline filter, on either path a store takes for it.
        expect(await ids({ readableBy: all, dueBefore: inDays(2) })).toEqual(['r01', 'r06']);
        expect(await ids({ readableBy: { units: [], petitionerId: 'p1' }, dueBefore: inDays(2) })).toEqual([
          'r01',
          'r03',
        ]);
        expect(await ids({ readableBy: units('U1'), dueBefore: inDays(2), identityKey: 'id:r06' })).toEqual([
          'r06',
        ]);
        expect(await ids({ readableBy: units('U2'), dueBefore: inDays(2), after: 'r01' })).toEqual([]);
      });

      it('pages with `after` and `limit`, each readable case exactly once', async () => {
        await seedReaders();
        const scope = { units: ['U1', 'U2', 'U4'], petitionerId: 'p1' };
        expect(await ids({ readableBy: scope, limit: 2 })).toEqual(['r01', 'r02']);
        expect(await ids({ readableBy: scope, after: 'r02', limit: 2 })).toEqual(['r03', 'r05']);
        expect(await ids({ readableBy: scope, after: 'r05', limit: 2 })).toEqual(['r06', 'r07']);
        expect(await ids({ readableBy: scope, after: 'r07' })).toEqual([]);
        expect(await ids({ readableBy: scope, limit: 0 })).toEqual([]);
      });

      it('follows replaced projections: new readers and a new petitioner replace the old', async () => {
        const { r01, r02 } = await seedReaders();
        await store.append(nextBatch(r02, { projection: { readers: ['U3'], data: { petitionerId: 'p1' } } }));
        await store.append(
          nextBatch(r01, { projection: { readers: undefined, responsibleUnit: 'U4', data: {} } }),
        );
        expect(await ids({ readableBy: units('U2') })).toEqual([]);
        expect(await ids({ readableBy: units('U3') })).toEqual(['r02', 'r04']);
        expect(await ids({ readableBy: units('U1') })).toEqual(['r06', 'r07']);
        expect(await ids({ readableBy: units('U4') })).toEqual(['r01', 'r05']);
        expect(await ids({ readableBy: { units: [], petitionerId: 'p1' } })).toEqual(['r02', 'r03']);
        expect((await store.getCase('r02'))?.readers).toEqual(['U3']);
        expect((await store.getCase('r01'))?.readers).toBeUndefined();
      });

      it('answers every scope exactly, over cases of many readers and petitioners', async () => {
        // A deterministic spread: case i is read by the units i % 5 and i % 7 name, unless it has
        // no readers (every ninth: then by its responsible unit), and belongs to petitioner i % 4.
        const unitOf = (n: number) => `u${n}`;
        const cases = Array.from({ length: 40 }, (_, i) => {
          const caseId = `m${String(i).padStart(2, '0')}`;
          const readers = i % 9 === 0 ? undefined : i % 11 === 0 ? [] : [unitOf(i % 5), unitOf(10 + (i % 7))];
          return { caseId, readers, responsibleUnit: unitOf(20 + (i % 3)), petitionerId: `p${i % 4}` };
        });
        for (const c of cases) {
          await seedCase(store, c.caseId, {
            projection: {
              readers: c.readers,
              responsibleUnit: c.responsibleUnit,
              colour: Number(c.caseId.slice(1)) % 2 ? 'red' : 'green',
              data: { petitionerId: c.petitionerId },
            },
          });
        }
        const scopes: { units: string[]; petitionerId?: string }[] = [
          { units: ['u0'] },
          { units: ['u1', 'u12'] },
          { units: ['u20'] },
          { units: ['u3', 'u21', 'u16'], petitionerId: 'p2' },
          { units: [], petitionerId: 'p0' },
          { units: ['u4', 'u10', 'u11', 'u22'], petitionerId: 'p9' },
        ];
        for (const scope of scopes) {
          const expected = cases
            .filter((c) => {
              const readers = c.readers ?? [c.responsibleUnit];
              return readers.some((u) => scope.units.includes(u)) || c.petitionerId === scope.petitionerId;
            })
            .map((c) => c.caseId);
          expect(await ids({ readableBy: scope, limit: 100 }), JSON.stringify(scope)).toEqual(expected);
          const red = expected.filter((id) => Number(id.slice(1)) % 2 === 1);
          expect(await ids({ readableBy: scope, colour: 'red' }), JSON.stringify(scope)).toEqual(red);
          // Paged three at a time, the pages make up the whole list.
          const seen: string[] = [];
          let after: string | undefined;
          for (;;) {
            const page = await ids({
              readableBy: scope,
              limit: 3,
              ...(after === undefined ? {} : { after }),
            });
            if (page.length === 0) break;
            seen.push(...page);
            after = page.at(-1);
          }
          expect(seen, JSON.stringify(scope)).toEqual(expected);
        }
      });

      it('refuses a malformed readableBy, and a projection whose readers are not unit ids, with STORE_INVALID_INPUT', async () => {
        await seedReaders();
        for (const readableBy of [
          null,
          ['U1'],
          {},
          { units: 'U1' },
          { units: ['U1', 2] },
          { units: [], petitionerId: 7 },
          { units: ['U1'], unit: 'U2' },
        ]) {
          const query = { readableBy } as unknown as CaseQuery;
          expect((await refusal(store.query(query))).code, JSON.stringify(query)).toBe('STORE_INVALID_INPUT');
        }
        for (const readers of ['U1', [1], [null]]) {
          const batch = makeBatch('r99', { projection: { readers: readers as unknown as string[] } });
          expect((await refusal(store.append(batch))).code, JSON.stringify(readers)).toBe(
            'STORE_INVALID_INPUT',
          );
        }
        expect(await store.getCase('r99')).toBeUndefined();
      });
    });

    describe('deadlines', () => {
      const now = '2026-03-20T00:00:00.000Z';
      const lease = (ms: number) => new Date(Date.parse(now) + ms).toISOString();

      it('upserts rows by id and lists a case’s rows in id order', async () => {
        const first = await seedCase(store, 'case-1', {
          deadlines: [makeDeadline('case-1', 2), makeDeadline('case-1', 1)],
        });
        const moved = makeDeadline('case-1', 1, { status: 'paused', pauses: [{ from: '2026-03-05' }] });
        await store.append(nextBatch(first, { deadlines: [moved] }));
        expect(await store.deadlines('case-1')).toEqual([moved, makeDeadline('case-1', 2)]);
      });

      it('claims only running deadlines that are due, leasing them to the claimer', async () => {
        await seedCase(store, 'case-1', {
          deadlines: [
            makeDeadline('case-1', 1, { dueAt: '2026-03-19T16:00:00.000Z' }),
            makeDeadline('case-1', 2, { dueAt: now }),
            makeDeadline('case-1', 3, { dueAt: '2026-03-20T00:00:00.001Z' }),
            makeDeadline('case-1', 4, { dueAt: '2026-03-01T00:00:00.000Z', status: 'paused' }),
            makeDeadline('case-1', 5, { dueAt: '2026-03-01T00:00:00.000Z', status: 'fired' }),
            makeDeadline('case-1', 6, { dueAt: '2026-03-01T00:00:00.000Z', status: 'stopped' }),
          ],
        });
        const claimed = await store.claimDueDeadlines(now, { owner: 'worker-a', leaseMs: 60_000 });
        expect(claimed.map((row) => row.id).sort()).toEqual(['case-1:disposal:1', 'case-1:disposal:2']);
        for (const row of claimed)
          expect(row).toMatchObject({ leaseOwner: 'worker-a', leaseUntil: lease(60_000) });
        const stored = await store.deadlines('case-1');
        expect(stored.filter((row) => row.leaseOwner === 'worker-a')).toHaveLength(2);
      });

      it('never gives a row to two claimers while the lease holds, and honours the limit', async () => {
        await seedCase(store, 'case-1', {
          deadlines: [1, 2, 3, 4, 5].map((n) => makeDeadline('case-1', n, { dueAt: minutesAfter(n) })),
        });
        const a = await store.claimDueDeadlines(now, { owner: 'a', leaseMs: 60_000, limit: 3 });
        const b = await store.claimDueDeadlines(now, { owner: 'b', leaseMs: 60_000 });
        const again = await store.claimDueDeadlines(lease(59_999), { owner: 'c', leaseMs: 60_000 });
        expect(a).toHaveLength(3);
        expect(b).toHaveLength(2);
        expect(again).toEqual([]);
        expect(new Set([...a, ...b].map((row) => row.id)).size).toBe(5);
        // Earliest due first, so an overloaded worker handles the oldest deadlines.
        expect(a.map((row) => row.id)).toEqual([
          'case-1:disposal:1',
          'case-1:disposal:2',
          'case-1:disposal:3',
        ]);
      });

      it('lets another claimer take a row whose lease lapsed', async () => {
        await seedCase(store, 'case-1', { deadlines: [makeDeadline('case-1')] });
        expect(await store.claimDueDeadlines(now, { owner: 'a', leaseMs: 60_000 })).toHaveLength(1);
        expect(await store.claimDueDeadlines(lease(30_000), { owner: 'b', leaseMs: 60_000 })).toEqual([]);
        const retaken = await store.claimDueDeadlines(lease(60_000), { owner: 'b', leaseMs: 60_000 });
        expect(retaken).toEqual([
          expect.objectContaining({ id: 'case-1:disposal:1', leaseOwner: 'b', leaseUntil: lease(120_000) }),
        ]);
      });

      it('clears the lease when a batch replaces the row', async () => {
        const first = await seedCase(store, 'case-1', { deadlines: [makeDeadline('case-1')] });
        await store.claimDueDeadlines(now, { owner: 'a', leaseMs: 3_600_000 });
        const extended = makeDeadline('case-1', 1, {
          dueAt: '2026-03-19T00:00:00.000Z',
          extensions: [{ days: 30 }],
        });
        await store.append(nextBatch(first, { deadlines: [extended] }));
        expect(await store.deadlines('case-1')).toEqual([extended]);
        expect(await store.claimDueDeadlines(now, { owner: 'b', leaseMs: 60_000 })).toEqual([
          { ...extended, leaseOwner: 'b', leaseUntil: lease(60_000) },
        ]);
      });

      it('accepts instants with an offset and stores them normalised to UTC', async () => {
        await seedCase(store, 'case-1', {
          deadlines: [makeDeadline('case-1', 1, { dueAt: '2026-03-18T00:00:00+08:00' })],
        });
        expect((await store.deadlines('case-1'))[0]?.dueAt).toBe('2026-03-17T16:00:00.000Z');
        // 23:59 in Beijing is 15:59Z: not yet due, though as text it sorts after the due instant.
        expect(
          await store.claimDueDeadlines('2026-03-17T23:59:00+08:00', { owner: 'a', leaseMs: 1000 }),
        ).toEqual([]);
        const claimed = await store.claimDueDeadlines('2026-03-18T00:00:00+08:00', {
          owner: 'a',
          leaseMs: 1000,
        });
        expect(claimed[0]?.leaseUntil).toBe('2026-03-17T16:00:01.000Z');
      });

      it('lists open provisional deadlines for recomputation', async () => {
        await seedCase(store, 'case-2', {
          deadlines: [
            makeDeadline('case-2', 1, { provisional: true }),
            makeDeadline('case-2', 2, { provisional: true, status: 'fired' }),
            makeDeadline('case-2', 3, { provisional: false }),
          ],
        });
        await seedCase(store, 'case-1', {
          deadlines: [makeDeadline('case-1', 1, { provisional: true, status: 'paused' })],
        });
        expect((await store.provisionalDeadlines()).map((row) => row.id)).toEqual([
          'case-1:disposal:1',
          'case-2:disposal:1',
        ]);
      });
    });

    describe('outbox', () => {
      const now = '2026-03-02T02:00:00.000Z';
      const at = (ms: number) => new Date(Date.parse(now) + ms).toISOString();
      async function seedOutbox(): Promise<void> {
        await seedCase(store, 'case-1', {
          outbox: [
            makeOutboxRow('case-1', 1, 1),
            makeOutboxRow('case-1', 1, 2, { nextAttemptAt: at(1) }),
            makeOutboxRow('case-1', 1, 3, { status: 'delivered', receipt: { id: 'r0' } }),
          ],
        });
      }

      it('claims pending rows that are due, leasing them to the claimer', async () => {
        await seedOutbox();
        const claimed = await store.claimOutbox(now, { owner: 'd1', leaseMs: 30_000 });
        expect(claimed).toEqual([
          { ...makeOutboxRow('case-1', 1, 1), leaseOwner: 'd1', leaseUntil: at(30_000) },
        ]);
        expect(await store.claimOutbox(now, { owner: 'd2', leaseMs: 30_000 })).toEqual([]);
        expect((await store.claimOutbox(at(1), { owner: 'd2', leaseMs: 30_000 })).map((r) => r.id)).toEqual([
          'case-1:1:2',
        ]);
      });

      it('marks an acknowledged row delivered with its receipt; it is not claimed again', async () => {
        await seedOutbox();
        await store.claimOutbox(now, { owner: 'd1', leaseMs: 30_000 });
        await store.ackOutbox('case-1:1:1', 'd1', { messageId: '回执-1' });
        const [row] = await store.outbox({ status: 'delivered', caseId: 'case-1' });
        expect(row).toMatchObject({
          id: 'case-1:1:1',
          status: 'delivered',
          receipt: { messageId: '回执-1' },
        });
        expect(await store.claimOutbox(at(3_600_000), { owner: 'd2', leaseMs: 30_000 })).toEqual([
          expect.objectContaining({ id: 'case-1:1:2' }),
        ]);
      });

      it('schedules a retry on failure: attempts + 1, last error kept, not claimable before retryAt', async () => {
        await seedOutbox();
        await store.claimOutbox(now, { owner: 'd1', leaseMs: 30_000, limit: 1 });
        await store.failOutbox('case-1:1:1', 'd1', { error: 'HTTP 503', retryAt: at(60_000), dead: false });
        const [row] = await store.outbox({ caseId: 'case-1', status: 'pending' });
        expect(row).toMatchObject({
          id: 'case-1:1:1',
          attempts: 1,
          lastError: 'HTTP 503',
          nextAttemptAt: at(60_000),
          leaseOwner: null,
          leaseUntil: null,
        });
        const early = await store.claimOutbox(at(59_999), { owner: 'd2', leaseMs: 30_000 });
        expect(early.map((r) => r.id)).toEqual(['case-1:1:2']);
        const due = await store.claimOutbox(at(60_000), { owner: 'd2', leaseMs: 30_000 });
        expect(due.map((r) => r.id)).toEqual(['case-1:1:1']);
      });

      it('dead-letters a row that failed for good; it is never claimed again', async () => {
        await seedOutbox();
        await store.claimOutbox(now, { owner: 'd1', leaseMs: 30_000, limit: 1 });
        await store.failOutbox('case-1:1:1', 'd1', {
          error: 'recipient unknown',
          retryAt: at(1),
          dead: true,
        });
        expect(await store.outbox({ status: 'dead' })).toEqual([
          expect.objectContaining({
            id: 'case-1:1:1',
            attempts: 1,
            lastError: 'recipient unknown',
            leaseOwner: null,
          }),
        ]);
        const later = await store.claimOutbox(at(86_400_000), { owner: 'd2', leaseMs: 30_000 });
        expect(later.map((r) => r.id)).toEqual(['case-1:1:2']);
      });

      it('throws LEASE_LOST when an owner without the lease acks or fails, changing nothing', async () => {
        await seedOutbox();
        await store.claimOutbox(now, { owner: 'd1', leaseMs: 30_000, limit: 1 });
        const before = await store.outbox();
        const ack = await refusal(store.ackOutbox('case-1:1:1', 'd2', { ok: true }));
        expect(ack).toMatchObject({
          code: 'LEASE_LOST',
          details: { id: 'case-1:1:1', owner: 'd2', holder: 'd1' },
        });
        const fail = await refusal(
          store.failOutbox('case-1:1:1', 'd2', { error: 'x', retryAt: now, dead: false }),
        );
        expect(fail.code).toBe('LEASE_LOST');
        // Never claimed, already delivered, or no such row: nobody holds it.
        expect((await refusal(store.ackOutbox('case-1:1:2', 'd1', {}))).code).toBe('LEASE_LOST');
        expect((await refusal(store.ackOutbox('case-1:1:3', 'd1', {}))).code).toBe('LEASE_LOST');
        expect((await refusal(store.ackOutbox('missing', 'd1', {}))).code).toBe('LEASE_LOST');
        expect(await store.outbox()).toEqual(before);
      });

      it('lets another dispatcher take a row whose lease lapsed; the first one’s ack is then refused', async () => {
        await seedOutbox();
        await store.claimOutbox(now, { owner: 'd1', leaseMs: 30_000, limit: 1 });
        const retaken = await store.claimOutbox(at(30_000), { owner: 'd2', leaseMs: 30_000, limit: 1 });
        expect(retaken).toEqual([expect.objectContaining({ id: 'case-1:1:1', leaseOwner: 'd2' })]);
        expect((await refusal(store.ackOutbox('case-1:1:1', 'd1', {}))).code).toBe('LEASE_LOST');
        await store.ackOutbox('case-1:1:1', 'd2', { by: 'd2' });
        expect((await store.outbox({ caseId: 'case-1' }))[0]).toMatchObject({
          status: 'delivered',
          receipt: { by: 'd2' },
        });
      });

      it('lists rows by case and status in creation order', async () => {
        const first = await seedCase(store, 'case-1', {
          outbox: [makeOutboxRow('case-1', 1, 1, { createdAt: minutesAfter(5) })],
        });
        await store.append(
          nextBatch(first, { outbox: [makeOutboxRow('case-1', 2, 1, { createdAt: minutesAfter(1) })] }),
        );
        await seedCase(store, 'case-2', { outbox: [makeOutboxRow('case-2', 1, 1, { status: 'dead' })] });
        expect((await store.outbox()).map((r) => r.id)).toEqual(['case-2:1:1', 'case-1:2:1', 'case-1:1:1']);
        expect((await store.outbox({ caseId: 'case-1' })).map((r) => r.id)).toEqual([
          'case-1:2:1',
          'case-1:1:1',
        ]);
        expect((await store.outbox({ status: 'dead' })).map((r) => r.id)).toEqual(['case-2:1:1']);
        expect(await store.outbox({ caseId: 'case-2', status: 'pending' })).toEqual([]);
      });
    });

    describe('the event log', () => {
      it('keeps the hash chain byte for byte', async () => {
        const first = makeBatch('case-1', {
          count: 4,
          each: (seq) => ({ payload: { n: seq, 金额: 1.5, 空: null } }),
        });
        await store.append(first);
        await store.append(nextBatch(first, { count: 3 }));
        const events = await store.events('case-1');
        expect(events).toHaveLength(7);
        events.forEach((event, i) => {
          expect(event.hash).toBe(hashEvent(event));
          expect(event.prevHash).toBe(i === 0 ? '' : events[i - 1]?.hash);
        });
        const sent = first.events.map((e) => JSON.stringify(e));
        expect(events.slice(0, 4).map((e) => JSON.stringify(e))).toEqual(sent);
        expect((await store.getCase('case-1'))?.headHash).toBe(events[6]?.hash);
      });

      it('loads 10,000 events of one case, appended in batches, back in order', {
        timeout: 120_000,
      }, async () => {
        let batch = makeBatch('long-case', { count: 250 });
        await store.append(batch);
        for (let i = 1; i < 40; i++) {
          batch = nextBatch(batch, { count: 250 });
          await store.append(batch);
        }
        const events = await store.events('long-case');
        expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 1));
        const broken = events.findIndex((e, i) => i > 0 && e.prevHash !== events[i - 1]?.hash);
        expect(broken, 'index of the first event whose prevHash does not link').toBe(-1);
        expect((await store.getCase('long-case'))?.version).toBe(10_000);
        expect((await store.events('long-case', 9_991)).map((e) => e.seq)).toEqual(
          Array.from({ length: 10 }, (_, i) => 9_991 + i),
        );
      });

      it('lists events between two instants by time, case and seq, and pages through them', async () => {
        const t = (m: number) => minutesAfter(m);
        // Three cases whose events interleave in time, some at the same instant.
        await store.append(
          makeBatch('b', { count: 3, each: (seq) => ({ at: t([10, 20, 30][seq - 1] ?? 0) }) }),
        );
        await store.append(makeBatch('a', { count: 2, each: (seq) => ({ at: t([20, 20][seq - 1] ?? 0) }) }));
        await store.append(makeBatch('c', { count: 2, each: (seq) => ({ at: t([5, 40][seq - 1] ?? 0) }) }));
        const key = (e: { caseId: string; seq: number }) => `${e.caseId}${e.seq}`;
        expect((await store.eventsBetween(t(10), t(40))).map(key)).toEqual(['b1', 'a1', 'a2', 'b2', 'b3']);
        expect((await store.eventsBetween(t(0), t(100))).map(key)).toEqual([
          'c1',
          'b1',
          'a1',
          'a2',
          'b2',
          'b3',
          'c2',
        ]);
        const seen: string[] = [];
        let after: { caseId: string; seq: number } | undefined;
        for (;;) {
          const page = await store.eventsBetween(t(0), t(100), { limit: 2, ...(after ? { after } : {}) });
          if (page.length === 0) break;
          seen.push(...page.map(key));
          const last = page.at(-1);
          after = last && { caseId: last.caseId, seq: last.seq };
        }
        expect(seen).toEqual(['c1', 'b1', 'a1', 'a2', 'b2', 'b3', 'c2']);
        // The same range written with a +08:00 offset.
        const from = new Date(Date.parse(t(10)) + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
        expect((await store.eventsBetween(from, t(20))).map(key)).toEqual(['b1']);
      });

      it('orders events by instant even when their stored text has an offset', async () => {
        const batch = makeBatch('z', {
          count: 2,
          each: (seq) => ({ at: seq === 1 ? '2026-03-02T09:10:00+08:00' : '2026-03-02T01:05:00.000Z' }),
        });
        await store.append(batch);
        await store.append(makeBatch('y', { each: () => ({ at: '2026-03-02T01:07:00.000Z' }) }));
        const events = await store.eventsBetween('2026-03-02T01:00:00Z', '2026-03-02T02:00:00Z');
        expect(events.map((e) => `${e.caseId}${e.seq}`)).toEqual(['z2', 'y1', 'z1']);
        // Stored as given: the hash covers the text, not the instant.
        expect(events[2]?.at).toBe('2026-03-02T09:10:00+08:00');
      });
    });

    describe('sequences and configs', () => {
      it('counts each named sequence up from 1 without gaps or reuse', async () => {
        const year = 'doc:cn.test:2026';
        expect(await store.nextSequence(year)).toBe(1);
        expect(await store.nextSequence(year)).toBe(2);
        expect(await store.nextSequence('doc:cn.test:2027')).toBe(1);
        const many = await Promise.all(Array.from({ length: 20 }, () => store.nextSequence(year)));
        expect([...many].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 3));
      });

      it('stores configs by hash; putting the same hash again is a no-op', async () => {
        const config = {
          jurisdiction: { id: 'cn.test', name: '测试省信访条例' },
          deadlines: { disposal: { days: 15 } },
        };
        await store.putConfig('sha256:abc', config);
        await store.putConfig('sha256:abc', config);
        await store.putConfig('sha256:abc', { changed: true });
        expect(await store.getConfig('sha256:abc')).toEqual(config);
      });

      itIf(
        canReopen && capabilities.durable,
        reopenReason,
        'never reuses a sequence number after a reopen',
        async () => {
          await store.nextSequence('doc:2026');
          await store.nextSequence('doc:2026');
          await reopen();
          expect(await store.nextSequence('doc:2026')).toBe(3);
        },
      );

      itIf(canReopen && capabilities.durable, reopenReason, 'keeps everything across a reopen', async () => {
        const first = await seedCase(store, 'case-1', {
          count: 2,
          deadlines: [makeDeadline('case-1')],
          outbox: [makeOutboxRow('case-1', 2)],
          idempotency: makeIdempotency('k', 'case-1'),
        });
        await store.putConfig('h1', { a: 1 });
        await store.claimOutbox(FIXTURE_EPOCH, { owner: 'd1', leaseMs: 60_000 });
        const before = await snapshot(store, ['case-1'], ['k']);
        await reopen();
        expect(await snapshot(store, ['case-1'], ['k'])).toEqual(before);
        expect(await store.getConfig('h1')).toEqual({ a: 1 });
        expect(await store.getCase('case-1')).toEqual(first.projection);
        await store.append(nextBatch(first));
        expect((await store.getCase('case-1'))?.version).toBe(3);
      });
    });

    describe('several handles on one store', () => {
      itIf(
        canConnect && capabilities.multiProcess,
        connectReason,
        'claims exclusively across handles',
        async () => {
          const other = await connect();
          await seedCase(store, 'case-1', {
            deadlines: [1, 2, 3, 4].map((n) => makeDeadline('case-1', n)),
            outbox: [1, 2, 3, 4].map((n) => makeOutboxRow('case-1', 1, n)),
          });
          const now = '2026-03-20T00:00:00.000Z';
          const claims = await Promise.all([
            store.claimDueDeadlines(now, { owner: 'a', leaseMs: 60_000, limit: 3 }),
            other.claimDueDeadlines(now, { owner: 'b', leaseMs: 60_000, limit: 3 }),
            store.claimOutbox(now, { owner: 'a', leaseMs: 60_000, limit: 3 }),
            other.claimOutbox(now, { owner: 'b', leaseMs: 60_000, limit: 3 }),
          ]);
          const [da, db, oa, ob] = claims.map((rows) => rows.map((row) => row.id));
          expect(new Set([...(da ?? []), ...(db ?? [])]).size).toBe(4);
          expect((da?.length ?? 0) + (db?.length ?? 0)).toBe(4);
          expect(new Set([...(oa ?? []), ...(ob ?? [])]).size).toBe(4);
          expect((oa?.length ?? 0) + (ob?.length ?? 0)).toBe(4);
        },
      );

      itIf(
        canConnect && capabilities.multiProcess,
        connectReason,
        'sees the other handle’s writes',
        async () => {
          const other = await connect();
          const first = await seedCase(store, 'case-1');
          expect(await other.getCase('case-1')).toEqual(first.projection);
          await other.append(nextBatch(first));
          const e = await refusal(store.append(nextBatch(first)));
          expect(e).toMatchObject({ code: 'CONCURRENCY_CONFLICT', details: { expected: 1, actual: 2 } });
          expect(await store.nextSequence('s')).toBe(1);
          expect(await other.nextSequence('s')).toBe(2);
        },
      );
    });
  });
}
