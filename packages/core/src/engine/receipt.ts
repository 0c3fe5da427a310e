/**
 * `recordReceipt`: the receipt (送达) of a delivered document whose receipt starts a window
 * (Reg. 35-36). A receipt dated today or earlier is the `RECEIPT` command, sent as the engine's
 * own actor; a deemed date still ahead (post: 7 days after posting) is kept as a pending outbox
 * row on `RECEIPT_CHANNEL`, due on that date, which the dispatcher hands back here. Durable,
 * never an in-memory timer; repeats (at-least-once delivery) record once. The document is the
 * stored outbox row named by the caller's id, and the receipt is checked against it
 * (`receipt-bounds.ts`): a caller cannot name another document or date a receipt before it.
 */

import { isXinfangError } from '../base/errors.js';
import { toJson } from '../base/json.js';
import { civilDate, instantAt } from '../calendar/index.js';
import { type ReceiptDate, receiptCommand } from '../documents/receipt.js';
import type { JsonObject, OutboxRow } from '../store/types.js';
import { CaseTx, retryOnConflict } from './case-tx.js';
import { TransitionError } from './errors.js';
import { awaitingReceipt, checkDeliveredReceipt, RECEIPT_CHANNEL } from './receipt-bounds.js';
import { clockActor, type EngineRuntime, nowOf } from './runtime.js';
import { sendCommand } from './send.js';
import type { ReceiptOutcome } from './types.js';

/** Records (or schedules) the receipt of a delivered document. */
export async function recordDocumentReceipt(
  rt: EngineRuntime,
  document: Pick<OutboxRow, 'id' | 'caseId' | 'seq' | 'payload'>,
  claimed: ReceiptDate,
): Promise<ReceiptOutcome> {
  return retryOnConflict(async () => {
    const tx = await CaseTx.open(rt, document.caseId);
    const { compiled, projection } = tx;
    const rows = await rt.store.outbox({ caseId: document.caseId });
    const stored = rows.find((r) => r.id === document.id);
    const at = nowOf(rt);
    const where = { caseId: document.caseId, state: projection.state, actor: clockActor(rt) };
    const receipt = checkDeliveredReceipt(compiled, where, stored, claimed, at);
    const documentId = String(stored?.payload.documentId);
    if (!awaitingReceipt(compiled).get(documentId)?.has(projection.state)) return 'not-owed';
    if (receipt.receivedAt === undefined) return 'awaiting-proof';
    const zone = compiled.config.jurisdiction.timezone;
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
        // staff recorded the receipt by hand first, or the case moved on in between; a date the
        // bounds refuse is the caller's to hear
        if (e instanceof TransitionError && e.code !== 'RECEIPT_IMPLAUSIBLE') return 'not-owed';
        // delivered again after a crash, on a later day: the receipt first recorded stands
        if (isXinfangError(e, 'IDEMPOTENCY_CONFLICT')) return 'not-owed';
        throw e;
      }
    }
    const id = `${RECEIPT_CHANNEL}:${document.id}`;
    if (rows.some((r) => r.id === id)) return 'scheduled';
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
        seq: stored?.seq ?? document.seq,
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
