/**
 * Small factories for store fixtures: events with a real hash chain, projections, deadline and
 * outbox rows, whole batches. Every field has a plausible default, so a test names only what it
 * is about.
 */

import { createHash } from 'node:crypto';
import type {
  AppendBatch,
  CaseEvent,
  CaseProjection,
  CaseStore,
  DeadlineRow,
  IdempotencyRecord,
  JsonObject,
  OutboxRow,
} from '@xinfang/core/store-kit';

/** The instant fixtures start from: inside the years the calendars cover. */
export const FIXTURE_EPOCH = '2026-03-02T01:00:00.000Z';

/** `FIXTURE_EPOCH` (or `from`) plus `minutes`, as a normalised ISO instant. */
export function minutesAfter(minutes: number, from: string = FIXTURE_EPOCH): string {
  return new Date(Date.parse(from) + minutes * 60_000).toISOString();
}

/** SHA-256 (hex) over the JSON of the event without its `hash`, as the fixtures chain events. */
export function hashEvent(event: Omit<CaseEvent, 'hash'> & { hash?: string }): string {
  const { hash: _ignored, ...rest } = event;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}

/** One event; `hash` is computed over the result unless given in `overrides`. */
export function makeEvent(caseId: string, seq: number, overrides: Partial<CaseEvent> = {}): CaseEvent {
  const { hash, ...fields } = overrides;
  const event: Omit<CaseEvent, 'hash'> = {
    caseId,
    seq,
    type: seq === 1 ? 'SUBMITTED' : 'NOTE',
    at: minutesAfter(seq),
    actor: { id: 'clerk-1', role: 'registrar', unit: 'cn.test.bureau', name: '王小明' },
    payload: { note: `event ${seq}` },
    configId: 'cn.test',
    configVersion: '2026.1',
    configHash: 'cfg-hash-1',
    calendarVersion: 'cn-mainland@2026.1',
    prevHash: '',
    ...fields,
  };
  return { ...event, hash: hash ?? hashEvent(event) };
}

/**
 * `count` chained events of `caseId` from seq `fromSeq`: each event's `prevHash` is the hash of
 * the one before (`prevHash` for the first). `each` customises event `i` before it is hashed.
 */
export function makeEvents(
  caseId: string,
  fromSeq: number,
  count: number,
  options: { prevHash?: string; each?: (seq: number) => Partial<CaseEvent> } = {},
): CaseEvent[] {
  const events: CaseEvent[] = [];
  let prevHash = options.prevHash ?? '';
  for (let seq = fromSeq; seq < fromSeq + count; seq++) {
    const event = makeEvent(caseId, seq, { ...options.each?.(seq), prevHash });
    events.push(event);
    prevHash = event.hash;
  }
  return events;
}

/** A green case in the registration stage at `version`. */
export function makeProjection(
  caseId: string,
  version: number,
  overrides: Partial<CaseProjection> = {},
): CaseProjection {
  return {
    caseId,
    jurisdictionId: 'cn.test',
    configVersion: '2026.1',
    configHash: 'cfg-hash-1',
    version,
    state: 'registered',
    stage: 'registration',
    colour: 'green',
    redReasons: [],
    violations: [],
    responsibleUnit: 'cn.test.bureau',
    registeringUnit: 'cn.test.bureau',
    identityKey: `id:${caseId}`,
    matterKey: `matter:${caseId}`,
    createdAt: FIXTURE_EPOCH,
    updatedAt: minutesAfter(version),
    headHash: '',
    data: { petition: { title: `petition ${caseId}` } },
    ...overrides,
  };
}

/** A running duty deadline `<caseId>:<deadlineId>:<n>`, due 15 days after the epoch. */
export function makeDeadline(caseId: string, n = 1, overrides: Partial<DeadlineRow> = {}): DeadlineRow {
  const deadlineId = overrides.deadlineId ?? 'disposal';
  return {
    id: `${caseId}:${deadlineId}:${n}`,
    caseId,
    deadlineId,
    kind: 'duty',
    status: 'running',
    startDate: '2026-03-02',
    dueDate: '2026-03-17',
    dueAt: '2026-03-17T16:00:00.000Z',
    provisional: false,
    explanation: { rule: '15 calendar days', basis: 'reg-2022 art. 22' },
    extensions: [],
    pauses: [],
    leaseOwner: null,
    leaseUntil: null,
    ...overrides,
  };
}

/** A pending notification produced by event `seq`, due at once. */
export function makeOutboxRow(
  caseId: string,
  seq: number,
  n = 1,
  overrides: Partial<OutboxRow> = {},
): OutboxRow {
  return {
    id: `${caseId}:${seq}:${n}`,
    caseId,
    seq,
    channel: 'webhook',
    recipient: 'petitioner',
    kind: 'notification',
    payload: { text: '您的信访事项已受理' },
    status: 'pending',
    attempts: 0,
    nextAttemptAt: FIXTURE_EPOCH,
    lastError: null,
    receipt: null,
    leaseOwner: null,
    leaseUntil: null,
    createdAt: FIXTURE_EPOCH,
    ...overrides,
  };
}

/** An idempotency record for `caseId`. */
export function makeIdempotency(
  key: string,
  caseId: string,
  overrides: Partial<IdempotencyRecord> = {},
): IdempotencyRecord {
  return { key, fingerprint: `fp:${key}`, caseId, result: { caseId, ok: true }, ...overrides };
}

export interface MakeBatchOptions {
  /** @default 0 (a new case) */
  expectedVersion?: number;
  /** Number of events. @default 1 */
  count?: number;
  /** Hash of the case's last stored event. @default '' */
  prevHash?: string;
  each?: (seq: number) => Partial<CaseEvent>;
  projection?: Partial<CaseProjection>;
  deadlines?: DeadlineRow[];
  outbox?: OutboxRow[];
  idempotency?: IdempotencyRecord;
}

/** A consistent batch: chained events, a projection at the batch's last seq with its head hash. */
export function makeBatch(caseId: string, options: MakeBatchOptions = {}): AppendBatch {
  const expectedVersion = options.expectedVersion ?? 0;
  const events = makeEvents(caseId, expectedVersion + 1, options.count ?? 1, {
    prevHash: options.prevHash ?? '',
    ...(options.each ? { each: options.each } : {}),
  });
  const version = expectedVersion + events.length;
  const headHash = events.at(-1)?.hash ?? options.prevHash ?? '';
  return {
    caseId,
    expectedVersion,
    events,
    projection: makeProjection(caseId, version, { headHash, ...options.projection }),
    ...(options.deadlines ? { deadlines: options.deadlines } : {}),
    ...(options.outbox ? { outbox: options.outbox } : {}),
    ...(options.idempotency ? { idempotency: options.idempotency } : {}),
  };
}

/**
 * Appends a new case (one event unless `count` says otherwise) and returns the batch written;
 * its projection's `version` and `headHash` say where the next batch continues.
 */
export async function seedCase(
  store: CaseStore,
  caseId: string,
  options: Omit<MakeBatchOptions, 'expectedVersion' | 'prevHash'> = {},
): Promise<AppendBatch> {
  const batch = makeBatch(caseId, options);
  await store.append(batch);
  return batch;
}

/** The batch that continues `previous` (as returned by `makeBatch`/`seedCase`) on the same case. */
export function nextBatch(
  previous: AppendBatch,
  options: Omit<MakeBatchOptions, 'expectedVersion' | 'prevHash'> = {},
) {
  return makeBatch(previous.caseId, {
    ...options,
    expectedVersion: previous.projection.version,
    prevHash: previous.projection.headHash,
  });
}

/** A plain JSON payload of about `bytes` UTF-8 bytes, mixing Chinese and ASCII text. */
export function largePayload(bytes: number): JsonObject {
  const unit = '信访事项办理意见：请依法按期答复。abc123 ';
  const unitBytes = Buffer.byteLength(unit);
  return { text: unit.repeat(Math.ceil(bytes / unitBytes)), bytes };
}

/**
 * Cases as a store held them before readers existed, for the SQL stores' migration tests: no
 * readers (but one, written by an engine ahead of its store), petitioners of every kind.
 */
export function preReaderCases(): AppendBatch[] {
  return [
    makeBatch('o1', {
      projection: { responsibleUnit: 'U1', data: { registeringUnit: 'R1', petitionerId: 'p1' } },
    }),
    makeBatch('o2', {
      projection: { responsibleUnit: undefined, data: { registeringUnit: 'R1', petitionerId: 'p2' } },
    }),
    makeBatch('o3', {
      projection: { readers: ['U7', 'U8'], responsibleUnit: 'U1', data: { registeringUnit: 'R1' } },
    }),
    makeBatch('o4', {
      projection: { responsibleUnit: 'R2', data: { registeringUnit: 'R2', petitionerId: 5 } },
    }),
    makeBatch('o5', { projection: { readers: [], data: { petitionerId: 'p1' } } }),
  ];
}
