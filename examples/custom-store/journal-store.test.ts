import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, ephemeralIdentityKeys, ManualClock } from '@xinfang/core';
import { makeBatch, nextBatch, seedCase, storeConformance } from '@xinfang/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadJurisdiction } from '../shared/national.js';
import { createJournalStore } from './journal-store.js';

// The suite every store passes. The journal store is durable (so the reopen cases run) and
// serves one process (so the cases about several handles are skipped, by name, with that reason).
storeConformance('journal file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'xinfang-journal-'));
  const path = join(dir, 'cases.jsonl');
  return {
    store: createJournalStore({ path }),
    reopen: async () => createJournalStore({ path }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('journal store', () => {
  let dir: string;
  let path: string;
  const open: { close(): Promise<void> }[] = [];
  const opened = () => {
    const store = createJournalStore({ path });
    open.push(store);
    return store;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xinfang-journal-'));
    path = join(dir, 'cases.jsonl');
  });
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the national procedure, and a reopened journal replays and verifies', async () => {
    const { loaded, calendars } = loadJurisdiction();
    const clock = new ManualClock('2026-03-02T09:00:00+08:00');
    const first = opened();
    // the journal's secret: the reopened engine must key identities as the first did
    const identityKeys = ephemeralIdentityKeys();
    const engine = createEngine({ configs: [loaded.value], store: first, clock, calendars, identityKeys });
    const { caseId } = await engine.submit(
      {
        channel: 'letter',
        receivedAt: '2026-03-02',
        receivingUnit: 'county-bureau',
        petitioner: { name: '陈七', address: '示范县东关街道 7 号' },
        subject: 'labour',
        summary: '工资被拖欠三个月',
        request: '督促支付工资',
        respondentUnit: 'county-hrss',
      },
      { id: 'reg-1', role: 'registrar', unit: 'county-bureau' },
    );
    clock.advance(86_400_000);
    await engine.send(
      caseId,
      { type: 'TRANSFER', payload: { unit: 'county-hrss' } },
      {
        id: 'reg-1',
        role: 'registrar',
        unit: 'county-bureau',
      },
    );
    await first.close();

    const again = opened();
    const reopened = createEngine({ configs: [loaded.value], store: again, clock, calendars, identityKeys });
    expect(await reopened.verify(caseId)).toEqual({ ok: true, problems: [] });
    expect(await again.getCase(caseId)).toMatchObject({
      state: 'transferred',
      responsibleUnit: 'county-hrss',
    });
    expect((await again.deadlines(caseId)).map((d) => [d.deadlineId, d.status])).toEqual([
      ['acceptance', 'running'],
      ['disposal', 'stopped'],
      ['objection', 'running'],
    ]);
  });

  it('cuts off a line a crash left half written, and goes on writing after it', async () => {
    const store = opened();
    const batch = await seedCase(store, 'case-1');
    await store.close();
    const whole = readFileSync(path, 'utf8');
    appendFileSync(path, '{"op":"append","caseId":"case-1","ev'); // the process died here

    const reopened = opened();
    expect(await reopened.getCase('case-1')).toEqual(batch.projection);
    await reopened.append(nextBatch(batch));
    await reopened.close();
    expect(readFileSync(path, 'utf8').startsWith(whole)).toBe(true);
    expect((await opened().events('case-1')).map((e) => e.seq)).toEqual([1, 2]);
  });

  it('refuses a journal damaged before its end, naming the line', async () => {
    const store = opened();
    await store.append(makeBatch('case-1'));
    await store.nextSequence('doc');
    await store.close();
    const [first, ...rest] = readFileSync(path, 'utf8').split('\n');
    writeFileSync(path, [first?.slice(0, 20), ...rest].join('\n'));
    expect(() => createJournalStore({ path })).toThrow(/line 1 of the journal .* restore it from a backup/);
  });

  it('keeps a second store off an open journal, and takes over the lock of a process that is gone', async () => {
    const store = opened();
    await seedCase(store, 'case-1');
    let refusal: unknown;
    try {
      opened();
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toMatchObject({ code: 'STORE_ERROR', details: { path, holder: process.pid } });
    await store.close();

    // a lock left by a crashed process: its pid no longer runs
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(`${path}.lock`, String(gone));
    const after = opened();
    expect((await after.getCase('case-1'))?.version).toBe(1);
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(String(process.pid));
  });
});
