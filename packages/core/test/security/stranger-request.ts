/**
 * Another petitioner's early request on someone else's case. The case's own petitioner asking for
 * review (or re-examination) before any receipt was recorded makes the request the receipt
 * (`receiptByRequest`, Reg. 35-36); a stranger's request must not: it is refused as if the case
 * did not exist (no echo of what the case holds), and nothing is written — the events, the
 * projection, the deadline rows and the outbox are byte for byte what they were. Run on the
 * memory store here (stranger-request.test.ts) and on a real SQLite file by
 * packages/storage-sqlite/test/stranger-request.test.ts.
 */

import { expect } from 'vitest';
import type { CaseStore } from '../../src/store/types.js';
import { A, setup } from '../engine/helpers.js';
import { refused } from '../engine/refused.js';

const DAY = 86_400_000;

/** Everything stored about a case, as bytes. */
async function stored(store: CaseStore, caseId: string): Promise<string> {
  const [events, projection, rows, outbox] = await Promise.all([
    store.events(caseId),
    store.getCase(caseId),
    store.deadlines(caseId),
    store.outbox({ caseId }),
  ]);
  return JSON.stringify({ events, projection, rows, outbox });
}

/** The attack on a case in opinion-issued with no receipt recorded, on `store`. */
export async function strangerRequestAttack(store: CaseStore): Promise<void> {
  const { engine, clock, submit } = setup({ store });
  const { caseId } = await submit();
  await engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
  clock.advance(10 * DAY);
  const opinion = {
    outcome: 'supported',
    findings: '属实',
    legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
  };
  await engine.send(caseId, { type: 'OPINION', payload: opinion }, A.handlerBureau);
  expect((await store.getCase(caseId))?.state).toBe('opinion-issued');
  clock.advance(3 * DAY);

  const before = await stored(store, caseId);
  for (const type of ['REQUEST_REVIEW', 'REQUEST_REEXAMINATION']) {
    const e = await refused(
      engine.send(caseId, { type, payload: { reason: '不服' } }, A.stranger),
      'CASE_NOT_FOUND',
    );
    // the refusal says nothing of the case: not its state, its commands or its petitioner
    expect(JSON.stringify({ message: e.message, details: e.details })).not.toMatch(
      /opinion-issued|REQUEST_|p-1|张三/,
    );
  }
  expect(await stored(store, caseId)).toBe(before);
  expect((await store.getCase(caseId))?.data.receipts ?? []).toEqual([]);
  expect((await engine.verify(caseId)).ok).toBe(true);

  // the case's own petitioner still may: their request is the receipt (receiptByRequest)
  await engine.send(caseId, { type: 'REQUEST_REVIEW', payload: { reason: '不服' } }, A.petitioner);
  const after = await store.getCase(caseId);
  expect(after?.state).toBe('in-review');
  expect(after?.data.receipts).toHaveLength(1);
}
