/**
 * Nobody claims to be the system through the public API (issue: who may act). The system role
 * records receipts (which close review windows) and fires deadlines; only the engine itself acts
 * in it: `tick`, `recordReceipt` from the dispatcher, `applyCalendar`.
 */

import { describe, expect, it } from 'vitest';
import type { OutboxRow } from '../../src/store/types.js';
import { A, setup } from '../engine/helpers.js';
import { refused } from '../engine/refused.js';

const SYSTEM = { id: 'x', role: 'system' };

async function opinionIssued() {
  const ctx = setup();
  const { caseId } = await ctx.submit();
  await ctx.engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
  await ctx.engine.send(
    caseId,
    {
      type: 'OPINION',
      payload: {
        outcome: 'supported',
        findings: '属实',
        legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
      },
    },
    A.handlerBureau,
  );
  return { ...ctx, caseId };
}

describe('the system role', () => {
  it('is refused on send, with or without a unit, and nothing is written', async () => {
    const { engine, store, caseId } = await opinionIssued();
    const before = await store.events(caseId);
    const error = await refused(
      engine.send(caseId, { type: 'RECEIPT', payload: { receivedAt: '2026-03-02' } }, SYSTEM),
      'ACTOR_INVALID',
    );
    expect(error.message).toContain("the engine's own");
    await refused(
      engine.send(
        caseId,
        { type: 'RECEIPT', payload: { receivedAt: '2026-03-02' } },
        { ...SYSTEM, unit: 'county-bureau' },
      ),
      'ACTOR_INVALID',
    );
    // options cannot smuggle the engine's own flag in
    await refused(
      engine.send(caseId, { type: 'RECEIPT', payload: { receivedAt: '2026-03-02' } }, SYSTEM, {
        internal: true,
      } as never),
      'ACTOR_INVALID',
    );
    expect(await store.events(caseId)).toEqual(before);
    expect(await engine.allowedCommands(caseId, SYSTEM)).toEqual([]);
  });

  it('is refused on submit', async () => {
    const { engine } = setup();
    await refused(engine.submit({ channel: 'letter' }, SYSTEM), 'ACTOR_INVALID');
  });

  it('still records a notifier-reported receipt through recordReceipt', async () => {
    const { engine, store, caseId } = await opinionIssued();
    const row = (await store.outbox({ caseId })).find((r) => r.payload.documentId === 'handling-opinion');
    expect(row).toBeDefined();
    const receipt = {
      channel: 'online',
      // the clock's now: the opinion was issued, and delivered, at 09:00 in Shanghai
      deliveredAt: '2026-03-02T01:00:00.000Z',
      receivedAt: '2026-03-02',
      deemed: false,
    };
    expect(await engine.recordReceipt(row as OutboxRow, receipt)).toBe('recorded');
    expect((await store.events(caseId)).at(-1)).toMatchObject({ type: 'RECEIPT', actor: { role: 'system' } });
  });
});
