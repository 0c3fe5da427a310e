/** Cases on a SQLite file for the `xinfang migrate` tests, and the two versions they move between. */

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CaseStore,
  createEngine,
  identityKeyFile,
  loadCalendarFile,
  loadConfigOrThrow,
  ManualClock,
} from '@xinfang/core';
import { createSqliteStore } from '@xinfang/storage-sqlite';

export const root = fileURLToPath(new URL('../../../', import.meta.url));
export const national = loadConfigOrThrow(join(root, 'configs/national.yaml'));
export const v2 = loadConfigOrThrow(join(root, 'configs/migration/national-v2.yaml'));
export const calendar = loadCalendarFile(join(root, 'configs/calendars/cn-mainland.yaml'));
export const V2 = 'configs/migration/national-v2.yaml';

const P = {
  registrar: { id: 'reg-2', role: 'registrar', unit: 'county-hrss' },
  acceptor: { id: 'acc-2', role: 'acceptor', unit: 'county-hrss' },
  handler: { id: 'han-2', role: 'handler', unit: 'county-hrss' },
};

function petition(n: number) {
  return {
    channel: 'visit',
    receivedAt: '2026-09-14',
    receivingUnit: 'county-hrss',
    petitioner: {
      name: '张三',
      idNumber: `11010119900101${String(1000 + n)}`,
      address: '示范县人民路 1 号',
    },
    subject: 'labour',
    summary: '单位拖欠工资',
    request: `支付拖欠工资 ${n}`,
    respondentUnit: 'county-hrss',
  };
}

export function plan(body: string): string {
  return `migration: national-2022.1-local\nfrom: "${national.hash}"\nto: "${v2.hash}"\n${body}`;
}

/**
 * A store with `n` cases started on national.yaml: a third registered, a third accepted (09-16),
 * a third with their opinion issued (10-30).
 */
export async function store(dirs: string[], n = 6): Promise<{ db: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'xinfang-migrate-'));
  dirs.push(dir);
  const db = join(dir, 'cases.sqlite');
  const s = createSqliteStore({ path: db });
  const clock = new ManualClock('2026-09-14T09:00:00+08:00');
  const engine = createEngine({
    store: s,
    clock,
    configs: [national.value],
    calendars: [calendar],
    identityKeys: identityKeyFile(`${db}.identity.key`),
  });
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await engine.submit(petition(i), P.registrar)).caseId);
  clock.set('2026-09-16T09:00:00+08:00');
  for (const id of ids.slice(n / 3)) await engine.send(id, { type: 'ACCEPT', payload: {} }, P.acceptor);
  clock.set('2026-10-30T09:00:00+08:00');
  for (const id of ids.slice((2 * n) / 3)) {
    await engine.send(
      id,
      {
        type: 'OPINION',
        payload: {
          outcome: 'supported',
          findings: '属实',
          legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
        },
      },
      P.handler,
    );
  }
  await s.close();
  return { db, dir };
}

/** Verifies every case under the new version. */
export async function verifyAll(s: CaseStore, db: string) {
  const engine = createEngine({
    store: s,
    clock: new ManualClock('2026-12-31T09:00:00+08:00'),
    configs: [v2.value],
    calendars: [calendar],
    identityKeys: identityKeyFile(`${db}.identity.key`, { create: false }),
  });
  return engine.verifyAll({ limit: 10_000 });
}
