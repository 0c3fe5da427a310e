/**
 * Four petitions run through national.yaml by the engine on a given store, for the report
 * tests. The worked answers are in report.test.ts; the comments here say what each step does.
 */

import { resolve } from 'node:path';
import {
  type ActorRef,
  type CaseStore,
  createEngine,
  ephemeralIdentityKeys,
  type JurisdictionConfig,
  loadCalendarDir,
  loadConfigOrThrow,
  ManualClock,
} from '@xinfang/core';

const root = resolve(import.meta.dirname, '../../..');
let national: JurisdictionConfig | undefined;
const calendars = () => loadCalendarDir(resolve(root, 'configs/calendars'));

/** Day 0 is Monday 2026-03-02, 09:00 in Beijing. */
const DAY0 = Date.parse('2026-03-02T01:00:00.000Z');
export const day = (n: number, minutes = 0) =>
  new Date(DAY0 + n * 86_400_000 + minutes * 60_000).toISOString();

const staff = (role: string, unit: string): ActorRef => ({ id: `${role}@${unit}`, role, unit });

function petition(
  idNumber: string,
  subject: string,
  respondentUnit: string,
  request: string,
  receivingUnit: string,
) {
  return {
    channel: 'letter',
    receivedAt: '2026-03-02',
    receivingUnit,
    petitioner: { name: '王芳', idNumber, phone: '13800000000', address: '示范县人民路 1 号' },
    subject,
    summary: '事实与理由',
    request,
    respondentUnit,
  };
}

/** Runs the four cases; returns their ids (1-4) and the instant of the last step. */
export async function runNationalCases(store: CaseStore) {
  const cals = calendars();
  national ??= loadConfigOrThrow(resolve(root, 'configs/national.yaml'), { calendars: cals }).value;
  const clock = new ManualClock(day(0));
  const engine = createEngine({
    configs: [national],
    store,
    clock,
    calendars: cals,
    identityKeys: ephemeralIdentityKeys('report-test'),
  });
  let minute = 0;
  const at = async (n: number) => {
    clock.set(day(n, minute++));
    await engine.tick();
  };
  const ids: Record<number, string> = {};
  const submit = async (n: number, registrar: string, p: ReturnType<typeof petition>) => {
    await at(0);
    ids[n] = (await engine.submit(p, staff('registrar', registrar), { petitionerId: `p-${n}` })).caseId;
  };
  const send = async (n: number, d: number, type: string, actor: ActorRef | 'petitioner', payload = {}) => {
    await at(d);
    const who = actor === 'petitioner' ? { id: `p-${n}`, role: 'petitioner' } : actor;
    await engine.send(ids[n] as string, { type, payload }, who);
  };

  // 1 comes in at the county bureau about the county labour bureau; 2 straight to that bureau;
  // 3 to the county housing bureau; 4 is 1's petitioner again, same matter: a repeat
  await submit(
    1,
    'county-bureau',
    petition('110101199001011234', 'labour', 'county-hrss', '支付拖欠工资', 'county-bureau'),
  );
  await submit(
    2,
    'county-hrss',
    petition('110101199202022345', 'labour', 'county-hrss', '补缴社会保险', 'county-hrss'),
  );
  await submit(
    3,
    'county-housing',
    petition('110101199303033456', 'housing', 'county-housing', '交付房屋', 'county-housing'),
  );
  await submit(
    4,
    'county-bureau',
    petition('110101199001011234', 'labour', 'county-hrss', '支付拖欠工资', 'county-bureau'),
  );
  // day 1: 1 transferred in time; 3 not accepted in time
  await send(1, 1, 'TRANSFER', staff('registrar', 'county-bureau'), { unit: 'county-hrss' });
  await send(3, 1, 'NOT_ACCEPT', staff('acceptor', 'county-housing'), { reason: 'not-in-remit' });
  // day 2: the labour bureau accepts 1 in time; day 3: the city bureau's spot check reopens 3,
  // which the housing bureau accepts the next day
  await send(1, 2, 'ACCEPT', staff('acceptor', 'county-hrss'));
  await send(3, 3, 'REOPEN', staff('supervisor', 'city-bureau'), { reason: '属于本机关职权范围，应予受理' });
  await send(3, 4, 'ACCEPT', staff('acceptor', 'county-housing'));
  // day 9: 3 answered (not supported) and received; day 10: 1 answered (supported) and received,
  // and its petitioner booked onto the county governor's Wednesday reception of 2026-03-18
  await send(3, 9, 'OPINION', staff('handler', 'county-housing'), {
    outcome: 'not-supported',
    findings: '经调查核实，情况属实。',
    legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
  });
  await send(3, 9, 'RECEIPT', staff('registrar', 'county-housing'), { receivedAt: '2026-03-11' });
  await send(1, 10, 'OPINION', staff('handler', 'county-hrss'), {
    outcome: 'supported',
    findings: '经调查核实，情况属实。',
    legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
  });
  await send(1, 10, 'RECEIPT', staff('registrar', 'county-hrss'), { receivedAt: '2026-03-12' });
  await send(1, 10, 'BOOK_RECEPTION', staff('registrar', 'county-hrss'), {
    date: '2026-03-18',
    leader: '示范县人民政府县长',
  });
  // day 11-12: 3's petitioner asks for review; 1's rates the reply satisfied
  await send(3, 11, 'REQUEST_REVIEW', 'petitioner', { reason: '不服' });
  await send(1, 12, 'RATE', 'petitioner', { rating: 'satisfied' });
  // day 16 (the Wednesday): the governor resolves 1's matter at the reception
  await send(1, 16, 'RECEPTION_HELD', staff('head', 'county-hrss'), { outcome: 'resolved' });
  // day 18: 2's and 4's disposal periods (15 days) ran out on day 15: the clock fires them.
  // The city bureau supervises 2, the labour bureau replies, a suggestion follows and is adopted
  await send(2, 18, 'SUPERVISE', staff('supervisor', 'city-bureau'), {
    reason: '逾期未受理',
    ground: 'delay',
  });
  await send(2, 19, 'SUPERVISION_REPLY', staff('head', 'county-hrss'), { reply: '已整改' });
  await send(2, 19, 'SUGGEST', staff('supervisor', 'city-bureau'), {
    kind: 'improve-work',
    text: '建立受理台账',
  });
  await send(2, 20, 'REPORT_ADOPTION', staff('head', 'county-hrss'), { adopted: true });
  // day 20: 2 accepted late; 3's review (the county government, one level up from the housing
  // bureau, Reg. 35) changes the opinion in time
  await send(2, 20, 'ACCEPT', staff('acceptor', 'county-hrss'));
  await send(3, 20, 'REVIEW_DECISION', staff('reviewer', 'county-gov'), {
    outcome: 'changed',
    findings: '经调查核实，情况属实。',
    legalBasis: [{ law: '信访工作条例', articles: '第三十五条' }],
  });
  // day 25: 2 answered (explained) and received; its petitioner never rates
  await send(2, 25, 'OPINION', staff('handler', 'county-hrss'), {
    outcome: 'explained',
    findings: '经调查核实，情况属实。',
    legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
  });
  await send(2, 25, 'RECEIPT', staff('registrar', 'county-hrss'), { receivedAt: '2026-03-27' });
  // day 60: the windows have run out: 1 and 2 closed, 3's rating window lapsed unrated
  await at(60);
  return { ids, end: clock.now().toISOString(), config: national };
}
