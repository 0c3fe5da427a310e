/**
 * `issueQueryCode`: staff issue a new query code on a case after registration (Reg. 20-21): a
 * holder lost theirs, a group named another representative, or the store's secret was rotated
 * (a code cannot be re-keyed, since its clear form is never kept: a new one replaces it). The
 * case gets a `query-code.issued` event; the old code of that holder stops opening the case.
 */

import type { ActorRef, JsonObject } from '../store/types.js';
import { mayRead } from './access.js';
import { actorRefusal } from './admit.js';
import { CaseTx, resultOf, retryOnConflict } from './case-tx.js';
import { CaseNotFoundError, TransitionError } from './errors.js';
import { type CaseState, QUERY_CODE_ISSUED, withQueryCode } from './fold.js';
import { HOLDER_PREFIX, MAX_HOLDERS, newQueryCode, queryCodeRecord } from './query-codes.js';
import { type EngineRuntime, nowOf } from './runtime.js';
import type { CommandResult, IssueQueryCodeOptions } from './types.js';

/** The roles that hand query codes over: the staff who register petitions and decide acceptance. */
const ISSUING_ROLES = ['registrar', 'acceptor'];

/** Issues a code to `options.holder` (a holder of the case, or the next free one). */
export async function issueQueryCode(
  rt: EngineRuntime,
  caseId: string,
  actor: ActorRef,
  options: IssueQueryCodeOptions = {},
): Promise<CommandResult> {
  return retryOnConflict(async () => {
    const tx = await CaseTx.open(rt, caseId);
    const from = tx.state as CaseState;
    const { data } = from.context;
    const bad = actorRefusal(tx.compiled, actor);
    if (bad) throw bad;
    if (!mayRead(tx.compiled, { state: from.state, data }, actor)) throw new CaseNotFoundError(caseId);
    const where = { caseId, state: from.state, command: QUERY_CODE_ISSUED, actor };
    if (!ISSUING_ROLES.includes(actor.role)) {
      throw new TransitionError(
        'COMMAND_ROLE_FORBIDDEN',
        `query codes are issued by ${ISSUING_ROLES.join(', ')}`,
        where,
        {
          allowedRoles: ISSUING_ROLES,
        },
      );
    }
    if (data.petitionerId !== undefined) {
      throw new TransitionError(
        'COMMAND_GUARD_FAILED',
        'the petitioner has an account: they follow the case through it, not with a query code',
        where,
        { guard: 'noAccount', params: {} },
      );
    }
    const holders = (data.queryCodes ?? []).map((q) => q.holder);
    const holder = options.holder ?? `${HOLDER_PREFIX}${holders.length + 1}`;
    const known = holders.includes(holder);
    if (!known && (options.holder !== undefined || holders.length >= MAX_HOLDERS)) {
      throw new TransitionError(
        'COMMAND_GUARD_FAILED',
        options.holder !== undefined
          ? `${holder} holds no code on this case: give one of ${holders.join(', ') || '(none)'}, or no holder for a new one`
          : `a case has at most ${MAX_HOLDERS} query codes (Reg. 20: at most five representatives)`,
        where,
        { guard: 'queryCodeHolder', params: {} },
      );
    }
    const code = newQueryCode(rt.random);
    const record = queryCodeRecord(rt.keys, caseId, holder, code);
    tx.recordState(
      {
        type: QUERY_CODE_ISSUED,
        at: nowOf(rt),
        actor,
        payload: { queryCode: record as unknown as JsonObject },
      },
      withQueryCode(from, record),
    );
    const result = resultOf(await tx.commit());
    return { ...result, queryCodes: [{ holder, code, hint: record.hint }] };
  });
}
