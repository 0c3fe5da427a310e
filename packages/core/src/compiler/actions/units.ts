/** Unit actions: transfer, assignment, designation, return after an objection (Reg. 22-24). */

import { compact, getPath, type JsonObject, setPath } from '../../base/json.js';
import { accusedOf, awayFromAccused } from '../accusation.js';
import type { AssignedBy, CaseData } from '../types.js';
import { type ActionImpl, patchData, timeOf } from './types.js';

const MODES = new Set(['transfer', 'assign', 'designate']);

/**
 * Makes the unit in payload field `from` responsible, remembering who moved it and how, so an
 * objection can return it and a completion report can go back (Reg. 22-23). One case, one
 * history: the case id does not change.
 */
export const setResponsibleUnit: ActionImpl = {
  params: ['from'],
  optional: ['mode'],
  apply(args, { from, mode }) {
    const unit = args.event.payload?.[String(from)];
    if (typeof unit !== 'string') return args.context;
    const m = MODES.has(String(mode)) ? (String(mode) as AssignedBy['mode']) : 'transfer';
    const at = timeOf(args);
    const previous = args.context.data.responsibleUnit;
    // a designation is made by the common superior (Reg. 24): an objection goes back to it,
    // not to the body that was responsible before
    const by = m === 'designate' ? (args.event.actor?.unit ?? previous) : previous;
    return patchData(args.context, {
      responsibleUnit: unit,
      assignedBy: { unit: by, mode: m, at },
      transfers: [...args.context.data.transfers, { from: previous, to: unit, mode: m, at }],
    });
  },
};

/**
 * The successor of a dissolved or merged body takes over its matter (Reg. 24): the acting unit
 * becomes responsible, the move is kept in `transfers` (mode `succession`). Who transferred the
 * matter stays as it was, so an objection still goes back to that body; the periods running at
 * the dissolved body run on at its successor (it is the same matter, not a new one). The
 * authority `successor-of-responsible` has checked the actor.
 */
export const takeOver: ActionImpl = {
  apply(args) {
    const unit = args.event.actor?.unit;
    const previous = args.context.data.responsibleUnit;
    if (typeof unit !== 'string' || unit === previous) return args.context;
    const at = timeOf(args);
    return patchData(args.context, {
      responsibleUnit: unit,
      transfers: [...args.context.data.transfers, { from: previous, to: unit, mode: 'succession', at }],
    });
  },
};

/**
 * Gives the case back to the unit that transferred it (an objection within 5 working days,
 * Reg. 23); that unit re-transfers it. Nobody has transferred it now, so `assignedBy` is cleared.
 */
export const returnToTransferrer: ActionImpl = {
  apply(args) {
    const by = args.context.data.assignedBy;
    if (!by) return args.context;
    const at = timeOf(args);
    const { assignedBy: _, ...rest } = args.context.data;
    const data: CaseData = {
      ...rest,
      responsibleUnit: by.unit,
      transfers: [...rest.transfers, { from: rest.responsibleUnit, to: by.unit, mode: 'return', at }],
    };
    return { ...args.context, data };
  },
};

/**
 * The transferring body does not agree with an objection (Reg. 23: it verifies the objection):
 * the matter goes back to the body that objected (`decisions.objection.unit`), handed on as it was
 * before (transfer, assignment or designation), so that body decides on acceptance.
 */
export const returnToObjector: ActionImpl = {
  apply(args) {
    const { data } = args.context;
    const objector = data.decisions.objection?.unit;
    if (typeof objector !== 'string') return args.context;
    const handedOn = [...data.transfers]
      .reverse()
      .find((t) => t.to === objector && MODES.has(String(t.mode)));
    const mode = (handedOn?.mode ?? 'transfer') as AssignedBy['mode'];
    const at = timeOf(args);
    return patchData(args.context, {
      responsibleUnit: objector,
      assignedBy: { unit: data.responsibleUnit, mode, at },
      transfers: [
        ...data.transfers,
        { from: data.responsibleUnit, to: objector, mode: 'objection-rejected', at },
      ],
    });
  },
};

/**
 * Records the transferring body's answer to an open objection (Reg. 23, 核实): `agreed` true when
 * it hands the matter on again or takes it itself, false (with payload `reason`) when it sends it
 * back. Nothing is recorded when no objection awaits an answer.
 */
export const answerObjection: ActionImpl = {
  params: ['agreed'],
  apply(args, { agreed }) {
    const { decisions } = args.context.data;
    const objection = decisions.objection;
    if (objection === undefined || objection.answeredAt !== undefined) return args.context;
    const at = timeOf(args);
    const reason = args.event.payload?.reason;
    const answer: JsonObject = {
      agreed: agreed === true,
      ...compact({
        reason: agreed === true ? undefined : typeof reason === 'string' ? reason : undefined,
        unit: args.event.actor?.unit,
        actor: args.event.actor?.id,
        at,
      }),
    };
    return patchData(args.context, {
      decisions: { ...decisions, objection: { ...objection, answeredAt: at }, objectionAnswer: answer },
    });
  },
};

/**
 * Resolves a unit or accused person the petition names in free text (Reg. 22, 30): payload
 * `{ path, unit }` for a unit; `{ path, staffId, unit? }` or `{ path, external: true }` for a
 * person. The text as written is kept in `data.resolutions`. When the resolution shows that the
 * unit the case sits with is accused, the case moves to the body above (`awayFromAccused`).
 * The guard `resolvesReference` has checked the payload.
 */
export const resolveReference: ActionImpl = {
  apply(args) {
    const p = args.event.payload ?? {};
    const path = String(p.path);
    const { data } = args.context;
    const written = getPath(data.petition, path);
    const value: JsonObject | string =
      typeof p.staffId === 'string' || p.external === true
        ? compact({
            name:
              typeof written === 'string' ? written : ((written as JsonObject | undefined)?.name as string),
            staffId: typeof p.staffId === 'string' ? p.staffId : undefined,
            unit: typeof p.unit === 'string' ? p.unit : undefined,
            external: p.external === true ? true : undefined,
          })
        : String(p.unit);
    const petition = setPath(data.petition, path, value);
    const at = timeOf(args);
    const resolutions = [
      ...(data.resolutions ?? []),
      { path, written: (written ?? null) as JsonObject, to: value, by: args.event.actor?.unit ?? null, at },
    ];
    const accused = accusedOf(args.config, args.units, petition).units;
    const away = awayFromAccused(args.config, args.units, accused, data.responsibleUnit);
    const moved =
      away === data.responsibleUnit
        ? {}
        : {
            responsibleUnit: away,
            transfers: [...data.transfers, { from: data.responsibleUnit, to: away, mode: 'accused', at }],
          };
    return patchData(args.context, { petition, resolutions, ...moved });
  },
};

/**
 * Records the body the petitioner asked (Reg. 35-36): the one `body` names, else the config's
 * default, one level up from the unit that took decision `of`; `as` names the record
 * (`reviewRequest`, `reexaminationRequest`), which authority `superior-of-opinion` /
 * `superior-of-review` then reads.
 */
export const recordLadderBody: ActionImpl = {
  params: ['of', 'as'],
  apply(args, { of, as }) {
    const decided = args.context.data.decisions[String(of)]?.unit;
    const requested = typeof args.event.payload?.body === 'string' ? args.event.payload.body : undefined;
    const body = typeof decided === 'string' ? args.units.ladderBody(decided, requested) : undefined;
    const choices = typeof decided === 'string' ? args.units.ladder(decided) : {};
    const choice = body === undefined ? undefined : body === choices.government ? 'government' : 'line';
    const record: JsonObject = {
      ...(args.event.payload ?? {}),
      ...compact({ body, choice, actor: args.event.actor?.id, at: timeOf(args) }),
    };
    return patchData(args.context, { decisions: { ...args.context.data.decisions, [String(as)]: record } });
  },
};
