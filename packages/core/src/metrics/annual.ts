/**
 * The annual report of Reg. 41, to the Party committee and government at the same level and
 * the petition bureau above: statistics of matters, the fields they concern and the bodies most
 * complained about; transfers, assignments and supervision done; the three suggestions made and
 * whether they were adopted.
 */

import { instantAt } from '../calendar/index.js';
import type { JurisdictionConfig } from '../config/types.js';
import { KIND_NAMES, latestConfigs, ratio } from './report.js';
import type { ActFact, CaseFacts, Ratio } from './types.js';
import { COMMANDS, GROUND_NAMES, MEASURE_NAMES, RESOLUTION_NAMES, SUGGESTION_NAMES } from './vocabulary.js';

/** A count of one key, with its name. */
export interface Count {
  key: string;
  name: string;
  count: number;
}

/** One kind of suggestion: how many were made and what became of them. */
export interface SuggestionTally {
  key: string;
  name: string;
  made: number;
  adopted: number;
  notAdopted: number;
  /** No adoption report yet. */
  pending: number;
}

export interface AnnualReport {
  asOf: string;
  /** Civil dates, `[from, to)`. */
  from: string;
  to: string;
  jurisdictions: { id: string; name: string; version: string }[];
  /** Matters registered in the period, by kind and by channel. */
  matters: { total: number; byKind: Count[]; byChannel: Count[] };
  /** The fields the matters concern, most first. */
  fields: Count[];
  /** The bodies most complained about, most first. */
  mostComplainedAbout: Count[];
  /** Transfers, assignments and designations made in the period (Reg. 22-24). */
  disposal: { transfers: number; assignments: number; designations: number };
  /** Supervision done in the period (Reg. 38-40, 44). */
  supervision: {
    supervised: number;
    replies: number;
    /**
     * Written answers owed to supervision (replies to a supervision letter, adoption reports on a
     * suggestion) given before their period ran out, of those decided in the period.
     */
    answeredOnTime: Ratio;
    /** Non-acceptances reopened on a spot check, and spot checks that upheld one. */
    reopened: number;
    spotChecksUpheld: number;
    accountability: Count[];
    /**
     * Supervision and accountability records by the liability ground they name (Reg. 42-46),
     * each with the article and item the config's `supervision.grounds` gives it.
     */
    byGround: GroundCount[];
    /** Talks, public criticism and listed supervision by the joint petition-work meetings (Reg. 39). */
    jointMeetingMeasures: Count[];
  };
  /** The three suggestions made in the period and whether they were adopted (Reg. 40). */
  suggestions: SuggestionTally[];
  /** Leaders' receptions (Reg. 18): booked, held, and matters resolved there. */
  receptions: { booked: number; held: number; resolved: number };
  /**
   * Leaders' personal charge of hard cases (包案) and joint receptions of city and county bodies
   * (Reg. 18): cases taken in charge, joint receptions held and matters resolved at them.
   */
  leadership: { takenInCharge: number; jointReceptions: number; jointResolved: number };
  /** Major or urgent matters reported up (Reg. 25). */
  reportedUp: number;
  /** Prohibited conduct recorded (Reg. 26), how much of it serious, and how much handed to the police (Reg. 47). */
  order: { recorded: number; serious: number; handedToPolice: number };
  /** How matters were settled (Reg. 27), and follow-ups after termination (Reg. 37). */
  outcomes: Count[];
  followUps: number;
}

/** The records that named one liability ground. */
export interface GroundCount extends Count {
  /** The article and item, e.g. `reg-2022 art. 44 (3)`; absent for a ground no config declares. */
  basis?: string;
  /** Supervision letters (督办) and accountability records (责任追究) naming it. */
  supervised: number;
  accountability: number;
}

export interface AnnualReportOptions {
  asOf: string;
  /** First day of the period (`YYYY-MM-DD`). */
  from: string;
  /** Day after the period (exclusive). */
  to: string;
  /** How many fields and bodies to list. @default 10 */
  top?: number;
  configs: ReadonlyMap<string, JurisdictionConfig>;
}

function counts(
  keys: Iterable<string>,
  name: (key: string) => string,
  top = Number.POSITIVE_INFINITY,
): Count[] {
  const n = new Map<string, number>();
  for (const k of keys) n.set(k, (n.get(k) ?? 0) + 1);
  return [...n]
    .map(([key, count]) => ({ key, name: name(key), count }))
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1))
    .slice(0, top);
}

/**
 * The annual report over the facts of every case registered before `to` (acts in the period
 * count whenever their case was registered). Matters are the cases registered in `[from, to)`.
 */
export function annualReport(facts: readonly CaseFacts[], options: AnnualReportOptions): AnnualReport {
  const asOf = new Date(options.asOf).toISOString();
  const latest = latestConfigs(facts, options.configs);
  const matters = facts.filter((f) => f.registeredDate >= options.from && f.registeredDate < options.to);
  return {
    asOf,
    from: options.from,
    to: options.to,
    jurisdictions: [...latest].map(([id, { config }]) => ({
      id,
      name: config.jurisdiction.name,
      version: config.jurisdiction.version,
    })),
    ...matterCounts(matters, { top: options.top ?? 10, latest }),
    ...actCounts(periodActs(facts, { bounds: periodBounds(latest, options), asOf }), groundsOf(latest)),
  };
}

/** The liability grounds the configs declare (Reg. 42-46), the first declaration of an id winning. */
function groundsOf(latest: Latest): Map<string, { name: string; basis: string }> {
  const grounds = new Map<string, { name: string; basis: string }>();
  for (const { config } of latest.values())
    for (const [id, g] of Object.entries(config.supervision?.grounds ?? {}))
      if (!grounds.has(id)) grounds.set(id, g);
  return grounds;
}

type Latest = ReturnType<typeof latestConfigs>;

/** Each jurisdiction's period as instants in its own zone, `[lo, hi)`. */
function periodBounds(
  latest: Latest,
  { from, to }: AnnualReportOptions,
): Map<string, { lo: string; hi: string }> {
  const bounds = new Map<string, { lo: string; hi: string }>();
  for (const [id, { config }] of latest) {
    const zone = config.jurisdiction.timezone;
    bounds.set(id, { lo: instantAt(from, '00:00', zone), hi: instantAt(to, '00:00', zone) });
  }
  return bounds;
}

/** The matters by kind, channel and field, and the bodies complained about most. */
function matterCounts(
  matters: readonly CaseFacts[],
  { top, latest }: { top: number; latest: Latest },
): Pick<AnnualReport, 'matters' | 'fields' | 'mostComplainedAbout'> {
  const unitName = (key: string): string => {
    for (const { config } of latest.values()) if (config.units[key]) return config.units[key].name;
    return key;
  };
  return {
    matters: {
      total: matters.length,
      byKind: counts(
        matters.map((f) => f.kind ?? '(none)'),
        (k) => KIND_NAMES[k] ?? k,
      ),
      byChannel: counts(
        matters.map((f) => f.channel ?? '(none)'),
        (k) => k,
      ),
    },
    fields: counts(
      matters.map((f) => f.subject ?? '(none)'),
      (k) => k,
      top,
    ),
    mostComplainedAbout: counts(
      matters.flatMap((f) => (f.respondent ? [f.respondent] : [])),
      unitName,
      top,
    ),
  };
}

/** The acts done in the period, and the written answers to supervision decided in it. */
interface PeriodActs {
  acts: ActFact[];
  /** Cases a leader took in personal charge of in the period (Reg. 18), each once. */
  takenInCharge: number;
  answers: { met: number; missed: number };
}

function periodActs(
  facts: readonly CaseFacts[],
  { bounds, asOf }: { bounds: ReadonlyMap<string, { lo: string; hi: string }>; asOf: string },
): PeriodActs {
  const acts: ActFact[] = [];
  const answers = { met: 0, missed: 0 };
  let takenInCharge = 0;
  for (const f of facts) {
    const b = bounds.get(f.jurisdictionId);
    if (!b) continue;
    const inPeriod = f.acts.filter((a) => a.at >= b.lo && a.at < b.hi && a.at <= asOf);
    acts.push(...inPeriod);
    // a case counts once however often its leader changed
    if (inPeriod.some((a) => a.type === COMMANDS.takeCharge)) takenInCharge++;
    for (const p of f.periods) {
      if (p.phase !== 'supervision' || (p.verdict !== 'met' && p.verdict !== 'missed')) continue;
      // a met answer counts when it was given, a missed one when its period ran out
      const decided = p.verdict === 'met' ? (p.endedAt as string) : p.dueAt;
      if (decided >= b.lo && decided < b.hi) answers[p.verdict]++;
    }
  }
  return { acts, answers, takenInCharge };
}

/** Supervision done in the period (Reg. 38-40, 42-46): letters, replies, accountability by ground, the joint meetings' measures. */
function supervisionCounts(
  of: (type: string) => ActFact[],
  answers: PeriodActs['answers'],
  grounds: ReadonlyMap<string, { name: string; basis: string }>,
): AnnualReport['supervision'] {
  const groundName = (k: string) => grounds.get(k)?.name ?? GROUND_NAMES[k] ?? k;
  return {
    supervised: of(COMMANDS.supervise).length,
    replies: of(COMMANDS.supervisionReply).length,
    answeredOnTime: ratio(answers.met, answers.met + answers.missed),
    reopened: of('reopen').length,
    spotChecksUpheld: of(COMMANDS.spotCheck).filter((a) => a.value === 'upheld').length,
    accountability: counts(
      of(COMMANDS.accountability).map((a) => a.value ?? '(none)'),
      (k) => (k === '(none)' ? k : groundName(k)),
    ),
    byGround: groundCounts(of(COMMANDS.supervise), of(COMMANDS.accountability), grounds, groundName),
    jointMeetingMeasures: counts(
      of(COMMANDS.jointMeetingMeasure).map((a) => a.value ?? '(none)'),
      (k) => MEASURE_NAMES[k] ?? k,
    ),
  };
}

/** Disposal, supervision, suggestions, receptions and outcomes counted from the period's acts. */
function actCounts(
  { acts, answers, takenInCharge }: PeriodActs,
  grounds: ReadonlyMap<string, { name: string; basis: string }>,
): Pick<
  AnnualReport,
  | 'disposal'
  | 'supervision'
  | 'suggestions'
  | 'receptions'
  | 'leadership'
  | 'reportedUp'
  | 'order'
  | 'outcomes'
  | 'followUps'
> {
  const of = (type: string) => acts.filter((a) => a.type === type);
  const held = of(COMMANDS.receptionHeld);
  return {
    disposal: {
      transfers: of('transfer').length,
      assignments: of('assign').length,
      designations: of('designate').length,
    },
    supervision: supervisionCounts(of, answers, grounds),
    suggestions: suggestionTallies(of(COMMANDS.suggest)),
    receptions: {
      booked: of(COMMANDS.bookReception).length,
      held: held.length,
      resolved: held.filter((a) => a.value === 'resolved').length,
    },
    leadership: {
      takenInCharge,
      jointReceptions: of(COMMANDS.jointReception).length,
      jointResolved: of(COMMANDS.jointReception).filter((a) => a.value === 'resolved').length,
    },
    reportedUp: of(COMMANDS.reportUp).length,
    order: {
      recorded: of(COMMANDS.recordConduct).length,
      serious: of(COMMANDS.recordConduct).filter((a) => a.value === 'serious').length,
      handedToPolice: of(COMMANDS.handToPolice).length,
    },
    outcomes: counts(
      of(COMMANDS.recordOutcome).map((a) => a.value ?? '(none)'),
      (k) => RESOLUTION_NAMES[k] ?? k,
    ),
    followUps: of(COMMANDS.followUp).length,
  };
}

/** Supervision letters and accountability records by the ground they name, most first. */
function groundCounts(
  supervised: readonly ActFact[],
  accountable: readonly ActFact[],
  grounds: ReadonlyMap<string, { name: string; basis: string }>,
  name: (key: string) => string,
): GroundCount[] {
  const byKey = new Map<string, GroundCount>();
  const add = (a: ActFact, field: 'supervised' | 'accountability') => {
    if (a.value === undefined) return;
    const basis = grounds.get(a.value)?.basis;
    const c = byKey.get(a.value) ?? {
      key: a.value,
      name: name(a.value),
      ...(basis ? { basis } : {}),
      count: 0,
      supervised: 0,
      accountability: 0,
    };
    c.count++;
    c[field]++;
    byKey.set(a.value, c);
  };
  for (const a of supervised) add(a, 'supervised');
  for (const a of accountable) add(a, 'accountability');
  return [...byKey.values()].sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
}

/** The three kinds of suggestion (each listed, made or not), then any other kind seen. */
function suggestionTallies(suggests: readonly ActFact[]): SuggestionTally[] {
  const tallies = new Map<string, SuggestionTally>();
  for (const key of Object.keys(SUGGESTION_NAMES))
    tallies.set(key, {
      key,
      name: SUGGESTION_NAMES[key] as string,
      made: 0,
      adopted: 0,
      notAdopted: 0,
      pending: 0,
    });
  for (const a of suggests) {
    const key = a.value ?? '(none)';
    const t = tallies.get(key) ?? { key, name: key, made: 0, adopted: 0, notAdopted: 0, pending: 0 };
    t.made++;
    if (a.adopted === true) t.adopted++;
    else if (a.adopted === false) t.notAdopted++;
    else t.pending++;
    tallies.set(key, t);
  }
  return [...tallies.values()];
}
