/**
 * `recordReceipt`: the receipt (送达) of a delivered document whose receipt starts a window
 * (Reg. 35-36). A receipt dated today or earlier is the `RECEIPT` command, sent as the engine's
 * own actor; a deemed date still ahead (post: 7 days after posting) is kept as a pending outbox
 * row on `RECEIPT_CHANNEL`, due on that date, which the dispatcher hands back here. Durable,
 * never an in-memory timer; repeats (at-least-once delivery) record once.
 */

import { toJson } from '../base/json.js';
import { civilDate, instantAt } from '../calendar/index.js';
import type { CompiledConfig } from '../compiler/compile.js';
import { type ReceiptDate, receiptCommand } from '../documents/receipt.js';
import type { JsonObject, OutboxRow } from '../store/types.js';
import { CaseTx, retryOnConflict } from './case-tx.js';
import { TransitionError } from './errors.js';
import { clockActor, type EngineRuntime, nowOf } from './runtime.js';
import { sendCommand } from './send.js';
import type { ReceiptOutcome } from './types.js';

/** The outbox channel of a pending receipt: a deemed receipt date still ahead. */
export const RECEIPT_CHANNEL = 'receipt';

/** Per config hash: document id -> the states awaiting its receipt (those a `RECEIPT` leaves). */
const awaiting = new WeakMap<CompiledConfig, Map<string, Set<string>>>();

function awaitingReceipt(compiled: CompiledConfig): Map<string, Set<string>> {
  let hit = awaiting.get(compiled);
  if (hit) return hit;
  hit = new Map();
  const add = (document: string, state: string) =>
    hit?.set(document, (hit.get(document) ?? new Set()).add(state));
  const states = compiled.config.process.states;
  for (const [name, state] of Object.entries(states)) {
    if (state.on?.RECEIPT) for (const d of state.issues ?? []) add(d, name);
    for (const type of Object.keys(state.on ?? {})) {
      for (const def of compiled.transitions(name, type)) {
        if (!def.to || !states[def.to]?.on?.RECEIPT) continue;
        for (const d of def.issues ?? []) add(d, def.to);
      }
    }
  }
  awaiting.set(compiled, hit);
  return hit;
}

/** Records (or schedules) the receipt of a delivered document. */
export async function recordDocumentReceipt(
  rt: EngineRuntime,
  document: Pick<OutboxRow, 'id' | 'caseId' | 'seq' | 'payload'>,
  receipt: ReceiptDate,
): Promise<ReceiptOutcome> {
  return retryOnConflict(async () => {
    const tx = await CaseTx.open(rt, document.caseId);
    const { compiled, projection } = tx;
    const documentId = String(document.payload.documentId);
    if (!awaitingReceipt(compiled).get(documentId)?.has(projection.state)) return 'not-owed';
    if (receipt.receivedAt === undefined) return 'awaiting-proof';
    const zone = compiled.config.jurisdiction.timezone;
    const at = nowOf(rt);
    const command = receiptCommand(receipt, civilDate(at, zone));
    if (command) {
      try {
        // keyed by the document: a repeated delivery, or the pending row handed back twice, records once
        await sendCommand(rt, document.caseId, command, clockActor(rt), {
          idempotencyKey: `receipt:${document.id}`,
          internal: true,
        });
        return 'recorded';
      } catch (e) {
        // staff recorded the receipt by hand first, or the case moved on in between
        if (e instanceof TransitionError) return 'not-owed';
        throw e;
      }
    }
    const id = `${RECEIPT_CHANNEL}:${document.id}`;
    if ((await rt.store.outbox({ caseId: document.caseId })).some((r) => r.id === id)) return 'scheduled';
    tx.addOutbox({
      id,
      caseId: document.caseId,
      seq: document.seq,
      channel: RECEIPT_CHANNEL,
      recipient: rt.owner,
      kind: 'receipt',
      payload: toJson<JsonObject>({
        document: document.id,
        documentId,
        seq: document.seq,
        receipt: receipt as unknown as JsonObject,
      }),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: instantAt(receipt.receivedAt, '00:00', zone),
      createdAt: at,
    });
    await tx.commit();
    return 'scheduled';
  });
}
