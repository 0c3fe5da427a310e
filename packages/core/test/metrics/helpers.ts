/**
 * The metrics tests' county: seven cases run through the engine by hand on `fixtures/county.yaml`
 * (a procedure whose states are named its own way), each step placed on a day so that the
 * answers can be worked out by reading the script. See the comments in `runCounty`.
 */

import { fileURLToPath } from 'node:url';
import {
  type ActorRef,
  type Calendar,
  type CaseStore,
  createEngine,
  createMemoryStore,
  type JurisdictionConfig,
  loadCalendarFile,
  loadConfigOrThrow,
  ManualClock,
} from '@xinfang/core';
import { TEST_IDENTITY_KEYS } from '../keys.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const DAY = 86_400_000;

let county: { value: JurisdictionConfig; hash: string } | undefined;
let calendar: Calendar | undefined;

/** The mainland calendar (2024-2026). */
export function mainland(): Calendar {
  calendar ??= loadCalendarFile(`${root}configs/calendars/cn-mainland.yaml`);
  return calendar;
}

/** The county procedure of the tests. */
export function countyConfig(): { value: JurisdictionConfig; hash: string } {
  county ??= loadConfigOrThrow(fileURLToPath(new URL('./fixtures/county.yaml', import.meta.url)), {
    calendars: new Map([['cn-mainland', mainland()]]),
  });
  return county;
}

/** Day 0 of the script: Monday 2026-03-02, 10:00 in Beijing. */
export const DAY0 = '2026-03-02T02:00:00.000Z';
/** The instant `n` days after day 0 (plus `minutes`). */
export const day = (n: number, minutes = 0) =>
  new Date(Date.parse(DAY0) + n * DAY + minutes * 60_000).toISOString();

const staff = (role: string, unit: string): ActorRef => ({ id: `${role}@${unit}`, role, unit });
export const P = {
  clerkOffice: staff('registrar', 'county-office'),
  clerkBureau: staff('registrar', 'city-bureau'),
  office: staff('officer', 'county-office'),
  works: staff('officer', 'county-works'),
  reviewer: staff('reviewer', 'county-gov'),
  reexaminer: staff('reexaminer', 'city-gov'),
  supervisor: staff('supervisor', 'city-bureau'),
};

/** A petition of the county's form; `id` is the petitioner's id number (none: anonymous). */
export function petition(
  id: string | undefined,
  request: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  // JSON drops the fields `extra` sets to undefined (G gives no kind)
  return JSON.parse(
    JSON.stringify({
      channel: 'letter',
      kind: 'appeal',
      petitioner: { name: '张三', ...(id ? { idNumber: id } : {}) },
      subject: 'housing',
      request,
      respondentUnit: 'county-works',
      ...extra,
    }),
  );
}

/**
 * Runs the county script and returns the store with the case ids by letter. Every step first
 * lets the clock fire what is due, as a running system's tick would.
 */
export async function runCounty(store: CaseStore = createMemoryStore()) {
  const config = countyConfig().value;
  const clock = new ManualClock(day(0));
  const engine = createEngine({
    configs: [config],
    store,
    clock,
    calendars: [mainland()],
    identityKeys: TEST_IDENTITY_KEYS,
  });
  let minute = 0;
  const at = async (n: number) => {
    const t = day(n, minute++);
    if (t > clock.now().toISOString()) clock.set(t);
    await engine.tick();
  };
  const id: Record<string, string> = {};
  const submit = async (letter: string, n: number, actor: ActorRef, p: Record<string, unknown>) => {
    await at(n);
    id[letter] = (await engine.submit(p, actor, { petitionerId: `p-${letter}` })).caseId;
  };
  const send = async (
    n: number,
    letter: string,
    type: string,
    actor: ActorRef | 'petitioner',
    payload: Record<string, unknown> = {},
  ) => {
    await at(n);
    const who = actor === 'petitioner' ? { id: `p-${letter}`, role: 'petitioner' } : actor;
    await engine.send(id[letter] as string, { type, payload }, who);
  };

  // day 0: six petitions. B comes in at the city bureau, the rest at the county office.
  await submit('A', 0, P.clerkOffice, petition('110101199001010011', '修缮住房'));
  await submit('B', 0, P.clerkBureau, petition('110101199001010022', '退还押金'));
  await submit('C', 0, P.clerkOffice, petition('110101199001010033', '补偿损失'));
  await submit('D', 0, P.clerkOffice, petition('110101199001010044', '改进服务', { kind: 'suggestion' }));
  await submit('E', 0, P.clerkOffice, petition('110101199001010055', '办理产权证'));
  await submit('G', 0, P.clerkOffice, petition(undefined, '公开信息', { kind: undefined }));
  // day 1: the office takes A, C and D, refuses E and G (intake periods met)
  await send(1, 'A', 'TAKE', P.office);
  await send(1, 'C', 'TAKE', P.office);
  await send(1, 'D', 'TAKE', P.office);
  await send(1, 'E', 'REFUSE', P.office);
  await send(1, 'G', 'REFUSE', P.office);
  // day 2: the city bureau sends B to the works bureau in time; its 15-day period starts
  await send(2, 'B', 'SEND', P.clerkBureau, { unit: 'county-works' });
  // day 3: D is withdrawn while being worked on (its period lapses); G's refusal is upheld
  await send(3, 'D', 'DROP', 'petitioner');
  await send(3, 'G', 'SPOT_CHECK', P.supervisor, { finding: 'upheld' });
  // day 5: C answered (not supported); E's refusal overturned by the supervisor
  await send(5, 'C', 'ANSWER', P.office, { outcome: 'not-supported' });
  await send(5, 'E', 'REOPEN', P.supervisor);
  // day 6: C rated dissatisfied; E taken again in time
  await send(6, 'C', 'RATE', 'petitioner', { rating: 'dissatisfied' });
  await send(6, 'E', 'TAKE', P.office);
  // day 7 to 15: C's review changes the answer, its re-examination upholds the review
  await send(7, 'C', 'APPEAL', 'petitioner');
  await send(10, 'A', 'ANSWER', P.office, { outcome: 'supported' });
  await send(10, 'C', 'RULING', P.reviewer, { outcome: 'changed' });
  await send(12, 'A', 'RATE', 'petitioner', { rating: 'satisfied' });
  await send(12, 'C', 'SECOND_APPEAL', 'petitioner');
  await send(15, 'C', 'FINAL', P.reexaminer, { outcome: 'upheld' });
  // day 20: B's 15 days (from day 2) ran out on day 17: the clock fires it, B turns red.
  // The works bureau takes it the next day, late, and answers in time.
  await at(20);
  await send(21, 'B', 'TAKE', P.works);
  await send(25, 'B', 'ANSWER', P.works, { outcome: 'explained' });
  // day 30: F, the same petitioner and matter as A: a repeat petition, never acted on
  await submit('F', 30, P.clerkOffice, petition('110101199001010011', '修缮住房'));
  // day 40: E's 30 days (from day 6) ran out on day 36; it is answered late
  await send(40, 'E', 'ANSWER', P.office, { outcome: 'supported' });
  // day 45: F's intake period ran out on day 42 (the clock fires it first); F is supervised,
  // and the office never replies within the 10 days
  await send(45, 'F', 'SUPERVISE', P.supervisor, { reason: '逾期未处理' });
  // day 57-58, A and B closed (their appeal windows ran out on days 42 and 56): A draws two
  // suggestions, one adopted and one not yet answered; B one, reported not adopted; A's
  // petitioner is received by a leader, who resolves the matter; B's outcome is recorded
  await send(57, 'A', 'SUGGEST', P.supervisor, { kind: 'improve-work', text: '规范维修流程' });
  await send(57, 'B', 'SUGGEST', P.supervisor, { kind: 'improve-policy', text: '完善押金制度' });
  await send(57, 'A', 'REPORT_ADOPTION', P.office, { adopted: true });
  await send(58, 'A', 'SUGGEST', P.supervisor, { kind: 'accountability', text: '追究经办人责任' });
  await send(58, 'B', 'REPORT_ADOPTION', P.works, { adopted: false });
  await send(58, 'A', 'BOOK_RECEPTION', P.supervisor, { date: '2026-04-29', leader: '县长' });
  await send(58, 'A', 'RECEPTION_HELD', P.supervisor, { outcome: 'resolved' });
  await send(58, 'B', 'RECORD_OUTCOME', P.works, { resolution: 'explained' });
  // day 60: the windows of E and F's reply period have run out
  await at(60);
  return { store, engine, clock, id, config, asOf: clock.now().toISOString() };
}
