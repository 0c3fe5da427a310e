/**
 * What a database writer without the keys can do to a durable store, and which check finds each
 * edit. Every edit is made with raw SQL past the store, the way someone holding the database's
 * credentials (but not the engine's integrity key) would: documents rewritten, hash chains
 * recomputed with the published algorithm, filter columns and side tables changed, rows inserted
 * and deleted, an older state restored. For each, the test asserts the check that finds it:
 * `verify`, a keyed checkpoint taken before the edit, `tick` refusing to fire, a read refused,
 * `query` dropping the case, a command refused. None goes undetected (docs/security.md has the
 * table).
 *
 * The cases are set up once (each edit gets its own case, so edits do not mask each other):
 * registered by the county bureau, accepted, answered, received; one more stays registered with
 * its disposal period running, and one more runs under a second config version for the stored
 * config edit.
 */

import { createHash } from 'node:crypto';
import {
  type ActorRef,
  type Calendar,
  type CaseCheckpoint,
  createEngine,
  type Engine,
  type IdentityKeys,
  type IntegrityAlarm,
  type JurisdictionConfig,
  ManualClock,
} from '@xinfang/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusalCode, samplePetition } from './sample-petition.js';
import type { StoreUnderTest } from './store-conformance.js';

/** Raw SQL past the store: what a database writer has. */
export interface RawSql {
  /** Runs one statement, parameters as `?`; returns its rows (JSON columns as text or parsed). */
  run(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** A table of the store by its name (`cases`), qualified as the store's SQL needs it. */
  table(name: 'cases' | 'events' | 'deadlines' | 'outbox' | 'case_readers' | 'configs'): string;
}

/** A durable store and the raw SQL on its data. */
export interface TamperStoreUnderTest extends StoreUnderTest {
  sql: RawSql;
}

/** What the suite needs besides the store: national.yaml (or a config like it) and its calendar. */
export interface TamperOptions {
  config: JurisdictionConfig;
  calendar: Calendar;
}

const T0 = '2026-03-02T09:00:00+08:00';
const KEYS: IdentityKeys = { current: { id: 'tamper', secret: 'xinfang-tamper-suite-secret-32-bytes!' } };
const V = {
  registrar: { id: 'reg', role: 'registrar', unit: 'county-bureau' },
  acceptor: { id: 'acc', role: 'acceptor', unit: 'county-bureau' },
  handler: { id: 'han', role: 'handler', unit: 'county-bureau' },
  landHandler: { id: 'h-land', role: 'handler', unit: 'county-land' },
  stranger: { id: 'p-x', role: 'petitioner' },
} satisfies Record<string, ActorRef>;

/** The edits, one case each. */
const KINDS = [
  'eventPayload',
  'eventOrder',
  'deleteEnd',
  'deleteMiddle',
  'deleteRenumbered',
  'rehash',
  'rehashUnkeyed',
  'rollback',
  'forgeSource',
  'deleted',
  'dueAt',
  'dueAtColumn',
  'stopped',
  'extension',
  'stateColumn',
  'colourColumn',
  'unitColumn',
  'projection',
  'readerRow',
  'petitionerColumn',
  'outboxRecipient',
  'outboxPayload',
  'outboxForged',
] as const;
type Kind = (typeof KINDS)[number] | 'registered' | 'config';

type Row = Record<string, unknown>;
const json = (v: unknown): Row => (typeof v === 'string' ? JSON.parse(v) : (v as Row));

/** RFC 8785 canonical JSON for plain data (sorted keys; strings and integers as JSON.stringify). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Row;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** An event's hash by the published algorithm: SHA-256 of its canonical JSON without hash and MAC. */
function rehash(event: Row): string {
  const { hash: _h, mac: _m, ...rest } = event;
  return createHash('sha256').update(canonical(rest), 'utf8').digest('hex');
}

const petition = samplePetition;
const code = refusalCode;

/** Registers the tamper suite for a durable store. */
export function tamperSuite(
  name: string,
  makeStore: () => Promise<TamperStoreUnderTest>,
  options: () => TamperOptions,
): void {
  describe(`${name}: a database writer without the keys`, () => {
    let under: TamperStoreUnderTest;
    let sql: RawSql;
    let engine: Engine;
    let clock: ManualClock;
    let checkpoint: CaseCheckpoint;
    const alarms: IntegrityAlarm[] = [];
    const ids = {} as Record<Kind, string>;
    let rollbackSnapshot: Snapshot;
    let configHash = '';
    const engineWith = (config: JurisdictionConfig) =>
      createEngine({
        configs: [config],
        calendars: [options().calendar],
        store: under.store,
        clock,
        identityKeys: KEYS,
        onIntegrityAlarm: (a) => alarms.push(a),
      });

    async function answered(e: Engine, before?: (caseId: string) => Promise<void>): Promise<string> {
      const { caseId } = await e.submit(petition(), V.registrar, { petitionerId: 'p-own' });
      await e.send(caseId, { type: 'ACCEPT' }, V.acceptor);
      await e.send(
        caseId,
        {
          type: 'OPINION',
          payload: {
            outcome: 'supported',
            findings: '属实',
            legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
          },
        },
        V.handler,
      );
      await before?.(caseId);
      await e.send(caseId, { type: 'RECEIPT', payload: { receivedAt: '2026-03-02' } }, V.handler);
      return caseId;
    }

    beforeAll(async () => {
      under = await makeStore();
      sql = under.sql;
      clock = new ManualClock(T0);
      const { config } = options();
      engine = engineWith(config);
      for (const kind of KINDS) {
        ids[kind] = await answered(engine, async (caseId) => {
          if (kind === 'rollback') rollbackSnapshot = await snapshot(sql, caseId);
        });
      }
      ids.registered = (await engine.submit(petition(), V.registrar)).caseId;
      // a second version of the config, for the stored-config edit (it pins its own hash)
      const second = {
        ...config,
        jurisdiction: { ...config.jurisdiction, version: `${config.jurisdiction.version}-b` },
      };
      const onSecond = engineWith(second);
      ids.config = (await onSecond.submit(petition(), V.registrar)).caseId;
      await onSecond.send(ids.config, { type: 'ACCEPT' }, V.acceptor);
      configHash = (await under.store.getCase(ids.config))?.configHash ?? '';
      clock.advance(60_000); // the checkpoint comes after every case above
      checkpoint = await engine.checkpoint();
    });
    afterAll(async () => {
      await under.store.close();
      await under.cleanup?.();
    });

    const problems = async (caseId: string) => (await engine.verify(caseId)).problems.map((p) => p.code);
    const checkpointFinds = async (caseId: string) =>
      (await engine.verifyCheckpoint(checkpoint)).problems
        .filter((p) => p.caseId === caseId)
        .map((p) => p.code);
    const alarmed = (caseId: string, source: IntegrityAlarm['source']) =>
      alarms
        .filter((a) => a.caseId === caseId && a.source === source)
        .flatMap((a) => a.problems.map((p) => p.code));

    it('starts from a store every check vouches for', async () => {
      for (const id of Object.values(ids))
        expect(await engine.verify(id), id).toEqual({ ok: true, problems: [] });
      expect(await engine.verifyCheckpoint(checkpoint)).toEqual({ ok: true, problems: [] });
      expect(alarms).toEqual([]);
    });

    it('event payload edited: verify (EVENT_CHANGED)', async () => {
      await editEvent(sql, ids.eventPayload, 3, (e) => ({
        ...e,
        payload: { ...json(e.payload), command: { outcome: 'not-supported' } },
      }));
      expect(await problems(ids.eventPayload)).toContain('EVENT_CHANGED');
    });

    it('events reordered: verify (CHAIN_BROKEN, EVENT_CHANGED)', async () => {
      const [two, three] = [await eventAt(sql, ids.eventOrder, 2), await eventAt(sql, ids.eventOrder, 3)];
      await putEvent(sql, ids.eventOrder, 2, { ...three, seq: 2 });
      await putEvent(sql, ids.eventOrder, 3, { ...two, seq: 3 });
      expect(await problems(ids.eventOrder)).toEqual(
        expect.arrayContaining(['CHAIN_BROKEN', 'EVENT_CHANGED']),
      );
    });

    it('last event deleted: verify (EVENTS_CUT_OFF)', async () => {
      await sql.run(`DELETE FROM ${sql.table('events')} WHERE case_id = ? AND seq = 4`, [ids.deleteEnd]);
      expect(await problems(ids.deleteEnd)).toContain('EVENTS_CUT_OFF');
    });

    it('an event deleted in the middle: verify (EVENT_MISSING)', async () => {
      await sql.run(`DELETE FROM ${sql.table('events')} WHERE case_id = ? AND seq = 2`, [ids.deleteMiddle]);
      expect(await problems(ids.deleteMiddle)).toContain('EVENT_MISSING');
    });

    it('an event deleted in the middle, the rest renumbered and re-hashed: verify (EVENT_FORGED)', async () => {
      const id = ids.deleteRenumbered;
      const events = (await eventsOf(sql, id))
        .filter((e) => e.seq !== 2)
        .map((e, i) => ({ ...e, seq: i + 1 }));
      await sql.run(`DELETE FROM ${sql.table('events')} WHERE case_id = ?`, [id]);
      await writeChain(sql, id, events, { keepMacs: true });
      expect(await problems(id)).toContain('EVENT_FORGED');
    });

    it('an event edited and the chain re-hashed without the key: verify (EVENT_FORGED), reads refused', async () => {
      const id = ids.rehash;
      const events = await eventsOf(sql, id);
      events[2] = {
        ...events[2],
        payload: { ...json(events[2]?.payload), command: { outcome: 'not-supported' } },
      };
      await writeChain(sql, id, events, { keepMacs: true });
      expect(await problems(id)).toEqual(expect.arrayContaining(['EVENT_FORGED', 'PROJECTION_FORGED']));
      expect(await code(engine.get(id, V.registrar))).toBe('INTEGRITY_VIOLATION');
    });

    it('the chain re-hashed and its MACs stripped: verify (EVENT_UNKEYED)', async () => {
      const id = ids.rehashUnkeyed;
      const events = await eventsOf(sql, id);
      events[2] = {
        ...events[2],
        payload: { ...json(events[2]?.payload), command: { outcome: 'explained' } },
      };
      await writeChain(sql, id, events, { keepMacs: false });
      expect(await problems(id)).toContain('EVENT_UNKEYED');
    });

    it('a case rolled back to an earlier state of itself: the checkpoint (LOG_TRUNCATED)', async () => {
      const id = ids.rollback;
      await restore(sql, id, rollbackSnapshot);
      // every row is a true earlier state: the log and its MACs vouch for it; only the checkpoint knows
      expect(await engine.verify(id)).toEqual({ ok: true, problems: [] });
      expect(await checkpointFinds(id)).toEqual(['LOG_TRUNCATED']);
    });

    it('a case forged by copying another under a new id: verify (EVENT_FORGED), the checkpoint (CASE_UNKNOWN), reads refused', async () => {
      const forged = `${ids.forgeSource}-F`;
      await copyCase(sql, ids.forgeSource, forged);
      expect(await problems(forged)).toEqual(expect.arrayContaining(['EVENT_FORGED', 'PROJECTION_FORGED']));
      expect(await checkpointFinds(forged)).toEqual(['CASE_UNKNOWN']);
      expect(await code(engine.get(forged, V.registrar))).toBe('INTEGRITY_VIOLATION');
      expect(await code(engine.send(forged, { type: 'WITHDRAW' }, V.registrar))).toBe('INTEGRITY_VIOLATION');
      expect(alarmed(forged, 'read')).toContain('PROJECTION_FORGED');
    });

    it('a whole case deleted: the checkpoint (CASE_MISSING)', async () => {
      const id = ids.deleted;
      for (const t of ['events', 'deadlines', 'outbox', 'case_readers', 'cases'] as const) {
        await sql.run(`DELETE FROM ${sql.table(t)} WHERE case_id = ?`, [id]);
      }
      expect(await code(engine.verify(id))).toBe('CASE_NOT_FOUND');
      expect(await checkpointFinds(id)).toEqual(['CASE_MISSING']);
    });

    it('deadline rows: due_at moved into the past (row and column), due_at column alone, and tick past the clock: tick refuses, others fire', async () => {
      const window = (id: string) => `${id}:reviewWindow:1`;
      const past = '2026-03-03T16:00:00.000Z';
      await editDeadline(sql, window(ids.dueAt), (r) => ({ ...r, dueAt: past, dueDate: '2026-03-03' }), past);
      await sql.run(`UPDATE ${sql.table('deadlines')} SET due_at = ? WHERE id = ?`, [
        past,
        window(ids.dueAtColumn),
      ]);
      const before = (await under.store.events(ids.dueAt)).length;
      // the clock's now is the latest instant tick takes (2099 would fire every deadline)
      expect(await code(engine.tick('2099-01-01T00:00:00Z'))).toBe('TICK_AFTER_NOW');
      expect((await under.store.events(ids.dueAt)).length).toBe(before);
      clock.set('2026-03-18T09:00:00+08:00'); // the registered case's disposal period is over
      const fired = await engine.tick();
      // registered 2026-03-02; disposal is 15 days (Reg. 22): the 17th is its last day, over on
      // the 18th. Every answered case's review window runs 30 days from its receipt on the 2nd.
      expect(fired.map((f) => [f.caseId, f.deadlineId])).toEqual([[ids.registered, 'disposal']]);
      expect((await under.store.getCase(ids.dueAt))?.state).toBe('opinion-issued');
      expect((await under.store.events(ids.dueAt)).length).toBe(before);
      expect(alarmed(ids.dueAt, 'tick')).toContain('DEADLINE_MISMATCH');
      expect(alarmed(ids.dueAtColumn, 'tick')).toEqual(
        expect.arrayContaining(['COLUMN_MISMATCH', 'CLAIM_NOT_DUE']),
      );
      expect(await problems(ids.dueAt)).toContain('DEADLINE_MISMATCH');
      expect(await problems(ids.dueAtColumn)).toContain('COLUMN_MISMATCH');
    });

    it('deadline row stopped (row and column), so it never fires: verify and the sweep (DEADLINE_MISMATCH)', async () => {
      const row = `${ids.stopped}:reviewWindow:1`;
      await editDeadline(sql, row, (r) => ({ ...r, status: 'stopped' }), undefined, 'stopped');
      expect(await problems(ids.stopped)).toEqual(
        expect.arrayContaining(['DEADLINE_MISMATCH', 'COLUMN_MISMATCH']),
      );
      // no command looks at it: the periodic sweep finds it, and raises the alarm
      const failed: string[] = [];
      for (let after: string | undefined; ; ) {
        const page = await engine.verifyAll({ limit: 10, ...(after ? { after } : {}) });
        failed.push(...page.failed.map((f) => f.caseId));
        if (page.next === undefined) break;
        after = page.next;
      }
      expect(failed).toContain(ids.stopped);
      expect(alarmed(ids.stopped, 'verify')).toContain('DEADLINE_MISMATCH');
    });

    it('deadline row given an extension nobody granted: verify (DEADLINE_MISMATCH)', async () => {
      const row = `${ids.extension}:reviewWindow:1`;
      const later = '2026-06-30T16:00:00.000Z';
      await editDeadline(
        sql,
        row,
        (r) => ({
          ...r,
          dueAt: later,
          dueDate: '2026-06-30',
          extensions: [{ days: 90, approvedBy: 'head', reason: '复杂' }],
        }),
        later,
      );
      expect(await problems(ids.extension)).toContain('DEADLINE_MISMATCH');
    });

    it('case columns state, colour, responsible unit changed: verify (COLUMN_MISMATCH), query drops the case', async () => {
      const set = (column: string, value: string, id: string) =>
        sql.run(`UPDATE ${sql.table('cases')} SET ${column} = ? WHERE case_id = ?`, [value, id]);
      await set('state', 'closed', ids.stateColumn);
      await set('colour', 'red', ids.colourColumn);
      await set('responsible_unit', 'county-land', ids.unitColumn);
      const found = async (q: Row) => (await engine.query(q, V.registrar)).cases.map((c) => c.caseId);
      expect(await found({ state: 'closed' })).not.toContain(ids.stateColumn);
      expect(await found({ colour: 'red' })).not.toContain(ids.colourColumn);
      expect(await found({ unit: 'county-land' })).not.toContain(ids.unitColumn);
      for (const id of [ids.stateColumn, ids.colourColumn, ids.unitColumn]) {
        expect(await problems(id), id).toContain('COLUMN_MISMATCH');
        expect(alarmed(id, 'query'), id).toContain('QUERY_MISMATCH');
      }
    });

    it('the projection document edited: reads refused (PROJECTION_FORGED), verify (PROJECTION_MISMATCH)', async () => {
      const id = ids.projection;
      const [row] = await sql.run(`SELECT projection FROM ${sql.table('cases')} WHERE case_id = ?`, [id]);
      const p = json(row?.projection);
      const edited = {
        ...p,
        state: 'closed',
        stage: 'closed',
        data: { ...json(p.data), responsibleUnit: 'county-land' },
      };
      await sql.run(`UPDATE ${sql.table('cases')} SET projection = ? WHERE case_id = ?`, [
        JSON.stringify(edited),
        id,
      ]);
      expect(await code(engine.get(id, V.registrar))).toBe('INTEGRITY_VIOLATION');
      expect(await code(engine.get(id, V.landHandler))).toBe('INTEGRITY_VIOLATION');
      expect(await problems(id)).toEqual(
        expect.arrayContaining(['PROJECTION_FORGED', 'PROJECTION_MISMATCH']),
      );
    });

    it('a readers row added for an unrelated unit: query drops the case (QUERY_MISMATCH), verify (READERS_MISMATCH)', async () => {
      const id = ids.readerRow;
      await sql.run(`INSERT INTO ${sql.table('case_readers')} (case_id, unit) VALUES (?, ?)`, [
        id,
        'county-land',
      ]);
      const page = await engine.query({}, V.landHandler);
      expect(page.cases.map((c) => c.caseId)).not.toContain(id);
      expect(alarmed(id, 'query')).toContain('QUERY_MISMATCH');
      expect(await code(engine.get(id, V.landHandler))).toBe('CASE_NOT_FOUND');
      expect(await problems(id)).toContain('READERS_MISMATCH');
    });

    it('the petitioner column set to another petitioner: query drops the case, verify (COLUMN_MISMATCH)', async () => {
      const id = ids.petitionerColumn;
      await sql.run(`UPDATE ${sql.table('cases')} SET petitioner_id = ? WHERE case_id = ?`, [
        V.stranger.id,
        id,
      ]);
      expect((await engine.query({}, V.stranger)).cases).toEqual([]);
      expect(alarmed(id, 'query')).toContain('QUERY_MISMATCH');
      expect(await problems(id)).toContain('COLUMN_MISMATCH');
    });

    it('outbox rows: recipient changed, payload changed, a row inserted: verify (OUTBOX_MISMATCH, OUTBOX_UNKNOWN)', async () => {
      const rows = async (id: string) =>
        (await sql.run(`SELECT id, row FROM ${sql.table('outbox')} WHERE case_id = ? ORDER BY id`, [id])).map(
          (r) => ({
            id: String(r.id),
            row: json(r.row),
          }),
        );
      const put = (id: string, row: Row) =>
        sql.run(`UPDATE ${sql.table('outbox')} SET row = ? WHERE id = ?`, [JSON.stringify(row), id]);
      const [first] = await rows(ids.outboxRecipient);
      if (!first) throw new Error('the answered case has no outbox row');
      await put(first.id, { ...first.row, recipient: 'someone-else' });
      const [doc] = (await rows(ids.outboxPayload)).filter((r) => r.row.kind === 'document');
      if (!doc) throw new Error('the answered case has no document row');
      await put(doc.id, {
        ...doc.row,
        payload: { ...json(doc.row.payload), decision: { outcome: 'not-supported' } },
      });
      const [template] = await rows(ids.outboxForged);
      const forgedId = `${template?.id}:forged`;
      const [copy] = await sql.run(`SELECT * FROM ${sql.table('outbox')} WHERE id = ?`, [template?.id]);
      await insertRow(sql, 'outbox', {
        ...copy,
        id: forgedId,
        row: JSON.stringify({ ...template?.row, id: forgedId }),
      });
      expect(await problems(ids.outboxRecipient)).toContain('OUTBOX_MISMATCH');
      expect(await problems(ids.outboxPayload)).toContain('OUTBOX_MISMATCH');
      expect(await problems(ids.outboxForged)).toContain('OUTBOX_UNKNOWN');
    });

    it('the stored config widened (OPINION for registrars): commands refused (STORED_CONFIG_TAMPERED), verify (CONFIG_TAMPERED)', async () => {
      const [row] = await sql.run(`SELECT config FROM ${sql.table('configs')} WHERE hash = ?`, [configHash]);
      const widened = widenOpinion(json(row?.config));
      await sql.run(`UPDATE ${sql.table('configs')} SET config = ? WHERE hash = ?`, [
        JSON.stringify(widened),
        configHash,
      ]);
      // a restarted engine that has only the first version reads the second from the store, re-hashed
      // (an engine that read it before the edit keeps the text it hashed then)
      const restarted = engineWith(options().config);
      const registrarElsewhere = { id: 'reg-land', role: 'registrar', unit: 'county-land' };
      const opinion = {
        type: 'OPINION',
        payload: {
          outcome: 'not-supported',
          findings: '经调查核实，情况属实。',
          legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
        },
      };
      expect(await code(restarted.send(ids.config, opinion, registrarElsewhere))).toBe(
        'STORED_CONFIG_TAMPERED',
      );
      expect(await code(restarted.get(ids.config, V.registrar))).toBe('STORED_CONFIG_TAMPERED');
      expect(alarms.some((a) => a.source === 'config' && a.configHash === configHash)).toBe(true);
      expect(await problems(ids.config)).toContain('CONFIG_TAMPERED');
      expect((await under.store.getCase(ids.config))?.state).toBe('accepted');
    });
  });
}

/** Adds `registrar` to every OPINION transition's roles. */
function widenOpinion(config: Row): Row {
  const walk = (v: unknown, key?: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (!v || typeof v !== 'object') return v;
    const o = v as Row;
    const out = Object.fromEntries(
      Object.entries(o).map(([k, x]) => [k, walk(x, k === 'OPINION' ? k : key)]),
    );
    if (key === 'OPINION' && Array.isArray(o.roles)) out.roles = [...(o.roles as string[]), 'registrar'];
    return out;
  };
  return walk(config) as Row;
}

type Snapshot = Record<'cases' | 'events' | 'deadlines' | 'outbox' | 'case_readers', Row[]>;
const CASE_TABLES = ['cases', 'events', 'deadlines', 'outbox', 'case_readers'] as const;

async function snapshot(sql: RawSql, caseId: string): Promise<Snapshot> {
  const out = {} as Snapshot;
  for (const t of CASE_TABLES)
    out[t] = await sql.run(`SELECT * FROM ${sql.table(t)} WHERE case_id = ?`, [caseId]);
  return out;
}

/** Puts a case's rows back as they were (child tables first out, parent first in). */
async function restore(sql: RawSql, caseId: string, snap: Snapshot): Promise<void> {
  for (const t of [...CASE_TABLES].reverse())
    await sql.run(`DELETE FROM ${sql.table(t)} WHERE case_id = ?`, [caseId]);
  for (const t of CASE_TABLES) for (const row of snap[t]) await insertRow(sql, t, row);
}

/** Inserts a row as read back (a parsed JSON column is written as its text). */
async function insertRow(sql: RawSql, table: (typeof CASE_TABLES)[number], row: Row): Promise<void> {
  const names = Object.keys(row);
  const values = names.map((n) => {
    const v = row[n];
    return v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v;
  });
  await sql.run(
    `INSERT INTO ${sql.table(table)} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
    values,
  );
}

async function eventsOf(sql: RawSql, caseId: string): Promise<Row[]> {
  const rows = await sql.run(`SELECT event FROM ${sql.table('events')} WHERE case_id = ? ORDER BY seq`, [
    caseId,
  ]);
  return rows.map((r) => json(r.event));
}

async function eventAt(sql: RawSql, caseId: string, seq: number): Promise<Row> {
  const [row] = await sql.run(`SELECT event FROM ${sql.table('events')} WHERE case_id = ? AND seq = ?`, [
    caseId,
    seq,
  ]);
  return json(row?.event);
}

async function putEvent(sql: RawSql, caseId: string, seq: number, event: Row): Promise<void> {
  await sql.run(`UPDATE ${sql.table('events')} SET event = ? WHERE case_id = ? AND seq = ?`, [
    JSON.stringify(event),
    caseId,
    seq,
  ]);
}

async function editEvent(sql: RawSql, caseId: string, seq: number, edit: (e: Row) => Row): Promise<void> {
  await putEvent(sql, caseId, seq, edit(await eventAt(sql, caseId, seq)));
}

/**
 * Writes `events` as the case's whole log with a recomputed hash chain (the published algorithm),
 * and points the case row at the new head: a consistent chain, made without the key.
 */
async function writeChain(
  sql: RawSql,
  caseId: string,
  events: Row[],
  o: { keepMacs: boolean },
): Promise<void> {
  let prev = '';
  const chained = events.map((e): Row & { hash: string } => {
    const { mac, ...rest } = e;
    const body: Row = { ...rest, prevHash: prev };
    const next = { ...body, hash: rehash(body), ...(o.keepMacs && mac !== undefined ? { mac } : {}) };
    prev = next.hash;
    return next;
  });
  await sql.run(`DELETE FROM ${sql.table('events')} WHERE case_id = ?`, [caseId]);
  for (const e of chained) {
    await sql.run(`INSERT INTO ${sql.table('events')} (case_id, seq, at, event) VALUES (?, ?, ?, ?)`, [
      caseId,
      e.seq,
      e.at,
      JSON.stringify(e),
    ]);
  }
  const [row] = await sql.run(`SELECT projection FROM ${sql.table('cases')} WHERE case_id = ?`, [caseId]);
  const p = { ...json(row?.projection), version: chained.length, headHash: prev };
  await sql.run(`UPDATE ${sql.table('cases')} SET projection = ?, version = ? WHERE case_id = ?`, [
    JSON.stringify(p),
    chained.length,
    caseId,
  ]);
}

/** Copies a case under a new id, its chain re-hashed (the MACs copied, being all one can do). */
async function copyCase(sql: RawSql, from: string, to: string): Promise<void> {
  const snap = await snapshot(sql, from);
  const swap = (text: string) => text.split(from).join(to);
  const [caseRow] = snap.cases;
  await insertRow(sql, 'cases', {
    ...caseRow,
    case_id: to,
    projection: JSON.parse(swap(JSON.stringify(caseRow?.projection))),
  });
  for (const r of snap.case_readers) await insertRow(sql, 'case_readers', { ...r, case_id: to });
  const events = snap.events
    .map((r) => JSON.parse(swap(JSON.stringify(json(r.event)))) as Row)
    .sort((a, b) => Number(a.seq) - Number(b.seq));
  await writeChain(sql, to, events, { keepMacs: true });
}

/** Replaces a deadline row's document (and its filter columns when given). */
async function editDeadline(
  sql: RawSql,
  id: string,
  edit: (row: Row) => Row,
  dueAt?: string,
  status?: string,
): Promise<void> {
  const [found] = await sql.run(`SELECT row FROM ${sql.table('deadlines')} WHERE id = ?`, [id]);
  if (!found) throw new Error(`no deadline row ${id}`);
  const row = edit(json(found.row));
  await sql.run(`UPDATE ${sql.table('deadlines')} SET row = ? WHERE id = ?`, [JSON.stringify(row), id]);
  if (dueAt) await sql.run(`UPDATE ${sql.table('deadlines')} SET due_at = ? WHERE id = ?`, [dueAt, id]);
  if (status) await sql.run(`UPDATE ${sql.table('deadlines')} SET status = ? WHERE id = ?`, [status, id]);
}
