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

import type { CaseQuery } from '../store/types.js';
import { applyCalendarVersion } from './calendar.js';
import { takeCheckpoint, verifyCaseCheckpoint } from './checkpoint.js';
import { QueryForbiddenError } from './errors.js';
import { issueQueryCode } from './issue-query-code.js';
import { caseDocuments, caseHistory, commandsAllowed, getCase, queryCases, replayCase } from './reads.js';
import { recordDocumentReceipt } from './receipt.js';
import { rekeyIdentities } from './rekey.js';
import { createRuntime, nowOf } from './runtime.js';
import { sendCommand } from './send.js';
import { submitPetition } from './submit.js';
import { tickDeadlines } from './tick.js';
import type { Engine, EngineOptions } from './types.js';
import { verifyCase, verifyCases } from './verify-case.js';

/** Creates an engine over a store. Configs are stored by hash on first use. */
export function createEngine(options: EngineOptions): Engine {
  const rt = createRuntime(options);
  return {
    submit: (petition, actor, opts) => submitPetition(rt, petition, actor, opts),
    // the public send is never internal, whatever its options say: only the engine acts as the system
    send: (caseId, command, actor, opts) =>
      sendCommand(rt, caseId, command, actor, { ...(opts ?? {}), internal: false }),
    tick: (now = rt.clock.now(), opts) => tickDeadlines(rt, now, opts),
    get: (caseId, viewer) => getCase(rt, caseId, viewer),
    history: (caseId, viewer) => caseHistory(rt, caseId, viewer),
    query: async (q, viewer) => queryCases(rt, viewerQuery(q), viewer),
    documents: (caseId, viewer) => caseDocuments(rt, caseId, viewer),
    replay: (caseId) => replayCase(rt, caseId),
    verify: (caseId) => verifyCase(rt, caseId),
    verifyAll: (opts) => verifyCases(rt, opts),
    checkpoint: () => takeCheckpoint(rt, nowOf(rt)),
    verifyCheckpoint: (checkpoint) => verifyCaseCheckpoint(rt, checkpoint),
    allowedCommands: (caseId, actor) => commandsAllowed(rt, caseId, actor),
    applyCalendar: (calendar) => applyCalendarVersion(rt, calendar),
    recordReceipt: (document, receipt) => recordDocumentReceipt(rt, document, receipt),
    rekeyIdentities: (opts) => rekeyIdentities(rt, opts),
    issueQueryCode: (caseId, actor, opts) => issueQueryCode(rt, caseId, actor, opts),
  };
}

/** A viewer's query, refused when it names the identity key (the engine alone looks cases up by it). */
function viewerQuery(q: CaseQuery): CaseQuery {
  if (q !== null && typeof q === 'object' && 'identityKey' in q && q.identityKey !== undefined) {
    throw new QueryForbiddenError('identityKey');
  }
  return q;
}
