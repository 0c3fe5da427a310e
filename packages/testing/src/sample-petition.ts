/**
 * The petition the testing package's suites register (the access matrix, the tamper suite): a
 * labour complaint by letter to the county bureau of national.yaml's illustrative registry.
 */

import { isXinfangError } from '@xinfang/core';

/** A valid national petition, with `overrides` laid over it. */
export function samplePetition(overrides: Record<string, unknown> = {}): Record<string, unknown> {
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

/** The code an engine call is refused with, or undefined when it succeeds; other errors propagate. */
export async function refusalCode(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    if (!isXinfangError(e)) throw e;
    return e.code;
  }
}
