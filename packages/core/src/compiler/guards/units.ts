/** Guards over the unit registry. */

import { getPath } from '../../base/json.js';
import {
  type Accused,
  accusedOf,
  hasAccusation,
  isAccusedActor,
  suggestUnits,
  unresolvedReferences,
} from '../accusation.js';
import type { GuardArgs, GuardImpl } from './types.js';

/**
 * The actor decides for the common superior of the bodies named in payload field `of`
 * (Reg. 24: several competent bodies that cannot agree). The actor's unit must be a common
 * ancestor of all of them, or the petition bureau under that ancestor (which acts for it in
 * petition work); the designated `unit` must be one of the bodies; every body must exist.
 */
export const commonSuperior: GuardImpl = {
  params: ['of'],
  readsPayload: true,
  check: ({ event, units }, { of }) => {
    const bodies = getPath(event.payload, String(of));
    if (!Array.isArray(bodies) || bodies.length < 2) return false;
    const list = bodies.map(String);
    if (!list.every((u) => units.has(u))) return false;
    const target = event.payload.unit;
    if (typeof target === 'string' && !list.includes(target)) return false;
    const actorUnit = event.actor.unit;
    if (actorUnit === undefined || !units.has(actorUnit)) return false;
    const common = new Set(
      list
        .flatMap((u) => units.ancestors(u))
        .filter((a) => list.every((u) => units.ancestors(u).includes(a))),
    );
    if (common.has(actorUnit)) return true;
    const parent = units.get(actorUnit)?.parent;
    return units.get(actorUnit)?.kind === 'petition-bureau' && parent !== undefined && common.has(parent);
  },
  // some two bodies have the actor's unit (or, for a petition bureau, the unit above it) in common
  possible: ({ event, units, config }) => {
    const own = event.actor.unit;
    if (own === undefined || !units.has(own)) return false;
    const parent = units.get(own)?.parent;
    const anchors = [
      own,
      ...(units.get(own)?.kind === 'petition-bureau' && parent !== undefined ? [parent] : []),
    ];
    const ids = Object.keys(config.units);
    return anchors.some((a) => ids.filter((u) => units.ancestors(u).includes(a)).length >= 2);
  },
};

/** The units and persons the case's petition accuses, with a config's own `accusedUnitField` added. */
function accusedAt(args: GuardArgs, accusedUnitField: unknown): Accused {
  const { config, units, context } = args;
  const accused = accusedOf(config, units, context.data.petition);
  if (accusedUnitField === undefined || !hasAccusation(config, context.data.petition)) return accused;
  const extra = getPath(context.data.petition, String(accusedUnitField));
  return typeof extra === 'string' ? { ...accused, units: [...accused.units, extra] } : accused;
}

/**
 * Reg. 30: accusation material never goes to the persons or units it accuses. A step that hands
 * the case to the unit in payload field `field` (default `unit`) is refused when that unit is
 * accused (`compiler/accusation.ts`: the accused units and accused staff members' units). A
 * complaint without accusation material may still go to the body it is about: that body is
 * usually the one competent to handle it. The engine checks the same after every step, for
 * every way a unit becomes responsible; this guard says so before the step, by name.
 */
export const notAccused: GuardImpl = {
  readsPayload: true,
  optional: ['field', 'accusedUnitField', 'actor'],
  check: (args, { field, accusedUnitField, actor }) => {
    const accused = accusedAt(args, accusedUnitField);
    // `actor: true`: the acting body must not be accused either (a superior designating a
    // body for an accusation against itself would read it, and an objection would return it there)
    if (actor === true && isAccusedActor(accused, args.event.actor)) return false;
    const target = getPath(args.event.payload, String(field ?? 'unit'));
    return typeof target !== 'string' || !accused.units.includes(target);
  },
  // the payload can always name another unit; the acting body's own exclusion does not depend on it
  possible: (args, { accusedUnitField, actor }) =>
    actor !== true || !isAccusedActor(accusedAt(args, accusedUnitField), args.event.actor),
  explain: (args, { field, accusedUnitField }) => {
    const accused = accusedAt(args, accusedUnitField);
    const self = isAccusedActor(accused, args.event.actor);
    const target = String(getPath(args.event.payload, String(field ?? 'unit')));
    return {
      message: self
        ? 'an accused unit or person may not decide where an accusation against it goes (reg-2022 art. 30); a body above it must act'
        : `accusation material may not be sent to the accused unit ${target} (reg-2022 art. 30); send it to a body competent for accusations instead`,
      details: { accusedUnits: accused.units },
    };
  },
};

/**
 * The payload resolves one of the case's unresolved references (`compiler/accusation.ts`):
 * `path` names it; a unit is resolved to a `unit` of the registry; a person to a `staffId`
 * (with their `unit`, when given, a unit of the registry) or found `external` to the registry.
 */
export const resolvesReference: GuardImpl = {
  readsPayload: true,
  check: ({ event, context, config, units }) => {
    const p = event.payload;
    const ref = unresolvedReferences(config, units, context.data.petition).find((r) => r.path === p.path);
    if (!ref) return false;
    if (ref.kind === 'unit') return typeof p.unit === 'string' && units.has(p.unit);
    if (p.external === true) return p.staffId === undefined && p.unit === undefined;
    return (
      typeof p.staffId === 'string' &&
      p.staffId.trim() !== '' &&
      (p.unit === undefined || (typeof p.unit === 'string' && units.has(p.unit)))
    );
  },
  possible: ({ context, config, units }) =>
    unresolvedReferences(config, units, context.data.petition).length > 0,
  explain: ({ event, context, config, units }) => {
    const open = unresolvedReferences(config, units, context.data.petition);
    const ref = open.find((r) => r.path === event.payload.path);
    if (!ref) {
      return {
        message: `nothing to resolve at ${JSON.stringify(String(event.payload.path ?? ''))}; unresolved: ${open.map((r) => r.path).join(', ') || 'none'}`,
        details: { unresolved: open.map((r) => r.path) },
      };
    }
    const written = getPath(context.data.petition, ref.path);
    return ref.kind === 'unit'
      ? {
          message: `resolve ${ref.path} to a unit of the registry (give unit: its id)`,
          details: { path: ref.path, suggestions: suggestUnits(config, String(written)) },
        }
      : {
          message: `resolve ${ref.path} to a staff id (staffId, and unit when known), or say external: true`,
          details: { path: ref.path },
        };
  },
};

function ladderRequest({ context, event, units }: GuardArgs, of: unknown) {
  const unit = context.data.decisions[String(of)]?.unit;
  const decidedBy = typeof unit === 'string' ? unit : undefined;
  const requested = typeof event.payload?.body === 'string' ? event.payload.body : undefined;
  const choices = decidedBy === undefined ? {} : units.ladder(decidedBy);
  const body = decidedBy === undefined ? undefined : units.ladderBody(decidedBy, requested);
  return { decidedBy, requested, choices, body };
}

/**
 * The petitioner asks the body one level up from the unit that took decision `of` (`opinion`
 * for a review, `review` for a re-examination; Reg. 35-36): its own government or its competent
 * department one level up. Payload `body` (`government`, `line` or the unit's id) chooses; without
 * it the config's default is taken. Refused when the named body is not one of them, or there is none.
 */
export const lawfulLadderBody: GuardImpl = {
  params: ['of'],
  readsPayload: true,
  check: (args, { of }) => ladderRequest(args, of).body !== undefined,
  possible: (args, { of }) => {
    const { choices } = ladderRequest(args, of);
    return choices.government !== undefined || choices.line !== undefined;
  },
  explain: (args, { of }) => {
    const { decidedBy, requested, choices } = ladderRequest(args, of);
    const names = [choices.government, choices.line]
      .filter((u): u is string => u !== undefined)
      .map((u) => `${u} (${args.units.get(u)?.name ?? u})`);
    const article = of === 'review' ? 'reg-2022 art. 36' : 'reg-2022 art. 35';
    const why =
      names.length === 0
        ? `${decidedBy ?? 'no unit'} has no body one level up in the registry (neither its government nor a line department)`
        : `${requested ?? 'the default'} is not one of the bodies one level up from ${decidedBy}: ${names.join(' or ')}`;
    return {
      code: 'COMMAND_REVIEW_BODY_UNLAWFUL',
      message: `${args.event.type} refused: ${why} (${article})`,
      details: {
        decidedBy: decidedBy ?? null,
        requested: requested ?? null,
        choices: [choices.government, choices.line].filter((u) => u !== undefined),
      },
    };
  },
};

/**
 * Every unit the payload field `field` lists is a unit of the registry at one of `levels`: a
 * joint reception (Reg. 18) brings together bodies of the city and county levels, so a list
 * naming a provincial department, or a unit the registry does not hold, is refused.
 */
export const unitsAtLevels: GuardImpl = {
  params: ['field', 'levels'],
  readsPayload: true,
  check: ({ event, units }, { field, levels }) => {
    const list = getPath(event.payload, String(field));
    const allowed = Array.isArray(levels) ? levels.map(String) : [];
    return (
      Array.isArray(list) &&
      list.every((u) => typeof u === 'string' && allowed.includes(units.get(u)?.level ?? ''))
    );
  },
  explain: ({ event, units }, { field, levels }) => {
    const list = getPath(event.payload, String(field));
    const allowed = Array.isArray(levels) ? levels.map(String) : [];
    const wrong = (Array.isArray(list) ? list : []).filter(
      (u) => typeof u !== 'string' || !allowed.includes(units.get(u)?.level ?? ''),
    );
    return {
      code: 'COMMAND_UNIT_LEVEL',
      message: `${event.type} brings together bodies at the ${allowed.join(' and ')} level; ${wrong.map(String).join(', ')} ${wrong.length === 1 ? 'is' : 'are'} not a registered unit at that level`,
      details: { guard: 'unitsAtLevels', units: wrong.map(String), levels: allowed },
    };
  },
};

/**
 * The unit in payload field `field` (default `unit`) sits at the acting body's own level: both
 * belong to the same government (同级). Reg. 22: a petition bureau transfers a litigation-related
 * matter to the political-legal organ "at the same level", not to one above or below it.
 */
export const sameGovernment: GuardImpl = {
  readsPayload: true,
  optional: ['field'],
  check: ({ event, units }, { field }) => {
    const target = getPath(event.payload, String(field ?? 'unit'));
    const own = event.actor.unit === undefined ? undefined : units.government(event.actor.unit);
    return typeof target === 'string' && own !== undefined && units.government(target) === own;
  },
  explain: ({ event, units }, { field }) => {
    const target = getPath(event.payload, String(field ?? 'unit'));
    const unit = typeof target === 'string' ? target : undefined;
    const actorGovernment = event.actor.unit === undefined ? undefined : units.government(event.actor.unit);
    const unitGovernment = unit === undefined ? undefined : units.government(unit);
    return {
      code: 'COMMAND_NOT_SAME_LEVEL',
      message: `${event.type} refused: ${unit ?? 'no unit'} (${unitGovernment ?? 'no government'}) is not at the level of ${event.actor.unit ?? 'the actor'} (${actorGovernment ?? 'no government'}): the matter goes to the body of the same level (reg-2022 art. 22)`,
      details: {
        unit: unit ?? null,
        actorGovernment: actorGovernment ?? null,
        unitGovernment: unitGovernment ?? null,
      },
    };
  },
};
