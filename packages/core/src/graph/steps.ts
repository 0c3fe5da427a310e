import type { Id, JurisdictionConfig, TransitionDef } from '../config/types.js';

/** One transition of the process as a diagram or a map of articles shows it. */
export interface ProcessStep {
  /** The state it leaves. */
  state: Id;
  /** The command or clock event that takes it. */
  event: string;
  /** Index among an event's guarded alternatives; absent when the event has one transition. */
  alternative?: number;
  def: TransitionDef;
  /** The state it leads to; absent when the command keeps the case where it is (EXTEND). */
  to?: Id;
  /** Sent by the clock: a deadline's expiry, or a command only system roles may send. */
  clock: boolean;
}

const EXPIRED = '.expired';

/** Whether only the clock can take this transition. */
function byClock(config: JurisdictionConfig, event: string, def: TransitionDef): boolean {
  if (event.endsWith(EXPIRED)) return true;
  return def.roles.length > 0 && def.roles.every((r) => config.roles[r]?.system === true);
}

/** Every transition of every state, in the order the config declares them. */
export function processSteps(config: JurisdictionConfig): ProcessStep[] {
  const out: ProcessStep[] = [];
  for (const [state, def] of Object.entries(config.process.states)) {
    for (const [event, entry] of Object.entries(def.on ?? {})) {
      const alternatives = Array.isArray(entry) ? entry : [entry];
      alternatives.forEach((t, i) => {
        out.push({
          state,
          event,
          alternative: Array.isArray(entry) ? i : undefined,
          def: t,
          to: t.to,
          clock: byClock(config, event, t),
        });
      });
    }
  }
  return out;
}

/** The deadline a clock event is the expiry of (`reviewWindow.expired` -> `reviewWindow`). */
export function expiredDeadline(event: string): string | undefined {
  return event.endsWith(EXPIRED) ? event.slice(0, -EXPIRED.length) : undefined;
}

/** Guard types of a transition, in order. */
export function guardTypes(def: TransitionDef): string[] {
  if (!def.guard) return [];
  return (Array.isArray(def.guard) ? def.guard : [def.guard]).map((g) => g.type);
}
