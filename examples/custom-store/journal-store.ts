/**
 * A `CaseStore` of one's own: everything is held in memory and every change is first written
 * to a journal, an append-only file of JSON lines (one line per change, synced to disk before
 * the change counts). Opening the store reads the journal back.
 *
 * It is small on purpose, to show what the contract asks of a store; the conformance suite of
 * `@xinfang/testing` is what says it is right. One process at a time (a lock file keeps a
 * second one out), and it keeps all cases in memory: a store for a small office or a test
 * bench, not for a province.
 *
 * The checks every store applies the same way (seqs, versions, idempotency, instants) come
 * from core's store helpers, so this store refuses exactly what SQLite and PostgreSQL refuse.
 */

import {
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import {
  type AppendResult,
  type CaseEvent,
  type CaseProjection,
  type CaseQuery,
  type CaseStore,
  type ClaimOptions,
  checkExpectedVersion,
  checkIdempotency,
  type DeadlineRow,
  type IdempotencyRecord,
  type JsonObject,
  LeaseLostError,
  normaliseInstant,
  type OutboxRow,
  prepareAppend,
  prepareClaim,
  refuseBatch,
  resolveLimit,
  StoreError,
  StoreInputError,
} from '@xinfang/core';

/** Options of {@link createJournalStore}. */
export interface JournalStoreOptions {
  /** The journal file (created if missing). Its lock is `<path>.lock`. */
  path: string;
}

/** One line of the journal: a change, replayed in order on open. */
type Change =
  | {
      op: 'append';
      caseId: string;
      events: CaseEvent[];
      projection: CaseProjection;
      deadlines: DeadlineRow[];
      outbox: OutboxRow[];
      idempotency?: IdempotencyRecord;
    }
  | { op: 'lease'; table: 'deadlines' | 'outbox'; ids: string[]; owner: string; until: string }
  | { op: 'ack'; id: string; receipt: JsonObject }
  | { op: 'fail'; id: string; error: string; retryAt: string | null }
  | { op: 'config'; hash: string; config: JsonObject }
  | { op: 'sequence'; name: string; value: number };

/** What the journal replays into. */
interface State {
  cases: Map<string, { projection: CaseProjection; events: CaseEvent[] }>;
  deadlines: Map<string, DeadlineRow>;
  outbox: Map<string, OutboxRow>;
  idempotency: Map<string, IdempotencyRecord>;
  configs: Map<string, JsonObject>;
  sequences: Map<string, number>;
}

/** Deep copies: a caller must not change stored data through what it passed in or got back. */
const copy = <T>(value: T): T => structuredClone(value);

/** Binary string order, as SQL's `ORDER BY` over text sorts ids. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function apply(state: State, change: Change): void {
  switch (change.op) {
    case 'append': {
      const stored = state.cases.get(change.caseId);
      if (stored) {
        stored.events.push(...change.events);
        stored.projection = change.projection;
      } else {
        state.cases.set(change.caseId, { projection: change.projection, events: [...change.events] });
      }
      for (const row of change.deadlines) state.deadlines.set(row.id, row);
      for (const row of change.outbox) state.outbox.set(row.id, row);
      if (change.idempotency) state.idempotency.set(change.idempotency.key, change.idempotency);
      return;
    }
    case 'lease':
      for (const id of change.ids) {
        const row = (change.table === 'deadlines' ? state.deadlines : state.outbox).get(id);
        if (row) Object.assign(row, { leaseOwner: change.owner, leaseUntil: change.until });
      }
      return;
    case 'ack': {
      const row = state.outbox.get(change.id);
      if (row)
        Object.assign(row, {
          status: 'delivered',
          receipt: change.receipt,
          leaseOwner: null,
          leaseUntil: null,
        });
      return;
    }
    case 'fail': {
      const row = state.outbox.get(change.id);
      if (!row) return;
      row.attempts += 1;
      row.lastError = change.error;
      if (change.retryAt === null) row.status = 'dead';
      else row.nextAttemptAt = change.retryAt;
      row.leaseOwner = null;
      row.leaseUntil = null;
      return;
    }
    case 'config':
      if (!state.configs.has(change.hash)) state.configs.set(change.hash, change.config);
      return;
    case 'sequence':
      state.sequences.set(change.name, change.value);
      return;
  }
}

/**
 * Takes the lock file, or refuses: two processes appending to one journal would interleave
 * their lines and each would miss the other's changes. A lock left by a process that is gone
 * (a crash) is taken over.
 */
function lock(path: string): string {
  const lockPath = `${path}.lock`;
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return lockPath;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new StoreError(`cannot lock ${path}`, {}, { cause: e });
    }
    const holder = Number(readFileSync(lockPath, 'utf8'));
    if (Number.isInteger(holder) && holder > 0 && processAlive(holder)) {
      throw new StoreError(
        `the journal ${path} is open in process ${holder}${holder === process.pid ? ' (this one)' : ''}: ` +
          'close that store first; a journal store serves one process at a time',
        { path, holder },
      );
    }
    rmSync(lockPath, { force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Reads the journal back. A last line without its newline is a write the process did not
 * finish (it crashed mid-line): that change never counted, so it is cut off; a damaged line
 * before the end is refused, since the changes after it depend on it.
 */
function replay(path: string, state: State): void {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new StoreError(`cannot read the journal ${path}`, { path }, { cause: e });
  }
  const complete = text.lastIndexOf('\n') + 1;
  if (complete < text.length) truncateSync(path, Buffer.byteLength(text.slice(0, complete)));
  const lines = text.slice(0, complete).split('\n');
  lines.pop();
  lines.forEach((line, i) => {
    let change: Change;
    try {
      change = JSON.parse(line) as Change;
    } catch (e) {
      throw new StoreError(
        `line ${i + 1} of the journal ${path} is not a change: the file was edited or damaged; restore it from a backup`,
        { path, line: i + 1 },
        { cause: e },
      );
    }
    apply(state, change);
  });
}

/** Opens (or creates) a journal store. */
export function createJournalStore(options: JournalStoreOptions): CaseStore {
  const { path } = options;
  const lockPath = lock(path);
  const state: State = {
    cases: new Map(),
    deadlines: new Map(),
    outbox: new Map(),
    idempotency: new Map(),
    configs: new Map(),
    sequences: new Map(),
  };
  let fd: number;
  let size: number;
  try {
    replay(path, state);
    fd = openSync(path, 'a');
    size = fstatSync(fd).size;
  } catch (e) {
    rmSync(lockPath, { force: true });
    throw e;
  }
  let closed = false;
  let released = false;

  /**
   * Writes a change and syncs it before applying it: once a method returns, the change survives
   * a crash, and a failed write applies nothing. Everything is synchronous from a method's checks
   * to here, so no other call of this process can interleave with a change half made.
   */
  function commit(change: Change): void {
    if (closed) throw new StoreError(`the journal store ${path} is closed`, { path });
    const line = JSON.stringify(change);
    const bytes = Buffer.from(`${line}\n`);
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } catch (e) {
      // a line half written (a full disk) must not have the next change glued to it; if it
      // cannot be cut off, the store takes no more changes (reopening cuts it off)
      try {
        ftruncateSync(fd, size);
      } catch {
        closed = true;
      }
      throw new StoreError(`cannot write the journal ${path}`, { path }, { cause: e });
    }
    size += bytes.length;
    // apply what was written, read back: memory then holds exactly what a reopen would
    apply(state, JSON.parse(line) as Change);
  }

  function open(): void {
    if (closed) throw new StoreError(`the journal store ${path} is closed`, { path });
  }

  function held(id: string, owner: string): OutboxRow {
    const row = state.outbox.get(id);
    if (row?.status !== 'pending' || row.leaseOwner !== owner) {
      throw new LeaseLostError({
        id,
        owner,
        holder: row?.leaseOwner ?? null,
        ...(row ? { status: row.status } : {}),
      });
    }
    return row;
  }

  /** Rows due at `now` and not leased to anyone else, leased to `owner` (in the journal too). */
  function claim(table: 'deadlines' | 'outbox', now: string, options: ClaimOptions) {
    const c = prepareClaim(now, options);
    const rows: (DeadlineRow | OutboxRow)[] = [
      ...(table === 'deadlines' ? state.deadlines : state.outbox).values(),
    ];
    const due = rows
      .filter((row) => {
        const free = row.leaseUntil == null || row.leaseUntil <= c.now;
        if ('dueAt' in row) return row.status === 'running' && row.dueAt <= c.now && free;
        return row.status === 'pending' && row.nextAttemptAt <= c.now && free;
      })
      .map((row) => ({ row, at: 'dueAt' in row ? row.dueAt : row.nextAttemptAt }))
      .sort((a, b) => byText(a.at, b.at) || byText(a.row.id, b.row.id))
      .slice(0, c.limit)
      .map(({ row }) => row);
    if (due.length > 0)
      commit({ op: 'lease', table, ids: due.map((r) => r.id), owner: c.owner, until: c.leaseUntil });
    return copy(due);
  }

  const matches = (value: string | undefined, wanted: string | string[] | undefined) =>
    wanted === undefined ||
    (value !== undefined && (Array.isArray(wanted) ? wanted.includes(value) : value === wanted));

  return {
    capabilities: { durable: true, multiProcess: false },

    async append(input): Promise<AppendResult> {
      open();
      const { batch, deadlines, outbox } = prepareAppend(copy(input));
      const stored = batch.idempotency ? state.idempotency.get(batch.idempotency.key) : undefined;
      if (checkIdempotency(batch.idempotency, stored) === 'duplicate' && stored) {
        return {
          duplicate: true,
          version: state.cases.get(stored.caseId)?.projection.version ?? 0,
          idempotency: copy(stored),
        };
      }
      checkExpectedVersion(batch, state.cases.get(batch.caseId)?.projection.version ?? 0);
      for (const row of deadlines) {
        const owner = state.deadlines.get(row.id)?.caseId;
        if (owner !== undefined && owner !== batch.caseId)
          refuseBatch(batch, `deadline ${row.id} belongs to case ${owner}`);
      }
      for (const row of outbox) {
        if (state.outbox.has(row.id)) refuseBatch(batch, `outbox row ${row.id} already exists`);
      }
      commit({
        op: 'append',
        caseId: batch.caseId,
        events: batch.events,
        projection: batch.projection,
        deadlines,
        outbox,
        ...(batch.idempotency ? { idempotency: batch.idempotency } : {}),
      });
      return {
        duplicate: false,
        version: batch.projection.version,
        ...(batch.idempotency ? { idempotency: copy(batch.idempotency) } : {}),
      };
    },

    async getIdempotency(key) {
      open();
      return copy(state.idempotency.get(key));
    },

    async getCase(caseId) {
      open();
      return copy(state.cases.get(caseId)?.projection);
    },

    async events(caseId, fromSeq = 1) {
      open();
      return copy((state.cases.get(caseId)?.events ?? []).slice(Math.max(0, fromSeq - 1)));
    },

    async query(q: CaseQuery) {
      open();
      const limit = resolveLimit(q.limit);
      const dueBefore = q.dueBefore === undefined ? undefined : normaliseInstant(q.dueBefore, 'dueBefore');
      const overdue = new Set<string>();
      if (dueBefore !== undefined) {
        for (const row of state.deadlines.values()) {
          if (row.status === 'running' && row.dueAt < dueBefore) overdue.add(row.caseId);
        }
      }
      // a real backend keeps indexes; this one looks at every case, in case-id order
      const found: CaseProjection[] = [];
      for (const caseId of [...state.cases.keys()].sort(byText)) {
        if (found.length >= limit) break;
        const p = state.cases.get(caseId)?.projection as CaseProjection;
        if (
          (q.after === undefined || caseId > q.after) &&
          (dueBefore === undefined || overdue.has(caseId)) &&
          matches(p.jurisdictionId, q.jurisdictionId) &&
          matches(p.stage, q.stage) &&
          matches(p.state, q.state) &&
          matches(p.colour, q.colour) &&
          matches(p.responsibleUnit, q.unit) &&
          matches(p.identityKey, q.identityKey) &&
          matches(p.matterKey, q.matterKey)
        ) {
          found.push(p);
        }
      }
      return copy(found);
    },

    async eventsBetween(from, to, options = {}) {
      open();
      const lo = normaliseInstant(from, 'from');
      const hi = normaliseInstant(to, 'to');
      const limit = resolveLimit(options.limit);
      // events keep the instant as written (the hash covers it); they are ordered as instants
      const keyed = [...state.cases.values()]
        .flatMap((c) => c.events)
        .map((event) => ({ event, at: normaliseInstant(event.at, 'at') }))
        .sort(
          (a, b) => byText(a.at, b.at) || byText(a.event.caseId, b.event.caseId) || a.event.seq - b.event.seq,
        );
      let start = 0;
      if (options.after) {
        const { caseId, seq } = options.after;
        start = keyed.findIndex((k) => k.event.caseId === caseId && k.event.seq === seq) + 1;
        if (start === 0)
          throw new StoreInputError(`eventsBetween: no event ${caseId}#${seq} to page after`, {
            caseId,
            seq,
          });
      }
      return copy(
        keyed
          .slice(start)
          .filter((k) => k.at >= lo && k.at < hi)
          .slice(0, limit)
          .map((k) => k.event),
      );
    },

    async deadlines(caseId) {
      open();
      return copy(
        [...state.deadlines.values()].filter((r) => r.caseId === caseId).sort((a, b) => byText(a.id, b.id)),
      );
    },

    async claimDueDeadlines(now, options) {
      open();
      return claim('deadlines', now, options) as DeadlineRow[];
    },

    async provisionalDeadlines() {
      open();
      const rows = [...state.deadlines.values()].filter(
        (r) => r.provisional && (r.status === 'running' || r.status === 'paused'),
      );
      return copy(rows.sort((a, b) => byText(a.caseId, b.caseId) || byText(a.id, b.id)));
    },

    async claimOutbox(now, options) {
      open();
      return claim('outbox', now, options) as OutboxRow[];
    },

    async ackOutbox(id, owner, receipt) {
      open();
      held(id, owner);
      commit({ op: 'ack', id, receipt });
    },

    async failOutbox(id, owner, failure) {
      open();
      const retryAt = failure.dead ? null : normaliseInstant(failure.retryAt, 'retryAt');
      held(id, owner);
      commit({ op: 'fail', id, error: failure.error, retryAt });
    },

    async outbox(filter = {}) {
      open();
      const rows = [...state.outbox.values()].filter(
        (r) =>
          (filter.caseId === undefined || r.caseId === filter.caseId) &&
          (filter.status === undefined || r.status === filter.status),
      );
      return copy(rows.sort((a, b) => byText(a.createdAt, b.createdAt) || byText(a.id, b.id)));
    },

    async putConfig(hash, config) {
      open();
      // the first text of a hash wins: a case replays under exactly what it pinned
      if (!state.configs.has(hash)) commit({ op: 'config', hash, config });
    },

    async getConfig(hash) {
      open();
      return copy(state.configs.get(hash));
    },

    async nextSequence(name) {
      open();
      const value = (state.sequences.get(name) ?? 0) + 1;
      commit({ op: 'sequence', name, value });
      return value;
    },

    async close() {
      closed = true;
      if (released) return;
      released = true;
      closeSync(fd);
      rmSync(lockPath, { force: true });
    },
  };
}
