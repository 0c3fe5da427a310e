/**
 * Crash safety: a child process appends cases as fast as it can and prints each acknowledged
 * (case, version) only after `append` returned; it is killed with SIGKILL at a random moment.
 * The next writer reopens the file left behind (hot WAL and all), and at the end every
 * acknowledged command must be there, no case half-written, every hash chain linked.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaseEvent, CaseStore } from '@xinfang/core';
import { hashEvent } from '@xinfang/testing';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../src/index.js';
import { bundleStore, startWorker } from './helpers.js';

let bundled: Awaited<ReturnType<typeof bundleStore>>;
let dir: string;

beforeAll(async () => {
  bundled = await bundleStore();
  dir = await mkdtemp(join(tmpdir(), 'xinfang-crash-'));
});
afterAll(async () => {
  await bundled?.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function allCaseIds(store: CaseStore): Promise<string[]> {
  const ids: string[] = [];
  for (;;) {
    const page = await store.query({ limit: 500, ...(ids.length ? { after: ids.at(-1) } : {}) });
    if (page.length === 0) return ids;
    ids.push(...page.map((p) => p.caseId));
  }
}

/** Every problem found in the file; empty when the file is whole. */
async function audit(
  path: string,
  acknowledged: Map<string, number>,
): Promise<{ problems: string[]; cases: number }> {
  const problems: string[] = [];
  const store = createSqliteStore({ path });
  try {
    const integrity = store.database.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
    for (const [caseId, version] of acknowledged) {
      const stored = (await store.getCase(caseId))?.version ?? 0;
      if (stored < version) problems.push(`${caseId}: acknowledged v${version}, stored v${stored}`);
    }
    const ids = await allCaseIds(store);
    for (const caseId of ids) {
      const projection = await store.getCase(caseId);
      const events = await store.events(caseId);
      const last = events.at(-1);
      if (!projection || !last) {
        problems.push(`${caseId}: projection without events`);
        continue;
      }
      if (projection.version !== last.seq)
        problems.push(`${caseId}: projection v${projection.version}, last seq ${last.seq}`);
      if (projection.headHash !== last.hash)
        problems.push(`${caseId}: head hash does not match the last event`);
      events.forEach((event: CaseEvent, i) => {
        if (event.seq !== i + 1) problems.push(`${caseId}: seq ${event.seq} at position ${i + 1}`);
        if (event.hash !== hashEvent(event)) problems.push(`${caseId}#${event.seq}: hash does not verify`);
        const prev = i === 0 ? '' : events[i - 1]?.hash;
        if (event.prevHash !== prev) problems.push(`${caseId}#${event.seq}: prevHash does not link`);
      });
      // Each batch wrote one deadline, one outbox row and one idempotency record named after
      // its last seq: all of them, and nothing for a batch that is not in the log.
      const batchEnds = [...new Set(events.map((e) => e.payload.batchEnd as number))].sort((a, b) => a - b);
      if (batchEnds.at(-1) !== last.seq) problems.push(`${caseId}: last batch ends at ${batchEnds.at(-1)}`);
      const deadlines = (await store.deadlines(caseId)).map((d) => d.id).sort();
      const outbox = (await store.outbox({ caseId })).map((o) => o.id).sort();
      const expectDeadlines = batchEnds.map((b) => `${caseId}:dl:${b}`).sort();
      const expectOutbox = batchEnds.map((b) => `${caseId}:ob:${b}`).sort();
      if (JSON.stringify(deadlines) !== JSON.stringify(expectDeadlines))
        problems.push(`${caseId}: deadlines ${deadlines}`);
      if (JSON.stringify(outbox) !== JSON.stringify(expectOutbox))
        problems.push(`${caseId}: outbox ${outbox}`);
      for (const b of batchEnds) {
        if (!(await store.getIdempotency(`${caseId}:${b}`)))
          problems.push(`${caseId}: no idempotency record for v${b}`);
      }
    }
    return { problems, cases: ids.length };
  } finally {
    await store.close();
  }
}

describe('SQLite store: crash safety', () => {
  it('loses nothing acknowledged when the writer is killed with SIGKILL, over several kill points', async () => {
    const path = join(dir, 'crash.db');
    const acknowledged = new Map<string, number>();
    // synchronous=NORMAL in WAL mode also survives a process crash (only a power cut may lose
    // the last commits), so one round runs with it too.
    const rounds = [
      { synchronous: 'FULL', delayMs: 150 + Math.floor(Math.random() * 350) },
      { synchronous: 'FULL', delayMs: 50 + Math.floor(Math.random() * 150) },
      { synchronous: 'NORMAL', delayMs: 150 + Math.floor(Math.random() * 500) },
      { synchronous: 'FULL', delayMs: 300 + Math.floor(Math.random() * 700) },
    ];
    const report: string[] = [];
    for (const [round, { synchronous, delayMs }] of rounds.entries()) {
      const worker = startWorker({
        bundle: bundled.bundle,
        path,
        mode: 'write',
        prefix: `r${round}-`,
        synchronous,
        seed: round + 1,
      });
      // Count the delay from the first acknowledgement, so a slow start on a busy machine
      // still leaves something to lose.
      await worker.waitFor((line) => line.startsWith('ack '));
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      worker.child.kill('SIGKILL');
      const { signal } = await worker.exited;
      expect(signal, worker.stderr()).toBe('SIGKILL');
      let acks = 0;
      for (const line of worker.lines) {
        const [word, caseId, version] = line.split(' ');
        if (word !== 'ack' || caseId === undefined) continue;
        acknowledged.set(caseId, Number(version));
        acks++;
      }
      report.push(`round ${round}: ${synchronous}, killed after ${delayMs} ms, ${acks} appends acknowledged`);
    }
    const { problems, cases } = await audit(path, acknowledged);
    console.info(`${report.join('\n')}\n${cases} cases audited`);
    expect(problems).toEqual([]);
    expect(cases).toBeGreaterThanOrEqual(acknowledged.size);

    // The audit is not vacuous: a lost outbox row and an edited event are both found.
    const [victim] = acknowledged.keys();
    const db = new Database(path);
    db.prepare('DELETE FROM outbox WHERE id = (SELECT min(id) FROM outbox WHERE case_id = ?)').run(victim);
    db.prepare(`UPDATE events SET event = replace(event, '"NOTE"', '"EDITED"') WHERE case_id = ?`).run(
      victim,
    );
    db.prepare(`UPDATE events SET event = replace(event, '"SUBMITTED"', '"EDITED"') WHERE case_id = ?`).run(
      victim,
    );
    db.close();
    const tampered = await audit(path, acknowledged);
    expect(tampered.problems).toContainEqual(expect.stringMatching(/outbox/));
    expect(tampered.problems).toContainEqual(expect.stringMatching(/hash does not verify/));
  }, 30_000);
});
