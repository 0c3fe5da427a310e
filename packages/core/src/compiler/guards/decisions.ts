/**
 * Guards over the decisions a case has recorded (`data.decisions`, written by the action
 * `recordDecision`): a step that follows another (accountability after supervision), a step
 * that answers one (the supervised body's reply, the adoption report, a reception held), the
 * receipt of the document a decision issued.
 */

import { getPath } from '../../base/json.js';
import { civilDate } from '../../calendar/zone.js';
import { transitionEntries } from '../../config/transitions.js';
import type { JurisdictionConfig } from '../../config/types.js';
import type { JsonObject } from '../../store/types.js';
import type { GuardArgs, GuardImpl } from './types.js';

/**
 * The command(s) whose `recordDecision` records decision `name` (`key: 'as'`) or answers it
 * (`key: 'answers'`) under this config, for telling a person what to send.
 */
function commandsFor(config: JurisdictionConfig, name: string, key: 'as' | 'answers' = 'as'): string[] {
  const out = new Set<string>();
  for (const state of Object.values(config.process.states)) {
    for (const { type, alternatives } of transitionEntries(state)) {
      for (const def of alternatives) {
        const records = (def.actions ?? []).some(
          (a) => a.type === 'recordDecision' && a.params?.[key] === name,
        );
        if (records) out.add(type);
      }
    }
  }
  return [...out];
}

function decisionOf({ context }: GuardArgs, decision: unknown): JsonObject | undefined {
  return context.data.decisions[String(decision)];
}

function sendFirst(config: JurisdictionConfig, decision: string): string {
  const by = commandsFor(config, decision);
  return by.length > 0 ? `; send ${by.join(' or ')} first` : '';
}

/** The case has recorded `decision` (accountability and suggestions follow a supervision). */
export const decisionRecorded: GuardImpl = {
  params: ['decision'],
  check: (args, { decision }) => decisionOf(args, decision) !== undefined,
  explain: ({ event, config }, { decision }) => ({
    message: `${event.type} refused: it follows a ${String(decision)} decision, and this case has none${sendFirst(config, String(decision))}`,
    details: { decision: String(decision) },
  }),
};

/**
 * The latest `decision` is still open: recorded, and not yet answered (the action
 * `recordDecision` with `answers: <decision>` marks it `answeredAt`). A reply to a supervision,
 * a report on suggestions, the outcome of a booked reception: each answers the latest one once.
 */
export const decisionOpen: GuardImpl = {
  params: ['decision'],
  check: (args, { decision }) => {
    const d = decisionOf(args, decision);
    return d !== undefined && d.answeredAt === undefined;
  },
  explain: (args, { decision }) => {
    const d = decisionOf(args, decision);
    const name = String(decision);
    const why =
      d === undefined
        ? `this case has no ${name} to answer${sendFirst(args.config, name)}`
        : `the ${name} of ${String(d.at)} was already answered at ${String(d.answeredAt)}`;
    return {
      message: `${args.event.type} refused: ${why}`,
      details: { decision: name, answeredAt: (d?.answeredAt as string | undefined) ?? null },
    };
  },
};

/**
 * No `decision` is open: none was recorded, or the latest was answered. A case holds one open
 * entry of a kind at a time (a listing on a problem list until it is closed off), whatever the
 * entry's own date.
 */
export const decisionNotOpen: GuardImpl = {
  params: ['decision'],
  check: (args, { decision }) => {
    const d = decisionOf(args, decision);
    return d === undefined || d.answeredAt !== undefined;
  },
  explain: (args, { decision }) => {
    const d = decisionOf(args, decision);
    const answers = commandsFor(args.config, String(decision), 'answers');
    return {
      message: `${args.event.type} refused: the ${String(decision)} of ${String(d?.at)} is still open${answers.length > 0 ? ` (${answers.join(' or ')} closes it)` : ''}`,
      details: { decision: String(decision), at: (d?.at as string | undefined) ?? null },
    };
  },
};

/**
 * The latest `decision` is not awaiting its answer: none was made, it was answered, or the
 * `deadline` for the answer is no longer running (it ran out: a further letter is the next
 * step). A case holds one open supervision letter, one open suggestion: each gets its own answer
 * period and its own written answer, and an answer cannot be taken for another's.
 */
export const notAwaitingAnswer: GuardImpl = {
  params: ['decision', 'deadline'],
  check: (args, { decision, deadline }) => {
    const d = decisionOf(args, decision);
    if (d === undefined || d.answeredAt !== undefined) return true;
    const status = args.context.data.deadlines[String(deadline)]?.status;
    return status !== 'running' && status !== 'paused';
  },
  explain: (args, { decision, deadline }) => {
    const d = decisionOf(args, decision);
    const period = args.context.data.deadlines[String(deadline)];
    const due = period?.dueDate === undefined ? '' : ` until ${period.dueDate}`;
    const answers = commandsFor(args.config, String(decision), 'answers');
    return {
      message: `${args.event.type} refused: the ${String(decision)} of ${String(d?.at)} awaits its written answer${due}${answers.length > 0 ? ` (${answers.join(' or ')})` : ''}; send another once it is answered or its period (${String(deadline)}) has run out`,
      details: { decision: String(decision), deadline: String(deadline), dueDate: period?.dueDate ?? null },
    };
  },
};

/** The civil date at a case-data path (`decisions.reception.date`) is today or earlier. */
export const dateReached: GuardImpl = {
  params: ['path'],
  check: ({ context, event, config }, { path }) => {
    const date = getPath(context.data, String(path));
    return typeof date === 'string' && date <= civilDate(event.at, config.jurisdiction.timezone);
  },
  explain: ({ context, event, config }, { path }) => {
    const date = getPath(context.data, String(path));
    const today = civilDate(event.at, config.jurisdiction.timezone);
    return {
      message:
        typeof date === 'string'
          ? `${event.type} refused: ${String(path)} is ${date}, after today (${today}); record it on or after that day`
          : `${event.type} refused: the case has no date at ${String(path)}`,
      details: { path: String(path), date: typeof date === 'string' ? date : null, today },
    };
  },
};

/**
 * No receipt has been recorded since `decision` was made: the document that step issued is
 * still to reach the petitioner, so a second receipt cannot be recorded for it. Receipts and
 * decisions are ordered by their instants; a receipt at the very instant of the decision
 * counts as earlier (it can only be the receipt of an earlier document).
 */
export const notReceivedSince: GuardImpl = {
  params: ['decision'],
  check: (args, { decision }) => {
    const d = decisionOf(args, decision);
    if (d === undefined || typeof d.at !== 'string') return false;
    const made = Date.parse(d.at);
    return !args.context.data.receipts.some((r) => typeof r.at === 'string' && Date.parse(r.at) > made);
  },
  explain: (args, { decision }) => {
    const d = decisionOf(args, decision);
    const name = String(decision);
    return {
      message:
        d === undefined
          ? `${args.event.type} refused: this case has no ${name} whose document could be received`
          : `${args.event.type} refused: the receipt of the document of the ${name} of ${String(d.at)} is already recorded`,
      details: { decision: name },
    };
  },
};

/** The payload's `from` and `through` dates (strings or null) and today, for `datesAhead`. */
function datesOf({ event, config }: GuardArgs, from: unknown, through: unknown) {
  const p = event.payload ?? {};
  const first = p[String(from)];
  const last = through === undefined ? undefined : p[String(through)];
  return {
    today: civilDate(event.at, config.jurisdiction.timezone),
    first: typeof first === 'string' ? first : null,
    last: typeof last === 'string' ? last : null,
  };
}

/**
 * Payload dates of something still to happen, in order: `from` (the first day) is today or
 * later, and `through` (the last day, optional) is not before it. A hearing is notified before it
 * is held (听证通知书), and its recorded days are the time excluded from the period (Reg. 36).
 */
export const datesAhead: GuardImpl = {
  params: ['from'],
  optional: ['through'],
  readsPayload: true,
  check: (args, { from, through }) => {
    const { today, first, last } = datesOf(args, from, through);
    return first !== null && first >= today && (last === null || last >= first);
  },
  explain: (args, { from, through }) => {
    const { today, first, last } = datesOf(args, from, through);
    const why =
      first === null
        ? `payload ${String(from)} is missing`
        : first < today
          ? `${String(from)} ${first} is before today (${today}): record the days still to come`
          : `${String(through)} ${last} is before ${String(from)} ${first}: give the last day on or after the first`;
    return {
      code: 'COMMAND_DATES_INVALID',
      message: `${args.event.type} refused: ${why}`,
      details: { today, from: first, through: last },
    };
  },
};
