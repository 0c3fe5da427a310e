/**
 * What one generated run is: a petition, the day it arrives, and a list of steps. Steps are
 * abstract choices (an index into the commands the case allows now, an index into the actors
 * who could send it, a seed for the payload) that the driver resolves against the case as it
 * is when the step runs. So every generated list is a valid run of any config, and fast-check
 * can shrink it by dropping steps or lowering indices.
 */

/** Where a clock move lands. */
export type AdvanceTarget =
  /** `n` hours later (1-30). */
  | 'hours'
  /** `n` days later, same time of day (1-40). */
  | 'days'
  /** The next weekend day of the calendar, mid-morning. */
  | 'weekend'
  /** The next public holiday of the calendar, mid-morning. */
  | 'holiday'
  /** The last day of the earliest running deadline of the case, mid-afternoon. */
  | 'last-day'
  /** A minute after the earliest running deadline of the case ends. */
  | 'after-due';

export type CheckStep =
  /** The next step on a shortest way from the case's state to the run's goal state. */
  | { kind: 'toward'; actor: number; seed: number }
  /** A command the case allows in its state, preferring steps that move it forward. */
  | { kind: 'forward'; pick: number; actor: number; seed: number }
  /** Any command the case allows in its state (withdrawals, refusals, diversions too). */
  | { kind: 'command'; pick: number; actor: number; seed: number }
  /** A command of the state sent by a role its transition does not list: must be refused. */
  | { kind: 'wrong-role'; pick: number; actor: number; seed: number }
  /** A command the state does not have, or no command at all: must be refused. */
  | { kind: 'wrong-command'; pick: number; seed: number }
  | { kind: 'advance'; to: AdvanceTarget; n: number }
  /**
   * The petitioner submits the same matter again; later steps act on the new case. `vary`
   * picks how it differs on its face (received today, another channel, other spacing and
   * full-width forms): the same matter all the same.
   */
  | { kind: 'resubmit'; vary?: number }
  /**
   * Structural runs only (never generated at random): `toward` steps to the named state until
   * the case is there or no way leads on.
   */
  | { kind: 'reach'; goal: string }
  /**
   * Structural runs only: while the case is in `from`, the event `type` with its alternative
   * `index` in mind (its payload, a role it lists); a clock event moves the clock past its
   * deadline. Tried with a few actors and payloads until one is taken.
   */
  | { kind: 'take'; from: string; type: string; index: number };

export interface CheckScenario {
  /** Civil date the petition is registered. */
  start: string;
  /**
   * Days before `start` the body received it (a letter is registered some days after it
   * arrives): the petition's `receivedAt`, from which its periods count (Reg. 22-23).
   */
  receivedBefore?: number;
  /** Minute of that day (local time) it is registered. */
  minute: number;
  petition: Record<string, unknown>;
  /** Who registers it: staff of the receiving unit, or the petitioner online. */
  submitter: 'staff' | 'online';
  /** Index into the config's states: where `toward` steps lead the case. */
  goal: number;
  steps: CheckStep[];
  /**
   * In a check with a migration plan: the step before which the engine is redeployed with the
   * new version and the plan moves the open cases (modulo the steps plus one: the move may come
   * before the first step or after the last).
   */
  migrateAt?: number;
}
