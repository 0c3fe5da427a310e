import type { ErrorCode } from '../../base/errors.js';
import type { JurisdictionConfig } from '../../config/types.js';
import type { CaseContext, MachineEvent } from '../types.js';
import type { UnitRegistry } from '../units.js';

/** What a guard sees: the case (context), the event, and the config it was compiled from. */
export interface GuardArgs {
  context: CaseContext;
  event: MachineEvent;
  config: JurisdictionConfig;
  units: UnitRegistry;
}

/** A named guard: a pure, synchronous predicate with its parameters from the YAML. */
export interface GuardImpl {
  check(args: GuardArgs, params: Record<string, unknown>): boolean;
  /**
   * Reads the command payload. Asked which commands are allowed (no payload yet), such a guard
   * answers `possible` instead of `check`.
   */
  readsPayload?: boolean;
  /**
   * Whether some payload could satisfy the guard in this case and for this actor (the payload in
   * `args` is empty). Absent: any could. `allowedCommands` lists a command only when it is
   * possible, so it never offers what `send` must refuse whatever the payload.
   */
  possible?(args: GuardArgs, params: Record<string, unknown>): boolean;
  /** Parameters that must be present (checked when compiling). */
  params?: string[];
  /** Parameters that may be given; any other is a config mistake the loader reports. */
  optional?: string[];
  /**
   * Why the guard does not hold, in the person's terms (a rule decided otherwise; send this
   * command instead). Without it the refusal names the guard and its parameters.
   */
  explain?(args: GuardArgs, params: Record<string, unknown>): GuardRefusal;
}

/** A guard's own account of a refusal. */
export interface GuardRefusal {
  /** @default 'COMMAND_GUARD_FAILED' */
  code?: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}
