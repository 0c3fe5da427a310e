/**
 * The class of a matter gates what may follow it (Reg. 29-31): a suggestion is studied and
 * answered, an accusation goes to the discipline-inspection and supervision body or the
 * competent body, an appeal routed by Reg. 31(1)-(5) goes to that procedure, and only a matter
 * of Reg. 31(6) is accepted into handling with its period and the review ladder.
 */

import { getPath } from '../../base/json.js';
import type { JsonObject } from '../../store/types.js';
import type { CaseContext, MachineEvent } from '../types.js';
import type { GuardArgs, GuardImpl, GuardRefusal } from './types.js';

/** The classes of matter: the two kinds of Reg. 29-30, and the six routes of appeals (Reg. 31). */
export const MATTER_CLASSES = [
  'suggestion',
  'accusation',
  'litigation',
  'arbitration',
  'party-discipline',
  'administrative',
  'duty-performance',
  'opinion',
] as const;

/** The article each class rests on, as refusals cite it. */
const CLASS_BASIS: Record<string, string> = {
  suggestion: 'reg-2022 art. 29',
  accusation: 'reg-2022 art. 30',
  litigation: 'reg-2022 art. 31 (1)',
  arbitration: 'reg-2022 art. 31 (2)',
  'party-discipline': 'reg-2022 art. 31 (3)',
  administrative: 'reg-2022 art. 31 (4)',
  'duty-performance': 'reg-2022 art. 31 (5)',
  opinion: 'reg-2022 art. 31 (6)',
};

export interface MatterClass {
  /** `suggestion`, `accusation`, an appeal's route, or `appeal` for an appeal given no route. */
  value: string;
  by: 'rules' | 'reclassification';
}

/**
 * The class a case's matter has now: the latest reclassification staff recorded (`decisions.<as>`
 * with `class`), else the classification rule set's outcome (`kind`, and an appeal's `route`).
 * Undefined when neither exists (a config without a classification rule set): nothing classed it.
 */
export function matterClassOf(
  context: CaseContext,
  event: Pick<Partial<MachineEvent>, 'decisions'> | undefined,
  ruleSet = 'classification',
  reclassifiedBy = 'reclassification',
): MatterClass | undefined {
  const recorded = context.data.decisions[reclassifiedBy] as JsonObject | undefined;
  if (typeof recorded?.class === 'string') return { value: recorded.class, by: 'reclassification' };
  const decision = (event?.decisions?.[ruleSet] ?? context.data.rules[ruleSet]) as JsonObject | undefined;
  const merged = decision?.merged as JsonObject | null | undefined;
  const kind = merged?.kind;
  if (typeof kind !== 'string') return undefined;
  if (kind !== 'appeal') return { value: kind, by: 'rules' };
  const route = merged?.route;
  return { value: typeof route === 'string' ? route : 'appeal', by: 'rules' };
}

const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)];

function classOf({ context, event }: GuardArgs, params: Record<string, unknown>) {
  return matterClassOf(
    context,
    event,
    typeof params.ruleSet === 'string' ? params.ruleSet : undefined,
    typeof params.reclassifiedBy === 'string' ? params.reclassifiedBy : undefined,
  );
}

function classAllowed(args: GuardArgs, params: Record<string, unknown>): boolean {
  const c = classOf(args, params);
  return c === undefined || list(params.classes).includes(c.value);
}

/**
 * The matter is of one of `classes`; with `payloadField`, the payload names the matter's own class
 * there too (a diversion names the route the matter was classed in, not another). `instead` maps
 * a class to the command the config provides for it, named in the refusal. A step taken on a
 * matter of another class is refused: `COMMAND_ROUTE_NOT_HANDLING` when the step is for Reg.
 * 31(6) matters only (acceptance into handling), `COMMAND_MATTER_CLASS` otherwise.
 */
export const matterClass: GuardImpl = {
  params: ['classes'],
  optional: ['ruleSet', 'reclassifiedBy', 'instead', 'payloadField'],
  readsPayload: true,
  possible: classAllowed,
  check: (args, params) => {
    if (!classAllowed(args, params)) return false;
    if (typeof params.payloadField !== 'string') return true;
    const c = classOf(args, params);
    return c === undefined || getPath(args.event.payload, params.payloadField) === c.value;
  },
  explain: (args, params): GuardRefusal => {
    const c = classOf(args, params);
    const value = c?.value ?? 'unclassified';
    const classes = list(params.classes);
    const instead = (params.instead ?? {}) as Record<string, unknown>;
    const command = typeof instead[value] === 'string' ? (instead[value] as string) : undefined;
    const basis = CLASS_BASIS[value];
    const source = c?.by === 'reclassification' ? 'reclassified' : 'classed';
    const type = args.event.type;
    const handlingOnly = classes.length === 1 && classes[0] === 'opinion';
    const fix = `if the class is wrong, RECLASSIFY the matter with the reason first`;
    let message: string;
    if (classAllowed(args, params)) {
      // the class fits, the payload named another
      const field = String(params.payloadField);
      message =
        `${type} refused: the matter is ${source} ${value}${basis ? ` (${basis})` : ''} but the payload's ${field} ` +
        `is ${JSON.stringify(getPath(args.event.payload, field) ?? null)}; send ${field}: ${value}, or ${fix}`;
    } else {
      const goes = command ? `send ${command} instead` : `it is not for ${type}`;
      const why = handlingOnly
        ? `only a matter of reg-2022 art. 31 (6) is accepted into handling with its period and the review ladder; a ${value} matter goes to its own procedure`
        : `${type} is for ${classes.join(', ')} matters`;
      message = `${type} refused: the matter is ${source} ${value}${basis ? ` (${basis})` : ''}; ${why}: ${goes}, or ${fix}`;
    }
    return {
      code: handlingOnly ? 'COMMAND_ROUTE_NOT_HANDLING' : 'COMMAND_MATTER_CLASS',
      message,
      details: {
        guard: 'matterClass',
        matterClass: value,
        classifiedBy: c?.by ?? 'rules',
        classes,
        ...(command ? { suggestion: command } : {}),
      },
    };
  },
};
