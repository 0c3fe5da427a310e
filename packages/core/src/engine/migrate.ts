/**
 * `migrate`: moves open cases from one version of their jurisdiction's config to another by a
 * checked migration plan (`loader/plan.ts`). A case's chain is never rewritten: each moved case
 * gets one `config.migrated` event, chained under the new version's hash and naming both
 * hashes and the plan's, whose fold (`migration-fold.ts`) maps the state, renames data fields
 * and deadlines, and recounts the running periods; every event after it is made and replayed
 * under the new version.
 *
 * One transaction per case, in case-id pages: a crash loses at most the case being written,
 * and a second run (or a second engine at the same time) finds the cases already moved on the
 * new version and passes them by. A case the plan cannot move lawfully is left on its version
 * and listed with the reason; a dry run reports the same without writing.
 */

import { XinfangError } from '../base/errors.js';
import { civilDate, type DeadlineRequest } from '../calendar/index.js';
import type { CompiledConfig } from '../compiler/compile.js';
import type { CaseData, DeadlineState } from '../compiler/types.js';
import type { MigrationPlan, PlanCondition, PlanDeadline } from '../loader/plan.js';
import { planHash } from '../loader/plan.js';
import { isCompletedStage } from '../status/colour.js';
import { ConcurrencyError } from '../store/errors.js';
import type { DeadlineRow, JsonObject } from '../store/types.js';
import { CaseTx, retryOnConflict } from './case-tx.js';
import { requestOf } from './effects.js';
import { TransitionError } from './errors.js';
import type { CaseState } from './fold.js';
import {
  CONFIG_MIGRATED,
  getPath,
  type MigratedDeadline,
  type MigratedPayload,
  migratedCaseState,
} from './migration-fold.js';
import { migratedRows } from './migration-rows.js';
import { clockActor, type EngineRuntime, nowOf } from './runtime.js';
import type { LeftCase, MigratedCase, MigrateOptions, MigrateResult } from './types.js';
import { caseProblems } from './verify-case.js';

const PAGE = 100;

/** Why a case was left on its version (`LeftCase.reason`). */
type LeftReason = LeftCase['reason'];

class Left extends Error {
  constructor(
    readonly reason: LeftReason,
    message: string,
  ) {
    super(message);
  }
}

type Outcome =
  | { kind: 'moved'; report: MigratedCase }
  | { kind: 'left'; left: LeftCase }
  | { kind: 'already' }
  | { kind: 'skipped' };

/** Applies (or, with `dryRun`, reports) a plan on one page of cases; see `Engine.migrate`. */
export async function migrateCases(
  rt: EngineRuntime,
  plan: MigrationPlan,
  options: MigrateOptions = {},
): Promise<MigrateResult> {
  const { from, to } = await planConfigs(rt, plan);
  const limit = Math.max(1, Math.min(options.limit ?? PAGE, 1000));
  const page = await rt.store.query({
    jurisdictionId: from.config.jurisdiction.id,
    limit,
    ...(options.after !== undefined ? { after: options.after } : {}),
  });
  const dryRun = options.dryRun === true;
  const result: MigrateResult = {
    plan: plan.hash,
    dryRun,
    examined: page.length,
    moved: [],
    left: [],
    already: [],
    skipped: [],
  };
  if (!dryRun) await rt.configs.persist(to);
  for (const p of page) {
    // the page is only a hint: each case is judged again inside its own transaction
    const outcome = await retryOnConflict(() => migrateCase(rt, plan, { from, to }, p.caseId, dryRun));
    if (outcome.kind === 'moved') result.moved.push(outcome.report);
    else if (outcome.kind === 'left') result.left.push(outcome.left);
    else if (outcome.kind === 'already') result.already.push(p.caseId);
    else result.skipped.push(p.caseId);
  }
  const last = page.at(-1)?.caseId;
  if (page.length === limit && last !== undefined) result.next = last;
  return result;
}

/** The plan's two versions, compiled; refused when the plan was altered or names a version the engine does not know. */
async function planConfigs(
  rt: EngineRuntime,
  plan: MigrationPlan,
): Promise<{ from: CompiledConfig; to: CompiledConfig }> {
  if (planHash(plan) !== plan.hash) {
    throw new XinfangError(
      'PLAN_INVALID',
      'the plan does not hash to its `hash`: load it with loadPlan, and do not edit it after',
      {},
    );
  }
  const known = async (hash: string, which: string) => {
    try {
      return await rt.configs.forHash(hash);
    } catch {
      throw new XinfangError(
        'PLAN_CONFIG_MISMATCH',
        `the plan's ${which} version ${hash} is not a config this engine was given or has stored`,
        {},
      );
    }
  };
  return { from: await known(plan.from, 'from'), to: await known(plan.to, 'to') };
}

/** Moves one case in one transaction, or says why not. */
async function migrateCase(
  rt: EngineRuntime,
  plan: MigrationPlan,
  versions: { from: CompiledConfig; to: CompiledConfig },
  caseId: string,
  dryRun: boolean,
): Promise<Outcome> {
  const tx = await CaseTx.open(rt, caseId);
  if (tx.compiled.hash === plan.to) return { kind: 'already' };
  if (tx.compiled.hash !== plan.from || isCompletedStage(tx.projection.stage)) return { kind: 'skipped' };
  const { problems } = await caseProblems(rt, caseId);
  if (problems.length > 0) {
    // another writer moved the case on while it was read (its log and projection are two
    // reads): judge it again as it is now, rather than raise a false alarm
    const now = (await rt.store.getCase(caseId))?.version ?? 0;
    if (now !== tx.projection.version)
      throw new ConcurrencyError({ caseId, expected: tx.projection.version, actual: now });
    rt.alarm({ source: 'verify', caseId, problems });
    const left: LeftCase = {
      caseId,
      reason: 'INTEGRITY_VIOLATION',
      message: `the case does not verify: ${problems.map((x) => x.code).join(', ')}`,
    };
    return { kind: 'left', left };
  }
  try {
    return await moveCase(rt, tx, plan, versions.to, dryRun);
  } catch (e) {
    if (e instanceof Left) return { kind: 'left', left: { caseId, reason: e.reason, message: e.message } };
    if (e instanceof TransitionError)
      return { kind: 'left', left: { caseId, reason: 'REFUSED', message: e.message } };
    throw e;
  }
}

async function moveCase(
  rt: EngineRuntime,
  tx: CaseTx,
  plan: MigrationPlan,
  to: CompiledConfig,
  dryRun: boolean,
): Promise<Outcome> {
  const from = tx.state;
  if (!from) throw new Error(`case ${tx.caseId} has no state`);
  const at = nowOf(rt);
  const { payload, rows } = await planned(rt, tx, plan, to, at);
  tx.moveTo(to);
  const effects = payload.owed.map((document) => ({ kind: 'document' as const, document }));
  const event = await tx.step(
    { ...migratedCaseState(from, payload), effects, taken: true },
    { type: CONFIG_MIGRATED, at, actor: clockActor(rt), payload: payload as unknown as JsonObject },
    { records: payload.deadlines, rows },
  );
  if (!dryRun) await tx.commit();
  const report: MigratedCase = {
    caseId: tx.caseId,
    state: payload.state,
    deadlines: payload.deadlines.map((m) => ({
      deadline: m.deadline,
      from: m.fromDeadline,
      rule: m.rule,
      dueBefore: m.previous.dueDate,
      dueAfter: m.dueDate,
    })),
    documents: payload.owed,
    fields: payload.fields.map(([a, b]) => `${a} -> ${b}`),
    ...(dryRun ? {} : { seq: event.seq }),
  };
  return { kind: 'moved', report };
}

/** What the move of one case comes to: the `config.migrated` payload and the rows it recounts. */
async function planned(
  rt: EngineRuntime,
  tx: CaseTx,
  plan: MigrationPlan,
  to: CompiledConfig,
  at: string,
): Promise<{ payload: MigratedPayload & { owed: string[] }; rows: DeadlineRow[] }> {
  const from = tx.state as CaseState;
  const data = from.context.data;
  const state = routeOf(plan, to, from.state, data);
  const fields = Object.entries(plan.fields).filter(([a]) => getPath(data, a.split('.')) !== undefined);
  for (const [a, b] of fields) {
    if (getPath(data, b.split('.')) !== undefined)
      throw new Left(
        'FIELD_TAKEN',
        `\`${a}\` cannot be renamed \`${b}\`: the case already holds a value there`,
      );
  }
  const renamed = Object.entries(plan.deadlines)
    .filter(([a, d]) => d.to !== undefined && d.to !== a && data.deadlines[a] !== undefined)
    .map(([a, d]) => [a, d.to as string] as [string, string]);
  const stored = new Map((await tx.currentRows()).map((r) => [r.id, r]));
  const today = civilDate(at, to.config.jurisdiction.timezone);
  const records = movedDeadlines(plan, tx.compiled, to, data, stored, today);
  const rows = migratedRows(rt.configs.calendarOf(to), to, stored, records);
  for (const m of records) datedRecord(m, rows, tx.compiled.config.deadlines[m.fromDeadline]?.kind ?? 'duty');
  const payload = {
    plan: { id: plan.id, hash: plan.hash },
    from: plan.from,
    to: plan.to,
    fromVersion: tx.compiled.config.jurisdiction.version,
    toVersion: to.config.jurisdiction.version,
    state: { from: from.state, to: state },
    // the plan's renames (a state the new version lacks, mapped whole to one state): reports
    // name the case's earlier steps in them as the new version does
    renamedStates: Object.entries(plan.states).flatMap(([a, [only, ...more]]) =>
      only && more.length === 0 && only.when === undefined && !Object.hasOwn(to.config.process.states, a)
        ? [[a, only.to] as [string, string]]
        : [],
    ),
    fields,
    renamed,
    deadlines: records,
    owed: plan.documents[state] ?? [],
  };
  return { payload, rows };
}

/** The new state: the first route of the old state whose condition holds. */
function routeOf(plan: MigrationPlan, to: CompiledConfig, state: string, data: CaseData): string {
  const routes =
    plan.states[state] ?? (Object.hasOwn(to.config.process.states, state) ? [{ to: state }] : undefined);
  if (!routes)
    throw new Left(
      'STATE_UNMAPPED',
      `state \`${state}\` is not in the new version and the plan does not map it`,
    );
  const route = routes.find((r) => r.when === undefined || holds(r.when, data));
  if (!route) throw new Left('STATE_UNMAPPED', `no route of state \`${state}\` applies to this case`);
  if (!Object.hasOwn(to.config.process.states, route.to))
    throw new Left('STATE_UNMAPPED', `\`${route.to}\` is no state of the new version`);
  return route.to;
}

function holds(c: PlanCondition, data: CaseData): boolean {
  const v = JSON.stringify(getPath(data, c.field.split('.')) ?? null);
  if (c.in !== undefined) return c.in.some((x) => JSON.stringify(x) === v);
  return JSON.stringify(c.equals ?? null) === v;
}

/** The running (or paused) periods of the case, each as the plan moves it; left when one cannot be. */
function movedDeadlines(
  plan: MigrationPlan,
  fromC: CompiledConfig,
  to: CompiledConfig,
  data: CaseData,
  rows: ReadonlyMap<string, DeadlineRow>,
  today: string,
): MigratedDeadline[] {
  const out: MigratedDeadline[] = [];
  for (const [id, d] of Object.entries(data.deadlines)) {
    if (d.status !== 'running' && d.status !== 'paused') continue;
    const rule: PlanDeadline | undefined =
      plan.deadlines[id] ?? (Object.hasOwn(to.config.deadlines, id) ? { rule: 'keep' } : undefined);
    if (!rule)
      throw new Left(
        'DEADLINE_UNMAPPED',
        `deadline \`${id}\` runs, is not in the new version, and the plan does not map it`,
      );
    const target = rule.to ?? id;
    const row = rows.get(d.row);
    const request = row ? requestOf(row) : undefined;
    if (!row || !request) throw new Left('DEADLINE_UNMAPPED', `deadline \`${id}\` has no row to count from`);
    if (rule.rule === 'keep' && target === id) continue;
    out.push({
      op: 'migrate',
      deadline: target,
      row: `${data.caseId}:${target}:${d.period}`,
      fromDeadline: id,
      fromRow: d.row,
      rule: rule.rule,
      request: requestFor(rule.rule, request, fromC, to, id, target, d, today) as unknown as JsonObject,
      previous: { dueDate: row.dueDate, dueAt: row.dueAt },
      startDate: '',
      dueDate: '',
      dueAt: '',
      provisional: false,
    });
  }
  return out;
}

/** The request the new row counts from: the old one, the new days from the old start, or the new days from today. */
function requestFor(
  rule: PlanDeadline['rule'],
  old: DeadlineRequest,
  fromC: CompiledConfig,
  to: CompiledConfig,
  id: string,
  target: string,
  d: DeadlineState,
  today: string,
): DeadlineRequest {
  if (rule === 'keep') return old;
  const before = fromC.config.deadlines[id];
  const after = to.config.deadlines[target];
  if (!before || !after)
    throw new Left('DEADLINE_UNMAPPED', `deadline \`${target}\` is not in the new version`);
  const unit = after.unit ?? 'calendar';
  // a period an assigning body set shorter than the statute (Reg. 22) stays at most as short
  const set = old.days < before.days && old.unit === unit ? old.days : Number.POSITIVE_INFINITY;
  const days = Math.min(after.days, set);
  const zone = {
    timezone: to.config.jurisdiction.timezone,
    ...(to.config.jurisdiction.cutoff ? { cutoff: to.config.jurisdiction.cutoff } : {}),
  };
  if (rule === 'recompute') return { ...old, days, unit, ...zone };
  if (d.status === 'paused')
    throw new Left('DEADLINE_UNMAPPED', `deadline \`${id}\` is paused: a restart would drop its pause`);
  return { start: today, days, unit, provisional: true, ...zone };
}

/** Fills a record's dates from its new row, and holds it to the law: no duty lengthened, no window shortened. */
function datedRecord(m: MigratedDeadline, rows: readonly DeadlineRow[], kind: 'duty' | 'window'): void {
  const row = rows.find((r) => r.id === m.row);
  if (!row) throw new Left('DEADLINE_UNMAPPED', `deadline \`${m.deadline}\` could not be counted`);
  Object.assign(m, {
    startDate: row.startDate,
    dueDate: row.dueDate,
    dueAt: row.dueAt,
    provisional: row.provisional,
  });
  const later = Date.parse(row.dueAt) > Date.parse(m.previous.dueAt);
  const earlier = Date.parse(row.dueAt) < Date.parse(m.previous.dueAt);
  if (kind === 'duty' && later) {
    throw new Left(
      'DEADLINE_LENGTHENED',
      `\`${m.rule}\` would move the duty \`${m.fromDeadline}\` from ${m.previous.dueDate} to ${row.dueDate}`,
    );
  }
  if (kind === 'window' && earlier) {
    throw new Left(
      'WINDOW_SHORTENED',
      `\`${m.rule}\` would move the petitioner's window \`${m.fromDeadline}\` from ${m.previous.dueDate} to ${row.dueDate}`,
    );
  }
}
