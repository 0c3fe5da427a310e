import type { JurisdictionConfig } from '../../config/types.js';
import type { CaseContext, CaseData, Effect, MachineEvent } from '../types.js';
import type { UnitRegistry } from '../units.js';

/**
 * What an action sees. `event` is partial because entry actions of the initial state see
 * XState's own init event, which has no payload, actor or time.
 */
export interface ActionArgs {
  context: CaseContext;
  event: Partial<MachineEvent> & { type: string };
  config: JurisdictionConfig;
  units: UnitRegistry;
}

/** A named action: a pure function from the context to the next context. */
export interface ActionImpl {
  apply(args: ActionArgs, params: Record<string, unknown>): CaseContext;
  /** Parameters that must be present (checked when compiling). */
  params?: string[];
  /** Parameters that may be given; any other is a config mistake the loader reports. */
  optional?: string[];
}

/** The context with its data patched (a shallow copy: previous snapshots stay as they were). */
export function patchData(context: CaseContext, patch: Partial<CaseData>): CaseContext {
  return { ...context, data: { ...context.data, ...patch } as CaseData };
}

/** The context with effects appended. */
export function addEffects(context: CaseContext, ...effects: Effect[]): CaseContext {
  return effects.length === 0 ? context : { ...context, effects: [...context.effects, ...effects] };
}

/** The event's time, or the case's last known time for XState's init event. */
export function timeOf(args: ActionArgs): string {
  return args.event.at ?? args.context.data.submittedAt;
}
