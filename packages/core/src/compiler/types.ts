/**
 * The shapes the compiled machine works on. The machine is a pure fold: XState's
 * `initialTransition` / `transition` take a snapshot and an event and return the next snapshot;
 * nothing runs in the background. Everything a guard needs is in the context (the case data) or
 * in the event (payload, actor, time, rule decisions), so guards are synchronous and a stored
 * event replays to the same result years later.
 *
 * Side effects are not performed by the machine. Its actions are all `assign`s: they update the
 * case data and append *effects* (deadline starts, stops, pauses, extensions; documents owed;
 * notifications) to `context.effects`. The engine drains that list after each step and turns it
 * into deadline and outbox rows, in the same store transaction as the event.
 */

import type { ActorRef, JsonObject, RedReason } from '../store/types.js';

/** Status of one deadline of a case, as the machine tracks it (the row holds the dates). */
export interface DeadlineState {
  status: 'running' | 'paused' | 'stopped' | 'fired';
  /** 1 for the first period of this deadline in the case, 2 after it is started again, ... */
  period: number;
  /** Id of the row holding this period (`<caseId>:<deadlineId>:<period>`). */
  row: string;
  /** Extensions granted in this period. */
  extensions: number;
  /** Filled from the engine's calculation, recorded in the event that computed it. */
  startDate?: string;
  dueDate?: string;
  dueAt?: string;
  provisional?: boolean;
}

/** Who last moved the case to another unit, and how (Reg. 22-24). */
export interface AssignedBy {
  unit: string;
  mode: 'transfer' | 'assign' | 'designate';
  at: string;
}

/**
 * The case data: the machine's context minus bookkeeping, stored as `projection.data`.
 * Plain JSON (no `undefined` members once stored).
 */
/** A query code as a case keeps it: who holds it, its keyed hash, and its last four characters. */
export interface QueryCodeRecord {
  /** The actor id the holder acts under once the code is checked (`query-code:<n>`). */
  holder: string;
  /** `hk:<keyId>:<HMAC>` of the code under the store's identity-key secret. */
  hash: string;
  /** The code's last four characters, printed on notices so a holder can tell codes apart. */
  hint: string;
}

export interface CaseData {
  caseId: string;
  /** When the case was registered (the first event's time). */
  submittedAt: string;
  petition: JsonObject;
  /** Normalised petitioner identity (personal: redacted like the petition's personal fields). */
  identityKey?: string;
  /** The matter key ("same matter, same facts"), from the form's `matterKey` fields. */
  matterKey?: string;
  registeringUnit: string;
  responsibleUnit: string;
  /** Actor id of the petitioner's own account, when known (online submission or given at submit). */
  petitionerId?: string;
  /**
   * Query codes of a petitioner without an account (Reg. 21), one per holder (group
   * representatives, Reg. 20, hold one each): only the keyed hash is kept, never the code.
   */
  queryCodes?: QueryCodeRecord[];
  /**
   * Whether written notices are owed (Reg. 23: not where the name or address is unclear), as
   * the rules decided at registration (`noticeOwed` of the rules module); the documents marked
   * `waivedWhenIdentityUnclear` are waived when false.
   */
  identityKnown: boolean;
  assignedBy?: AssignedBy;
  /**
   * Units and accused persons the petition named in free text that staff resolved
   * (`RESOLVE_REFERENCE`): the path, the text as written, what it was resolved to, by which unit.
   */
  resolutions?: JsonObject[];
  /** Every change of the responsible unit, oldest first: one case, one history (Reg. 22-24). */
  transfers: JsonObject[];
  /** Decisions recorded by `recordDecision`, keyed by its `as`. */
  decisions: Record<string, JsonObject>;
  /** Receipts of written documents (Reg. 35-36 windows run from these). */
  receipts: JsonObject[];
  /** Actor ids that declared an interest in the case (Reg. 28). */
  recused: string[];
  deadlines: Record<string, DeadlineState>;
  /**
   * Latest decision of each rule set (a rules `Decision`: the outcome, the `merged` outcome
   * guards read, and each fired rule with its basis and conditions), made by the engine before
   * the step that ran the set.
   */
  rules: Record<string, JsonObject>;
}

/** What the machine asks the engine to do; drained after each step. */
export type Effect =
  | {
      kind: 'deadline';
      op: 'start';
      deadline: string;
      row: string;
      period: number;
      /** Civil start date when it is not the event's own date (a receipt date). */
      startDate?: string;
      /** A shorter period set by the command (`settable` deadlines). */
      days?: number;
    }
  | { kind: 'deadline'; op: 'stop' | 'resume' | 'fire'; deadline: string; row: string }
  | {
      kind: 'deadline';
      op: 'pause';
      deadline: string;
      row: string;
      /** The pause's recorded days `[from, to)` (`pauseDates`); absent, it runs from today until resumed. */
      from?: string;
      to?: string;
    }
  | {
      kind: 'deadline';
      op: 'extend';
      deadline: string;
      row: string;
      days: number;
      reason: string;
      approvedBy: string;
    }
  | { kind: 'document'; document: string; waived?: string }
  | { kind: 'notification'; to: string; message: string; template?: string };

/** The machine's context. */
export interface CaseContext {
  data: CaseData;
  /** Open red reasons: the case is red while any is here. Cleared on completion. */
  red: RedReason[];
  /** Every red reason ever recorded: a case completed late keeps them (it is blue with these). */
  violations: RedReason[];
  /** Effects of the current step, for the engine to drain. Empty between steps. */
  effects: Effect[];
}

/** An event as the machine sees it. Stored events map onto this (see `engine/fold.ts`). */
export interface MachineEvent {
  type: string;
  /** The command's payload (for `<deadline>.expired`: the expired row's facts). */
  payload: JsonObject;
  actor: ActorRef;
  /** ISO instant, from the engine's clock when it happened. */
  at: string;
  /** Rule-set decisions made before the step (rules `Decision`s), by rule-set id. */
  decisions?: Record<string, JsonObject>;
}

/** What the initial step is given (`initialTransition` input): the registered petition. */
export interface CaseInput {
  caseId: string;
  petition: JsonObject;
  identityKey?: string;
  matterKey?: string;
  registeringUnit: string;
  /**
   * The unit responsible from registration when it is not the registering unit: an accusation
   * against the very unit that received it goes to the body above (Reg. 30, `engine/submit.ts`).
   */
  responsibleUnit?: string;
  petitionerId?: string;
  queryCodes?: QueryCodeRecord[];
  identityKnown: boolean;
  actor: ActorRef;
  at: string;
  decisions?: Record<string, JsonObject>;
}
