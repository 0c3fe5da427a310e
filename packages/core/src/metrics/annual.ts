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
import { COMMANDS, GROUND_NAMES, RESOLUTION_NAMES, SUGGESTION_NAMES } from './vocabulary.js';

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
  };
  /** The three suggestions made in the period and whether they were adopted (Reg. 40). */
  suggestions: SuggestionTally[];
  /** Leaders' receptions (Reg. 18): booked, held, and matters resolved there. */
  receptions: { booked: number; held: number; resolved: number };
  /** How matters were settled (Reg. 27), and follow-ups after termination (Reg. 37). */
  outcomes: Count[];
  followUps: number;
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
    ...actCounts(periodActs(facts, { bounds: periodBounds(latest, options), asOf })),
  };
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
  answers: { met: number; missed: number };
}

function periodActs(
  facts: readonly CaseFacts[],
  { bounds, asOf }: { bounds: ReadonlyMap<string, { lo: string; hi: string }>; asOf: string },
): PeriodActs {
  const acts: ActFact[] = [];
  const answers = { met: 0, missed: 0 };
  for (const f of facts) {
    const b = bounds.get(f.jurisdictionId);
    if (!b) continue;
    for (const a of f.acts) if (a.at >= b.lo && a.at < b.hi && a.at <= asOf) acts.push(a);
    for (const p of f.periods) {
      if (p.phase !== 'supervision' || (p.verdict !== 'met' && p.verdict !== 'missed')) continue;
      // a met answer counts when it was given, a missed one when its period ran out
      const decided = p.verdict === 'met' ? (p.endedAt as string) : p.dueAt;
      if (decided >= b.lo && decided < b.hi) answers[p.verdict]++;
    }
  }
  return { acts, answers };
}

/** Disposal, supervision, suggestions, receptions and outcomes counted from the period's acts. */
function actCounts({
  acts,
  answers,
}: PeriodActs): Pick<
  AnnualReport,
  'disposal' | 'supervision' | 'suggestions' | 'receptions' | 'outcomes' | 'followUps'
> {
  const of = (type: string) => acts.filter((a) => a.type === type);
  const held = of(COMMANDS.receptionHeld);
  return {
    disposal: {
      transfers: of('transfer').length,
      assignments: of('assign').length,
      designations: of('designate').length,
    },
    supervision: {
      supervised: of(COMMANDS.supervise).length,
      replies: of(COMMANDS.supervisionReply).length,
      answeredOnTime: ratio(answers.met, answers.met + answers.missed),
      reopened: of('reopen').length,
      spotChecksUpheld: of(COMMANDS.spotCheck).filter((a) => a.value === 'upheld').length,
      accountability: counts(
        of(COMMANDS.accountability).map((a) => a.value ?? '(none)'),
        (k) => GROUND_NAMES[k] ?? k,
      ),
    },
    suggestions: suggestionTallies(of(COMMANDS.suggest)),
    receptions: {
      booked: of(COMMANDS.bookReception).length,
      held: held.length,
      resolved: held.filter((a) => a.value === 'resolved').length,
    },
    outcomes: counts(
      of(COMMANDS.recordOutcome).map((a) => a.value ?? '(none)'),
      (k) => RESOLUTION_NAMES[k] ?? k,
    ),
    followUps: of(COMMANDS.followUp).length,
  };
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
