import { type CaseStore, createMemoryStore } from '@xinfang/core';
import { afterAll, describe, expect, it } from 'vitest';
import { call, type Harness, harness, letter } from './helpers.js';

/** A store whose appends wait for `release`: a command is held in flight. */
function slowStore(): { store: CaseStore; started: Promise<void>; release: () => void } {
  const inner = createMemoryStore();
  let release: () => void = () => undefined;
  let started: () => void = () => undefined;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const startedP = new Promise<void>((r) => {
    started = r;
  });
  let held = false;
  const store: CaseStore = Object.create(inner);
  store.append = async (...args: Parameters<CaseStore['append']>) => {
    if (!held && args[0].events.some((e) => e.type === 'TRANSFER')) {
      held = true;
      started();
      await gate;
    }
    return inner.append(...args);
  };
  return { store, started: startedP, release };
}

let h: Harness | undefined;
afterAll(async () => {
  await h?.close().catch(() => undefined);
});

describe('graceful shutdown', () => {
  it('finishes a command and a delivery round in flight, and starts nothing new', async () => {
    const slow = slowStore();
    let releaseDelivery: () => void = () => undefined;
    let deliveries = 0;
    let deliveryStarted: () => void = () => undefined;
    const deliveryBegun = new Promise<void>((r) => {
      deliveryStarted = r;
    });
    h = await harness({
      store: slow.store,
      schedule: {
        everyMs: 3_600_000,
        dispatcher: {
          runOnce: () =>
            new Promise((resolve) => {
              deliveryStarted();
              releaseDelivery = () => {
                deliveries++;
                resolve({ claimed: 1, delivered: 1, retried: 0, dead: 0, outcomes: [] } as never);
              };
            }),
        },
      },
    });
    const filed = await call(h, 'token-window', 'POST', '/petitions', letter(1));
    const id = String(filed.body.caseId);

    // a command and a delivery round are in flight when the service is told to stop
    const command = call(h, 'token-window', 'POST', `/cases/${id}/commands`, {
      type: 'TRANSFER',
      payload: { unit: 'county-hrss' },
    });
    const round = h.service.scheduler?.runOnce();
    await slow.started;
    await deliveryBegun;
    let closed = false;
    const closing = h.service.close().then(() => {
      closed = true;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(false);
    // a round asked for while closing runs after the one in flight, and starts nothing
    const later = h.service.scheduler?.runOnce();

    slow.release();
    releaseDelivery();
    expect(await command).toMatchObject({ status: 200, body: { state: 'transferred', version: 2 } });
    expect(await round).toEqual({ fired: 0, delivered: 1 });
    expect(await later).toBeUndefined();
    await closing;
    expect(closed).toBe(true);
    expect(deliveries).toBe(1);
    // the command was written whole
    expect((await slow.store.events(id)).map((e) => e.type)).toEqual(['SUBMITTED', 'TRANSFER']);
  });
});
