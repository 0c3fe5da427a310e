/** The engine's refusals. Every one is thrown before anything is written. */

import {
  type CommandLocation,
  type DetailsArgs,
  type TransitionCode,
  type TransitionDetails,
  type TransitionExtras,
  XinfangError,
} from '../base/errors.js';
import type { PayloadProblem, Refusal } from '../compiler/checks.js';

export type { CommandLocation };

/**
 * A command refused by the procedure: unknown, not allowed in this state, wrong role or unit,
 * recused actor, invalid payload, failed guard, closed window, refused extension.
 */
export class TransitionError<C extends TransitionCode = TransitionCode> extends XinfangError<C> {
  static override readonly brand: string = 'TransitionError';

  constructor(code: C, message: string, where: CommandLocation, ...[details]: ExtrasArg<C>) {
    const all = { ...where, ...details } as TransitionDetails<C>;
    super(
      code,
      `${where.caseId} (${where.state}) ${where.command} by ${where.actor.id}/${where.actor.role}: ${message}`,
      // the shape is the code's by construction; the compiler cannot follow a generic code
      ...([all] as unknown as DetailsArgs<C>),
    );
  }

  /**
   * The error for a refusal of the procedure's checks. Those spell their codes and details in
   * the compiler, which knows only `ErrorCode`; the shapes they build are the ones
   * `TransitionExtras` lists.
   */
  static refused(where: CommandLocation, refusal: Refusal): TransitionError {
    return new TransitionError(
      refusal.code as TransitionCode,
      refusal.message,
      where,
      refusal.details as TransitionExtras[TransitionCode],
    );
  }
}

/** The extras argument: optional when the code adds nothing required. */
type ExtrasArg<C extends TransitionCode> =
  Record<never, never> extends TransitionExtras[C]
    ? [details?: TransitionExtras[C]]
    : [details: TransitionExtras[C]];

/** A petition that does not meet the jurisdiction's registration form; lists every problem. */
export class PetitionInvalidError extends XinfangError<'PETITION_INVALID'> {
  static override readonly brand: string = 'PetitionInvalidError';

  readonly problems: PayloadProblem[];

  constructor(problems: PayloadProblem[], jurisdiction: string) {
    super(
      'PETITION_INVALID',
      `the petition does not meet the registration form of ${jurisdiction}: ` +
        problems.map((p) => `${p.pointer || '/'} ${p.message}`).join('; '),
      { jurisdiction, problems },
    );
    this.problems = problems;
  }
}

/**
 * A petition whose `receivedAt` is later than the day it is registered: a matter cannot be
 * received in the future, nor after it was registered, and every period counts from that date
 * (Reg. 22-23), so it is refused and nothing is written.
 */
export class PetitionReceivedAtError extends XinfangError<'PETITION_RECEIVED_AFTER_REGISTRATION'> {
  static override readonly brand: string = 'PetitionReceivedAtError';

  constructor(jurisdiction: string, receivedAt: string, registeredOn: string) {
    super(
      'PETITION_RECEIVED_AFTER_REGISTRATION',
      `the petition's receivedAt ${receivedAt} is after its registration on ${registeredOn} (a matter is received before or on the day it is registered; periods count from its receipt, Reg. 22-23)`,
      { jurisdiction, receivedAt, registeredOn },
    );
  }
}

/** No case with this id. */
export class CaseNotFoundError extends XinfangError<'CASE_NOT_FOUND'> {
  static override readonly brand: string = 'CaseNotFoundError';

  constructor(caseId: string) {
    super('CASE_NOT_FOUND', `no case ${caseId}`, { caseId });
  }
}

/** The jurisdiction asked for is not loaded (or several are and none was named). */
export class JurisdictionUnknownError extends XinfangError<'JURISDICTION_UNKNOWN'> {
  static override readonly brand: string = 'JurisdictionUnknownError';

  constructor(asked: string | undefined, loaded: string[]) {
    super(
      'JURISDICTION_UNKNOWN',
      asked === undefined
        ? `several jurisdictions are loaded (${loaded.join(', ')}): say which one the petition is for`
        : `jurisdiction ${asked} is not loaded (loaded: ${loaded.join(', ') || 'none'})`,
      { asked: asked ?? null, loaded },
    );
  }
}

/** A case pinned a config version that is neither loaded nor stored. */
export class ConfigVersionUnknownError extends XinfangError<'CONFIG_VERSION_UNKNOWN'> {
  static override readonly brand: string = 'ConfigVersionUnknownError';

  constructor(hash: string, caseId?: string) {
    super('CONFIG_VERSION_UNKNOWN', `config ${hash.slice(0, 12)}… is neither loaded nor in the store`, {
      hash,
      ...(caseId ? { caseId } : {}),
    });
  }
}

/** The acting person is malformed: no id, a role the config lacks, staff without a known unit. */
export class ActorInvalidError extends XinfangError<'ACTOR_INVALID'> {
  static override readonly brand: string = 'ActorInvalidError';

  constructor(message: string, actor: unknown) {
    // a query code is a credential: an error names that one was given, never what it was
    const shown =
      actor !== null && typeof actor === 'object' && 'queryCode' in actor
        ? { ...(actor as object), queryCode: '(given)' }
        : actor;
    super('ACTOR_INVALID', message, { actor: shown });
  }
}

/**
 * A viewer's query names a filter only the engine may use. Querying by `identityKey` would let
 * a viewer test a guessed ID number (an oracle); earlier cases are found by the engine itself.
 */
export class QueryForbiddenError extends XinfangError<'QUERY_FORBIDDEN'> {
  static override readonly brand: string = 'QueryForbiddenError';

  constructor(field: string, message?: string) {
    super(
      'QUERY_FORBIDDEN',
      message ??
        `engine.query does not take ${field}: a petitioner's earlier cases are found by the engine (the rules' priorCases facts); query by unit, state, stage or colour instead`,
      { field },
    );
  }
}
