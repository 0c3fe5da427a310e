/** The engine's refusals. Every one is thrown before anything is written. */

import type { PayloadProblem } from '../compiler/checks.js';
import { type ErrorCode, XinfangError } from '../errors.js';
import type { ActorRef } from '../store/types.js';

/** Where a refused command was aimed: the case, its state, the command and who sent it. */
export interface CommandLocation {
  caseId: string;
  state: string;
  command: string;
  actor: ActorRef;
}

/**
 * A command refused by the procedure: unknown, not allowed in this state, wrong role or unit,
 * recused actor, invalid payload, failed guard, closed window, refused extension.
 */
export class TransitionError extends XinfangError {
  constructor(
    code: ErrorCode,
    message: string,
    where: CommandLocation,
    details: Record<string, unknown> = {},
  ) {
    super(
      code,
      `${where.caseId} (${where.state}) ${where.command} by ${where.actor.id}/${where.actor.role}: ${message}`,
      {
        ...where,
        ...details,
      },
    );
  }
}

/** A petition that does not meet the jurisdiction's registration form; lists every problem. */
export class PetitionInvalidError extends XinfangError {
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

/** No case with this id. */
export class CaseNotFoundError extends XinfangError {
  constructor(caseId: string) {
    super('CASE_NOT_FOUND', `no case ${caseId}`, { caseId });
  }
}

/** The jurisdiction asked for is not loaded (or several are and none was named). */
export class JurisdictionUnknownError extends XinfangError {
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
export class ConfigVersionUnknownError extends XinfangError {
  constructor(hash: string, caseId?: string) {
    super('CONFIG_VERSION_UNKNOWN', `config ${hash.slice(0, 12)}… is neither loaded nor in the store`, {
      hash,
      ...(caseId ? { caseId } : {}),
    });
  }
}

/** The acting person is malformed: no id, a role the config lacks, staff without a known unit. */
export class ActorInvalidError extends XinfangError {
  constructor(message: string, actor: unknown) {
    super('ACTOR_INVALID', message, { actor });
  }
}
