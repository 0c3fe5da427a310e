/**
 * The journal file of the journal store: one JSON line per change, replayed in order on open, and
 * the lock file that keeps a second process out. What a change does to the store's state is
 * defined here once, for the replay and for the live store alike.
 */

import { closeSync, openSync, readFileSync, rmSync, truncateSync, writeSync } from 'node:fs';
import {
  type CaseEvent,
  type CaseProjection,
  type DeadlineRow,
  type IdempotencyRecord,
  type JsonObject,
  type OutboxRow,
  StoreError,
} from '@xinfang/core/store-kit';

/** One line of the journal: a change, replayed in order on open. */
export type Change =
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
export interface State {
  cases: Map<string, { projection: CaseProjection; events: CaseEvent[] }>;
  deadlines: Map<string, DeadlineRow>;
  outbox: Map<string, OutboxRow>;
  idempotency: Map<string, IdempotencyRecord>;
  configs: Map<string, JsonObject>;
  sequences: Map<string, number>;
}

/** Applies one change to the state. */
export function apply(state: State, change: Change): void {
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
export function lock(path: string): string {
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
export function replay(path: string, state: State): void {
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
