/**
 * What every command of one engine shares: the store, the clock, the hooks, and the compiled
 * configs by hash. Built once by `createEngine`; each command module takes it as its first
 * argument instead of closing over a long list of locals.
 */

import type { Clock } from '../base/clock.js';
import { type Calendar, findCalendar, localCalendar } from '../calendar/index.js';
import { type CompiledConfig, compileConfig } from '../compiler/compile.js';
import { configHash } from '../config/hash.js';
import type { JurisdictionConfig } from '../config/types.js';
import type { DocumentIssuer } from '../documents/issue.js';
import type { ActorRef, CaseEvent, CaseProjection, CaseStore, JsonObject } from '../store/types.js';
import { ConfigVersionUnknownError, JurisdictionUnknownError } from './errors.js';
import { IdentityKeyError, IdentityKeyring } from './identity-keys.js';
import { type IntegrityAlarm, raiseAlarm, StoredConfigTamperedError } from './integrity.js';
import { IntegrityKeyring, integrityKeysOf } from './integrity-keys.js';
import { defaultRandom, type RandomSource } from './query-codes.js';
import type { DecideHook, EngineOptions } from './types.js';

/** The configs an engine knows: the loaded ones, and those read back from the store by hash. */
export class ConfigRegistry {
  private readonly byHash = new Map<string, CompiledConfig>();
  private readonly latest = new Map<string, CompiledConfig>();
  private readonly stored = new Set<string>();
  private readonly calendars: Map<string, Calendar>;

  constructor(
    private readonly store: CaseStore,
    configs: readonly JurisdictionConfig[],
    calendars: ReadonlyMap<string, Calendar> | readonly Calendar[],
    private readonly alarm: (alarm: Omit<IntegrityAlarm, 'at'>) => void = () => {},
  ) {
    this.calendars = new Map(
      calendars instanceof Map ? calendars : (calendars as readonly Calendar[]).map((c) => [c.id, c]),
    );
    for (const config of configs) {
      const compiled = compileConfig(config, configHash(config));
      // a local day off the calendar cannot take (a date outside its years) is refused here, not mid-case
      this.calendarOf(compiled);
      this.byHash.set(compiled.hash, compiled);
      this.latest.set(config.jurisdiction.id, compiled);
    }
  }

  /** The latest loaded config of each jurisdiction, in load order. */
  latestConfigs(): CompiledConfig[] {
    return [...this.latest.values()];
  }

  /** The loaded jurisdictions' ids, in load order. */
  get jurisdictions(): string[] {
    return [...this.latest.keys()];
  }

  /** The latest loaded config of a jurisdiction; with one loaded, the id may be omitted. */
  choose(jurisdiction: string | undefined): CompiledConfig {
    if (jurisdiction === undefined) {
      const [only] = this.latest.values();
      if (this.latest.size === 1 && only) return only;
      throw new JurisdictionUnknownError(undefined, this.jurisdictions);
    }
    const c = this.latest.get(jurisdiction);
    if (!c) throw new JurisdictionUnknownError(jurisdiction, this.jurisdictions);
    return c;
  }

  /** The config a case pinned, compiled once; read from the store when it is not loaded. */
  async forHash(hash: string, caseId?: string): Promise<CompiledConfig> {
    const hit = this.byHash.get(hash);
    if (hit) return hit;
    const config = await this.store.getConfig(hash);
    if (!config) throw new ConfigVersionUnknownError(hash, caseId);
    // the stored text is trusted only when it still hashes to the name every event pinned
    const actual = configHash(config as unknown as JurisdictionConfig);
    if (actual !== hash) {
      this.alarm({
        source: 'config',
        configHash: hash,
        ...(caseId ? { caseId } : {}),
        problems: [{ code: 'CONFIG_TAMPERED', message: `the stored config ${hash} hashes to ${actual}` }],
      });
      throw new StoredConfigTamperedError(hash, actual, caseId);
    }
    const compiled = compileConfig(config as unknown as JurisdictionConfig, hash);
    this.byHash.set(hash, compiled);
    return compiled;
  }

  /** Stores a config by its hash before the first case pins it (once per engine). */
  async persist(compiled: CompiledConfig): Promise<void> {
    if (this.stored.has(compiled.hash)) return;
    await this.store.putConfig(compiled.hash, compiled.config as unknown as JsonObject);
    this.stored.add(compiled.hash);
  }

  /** The shared calendar plus the jurisdiction's own days off. */
  calendarOf(compiled: CompiledConfig): Calendar {
    return localCalendar(
      findCalendar(this.calendars, compiled.config.jurisdiction.calendar),
      compiled.config.jurisdiction,
    );
  }

  /** Replaces (or adds) a calendar; later deadlines are counted on it. */
  setCalendar(calendar: Calendar): void {
    this.calendars.set(calendar.id, calendar);
  }

  /** The jurisdictions whose known configs count on calendar `calendarId`. */
  jurisdictionsOn(calendarId: string): string[] {
    const ids = [...this.byHash.values()]
      .filter((c) => c.config.jurisdiction.calendar === calendarId)
      .map((c) => c.config.jurisdiction.id);
    return [...new Set(ids)];
  }
}

/** The engine's shared state, handed to every command. */
export interface EngineRuntime {
  store: CaseStore;
  clock: Clock;
  configs: ConfigRegistry;
  /** Lease owner for deadline claims, and the id of the engine's own (clock) actor. */
  owner: string;
  leaseMs: number;
  decide: DecideHook | undefined;
  documents: DocumentIssuer | undefined;
  onEvent: EngineOptions['onEvent'];
  formatCaseId: NonNullable<EngineOptions['formatCaseId']>;
  /** The store's identity key secrets: every identity key the engine writes is made with them. */
  keys: IdentityKeyring;
  /** Random bytes for query codes. */
  random: RandomSource;
  /** The integrity key: every event's MAC, checkpoints. */
  integrity: IntegrityKeyring;
  /** Events before this instant may lack a MAC (a store written before keyed events). */
  unkeyedBefore: number | undefined;
  /** Tells the embedder of an integrity refusal. */
  alarm: (alarm: Omit<IntegrityAlarm, 'at'>) => void;
}

/** Builds the runtime from the options of `createEngine`. */
export function createRuntime(options: EngineOptions): EngineRuntime {
  // first: without a secret nothing may be written, and the error says what to pass
  const keys = IdentityKeyring.from(options.identityKeys);
  const integrity = new IntegrityKeyring(integrityKeysOf(options.integrityKeys, options.identityKeys));
  const alarm = (a: Omit<IntegrityAlarm, 'at'>) =>
    raiseAlarm(options.onIntegrityAlarm, { ...a, at: options.clock.now().toISOString() });
  const configs = new ConfigRegistry(options.store, options.configs, options.calendars, alarm);
  const single = configs.jurisdictions.length <= 1;
  return {
    store: options.store,
    clock: options.clock,
    configs,
    owner: options.owner ?? 'xinfang-engine',
    leaseMs: options.leaseMs ?? 60_000,
    decide: options.decide,
    documents: options.documents,
    onEvent: options.onEvent,
    keys,
    random: options.random ?? defaultRandom,
    integrity,
    unkeyedBefore: unkeyedBefore(options.unkeyedBefore),
    alarm,
    formatCaseId:
      options.formatCaseId ??
      (({ jurisdiction, year, seq }) => {
        const n = String(seq).padStart(6, '0');
        if (single) return `XF-${year}-${n}`;
        return `XF-${(jurisdiction.split('.').at(-1) ?? jurisdiction).toUpperCase()}-${year}-${n}`;
      }),
  };
}

/** The instant before which events may be unkeyed, checked once. */
function unkeyedBefore(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new IdentityKeyError(
      'ENGINE_KEY_INVALID',
      `unkeyedBefore must be an ISO instant (when the store was upgraded to keyed events), got ${JSON.stringify(value)}`,
    );
  }
  return ms;
}

/** The clock's instant as an ISO string: every event of one command carries the same one. */
export function nowOf(rt: EngineRuntime): string {
  return rt.clock.now().toISOString();
}

/** The engine's own actor: the clock firing deadlines, receipts from notifiers, calendar moves. */
export function clockActor(rt: EngineRuntime): ActorRef {
  return { id: rt.owner, role: 'system' };
}

/** Tells the `onEvent` observer of committed events; its failures never undo a commit. */
export function notifyCommitted(rt: EngineRuntime, events: readonly CaseEvent[], projection: CaseProjection) {
  if (!rt.onEvent) return;
  for (const e of events) {
    try {
      rt.onEvent(e, projection);
    } catch {
      // An observer's failure must not make a committed command look refused.
    }
  }
}
