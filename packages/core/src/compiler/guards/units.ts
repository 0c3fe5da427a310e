/** Guards over the unit registry. */

import { getPath } from '../../base/json.js';
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

/** Whether the petition carries accusation material (any of the form's accusation fields). */
export function hasAccusation(config: GuardArgs['config'], petition: unknown): boolean {
  return (config.form.accusation ?? []).some((f) => {
    const v = getPath(petition, f);
    return v !== undefined && v !== null && v !== '';
  });
}

/**
 * Reg. 30: accusation material never goes to the person or unit it accuses. A step that hands
 * the case to the unit in payload field `field` (default `unit`) is refused when the petition
 * carries accusation material and that unit is the accused one (petition field
 * `accusedUnitField`, default `respondentUnit`). A complaint without accusation material may
 * still go to the body it is about: that body is usually the one competent to handle it.
 */
export const notAccused: GuardImpl = {
  readsPayload: true,
  optional: ['field', 'accusedUnitField', 'actor'],
  check: ({ event, context, config }, { field, accusedUnitField, actor }) => {
    const petition = context.data.petition;
    if (!hasAccusation(config, petition)) return true;
    const accused = getPath(petition, String(accusedUnitField ?? 'respondentUnit'));
    if (accused === undefined) return true;
    // `actor: true`: the acting body must not be the accused either (a superior designating a
    // body for an accusation against itself would read it, and an objection would return it there)
    if (actor === true && event.actor.unit === accused) return false;
    return getPath(event.payload, String(field ?? 'unit')) !== accused;
  },
  // the payload can always name another unit; the acting body's own exclusion does not depend on it
  possible: ({ event, context, config }, { accusedUnitField, actor }) => {
    if (actor !== true || !hasAccusation(config, context.data.petition)) return true;
    return event.actor.unit !== getPath(context.data.petition, String(accusedUnitField ?? 'respondentUnit'));
  },
  explain: ({ event, context }, { accusedUnitField }) => {
    const accused = String(getPath(context.data.petition, String(accusedUnitField ?? 'respondentUnit')));
    return {
      message:
        event.actor.unit === accused
          ? `the accused unit ${accused} may not decide where an accusation against it goes (reg-2022 art. 30); a body above it must act`
          : `accusation material may not be sent to the accused unit ${accused} (reg-2022 art. 30); send it to a body competent for accusations instead`,
      details: { accusedUnit: accused },
    };
  },
};
