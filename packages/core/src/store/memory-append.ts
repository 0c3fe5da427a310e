/**
 * Appending to the in-memory store: the shared batch checks, then the checks against what is
 * stored, then the writes. Everything is checked before the first write, and nothing awaits in
 * between, so a refused batch leaves no trace.
 */

import {
  checkExpectedVersion,
  checkIdempotency,
  type PreparedBatch,
  prepareAppend,
  refuseBatch,
} from './kit/batch.js';
import { copy, type MemoryState } from './memory-state.js';
import type { AppendBatch, AppendResult } from './types.js';

/** Appends a batch (the store is open); a duplicate of a stored request writes nothing. */
export function appendBatch(s: MemoryState, input: AppendBatch): AppendResult {
  const prepared = prepareAppend(copy(input));
  const { batch } = prepared;
  const stored = batch.idempotency ? s.idempotency.get(batch.idempotency.key) : undefined;
  if (checkIdempotency(batch.idempotency, stored) === 'duplicate' && stored) {
    const version = s.cases.get(stored.caseId)?.projection.version ?? 0;
    return { duplicate: true, version, idempotency: copy(stored) };
  }
  checkAgainstStored(s, prepared);
  write(s, prepared);
  return {
    duplicate: false,
    version: batch.projection.version,
    ...(batch.idempotency ? { idempotency: copy(batch.idempotency) } : {}),
  };
}

/** The case is at the version the writer read, and no row of the batch is another case's. */
function checkAgainstStored(s: MemoryState, { batch, deadlines, outbox }: PreparedBatch): void {
  checkExpectedVersion(batch, s.cases.get(batch.caseId)?.projection.version ?? 0);
  for (const row of deadlines) {
    const owner = s.deadlines.get(row.id)?.caseId;
    if (owner !== undefined && owner !== batch.caseId) {
      refuseBatch(batch, `deadline ${row.id} belongs to case ${owner}`);
    }
  }
  for (const row of outbox) {
    if (s.outbox.has(row.id)) refuseBatch(batch, `outbox row ${row.id} already exists`);
  }
}

function write(s: MemoryState, { batch, eventAt, deadlines, outbox }: PreparedBatch): void {
  const existing = s.cases.get(batch.caseId);
  const target = existing ?? { projection: batch.projection, events: [] };
  if (!existing) {
    s.cases.set(batch.caseId, target);
    s.caseIds.push(batch.caseId);
    s.caseIdsSorted = false;
  }
  target.projection = batch.projection;
  batch.events.forEach((event, i) => {
    target.events.push(event);
    s.eventKeys.push({ at: eventAt[i] as string, caseId: event.caseId, seq: event.seq });
  });
  if (batch.events.length > 0) s.eventKeysSorted = false;
  for (const row of deadlines) s.deadlines.set(row.id, row);
  for (const row of outbox) s.outbox.set(row.id, row);
  if (batch.idempotency) s.idempotency.set(batch.idempotency.key, batch.idempotency);
}
