/**
 * `send`: a person's command on a case. One transaction: load the case, judge the command
 * (`admit`, with the rule step's decisions), take the machine step, commit its event with the
 * rows it made. A concurrent write runs it all again on the new version unless the caller
 * pinned one (`expectedVersion`).
 */

import { toJson } from '../base/json.js';
import { civilDate } from '../calendar/index.js';
import type { CompiledConfig } from '../compiler/compile.js';
import { ConcurrencyError } from '../store/errors.js';
import type { ActorRef, JsonObject } from '../store/types.js';
import { admit } from './admit.js';
import { CaseTx, resultOf, retryOnConflict } from './case-tx.js';
import { TransitionError } from './errors.js';
import { type CaseState, machineStep } from './fold.js';
import { claimOf, replayed } from './idempotency.js';
import { presentedActor } from './query-codes.js';
import { checkReceiptCommand } from './receipt-bounds.js';
import { runRuleStep } from './rule-step.js';
import { ruleSetsAt } from './rules.js';
import { type EngineRuntime, nowOf } from './runtime.js';
import type { Command, CommandResult, SendOptions } from './types.js';

/**
 * Sends a command to a case as `actor`. `internal` marks the engine's own commands (a receipt
 * reported by a notifier), the only ones a system actor may send.
 */
export async function sendCommand(
  rt: EngineRuntime,
  caseId: string,
  command: Command,
  sender: ActorRef,
  opts: SendOptions & { internal?: boolean } = {},
): Promise<CommandResult> {
  const type = command?.type;
  const payload = toJson(command?.payload ?? {}) as JsonObject;
  const claim = claimOf(opts.idempotencyKey, sender, { op: 'send', caseId, type, payload, actor: sender });
  const again = await replayed(rt.store, claim);
  if (again) return again;

  return retryOnConflict(async () => {
    const tx = await CaseTx.open(rt, caseId);
    const { projection, compiled } = tx;
    if (opts.expectedVersion !== undefined && opts.expectedVersion !== projection.version) {
      throw new ConcurrencyError({ caseId, expected: opts.expectedVersion, actual: projection.version });
    }
    const from = tx.state as CaseState;
    const at = nowOf(rt);
    // a petitioner presenting a query code acts as its holder (CASE_NOT_FOUND when it opens nothing)
    const actor = presentedActor(compiled, rt.keys, caseId, from.context.data, sender);
    const verdict = await admit(
      compiled,
      caseId,
      from,
      { type, payload, actor, at },
      {
        decisions: (known) => decisionsFor(rt, tx, known, { payload, at }),
        internal: opts.internal === true,
      },
    );
    if (!verdict.ok) throw verdict.error;
    const { event } = verdict;
    await checkReceiptCommand(
      rt,
      compiled,
      { caseId, state: from.state, ...event },
      civilDate(at, zoneOf(compiled)),
    );
    const step = machineStep(compiled, from, event);
    if (!step.taken) {
      throw new TransitionError('COMMAND_GUARD_FAILED', 'the machine refused the step', {
        caseId,
        state: from.state,
        command: event.type,
        actor,
      });
    }
    await tx.step(step, {
      type: event.type,
      at,
      actor,
      payload: { command: payload, ...(event.decisions ? { decisions: event.decisions as JsonObject } : {}) },
    });
    return resultOf(await tx.commit(claim));
  }, opts.expectedVersion === undefined);
}

const zoneOf = (compiled: CompiledConfig) => compiled.config.jurisdiction.timezone;

/** The rule step of a command known to exist in the case's state (the guards read its decisions). */
async function decisionsFor(
  rt: EngineRuntime,
  tx: CaseTx,
  type: string,
  command: { payload: JsonObject; at: string },
): Promise<Record<string, JsonObject> | undefined> {
  const { compiled, caseId, projection } = tx;
  const from = tx.state as CaseState;
  const named = compiled.transitions(from.state, type).flatMap((d) => d.rules ?? []);
  const ids = ruleSetsAt(compiled.config, type, named);
  if (ids.length === 0) return undefined;
  const { data } = from.context;
  const { decisions } = await runRuleStep(rt, compiled, {
    trigger: { kind: 'send', type, caseId, state: from.state },
    ids,
    at: command.at,
    petition: data.petition,
    exclude: caseId,
    earlier: data.rules,
    seen: { petition: data.petition, payload: command.payload, data: projection.data },
  });
  return decisions as unknown as Record<string, JsonObject> | undefined;
}
