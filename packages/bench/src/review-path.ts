import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ActorRef, JsonObject } from '@xinfang/core';

/**
 * The path the engine benchmarks drive through national.yaml (registration, acceptance,
 * extension, opinion, receipt, review request, review decision), shared so each benchmark
 * measures the same work against its own baseline.
 */

/** A file of the repository (configs/...), found from the working directory upwards. */
export function findUp(rel: string): string {
  for (let dir = resolve('.'); ; dir = dirname(dir)) {
    const file = join(dir, rel);
    if (existsSync(file)) return file;
    if (dirname(dir) === dir) throw new Error(`${rel} not found from the working directory`);
  }
}

export const bureau = 'county-bureau';
export const ACTORS: Record<string, ActorRef> = {
  registrar: { id: 'reg', role: 'registrar', unit: bureau },
  acceptor: { id: 'acc', role: 'acceptor', unit: bureau },
  handler: { id: 'han', role: 'handler', unit: bureau },
  head: { id: 'head', role: 'head', unit: bureau },
  petitioner: { id: 'p-1', role: 'petitioner' },
  reviewer: { id: 'rev', role: 'reviewer', unit: 'county-gov' },
};

export const PATH: { type: string; as: keyof typeof ACTORS; payload: JsonObject }[] = [
  { type: 'ACCEPT', as: 'acceptor', payload: {} },
  { type: 'EXTEND', as: 'head', payload: { days: 30, reason: '案情复杂' } },
  {
    type: 'OPINION',
    as: 'handler',
    payload: {
      outcome: 'supported',
      findings: '经调查核实，情况属实。',
      legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
    },
  },
  { type: 'RECEIPT', as: 'handler', payload: { receivedAt: '2026-03-02' } },
  { type: 'REQUEST_REVIEW', as: 'petitioner', payload: {} },
  {
    type: 'REVIEW_DECISION',
    as: 'reviewer',
    payload: {
      outcome: 'upheld',
      findings: '经调查核实，情况属实。',
      legalBasis: [{ law: '信访工作条例', articles: '第三十五条' }],
    },
  },
];

export const PETITION: JsonObject = {
  channel: 'letter',
  receivedAt: '2026-03-02',
  receivingUnit: bureau,
  petitioner: { name: '张三', phone: '13800000000', address: '示范县人民路 1 号' },
  subject: 'labour',
  summary: '单位拖欠工资',
  request: '支付工资',
};
