import {
  type ActorRef,
  addCivilDays,
  type Calendar,
  type CaseStore,
  civilDate,
  createDispatcher,
  createEngine,
  type DocumentIssuer,
  type Engine,
  type IdentityKeys,
  instantAt,
  isXinfangError,
  type JurisdictionConfig,
  LEVELS,
  ManualClock,
  type Notifier,
} from '@xinfang/core';
import { Random } from './random.js';

/** What the simulated province does, drawn once per petition from the seeded generator. */
interface Plan {
  disposition: 'handle' | 'divert' | 'notAccept' | 'refuseRepeat';
  /** The route of a matter to divert (Reg. 31 (1)-(5)), registered with it: DIVERT names the route the matter is classed in. */
  route: string;
  late: { disposal: boolean; acceptance: boolean; handling: boolean; review: boolean };
  extend: boolean;
  object: boolean;
  assign: boolean;
  withdrawAfter?: number;
  outcome: 'supported' | 'explained' | 'not-supported';
  review: boolean;
  reexamine: boolean;
  hearing: boolean;
}

export interface SimulationOptions {
  config: JurisdictionConfig;
  calendars: Map<string, Calendar>;
  store: CaseStore;
  /** First simulated day, `YYYY-MM-DD`. */
  start: string;
  days: number;
  /** Roughly how many petitions arrive over the period. */
  petitions: number;
  seed: number;
  /** Called after each simulated day. */
  onDay?: (day: number, days: number, submitted: number) => void;
  /** Renders, numbers and seals each document as the engine issues it. */
  documents?: DocumentIssuer;
  /**
   * Delivers the outbox every simulated evening through these notifiers (by outbox channel), and
   * records the receipts of opinions from the deliveries (the dispatcher tells the engine), so
   * the review windows run from receipt. Absent: staff record each receipt by hand.
   */
  notifiers?: Readonly<Record<string, Notifier>>;
  /** The store's identity key secret (`identityKeyFile` beside the demo's database). */
  identityKeys: IdentityKeys;
}

export interface SimulationResult {
  engine: Engine;
  clock: ManualClock;
  submitted: number;
  commands: number;
  ticks: number;
  fired: number;
  /** Commands the simulated staff sent that the engine refused, by error code. */
  refused: Record<string, number>;
  /** The instant the simulation ended. */
  end: string;
  /** Outbox rows the dispatcher delivered (with `notifiers`), retried and dead-lettered. */
  delivery: { delivered: number; retried: number; dead: number };
}

type Action = { at: string; n: number; run: () => Promise<void> };

const SUBJECT_UNITS: Record<string, Record<string, string>> = {
  county: { labour: 'county-hrss', housing: 'county-housing', land: 'county-land' },
  city: { labour: 'city-hrss', housing: 'city-housing' },
};
const RECEIVERS = {
  'county-bureau': 30,
  'city-bureau': 10,
  'county-hrss': 15,
  'county-housing': 14,
  'county-land': 10,
  'city-hrss': 11,
  'city-housing': 10,
};
/**
 * The units of the national demo registry the simulation sends petitions to and through; a config
 * that lacks one (a province with its own registry) cannot be simulated.
 */
export function missingDemoUnits(config: JurisdictionConfig): string[] {
  const wanted = new Set([
    ...Object.keys(RECEIVERS),
    ...Object.values(SUBJECT_UNITS).flatMap((m) => Object.values(m)),
  ]);
  return [...wanted].filter((u) => config.units[u] === undefined);
}

const ROUTES = [
  'litigation',
  'arbitration',
  'party-discipline',
  'administrative',
  'duty-performance',
] as const;
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗'.split('');
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英'.split('');
const MATTERS: Record<string, [string, string][]> = {
  labour: [
    ['某建筑公司拖欠农民工工资三个月未支付', '督促用人单位支付拖欠工资'],
    ['单位未依法缴纳社会保险费', '责令单位补缴社会保险费'],
    ['工伤认定申请提交后长期未获答复', '尽快作出工伤认定'],
  ],
  housing: [
    ['小区物业服务质量差、公共维修资金使用不公开', '公开维修资金使用情况'],
    ['购买的商品房逾期交付且存在质量问题', '督促开发企业交房并整改质量问题'],
    ['老旧小区改造施工噪声扰民', '规范施工时间'],
  ],
  land: [
    ['集体土地征收补偿标准偏低', '依法提高征收补偿标准'],
    ['宅基地确权登记长期未办理', '办理宅基地确权登记'],
  ],
};

/**
 * Simulates a province running the configured procedure for `days` days: petitions arrive
 * on working days, staff dispose of them, transfer, accept, handle, extend, decide reviews —
 * mostly on time, some late — and the clock ticks every night so missed deadlines fire.
 * Everything goes through the public engine API, as an embedding system would.
 */
export async function simulate(opts: SimulationOptions): Promise<SimulationResult> {
  const { config, store } = opts;
  const rnd = new Random(opts.seed);
  const zone = config.jurisdiction.timezone;
  const calendar = opts.calendars.get(config.jurisdiction.calendar);
  const clock = new ManualClock(instantAt(opts.start, '00:00', zone));
  const engine = createEngine({
    configs: [config],
    store,
    clock,
    calendars: opts.calendars,
    ...(opts.documents ? { documents: opts.documents } : {}),
    identityKeys: opts.identityKeys,
  });
  const dispatcher =
    opts.notifiers &&
    createDispatcher({
      store,
      notifiers: opts.notifiers,
      clock,
      owner: 'demo-dispatcher',
      config,
      receipts: engine,
      // the receiver is in this process: a failure is a bug to see, not an outage to wait out
      backoff: { baseMs: 1000, maxMs: 60_000 },
      random: () => rnd.next(),
    });
  /** Receipts come from delivery when a dispatcher runs; else the staff record them. */
  const staffRecordReceipts = !dispatcher;
  const result: SimulationResult = {
    engine,
    clock,
    submitted: 0,
    commands: 0,
    ticks: 0,
    fired: 0,
    refused: {},
    end: clock.now().toISOString(),
    delivery: { delivered: 0, retried: 0, dead: 0 },
  };
  const dispatch = async () => {
    if (!dispatcher) return;
    const r = await dispatcher.runUntilIdle();
    result.delivery.delivered += r.delivered;
    result.delivery.retried += r.retried;
    result.delivery.dead += r.dead;
  };

  const isWorkingDay = (date: string): boolean => {
    if (calendar?.covers(date)) return calendar.isWorkingDay(date);
    const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
    return wd !== 0 && wd !== 6; // past the published schedules staff keep an ordinary week
  };
  const nextWorkingDay = (date: string): string => {
    let d = date;
    while (!isWorkingDay(d)) d = addCivilDays(d, 1);
    return d;
  };
  const staffTime = () =>
    `${String(rnd.int(8, 16)).padStart(2, '0')}:${String(rnd.int(0, 59)).padStart(2, '0')}`;

  const buckets = new Map<string, Action[]>();
  let counter = 0;
  /** Schedules `run` `days` calendar days after `from` (a civil date), on a working day, in office hours. */
  const later = (from: string, days: number, run: () => Promise<void>, workday = true) => {
    const date = workday ? nextWorkingDay(addCivilDays(from, days)) : addCivilDays(from, days);
    const list = buckets.get(date) ?? [];
    list.push({ at: instantAt(date, staffTime(), zone), n: counter++, run });
    buckets.set(date, list);
  };
  const today = () => civilDate(clock.now(), zone);
  const staff = (role: string, unit: string): ActorRef => ({ id: `${role}@${unit}`, role, unit });

  const superior = (unit: string): string => {
    const u = config.units[unit];
    const want = LEVELS.indexOf(u?.level ?? 'national') - 1;
    for (let p = u?.parent; p; p = config.units[p]?.parent) {
      if (LEVELS.indexOf(config.units[p]?.level ?? 'national') === want) return p;
    }
    return unit;
  };

  const send = async (
    caseId: string,
    type: string,
    actor: ActorRef,
    payload: Record<string, unknown> = {},
  ) => {
    try {
      await engine.send(caseId, { type, payload }, actor);
      result.commands++;
      return true;
    } catch (e) {
      if (!isXinfangError(e)) throw e;
      const key = `${type} ${e.code}`;
      result.refused[key] = (result.refused[key] ?? 0) + 1;
      return false;
    }
  };

  const drawPlan = (): Plan => ({
    disposition: rnd.weighted({ handle: 76, divert: 15, notAccept: 6, refuseRepeat: 3 }),
    route: rnd.pick(ROUTES),
    late: {
      disposal: rnd.chance(0.04),
      acceptance: rnd.chance(0.03),
      handling: rnd.chance(0.05),
      review: rnd.chance(0.05),
    },
    extend: rnd.chance(0.08),
    object: rnd.chance(0.05),
    assign: rnd.chance(0.3),
    ...(rnd.chance(0.02) ? { withdrawAfter: rnd.int(3, 40) } : {}),
    outcome: rnd.weighted({ supported: 40, explained: 35, 'not-supported': 25 }),
    review: false,
    reexamine: rnd.chance(0.3),
    hearing: rnd.chance(0.3),
  });

  // --- the life of one case, step by step; each step schedules the next ---
  const decideAt = (caseId: string, unit: string, plan: Plan, received: string) => {
    const delay = plan.late.acceptance ? rnd.int(16, 21) : rnd.int(1, 9);
    later(received, delay, async () => {
      const acceptor = staff('acceptor', unit);
      if (plan.disposition === 'divert') {
        await send(caseId, 'DIVERT', acceptor, { route: plan.route });
      } else if (plan.disposition === 'notAccept') {
        await send(caseId, 'NOT_ACCEPT', acceptor, {
          reason: rnd.pick(['not-in-remit', 'business-procedure']),
        });
      } else if (plan.disposition === 'refuseRepeat') {
        await send(caseId, 'REFUSE_REPEAT', acceptor, { reason: 'already-reexamined' });
      } else if (await send(caseId, 'ACCEPT', acceptor)) {
        handle(caseId, unit, plan);
        if (rnd.chance(0.04)) bookReception(caseId, unit);
      }
    });
  };

  const handle = (caseId: string, unit: string, plan: Plan) => {
    const accepted = today();
    // an assigned matter's own period (60 days from assignment) also binds the handler
    const days = plan.late.handling
      ? rnd.int(63, 80)
      : plan.extend
        ? rnd.int(62, 80)
        : rnd.int(15, plan.assign ? 40 : 55);
    if (plan.extend) {
      later(accepted, rnd.int(45, 55), async () => {
        await send(caseId, 'EXTEND', staff('head', unit), { days: 30, reason: '案情复杂，需进一步调查核实' });
      });
    }
    later(accepted, days, async () => {
      const ok = await send(caseId, 'OPINION', staff('handler', unit), {
        outcome: plan.outcome,
        findings: '经调查核实，现将处理意见告知如下。',
        legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
      });
      if (!ok) return;
      if (plan.assign)
        later(today(), rnd.int(1, 3), () =>
          send(caseId, 'REPORT_COMPLETION', staff('handler', unit)).then(() => {}),
        );
      later(today(), rnd.int(1, 5), async () => {
        const received = today();
        if (
          staffRecordReceipts &&
          !(await send(caseId, 'RECEIPT', staff('handler', unit), { receivedAt: received, method: 'post' }))
        )
          return;
        // most petitioners rate the reply within its window (Reg. 21); some never do
        if (rnd.chance(0.7)) later(received, rnd.int(0, 12), () => rate(caseId, plan));
        const p = { supported: 0.03, explained: 0.12, 'not-supported': 0.35 }[plan.outcome];
        if (rnd.chance(p)) review(caseId, unit, plan, received);
      });
    });
  };

  const review = (caseId: string, opinionUnit: string, plan: Plan, received: string) => {
    later(received, rnd.int(3, 25), async () => {
      if (!(await send(caseId, 'REQUEST_REVIEW', petitioner(caseId), { reason: '对处理意见不服' }))) return;
      const reviewUnit = superior(opinionUnit);
      later(today(), plan.late.review ? rnd.int(32, 40) : rnd.int(10, 27), async () => {
        const ok = await send(caseId, 'REVIEW_DECISION', staff('reviewer', reviewUnit), {
          outcome: rnd.weighted({ upheld: 80, changed: 15, revoked: 5 }),
        });
        if (!ok || !plan.reexamine) return;
        later(today(), rnd.int(1, 4), async () => {
          const got = today();
          if (
            staffRecordReceipts &&
            !(await send(caseId, 'RECEIPT', staff('reviewer', reviewUnit), { receivedAt: got }))
          )
            return;
          later(got, rnd.int(3, 25), async () => {
            if (
              !(await send(caseId, 'REQUEST_REEXAMINATION', petitioner(caseId), { reason: '对复查意见不服' }))
            )
              return;
            reexamine(caseId, superior(reviewUnit), plan);
          });
        });
      });
    });
  };

  const reexamine = (caseId: string, unit: string, plan: Plan) => {
    const decide = () =>
      later(today(), rnd.int(5, 20), () =>
        send(caseId, 'REEXAMINATION_DECISION', staff('reexaminer', unit), {
          outcome: 'upheld',
          findings: '经调查核实，情况属实。',
          legalBasis: [{ law: '信访工作条例', articles: '第三十六条' }],
        }).then(() => {}),
      );
    if (!plan.hearing) return decide();
    later(today(), rnd.int(3, 10), async () => {
      if (
        !(await send(caseId, 'HOLD_HEARING', staff('reexaminer', unit), { date: addCivilDays(today(), 7) }))
      )
        return;
      later(today(), rnd.int(7, 12), async () => {
        if (await send(caseId, 'HEARING_HELD', staff('reexaminer', unit), { summary: '听证会已举行' }))
          decide();
      });
    });
  };

  const RATINGS = {
    supported: { satisfied: 75, 'basically-satisfied': 20, dissatisfied: 5 },
    explained: { satisfied: 30, 'basically-satisfied': 45, dissatisfied: 25 },
    'not-supported': { satisfied: 10, 'basically-satisfied': 30, dissatisfied: 60 },
  } as const;
  const rate = async (caseId: string, plan: Plan) => {
    await send(caseId, 'RATE', petitioner(caseId), { rating: rnd.weighted(RATINGS[plan.outcome]) });
  };

  /** The petition bureau under the body one level up, which supervises a unit (Reg. 38-40). */
  const supervisorOf = (unit: string): string => {
    const up = superior(unit);
    const bureau = Object.entries(config.units).find(
      ([, u]) => u.kind === 'petition-bureau' && u.parent === up,
    );
    return bureau?.[0] ?? up;
  };
  const supervised = new Set<string>();
  /**
   * A case turned red: the bureau above supervises some, with a letter; the body replies (a few
   * late); some supervisions bring one of the three suggestions, whose adoption is reported.
   */
  const supervise = (caseId: string) => {
    if (supervised.has(caseId) || !rnd.chance(0.35)) return;
    supervised.add(caseId);
    later(today(), rnd.int(1, 5), async () => {
      const unit = (await store.getCase(caseId))?.responsibleUnit;
      if (!unit) return;
      const bureau = supervisorOf(unit);
      const ok = await send(caseId, 'SUPERVISE', staff('supervisor', bureau), {
        reason: '办理逾期，请说明情况并限期整改',
        ground: 'delay',
      });
      if (!ok) return;
      later(today(), rnd.chance(0.15) ? rnd.int(17, 25) : rnd.int(2, 12), async () => {
        const now = (await store.getCase(caseId))?.responsibleUnit ?? unit;
        if (!(await send(caseId, 'SUPERVISION_REPLY', staff('head', now), { reply: '已按督办要求整改' })))
          return;
        if (rnd.chance(0.1)) {
          later(today(), rnd.int(1, 5), () =>
            send(caseId, 'ACCOUNTABILITY', staff('supervisor', bureau), { ground: 'delay' }).then(() => {}),
          );
        }
        if (!rnd.chance(0.35)) return;
        later(today(), rnd.int(1, 5), async () => {
          const kind = rnd.weighted({ 'improve-work': 70, 'improve-policy': 20, accountability: 10 });
          if (
            !(await send(caseId, 'SUGGEST', staff('supervisor', bureau), {
              kind,
              text: '建议规范受理办理流程',
            }))
          )
            return;
          if (!rnd.chance(0.85)) return;
          later(today(), rnd.int(5, 28), async () => {
            // the body the suggestion is addressed to answers (Reg. 40): the supervised body, its
            // government, or the bureau's own government, by kind
            const c = await store.getCase(caseId);
            const suggestion = (c?.data.decisions as Record<string, { to?: unknown }> | undefined)
              ?.suggestion;
            const body = typeof suggestion?.to === 'string' ? suggestion.to : (c?.responsibleUnit ?? now);
            await send(caseId, 'REPORT_ADOPTION', staff('head', body), { adopted: rnd.chance(0.75) });
          });
        });
      });
    });
  };

  /** Books the petitioner onto the next leader's reception day of the body or one above it (Reg. 18). */
  const bookReception = (caseId: string, unit: string) => {
    const up = superior(unit);
    const bodies = [unit];
    for (let p = config.units[unit]?.parent; p && !bodies.includes(up); p = config.units[p]?.parent)
      bodies.push(p);
    const days = Object.values(config.receptionDays ?? {}).filter((d) => bodies.includes(d.unit));
    for (let k = 2; k <= 14; k++) {
      const date = addCivilDays(today(), k);
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
      const day = days.find((d) => d.dates?.includes(date) || d.weekdays?.includes(weekday));
      if (!day || !isWorkingDay(date)) continue;
      later(today(), 0, async () => {
        if (!(await send(caseId, 'BOOK_RECEPTION', staff('registrar', unit), { date, leader: day.leader })))
          return;
        later(date, 0, () =>
          send(caseId, 'RECEPTION_HELD', staff('head', day.unit), {
            outcome: rnd.chance(0.55) ? 'resolved' : 'unresolved',
          }).then(() => {}),
        );
      });
      return;
    }
  };

  const petitioners = new Map<string, string>();
  const petitioner = (caseId: string): ActorRef => ({
    id: petitioners.get(caseId) ?? 'unknown',
    role: 'petitioner',
  });

  const submitOne = async (n: number) => {
    const plan = drawPlan();
    const receiver = rnd.weighted(RECEIVERS);
    const level = config.units[receiver]?.level ?? 'county';
    const subjects = SUBJECT_UNITS[level] ?? SUBJECT_UNITS.county!;
    const subject = rnd.pick(Object.keys(subjects));
    const competent = subjects[subject]!;
    const [summary, request] = rnd.pick(MATTERS[subject]!);
    const anonymous = rnd.chance(0.03);
    const id = `${rnd.int(110000, 659000)}${rnd.int(1950, 2005)}${String(rnd.int(1, 12)).padStart(2, '0')}${String(rnd.int(1, 28)).padStart(2, '0')}${rnd.int(100, 999)}${rnd.pick(['0', '1', '2', 'X'])}`;
    const petition: Record<string, unknown> = {
      channel: rnd.weighted({ online: 55, letter: 20, visit: 20, phone: 5 }),
      receivedAt: today(),
      receivingUnit: receiver,
      petitioner: anonymous
        ? { name: '匿名', anonymous: true }
        : {
            name: rnd.pick(SURNAMES) + rnd.pick(GIVEN) + (rnd.chance(0.5) ? rnd.pick(GIVEN) : ''),
            idNumber: id,
            phone: `13${rnd.int(100000000, 999999999)}`,
            address: `示范县${rnd.pick(['城关镇', '东关街道', '河西乡', '新华路'])}${rnd.int(1, 200)}号`,
          },
      subject,
      summary,
      request,
      respondentUnit: competent,
      ...(plan.disposition === 'divert' ? { kind: 'appeal', route: plan.route } : {}),
    };
    const petitionerId = `petitioner-${n}`;
    let caseId: string;
    try {
      const created = await engine.submit(petition, staff('registrar', receiver), {
        petitionerId,
        idempotencyKey: `demo-${opts.seed}-${n}`,
      });
      caseId = created.caseId;
      result.submitted++;
    } catch (e) {
      const code = isXinfangError(e) ? e.code : 'INTERNAL';
      result.refused[code] = (result.refused[code] ?? 0) + 1;
      if (!isXinfangError(e)) throw e;
      return;
    }
    petitioners.set(caseId, petitionerId);
    if (plan.withdrawAfter !== undefined) {
      later(
        today(),
        plan.withdrawAfter,
        () => send(caseId, 'WITHDRAW', petitioner(caseId)).then(() => {}),
        false,
      );
    }

    const isBureau = config.units[receiver]?.kind === 'petition-bureau';
    // only a petition bureau's assignment owes a completion report; a re-transfer after an
    // objection is a plain transfer
    if (!isBureau || plan.object) plan.assign = false;
    if (!isBureau || plan.disposition !== 'handle') {
      decideAt(caseId, receiver, plan, today());
      return;
    }
    // a petition bureau disposes of the matter by transferring or assigning it (Reg. 22)
    later(today(), plan.late.disposal ? rnd.int(16, 22) : rnd.int(1, 9), async () => {
      const mode = plan.assign ? 'ASSIGN' : 'TRANSFER';
      const payload = plan.assign ? { unit: competent, days: 60 } : { unit: competent };
      if (!(await send(caseId, mode, staff('registrar', receiver), payload))) return;
      if (!plan.object) return decideAt(caseId, competent, plan, today());
      later(today(), rnd.int(1, 4), async () => {
        const ok = await send(caseId, 'OBJECT', staff('acceptor', competent), {
          reason: '该事项不属于本机关职权范围',
        });
        if (!ok) return;
        const other = Object.values(subjects).find((u) => u !== competent) ?? competent;
        later(today(), rnd.int(1, 3), async () => {
          if (await send(caseId, 'TRANSFER', staff('registrar', receiver), { unit: other })) {
            decideAt(caseId, other, plan, today());
          }
        });
      });
    });
  };

  // --- the calendar of the simulation ---
  const perDay = opts.petitions / Math.max(1, opts.days * (5 / 7));
  let n = 0;
  for (let d = 0; d < opts.days; d++) {
    const date = addCivilDays(opts.start, d);
    // the night's tick: deadlines that ended at 24:00 fire now
    clock.set(instantAt(date, '00:30', zone));
    for (;;) {
      const fired = await engine.tick(clock.now(), { limit: 500 });
      result.ticks++;
      result.fired += fired.length;
      for (const f of fired) if (f.kind === 'duty') supervise(f.caseId);
      if (fired.length < 500) break;
    }
    if (isWorkingDay(date)) {
      const arrivals = Math.max(0, Math.round(perDay * (0.6 + rnd.next() * 0.8)));
      for (let i = 0; i < arrivals && n < opts.petitions; i++) {
        const list = buckets.get(date) ?? [];
        const k = n++;
        list.push({ at: instantAt(date, staffTime(), zone), n: counter++, run: () => submitOne(k) });
        buckets.set(date, list);
      }
    }
    // a day's work in time order; work scheduled today for today joins the queue
    for (;;) {
      const list = buckets.get(date);
      if (!list || list.length === 0) break;
      buckets.delete(date);
      list.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.n - b.n));
      for (const action of list) {
        if (action.at > clock.now().toISOString()) clock.set(action.at);
        await action.run();
      }
    }
    // the evening's delivery run: the day's documents go out (and online receipts are recorded)
    await dispatch();
    opts.onDay?.(d + 1, opts.days, result.submitted);
  }
  clock.set(instantAt(addCivilDays(opts.start, opts.days), '00:30', zone));
  for (;;) {
    const fired = await engine.tick(clock.now(), { limit: 500 });
    result.ticks++;
    result.fired += fired.length;
    if (fired.length < 500) break;
  }
  await dispatch();
  result.end = clock.now().toISOString();
  return result;
}
