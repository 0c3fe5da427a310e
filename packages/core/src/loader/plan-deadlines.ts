/**
 * A plan's deadline rules held to the law's bounds, as a province's overrides are
 * (`config/restrictions.ts`): a move may never lengthen a body's duty nor shorten a
 * petitioner's window. `recompute` counts the new period from the old start, so its bound is a
 * property of the two periods, checked here on the calendar for every start date it covers.
 * `restart` counts from the day of the move: whether it stays within the bound depends on the
 * case, and the engine checks it per case (a case it would not keep within is left on its
 * version with the reason).
 */

import type { DiagnosticCode } from '../base/errors.js';
import type { Calendar } from '../calendar/index.js';
import {
  baseStretches,
  compareStretches,
  describePeriod,
  type PeriodShape,
  totalStretches,
} from '../config/deadline-compare.js';
import type { DayUnit, DeadlineDef, JurisdictionConfig } from '../config/types.js';

/**
 * What becomes of a running period: `keep` it as it is (same start, same due date), `restart` it
 * on the new version's days from the day of the move, or `recompute` it on the new days from its
 * original start (its pauses and extensions kept).
 */
export type DeadlineRule = 'keep' | 'restart' | 'recompute';

export interface PlanDeadline {
  rule: DeadlineRule;
  /** The deadline's id in the new version, when it was renamed. */
  to?: string;
}

/** The two configs a plan is checked against, and the calendar its deadline rules are counted on. */
export interface PlanContext {
  from: JurisdictionConfig;
  to: JurisdictionConfig;
  calendar?: Calendar;
}

/** Where the checks report (`PlanReporter` of `plan.ts`). */
interface Reporter {
  error(code: DiagnosticCode, path: string[], message: string, at?: 'key' | 'value'): void;
  warn(code: DiagnosticCode, path: string[], message: string, at?: 'key' | 'value'): void;
}

function shapeOf(d: DeadlineDef): PeriodShape {
  const unit: DayUnit = d.unit ?? 'calendar';
  return {
    days: d.days,
    unit,
    ...(d.extension
      ? {
          extension: {
            maxDays: d.extension.maxDays,
            times: d.extension.times,
            unit: d.extension.unit ?? unit,
          },
        }
      : {}),
  };
}

/** Every deadline rule's names, kinds and (for `recompute`) bounds. */
export function checkDeadlineRules(
  r: Reporter,
  rules: Record<string, PlanDeadline>,
  ctx: PlanContext,
  /** The ids whose rule is written as a bare name (`handling: recompute`). */
  short: ReadonlySet<string> = new Set(),
): void {
  const oldDefs = ctx.from.deadlines;
  const newDefs = ctx.to.deadlines;
  for (const [id, rule] of Object.entries(rules)) {
    const path = ['deadlines', id];
    const target = rule.to ?? id;
    const before = oldDefs[id];
    const after = newDefs[target];
    if (!before || !Object.hasOwn(oldDefs, id)) {
      r.error('PLAN_UNKNOWN_DEADLINE', path, `\`${id}\` is no deadline of the from version`, 'key');
      continue;
    }
    if (!after || !Object.hasOwn(newDefs, target)) {
      r.error(
        'PLAN_UNKNOWN_DEADLINE',
        rule.to ? [...path, 'to'] : path,
        `\`${target}\` is no deadline of the to version`,
        rule.to ? 'value' : 'key',
      );
      continue;
    }
    if (before.kind !== after.kind) {
      r.error(
        'PLAN_UNLAWFUL_DEADLINE',
        path,
        `\`${id}\` is a ${before.kind} and \`${target}\` a ${after.kind}: a move keeps what a period is`,
      );
      continue;
    }
    if (rule.rule === 'recompute')
      checkRecompute(r, short.has(id) ? path : [...path, 'rule'], before, after, ctx);
  }
  for (const id of Object.keys(oldDefs)) {
    if (!Object.hasOwn(rules, id) && !Object.hasOwn(newDefs, id)) {
      r.warn(
        'PLAN_UNKNOWN_DEADLINE',
        ['deadlines'],
        `deadline \`${id}\` is gone from the to version and the plan does not map it: cases where it runs stay on their version`,
        'key',
      );
    }
  }
}

/** `recompute` from the old start: a duty may end no later, a window no earlier, for any start. */
function checkRecompute(
  r: Reporter,
  path: string[],
  before: DeadlineDef,
  after: DeadlineDef,
  ctx: PlanContext,
): void {
  const b = shapeOf(before);
  const a = shapeOf(after);
  const duty = before.kind === 'duty';
  // a duty: the new period with every extension must not end after the old one with every extension;
  // a window: the old period must not end after the new one (no extension runs on a window)
  const found = duty
    ? compareStretches(totalStretches(b), totalStretches(a), ctx.calendar)
    : compareStretches(baseStretches(a), baseStretches(b), ctx.calendar);
  if (found === 'needs-calendar') {
    r.error(
      'PLAN_UNLAWFUL_DEADLINE',
      path,
      `${describePeriod(b, 'en')} against ${describePeriod(a, 'en')} can only be compared on the calendar: load the plan with the jurisdiction's calendar`,
    );
    return;
  }
  if (!found.longer) return;
  const w = found.witness
    ? ` (from ${found.witness.start}: ${found.witness.child} against ${found.witness.parent})`
    : '';
  const what = duty
    ? `would lengthen the duty: ${describePeriod(a, 'en')} against ${describePeriod(b, 'en')}`
    : `would shorten the petitioner's window: ${describePeriod(a, 'en')} against ${describePeriod(b, 'en')}`;
  r.error('PLAN_UNLAWFUL_DEADLINE', path, `recomputing \`${path[1]}\` ${what}${w}; keep it instead`);
}
