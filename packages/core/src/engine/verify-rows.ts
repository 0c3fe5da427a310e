/**
 * The stored rows and copies of a case held against what its events derive (`derive.ts`):
 * deadline rows (what `tick` fires), outbox rows (what is sent, and to whom), and the columns and
 * readers rows a store filters on (what `query` returns, what `tick` claims).
 */

import { textToHtml } from '../documents/render.js';
import { contentHash } from '../documents/seal.js';
import { caseReaders, PROJECTION_COLUMNS, PROJECTION_DOCUMENT_COLUMN } from '../store/kit/columns.js';
import type {
  CaseEvent,
  CaseProjection,
  DeadlineRow,
  JsonObject,
  OutboxRow,
  StoredCaseColumns,
} from '../store/types.js';
import { sha256Canonical } from './hash.js';
import { RECEIPT_CHANNEL } from './receipt-bounds.js';
import type { VerifyProblem } from './verify.js';

const same = (a: unknown, b: unknown) => sha256Canonical(a ?? null) === sha256Canonical(b ?? null);
const sameInstant = (a: unknown, b: unknown) =>
  typeof a === 'string' && typeof b === 'string' && Date.parse(a) === Date.parse(b);

/** What of a deadline row the log decides: everything but its lease and the calculation's trace. */
function deadlineFields(r: DeadlineRow): Record<string, unknown> {
  const e = (r.explanation ?? {}) as JsonObject;
  return {
    caseId: r.caseId,
    deadlineId: r.deadlineId,
    kind: r.kind,
    status: r.status,
    startDate: r.startDate,
    dueDate: r.dueDate,
    provisional: r.provisional,
    extensions: r.extensions,
    pauses: r.pauses,
    request: e.request,
    calendarVersion: e.calendarVersion,
  };
}

/** The fields where a stored deadline row differs from the derived one. */
export function deadlineDiff(stored: DeadlineRow, derived: DeadlineRow): string[] {
  const a = deadlineFields(stored);
  const b = deadlineFields(derived);
  const differ = Object.keys(b).filter((k) => !same(a[k], b[k]));
  if (!sameInstant(stored.dueAt, derived.dueAt)) differ.push('dueAt');
  return differ;
}

/** Stored deadline rows against the derived ones: changed, missing or never made. */
export function compareDeadlines(
  version: number,
  stored: readonly DeadlineRow[],
  derived: ReadonlyMap<string, DeadlineRow>,
): VerifyProblem[] {
  const problems: VerifyProblem[] = [];
  const seen = new Set<string>();
  for (const row of stored) {
    seen.add(row.id);
    const want = derived.get(row.id);
    if (!want) {
      problems.push({
        seq: version,
        code: 'DEADLINE_UNKNOWN',
        message: `deadline row ${row.id} was made by no event`,
      });
      continue;
    }
    const differ = deadlineDiff(row, want);
    if (differ.length) {
      problems.push({
        seq: version,
        code: 'DEADLINE_MISMATCH',
        message: `deadline row ${row.id} differs from what the log derives in: ${differ.join(', ')}`,
      });
    }
  }
  for (const id of derived.keys()) {
    if (!seen.has(id))
      problems.push({ seq: version, code: 'DEADLINE_MISSING', message: `deadline row ${id} is missing` });
  }
  return problems;
}

/** Fields an issued document adds to its row's payload (`documents/issue.ts issueRow`). */
const ISSUED = ['number', 'text', 'html', 'contentHash', 'sealed'] as const;

/** What is wrong with an issued document row: its text, number and seal against its event. */
function issuedProblems(row: OutboxRow, event: CaseEvent | undefined): string[] {
  const p = row.payload;
  const pinned = ((event?.payload.documents ?? []) as JsonObject[]).find(
    (d) => d.document === p.documentId && d.number !== undefined,
  );
  const out: string[] = [];
  if (!pinned || pinned.number !== p.number || pinned.contentHash !== p.contentHash)
    out.push('number/contentHash');
  if (typeof p.text !== 'string' || contentHash(p.text) !== p.contentHash) out.push('text');
  else if (p.html !== textToHtml(p.text, `${String(p.name)} ${String(p.number)}`)) out.push('html');
  const sealed = p.sealed as { document?: JsonObject } | undefined;
  if (sealed !== undefined) {
    const d = sealed.document ?? {};
    const recipient = (d.recipient as JsonObject | undefined)?.id;
    if (
      d.text !== p.text ||
      d.contentHash !== p.contentHash ||
      d.number !== p.number ||
      recipient !== row.recipient
    )
      out.push('sealed');
  }
  return out;
}

/** The fields where a stored outbox row differs from the row its event made. */
function outboxDiff(row: OutboxRow, want: OutboxRow, event: CaseEvent | undefined): string[] {
  const differ: string[] = (['caseId', 'seq', 'channel', 'recipient', 'kind'] as const).filter(
    (k) => row[k] !== want[k],
  );
  if (!sameInstant(row.createdAt, want.createdAt)) differ.push('createdAt');
  const issued = row.kind === 'document' && row.payload.number !== undefined;
  const base = issued
    ? Object.fromEntries(
        Object.entries(row.payload).filter(([k]) => !(ISSUED as readonly string[]).includes(k)),
      )
    : row.payload;
  if (!same(base, want.payload)) differ.push('payload');
  if (issued) differ.push(...issuedProblems(row, event).map((f) => `payload.${f}`));
  return differ;
}

/** Stored outbox rows against the rows the events made (recipients and payloads above all). */
export function compareOutbox(
  events: readonly CaseEvent[],
  stored: readonly OutboxRow[],
  derived: ReadonlyMap<string, OutboxRow>,
): VerifyProblem[] {
  const problems: VerifyProblem[] = [];
  const seen = new Set<string>();
  for (const row of stored) {
    seen.add(row.id);
    if (row.channel === RECEIPT_CHANNEL) {
      // a pending receipt is the engine's own note about a document it sent: the document must exist
      if (!derived.has(String(row.payload.document)))
        problems.push({
          seq: row.seq,
          code: 'OUTBOX_UNKNOWN',
          message: `receipt row ${row.id} names no document of the case`,
        });
      continue;
    }
    const want = derived.get(row.id);
    if (!want) {
      problems.push({
        seq: row.seq,
        code: 'OUTBOX_UNKNOWN',
        message: `outbox row ${row.id} was made by no event`,
      });
      continue;
    }
    const differ = outboxDiff(row, want, events[want.seq - 1]);
    if (differ.length) {
      problems.push({
        seq: row.seq,
        code: 'OUTBOX_MISMATCH',
        message: `outbox row ${row.id} differs from what event ${want.seq} made in: ${differ.join(', ')}`,
      });
    }
  }
  for (const [id, want] of derived) {
    if (!seen.has(id))
      problems.push({ seq: want.seq, code: 'OUTBOX_MISSING', message: `outbox row ${id} is missing` });
  }
  return problems;
}

/** The store's copies (case columns, readers rows, deadline columns) against the derived case. */
export function compareColumns(
  stored: StoredCaseColumns,
  derived: CaseProjection,
  rows: ReadonlyMap<string, DeadlineRow>,
  legacyReaders: boolean,
): VerifyProblem[] {
  // a projection stored before readers existed is read by the store's rule for it (`caseReaders`)
  const { readers: _, ...withoutReaders } = derived;
  const projection = legacyReaders ? withoutReaders : derived;
  const seq = projection.version;
  const problems: VerifyProblem[] = [];
  const differ = PROJECTION_COLUMNS.filter((c) => c !== PROJECTION_DOCUMENT_COLUMN)
    .filter((c) => String(stored.columns[c.name] ?? null) !== String(c.value(projection) ?? null))
    .map((c) => c.name);
  if (differ.length) {
    problems.push({
      seq,
      code: 'COLUMN_MISMATCH',
      message: `the case row's ${differ.join(', ')} differ from its log`,
    });
  }
  const readers = [...caseReaders(projection)].sort();
  if (!same([...stored.readers].sort(), readers)) {
    problems.push({
      seq,
      code: 'READERS_MISMATCH',
      message: `the readers rows (${[...stored.readers].sort().join(', ')}) are not the case's readers (${readers.join(', ')})`,
    });
  }
  for (const d of stored.deadlines) {
    const want = rows.get(d.id);
    if (want && (d.status !== want.status || !sameInstant(d.dueAt, want.dueAt))) {
      problems.push({
        seq,
        code: 'COLUMN_MISMATCH',
        message: `deadline ${d.id}'s status or due_at column (${d.status}, ${d.dueAt}) differs from its log (${want.status}, ${want.dueAt})`,
      });
    }
  }
  return problems;
}
