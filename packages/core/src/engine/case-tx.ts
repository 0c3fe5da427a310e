/**
 * The case transaction: the one path of every write. A `CaseTx` holds a case as loaded (or a
 * new case), takes one or more steps on it, each becoming a chained event with its deadline and
 * outbox rows, and commits all of it in one `store.append` checked against the loaded version.
 * Nothing reaches the store before `commit`; a refusal thrown before it writes nothing.
 *
 * `retryOnConflict` is the one retry for a concurrent writer: it runs the whole transaction
 * again (load, judge, step, commit) on the case as the other writer left it.
 */

import { compact, toJson } from '../base/json.js';
import { accusedOf } from '../compiler/accusation.js';
import type { CompiledConfig } from '../compiler/compile.js';
import { ConcurrencyError } from '../store/errors.js';
import type {
  ActorRef,
  CaseEvent,
  CaseProjection,
  DeadlineRow,
  JsonObject,
  OutboxRow,
} from '../store/types.js';
import { type SettledEffects, settleEffects } from './effects.js';
import { CaseNotFoundError, TransitionError } from './errors.js';
import { type CaseState, caseStateOf, type DeadlineRecord, projectionOf, type Step, settle } from './fold.js';
import { eventHash } from './hash.js';
import { IntegrityError } from './integrity.js';
import { EVENT_MAC } from './integrity-keys.js';
import { forgedProjection, projectionVouched, withProjectionMac } from './projection-mac.js';
import { type EngineRuntime, notifyCommitted } from './runtime.js';
import type { CommandResult } from './types.js';

/** How often a transaction is run again after a concurrent write before the conflict is thrown. */
export const RETRIES = 5;

/** The part of an event a command supplies; the transaction adds sequence, chain and config pins. */
export interface EventDraft {
  type: string;
  at: string;
  actor: ActorRef;
  payload: JsonObject;
}

/** The rows a `config.migrated` step recounts, and the records that date them (`migration-rows.ts`). */
export interface MovedRows {
  records: DeadlineRecord[];
  rows: DeadlineRow[];
}

/** An idempotency key and the fingerprint of the request it stands for. */
export interface IdempotencyClaim {
  key: string;
  fingerprint: string;
}

/** What a command returns, taken from the projection it committed. */
export function resultOf(p: CaseProjection): CommandResult {
  return {
    caseId: p.caseId,
    version: p.version,
    state: p.state,
    stage: p.stage,
    colour: p.colour,
    ...(p.responsibleUnit !== undefined ? { responsibleUnit: p.responsibleUnit } : {}),
  };
}

/** Runs `attempt` again while it fails on a concurrent write, at most `RETRIES` more times. */
export async function retryOnConflict<T>(attempt: () => Promise<T>, retry = true): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      if (retry && e instanceof ConcurrencyError && n < RETRIES) continue;
      throw e;
    }
  }
}

export class CaseTx {
  /** Events taken in this transaction, in order. */
  readonly events: CaseEvent[] = [];
  private readonly rows = new Map<string, DeadlineRow>();
  private readonly outbox: OutboxRow[] = [];
  private storedRows: Promise<DeadlineRow[]> | undefined;
  private head: { seq: number; hash: string; state: CaseState | undefined };

  private current: CompiledConfig;

  private constructor(
    private readonly rt: EngineRuntime,
    compiled: CompiledConfig,
    readonly caseId: string,
    /** The case as loaded; undefined for a new case. */
    readonly loaded: CaseProjection | undefined,
  ) {
    this.current = compiled;
    this.head = loaded
      ? { seq: loaded.version, hash: loaded.headHash, state: caseStateOf(loaded) }
      : { seq: 0, hash: '', state: undefined };
  }

  /** Opens a transaction on a stored case (CASE_NOT_FOUND when there is none). */
  static async open(rt: EngineRuntime, caseId: string): Promise<CaseTx> {
    const projection = await rt.store.getCase(caseId);
    if (!projection) throw new CaseNotFoundError(caseId);
    if (!projectionVouched(rt.integrity, projection, rt.unkeyedBefore)) {
      const problems = [forgedProjection(caseId)];
      rt.alarm({ source: 'read', caseId, problems });
      throw new IntegrityError(caseId, problems);
    }
    return new CaseTx(rt, await rt.configs.forHash(projection.configHash, caseId), caseId, projection);
  }

  /** Starts a transaction that creates case `caseId` on `compiled`. */
  static create(rt: EngineRuntime, compiled: CompiledConfig, caseId: string): CaseTx {
    return new CaseTx(rt, compiled, caseId, undefined);
  }

  /** The config version the next step is taken under (the case's, until `moveTo`). */
  get compiled(): CompiledConfig {
    return this.current;
  }

  /**
   * Takes the steps from here on under another version of the case's config: a migration plan's
   * `config.migrated` event is the first of them (`migrate.ts`).
   */
  moveTo(compiled: CompiledConfig): void {
    this.current = compiled;
  }

  /** The case as loaded (throws for a new case, which has no stored projection). */
  get projection(): CaseProjection {
    if (!this.loaded) throw new Error(`case ${this.caseId} is new: it has no stored projection yet`);
    return this.loaded;
  }

  /** The case state after the steps taken so far (undefined before a new case's first step). */
  get state(): CaseState | undefined {
    return this.head.state;
  }

  /** The case's deadline rows as stored, with this transaction's changes over them. */
  async currentRows(): Promise<DeadlineRow[]> {
    this.storedRows ??= this.loaded ? this.rt.store.deadlines(this.caseId) : Promise.resolve([]);
    const stored = await this.storedRows;
    const ids = new Set(stored.map((r) => r.id));
    return [
      ...stored.map((r) => this.rows.get(r.id) ?? r),
      ...[...this.rows.values()].filter((r) => !ids.has(r.id)),
    ];
  }

  /**
   * Takes one machine step: settles its effects into deadline and outbox rows (issuing documents
   * when the engine has an issuer), chains its event onto the head and moves the head on.
   */
  async step(step: Step, draft: EventDraft, moved?: MovedRows): Promise<CaseEvent> {
    const seq = this.head.seq + 1;
    const before = this.head.state;
    const settled = await settleEffects(
      {
        compiled: this.compiled,
        calendar: this.rt.configs.calendarOf(this.compiled),
        caseId: this.caseId,
        seq,
        type: draft.type,
        at: draft.at,
        before: before?.context.data,
        after: step.context.data,
        payload: (draft.payload.command as JsonObject | undefined) ?? {},
        issuer: draft.actor.unit ?? step.context.data.responsibleUnit,
        loadRows: () => this.currentRows(),
      },
      step.effects,
    );
    refuseAccusedHandover(this.compiled, this.caseId, before, step, draft, settled.outbox);
    if (moved) {
      settled.records.unshift(...moved.records);
      settled.rows.unshift(...moved.rows);
    }
    for (const r of settled.rows) this.rows.set(r.id, r);
    const state = settle(step, settled.records);
    const documents = await this.issueDocuments(settled, state, before, draft.actor);
    this.outbox.push(...settled.outbox);
    return this.append(
      {
        ...draft,
        payload: {
          ...draft.payload,
          deadlines: settled.records as unknown as JsonObject[],
          documents,
          ...(settled.notifications.length ? { notifications: settled.notifications } : {}),
        },
      },
      state,
    );
  }

  /** Records an event that changes no state, only due dates (a calendar's new version). */
  recordDates(draft: EventDraft, records: DeadlineRecord[], rows: readonly DeadlineRow[]): CaseEvent {
    const from = this.head.state;
    if (!from) throw new Error(`case ${this.caseId} has no state to move dates of`);
    for (const r of rows) this.rows.set(r.id, r);
    const payload = { ...draft.payload, deadlines: records as unknown as JsonObject[] };
    return this.append({ ...draft, payload }, settle({ ...from, effects: [], taken: false }, records));
  }

  /**
   * Records an event that takes no machine step but changes what the fold derives from it (an
   * `identity.rekeyed` event); `state` is the case after it, as `replayEvent` folds that event.
   */
  recordState(draft: EventDraft, state: CaseState): CaseEvent {
    if (!this.head.state) throw new Error(`case ${this.caseId} has no state to record onto`);
    return this.append(draft, state);
  }

  /** A deadline row as this transaction changed it, if it did. */
  changedRow(id: string): DeadlineRow | undefined {
    return this.rows.get(id);
  }

  /** Puts a deadline row as it is (a stale row brought in line with the case). */
  putRow(row: DeadlineRow): void {
    this.rows.set(row.id, row);
  }

  /** Adds an outbox row written with the transaction (a receipt scheduled for a later date). */
  addOutbox(row: OutboxRow): void {
    this.outbox.push(row);
  }

  /**
   * Writes the transaction in one append checked against the loaded version: its events, the
   * projection they lead to, the rows and the outbox, and the idempotency record when given.
   * A transaction with no events writes only its rows (the projection is left as loaded).
   */
  async commit(idempotency?: IdempotencyClaim): Promise<CaseProjection> {
    const last = this.events.at(-1);
    const projection =
      last && this.head.state
        ? withProjectionMac(this.rt.integrity, projectionOf(this.compiled, this.head.state, last))
        : this.projection;
    if (!last && this.rows.size === 0 && this.outbox.length === 0) return projection;
    await this.rt.store.append({
      caseId: this.caseId,
      expectedVersion: this.loaded?.version ?? 0,
      events: this.events,
      projection,
      deadlines: [...this.rows.values()],
      outbox: this.outbox,
      ...(idempotency
        ? {
            idempotency: {
              ...idempotency,
              caseId: this.caseId,
              result: resultOf(projection) as unknown as JsonObject,
            },
          }
        : {}),
    });
    notifyCommitted(this.rt, this.events, projection);
    return projection;
  }

  /** Chains an event onto the head and hashes it; the head moves to it. */
  private append(draft: EventDraft, state: CaseState): CaseEvent {
    const { compiled } = this;
    const body = toJson({
      caseId: this.caseId,
      seq: this.head.seq + 1,
      type: draft.type,
      at: draft.at,
      actor: compact({
        id: draft.actor.id,
        role: draft.actor.role,
        unit: draft.actor.unit,
        name: draft.actor.name,
      }),
      payload: draft.payload,
      configId: compiled.config.jurisdiction.id,
      configVersion: compiled.config.jurisdiction.version,
      configHash: compiled.hash,
      calendarVersion: this.rt.configs.calendarOf(compiled).version,
      prevHash: this.head.hash,
    }) as unknown as Omit<CaseEvent, 'hash'>;
    const hash = eventHash(body);
    const event = { ...body, hash, mac: this.rt.integrity.mac(EVENT_MAC, hash) };
    this.events.push(event);
    this.head = { seq: event.seq, hash: event.hash, state };
    return event;
  }

  /**
   * Issues each document row of a step (the row's payload becomes the sealed document) and
   * returns the event's documents list with each issued one's number and content hash, so the
   * hash-chained log pins exactly what was sent. Without an issuer the rows say what to issue.
   */
  private async issueDocuments(
    settled: SettledEffects,
    state: CaseState,
    before: CaseState | undefined,
    actor: ActorRef,
  ): Promise<JsonObject[]> {
    const issuer = this.rt.documents;
    if (!issuer) return settled.documents;
    const pinned = new Map<string, JsonObject>();
    for (const row of settled.outbox) {
      if (row.kind !== 'document') continue;
      row.payload = await issuer.issueRow(row, {
        config: this.compiled.config,
        data: state.context.data,
        ...(before ? { before: before.context.data } : {}),
        deadlines: settled.records,
        actor,
      });
      pinned.set(String(row.payload.documentId), {
        number: row.payload.number as string,
        contentHash: row.payload.contentHash as string,
      });
    }
    return settled.documents.map((d) => ({ ...d, ...(pinned.get(String(d.document)) ?? {}) }));
  }
}

/**
 * Reg. 30 as a property of every step, whatever made it: after the step, the case does not newly
 * sit with a unit the petition accuses, and nothing the step sends (a document, a notification)
 * goes to one. Guards say so by name beforehand (`notAccused`); this is the rule itself, so a
 * routing rule, a province's own action or a resolved reference cannot get round it. Judged on
 * writes only: a stored log replays as it was written.
 */
function refuseAccusedHandover(
  compiled: CompiledConfig,
  caseId: string,
  before: CaseState | undefined,
  step: Step,
  draft: EventDraft,
  outbox: readonly OutboxRow[],
): void {
  const after = step.context.data;
  const accused = accusedOf(compiled.config, compiled.units, after.petition).units;
  if (accused.length === 0) return;
  const moved = before !== undefined && before.context.data.responsibleUnit !== after.responsibleUnit;
  const to = [
    ...(moved && accused.includes(after.responsibleUnit) ? [after.responsibleUnit] : []),
    ...outbox.map((r) => r.recipient).filter((r) => accused.includes(r)),
  ];
  if (to.length === 0) return;
  throw new TransitionError(
    'COMMAND_GUARD_FAILED',
    `accusation material may not go to the accused unit ${to[0]} (reg-2022 art. 30): choose a body competent for accusations that is not accused`,
    { caseId, state: before?.state ?? '(new)', command: draft.type, actor: draft.actor },
    { guard: 'notAccused', params: {} },
  );
}
