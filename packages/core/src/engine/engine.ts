/**
 * The engine: commands from people and the clock become hash-chained events, folded by the
 * compiled machine of the config version each case pinned, written with their deadline and
 * outbox rows in one store append.
 *
 * Every write goes through one case transaction (`case-tx.ts`): load the case, judge the
 * command (`admit.ts`), run the machine, settle the effects into rows, chain the events and
 * append them with optimistic concurrency. Every refusal is thrown before anything is written.
 * One file per command: `submit.ts`, `send.ts`, `tick.ts`, `receipt.ts`, `calendar.ts`; reads in
 * `reads.ts`.
 */

import { checkJsonInput, checkLimits, instantInput } from '../base/input.js';
import type { ActorRef, CaseQuery } from '../store/types.js';
import { applyCalendarVersion } from './calendar.js';
import { takeCheckpoint, verifyCaseCheckpoint } from './checkpoint.js';
import { ActorInvalidError, QueryForbiddenError } from './errors.js';
import { issueQueryCode } from './issue-query-code.js';
import { migrateCases } from './migrate.js';
import { caseDocuments, caseHistory, commandsAllowed, getCase, queryCases, replayCase } from './reads.js';
import { recordDocumentReceipt } from './receipt.js';
import { rekeyIdentities } from './rekey.js';
import { createRuntime, type EngineRuntime, nowOf } from './runtime.js';
import { sendCommand } from './send.js';
import { submitPetition } from './submit.js';
import { takeOverCases } from './succession.js';
import { tickDeadlines } from './tick.js';
import type { Engine, EngineOptions } from './types.js';
import { verifyCase, verifyCases } from './verify-case.js';

/** Creates an engine over a store. Configs are stored by hash on first use. */
export function createEngine(options: EngineOptions): Engine {
  const limits = checkLimits(options.inputLimits);
  const rt = createRuntime(options);
  // every argument a caller passes is measured before any work (`base/input.ts`)
  const input = (values: Record<string, unknown>) => {
    for (const [field, value] of Object.entries(values)) checkJsonInput(value, field, limits);
    // whoever acts or reads is an object with an id and a role, or nothing is looked up for them
    for (const field of ['actor', 'viewer']) if (Object.hasOwn(values, field)) requirePerson(values[field]);
  };
  return {
    submit: async (petition, actor, opts) => {
      input({ petition, actor, options: opts });
      return submitPetition(rt, petition, actor, opts);
    },
    // the public send is never internal, whatever its options say: only the engine acts as the system
    send: async (caseId, command, actor, opts) => {
      input({ caseId, command, actor, options: opts });
      return sendCommand(rt, caseId, command, actor, { ...(opts ?? {}), internal: false });
    },
    tick: async (now, opts) => {
      input({ options: opts });
      return tickDeadlines(rt, now === undefined ? rt.clock.now() : instantInput(now, 'now'), opts);
    },
    get: async (caseId, viewer) => {
      input({ caseId, viewer });
      return getCase(rt, caseId, viewer);
    },
    history: async (caseId, viewer) => {
      input({ caseId, viewer });
      return caseHistory(rt, caseId, viewer);
    },
    query: async (q, viewer) => {
      input({ query: q, viewer });
      return queryCases(rt, viewerQuery(q), viewer);
    },
    documents: async (caseId, viewer) => {
      input({ caseId, viewer });
      return caseDocuments(rt, caseId, viewer);
    },
    replay: (caseId) => replayCase(rt, caseId),
    verify: (caseId) => verifyCase(rt, caseId),
    verifyAll: (opts) => verifyCases(rt, opts),
    checkpoint: () => takeCheckpoint(rt, nowOf(rt)),
    verifyCheckpoint: (checkpoint) => verifyCaseCheckpoint(rt, checkpoint),
    allowedCommands: async (caseId, actor) => {
      input({ caseId, actor });
      return commandsAllowed(rt, caseId, actor);
    },
    recordReceipt: async (document, receipt) => {
      input({ receipt });
      return recordDocumentReceipt(rt, document, receipt);
    },
    ...maintenance(rt, input),
    issueQueryCode: async (caseId, actor, opts) => {
      input({ caseId, actor, options: opts });
      return issueQueryCode(rt, caseId, actor, opts);
    },
  };
}

/**
 * The commands that move every case at once: a calendar's new version, a new identity key, a
 * migration plan, a dissolved body's matters to its successor.
 */
function maintenance(
  rt: EngineRuntime,
  input: (values: Record<string, unknown>) => void,
): Pick<Engine, 'applyCalendar' | 'rekeyIdentities' | 'migrate' | 'takeOver'> {
  return {
    applyCalendar: (calendar) => applyCalendarVersion(rt, calendar),
    rekeyIdentities: (opts) => rekeyIdentities(rt, opts),
    migrate: async (plan, opts) => {
      input({ plan, options: opts });
      return migrateCases(rt, plan, opts);
    },
    takeOver: async (from, actor, opts) => {
      input({ from, actor, options: opts });
      return takeOverCases(rt, from, actor, opts);
    },
  };
}

/** Refuses an actor or viewer that is not `{ id, role, ... }` with strings (ACTOR_INVALID). */
function requirePerson(who: unknown): void {
  const p = who as Partial<ActorRef> | null;
  if (
    typeof p === 'object' &&
    p !== null &&
    !Array.isArray(p) &&
    typeof p.id === 'string' &&
    typeof p.role === 'string'
  )
    return;
  throw new ActorInvalidError('an actor or viewer is an object with an id and a role (strings)', who);
}

/** A viewer's query, refused when it names the identity key (the engine alone looks cases up by it). */
function viewerQuery(q: CaseQuery): CaseQuery {
  if (q !== null && typeof q === 'object' && 'identityKey' in q && q.identityKey !== undefined) {
    throw new QueryForbiddenError('identityKey');
  }
  return q;
}
