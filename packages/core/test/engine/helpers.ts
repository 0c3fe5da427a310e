/** Shared set-up of the engine tests: national.yaml, the mainland calendar, a memory store, actors. */

import { fileURLToPath } from 'node:url';
import { ManualClock } from '../../src/base/clock.js';
import { type Calendar, loadCalendarFile } from '../../src/calendar/index.js';
import type { JurisdictionConfig } from '../../src/config/types.js';
import { createEngine, type EngineOptions } from '../../src/engine/index.js';
import { loadConfigOrThrow } from '../../src/loader/index.js';
import { createMemoryStore } from '../../src/store/index.js';
import type { ActorRef, CaseStore } from '../../src/store/types.js';
import { TEST_IDENTITY_KEYS } from '../keys.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

let national: { value: JurisdictionConfig; hash: string } | undefined;
let calendar: Calendar | undefined;

/** national.yaml, loaded once per test file. */
export function nationalConfig(): JurisdictionConfig {
  national ??= loadConfigOrThrow(`${root}configs/national.yaml`);
  return national.value;
}

/** The mainland calendar (2024-2026). */
export function mainland(): Calendar {
  calendar ??= loadCalendarFile(`${root}configs/calendars/cn-mainland.yaml`);
  return calendar;
}

/** People of the illustrative registry. */
export const A = {
  registrar: { id: 'reg-1', role: 'registrar', unit: 'county-bureau' },
  acceptor: { id: 'acc-1', role: 'acceptor', unit: 'county-bureau' },
  handlerBureau: { id: 'han-0', role: 'handler', unit: 'county-bureau' },
  headBureau: { id: 'head-0', role: 'head', unit: 'county-bureau' },
  hrssAcceptor: { id: 'acc-2', role: 'acceptor', unit: 'county-hrss' },
  hrssHandler: { id: 'han-2', role: 'handler', unit: 'county-hrss' },
  hrssHead: { id: 'head-2', role: 'head', unit: 'county-hrss' },
  housingAcceptor: { id: 'acc-3', role: 'acceptor', unit: 'county-housing' },
  /** One level up from a county body: its own government, the county government (Reg. 35). */
  reviewer: { id: 'rev-1', role: 'reviewer', unit: 'county-gov' },
  /** Two levels up from a county body: the city government skips the county government. */
  wrongReviewer: { id: 'rev-2', role: 'reviewer', unit: 'city-gov' },
  /** One level above the county government that reviewed: the city government (Reg. 36). */
  reexaminer: { id: 'rex-1', role: 'reexaminer', unit: 'city-gov' },
  supervisor: { id: 'sup-1', role: 'supervisor', unit: 'city-bureau' },
  petitioner: { id: 'p-1', role: 'petitioner' },
  stranger: { id: 'p-2', role: 'petitioner' },
} satisfies Record<string, ActorRef>;

/** A valid petition to the county petition bureau. */
export function petition(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    channel: 'letter',
    receivedAt: '2026-03-02',
    receivingUnit: 'county-bureau',
    petitioner: {
      name: '张三',
      idNumber: '11010119900101123X',
      phone: '13800000000',
      address: '示范县人民路 1 号',
    },
    subject: 'labour',
    summary: '单位拖欠工资三个月',
    request: '支付拖欠工资',
    respondentUnit: 'county-hrss',
    ...overrides,
  };
}

/** A fresh engine on a memory store, the clock at Monday 2026-03-02 09:00 Beijing time. */
export function setup(options: Partial<EngineOptions> & { start?: string } = {}) {
  const store: CaseStore = options.store ?? createMemoryStore();
  const clock = new ManualClock(options.start ?? '2026-03-02T09:00:00+08:00');
  const config = nationalConfig();
  const engine = createEngine({
    configs: [config],
    calendars: [mainland()],
    ...options,
    identityKeys: options.identityKeys ?? TEST_IDENTITY_KEYS,
    store,
    clock,
  });
  /** Submits the standard petition as the registrar, for petitioner p-1. */
  const submit = (overrides: Record<string, unknown> = {}) =>
    engine.submit(petition(overrides), A.registrar, { petitionerId: A.petitioner.id });
  return { engine, store, clock, config, submit };
}

/** The latest row of a deadline of a case. */
export async function deadline(store: CaseStore, caseId: string, id: string) {
  return (await store.deadlines(caseId)).filter((r) => r.deadlineId === id).at(-1);
}

/** Document ids owed to a case so far (outbox rows of kind document). */
export async function documents(store: CaseStore, caseId: string): Promise<string[]> {
  return (await store.outbox({ caseId }))
    .filter((r) => r.kind === 'document')
    .map((r) => String(r.payload.documentId));
}
