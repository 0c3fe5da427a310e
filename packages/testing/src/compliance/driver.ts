/**
 * Runs one generated scenario through the real engine (memory store, manual clock) and records
 * what happened: every step with its actor, command, payload and outcome, and, per case, the
 * stored events annotated with the state and stage each one left the case in. The invariants
 * judge this record; nothing here decides whether the procedure was lawful.
 */

import {
  type ActorRef,
  addCivilDays,
  type Calendar,
  type CaseEvent,
  type CaseProjection,
  type CaseStore,
  civilDate,
  createDocumentIssuer,
  createEngine,
  createMemoryStore,
  type DeadlineRow,
  type Engine,
  ephemeralIdentityKeys,
  instantAt,
  isCompletedStage,
  isXinfangError,
  type JsonObject,
  type JurisdictionConfig,
  localCalendar,
  ManualClock,
  type MigrationPlan,
  type OutboxRow,
  type TemplatePaths,
  type TransitionDef,
} from '@xinfang/core';
import {
  authorityUnit,
  type CompiledConfig,
  compileConfig,
  guardsOf,
  isExpiry,
  type TransitionTable,
  unresolvedReferences,
} from '@xinfang/core/tooling';
import { activeUnits } from './arbitraries.js';
import type { CheckScenario, CheckStep } from './scenario.js';
import { ACCUSATION_FIELDS, ACCUSATION_SAFE_FIELDS } from './statute.js';

/** The petitioner's id in every run (the registrar records it at submission). */
export const PETITIONER_ID = 'petitioner-1';

export type StepOutcome = 'ok' | 'refused' | 'skipped' | 'crashed';

/** One step as it ran. */
export interface TraceEntry {
  /** Index into the scenario's steps; -1 for the submission. */
  step: number;
  kind: CheckStep['kind'] | 'submit' | 'migrate';
  at: string;
  /** Civil date in the jurisdiction's zone. */
  date: string;
  caseId?: string;
  command?: string;
  actor?: ActorRef;
  payload?: JsonObject;
  outcome: StepOutcome;
  code?: string;
  message?: string;
  from?: string;
  to?: string;
  /** Deadlines the clock fired on an advance: `case/deadline -> state`. */
  fired?: string[];
  /** For refused commands: whether the case's stored record was left exactly as it was. */
  unchanged?: boolean;
  /**
   * The move to the plan's new version: each case moved (`case: old -> new state`, and each
   * period recounted) or left on its version with the reason.
   */
  migration?: { plan: string; moved: string[]; left: string[] };
}

/** A stored event with the state and stage it left the case in, and those it found. */
export interface TracedEvent extends CaseEvent {
  before?: string;
  beforeStage?: string;
  state: string;
  stage: string;
  /** The unit responsible for the case after the event. */
  unit?: string;
  /**
   * The config version the event was made under, in a run that moved cases to another version
   * (absent: the trace's `config`). A `config.migrated` event is the new version's.
   */
  config?: JurisdictionConfig;
}

export interface TracedCase {
  caseId: string;
  events: TracedEvent[];
  projection: CaseProjection;
  deadlines: DeadlineRow[];
  outbox: OutboxRow[];
  /** The case as a viewer from the accused unit sees it (when the petition accuses one). */
  accusedView?: string;
  verified: { ok: boolean; problems: string[] };
}

export interface Trace {
  /** The config the run started on. */
  config: JurisdictionConfig;
  /** Every version the run's cases were on (the plan's two), when the run moved cases. */
  versions?: JurisdictionConfig[];
  /** The calendar periods are judged on: national, with the lawful local days off only. */
  calendar: Calendar;
  /** The calendar the engine counted on: the config's own, with every local day off it declares. */
  ownCalendar: Calendar;
  zone: string;
  scenario: CheckScenario;
  entries: TraceEntry[];
  cases: TracedCase[];
  /** The instant of the last step (the invariants judge the cases as of then). */
  end: string;
  /** The instant of the last tick, when the clock last fired what was due. */
  lastTick: string;
}

/**
 * Days a structural run waits where a duty's clock is stopped: longer than the longest statutory
 * period with its extension (handling, 60 + 30 days, Reg. 34).
 */
const LONGEST_WAIT_DAYS = 91;

/** A small deterministic generator: payload choices follow from the step's seed. */
function rng(seed: number): (n: number) => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return (n: number) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return n <= 0 ? 0 : s % n;
  };
}

interface Option {
  type: string;
  defs: readonly TransitionDef[];
}

function isSystemRole(config: JurisdictionConfig, role: string): boolean {
  return config.roles[role]?.system === true;
}

/** The commands of a state (clock expiries excluded), in config order. */
function optionsOf(table: TransitionTable, state: string): Option[] {
  return [...(table.states.get(state)?.values() ?? [])]
    .filter((e) => e.expiry === undefined)
    .map((e) => ({ type: e.type, defs: e.alternatives }));
}

/**
 * Steps that move a case on: to another state not in a giving-up stage, or starting a period
 * (a receipt starts the review window). Without this bias a random walk rarely reaches review
 * and re-examination.
 */
function isForward(config: JurisdictionConfig, state: string, o: Option): boolean {
  const states = config.process.states;
  return o.defs.some((d) => {
    // a receipt starts the petitioner's window: without it no review can be requested
    // an extension is how a long handling goes on lawfully: runs must exercise it (and its limits)
    if (d.to === undefined)
      return (
        d.extends !== undefined || (d.starts ?? []).some((id) => config.deadlines[id]?.kind === 'window')
      );
    if (d.to === state) return false;
    const stage = states[d.to]?.stage;
    return (
      stage !== 'withdrawn' && stage !== 'not-accepted' && stage !== 'diversion' && stage !== 'registration'
    );
  });
}

export interface DriverOptions {
  config: JurisdictionConfig;
  /** The calendar the config names: the engine counts on it. */
  calendar: Calendar;
  /**
   * The national calendar periods are judged on (the one beside the root of the extends chain),
   * when it may differ from `calendar`; absent, `calendar` is taken as the national one.
   */
  nationalCalendar?: Calendar;
  /** Hash of `config`, when the caller has it (saves hashing the config for every run). */
  hash?: string;
  /**
   * The config's templates (`LoadResult.templates`): given, every document a step owes is
   * rendered as in production (unsealed), and a step whose document cannot render is refused
   * with TEMPLATE_RENDER, which `documents-render` reports.
   */
  templates?: TemplatePaths;
  /**
   * A migration plan from `config` to `plan.to`: before step `scenario.migrateAt` (modulo the
   * steps, so the move may come before the first step or after the last) the engine is
   * redeployed with the new version and `engine.migrate` moves every open case; the rest of the
   * run drives the cases (and submits new ones) on the new version.
   */
  plan?: CheckPlan;
}

/** What a run needs to move its cases to another version. */
export interface CheckPlan {
  plan: MigrationPlan;
  /** The version the plan moves cases to (`plan.to` is its hash). */
  to: JurisdictionConfig;
  /** The new version's templates (`LoadResult.templates`), rendered as `templates` are. */
  templates?: TemplatePaths;
}

/**
 * The calendar a check judges periods on: the national one plus the jurisdiction's local days
 * off, leaving out any that would take back a national adjusted working day (the loader refuses
 * those; a config checked with its breaches reported must still be judged by the law).
 */
export function judgingCalendar(
  national: Calendar,
  jurisdiction: JurisdictionConfig['jurisdiction'],
): Calendar {
  const workdays = new Set(national.toData().workdays.map((w) => w.date));
  const lawful = (jurisdiction.localDaysOff ?? []).filter((d) => !workdays.has(d.date));
  return localCalendar(national, { localDaysOff: lawful });
}

/** Runs a scenario; never throws for anything the engine does (a crash is recorded). */
export async function runCheckScenario(scenario: CheckScenario, options: DriverOptions): Promise<Trace> {
  // the version the run drives cases on: the plan's new one once the cases were moved
  let config = options.config;
  // the engine takes the shared calendar and adds the jurisdiction's local days off itself; the
  // trace's calendar, which periods are judged on, is the national one (the chain root's, when
  // the caller has it) with only the local days off the law allows: none on a national adjusted
  // working day, whatever the config declares (issue 24, class 5)
  const calendar = judgingCalendar(options.nationalCalendar ?? options.calendar, config.jurisdiction);
  const ownCalendar = localCalendar(options.calendar, config.jurisdiction);
  const zone = config.jurisdiction.timezone;
  let compiled = compileConfig(config, options.hash);
  /** The compiled versions by hash: an event's stage is its own version's. */
  const byHash = new Map<string, CompiledConfig>([[compiled.hash, compiled]]);
  let units = activeUnits(config);
  let goals = Object.keys(config.process.states);
  const startAt = instantAt(
    scenario.start,
    `${String(Math.floor(scenario.minute / 60)).padStart(2, '0')}:${String(scenario.minute % 60).padStart(2, '0')}`,
    zone,
  );
  const clock = new ManualClock(startAt);
  const store: CaseStore = createMemoryStore();
  // the store lives for this scenario only: a secret of this run keys its identities
  const identityKeys = ephemeralIdentityKeys('check');
  const engineOf = (configs: JurisdictionConfig[], templates: TemplatePaths | undefined): Engine => {
    const documents = templates ? createDocumentIssuer({ store, templates }) : undefined;
    return createEngine({
      configs,
      store,
      clock,
      calendars: [options.calendar],
      ...(documents ? { documents } : {}),
      identityKeys,
    });
  };
  let engine = engineOf([config], options.templates);
  const migrateAt =
    options.plan === undefined ? undefined : (scenario.migrateAt ?? 0) % (scenario.steps.length + 1);
  const entries: TraceEntry[] = [];
  const stateAt = new Map<string, Map<number, string>>();
  /** The unit responsible for a case after each of its commands, by seq. */
  const unitAt = new Map<string, Map<number, string>>();
  const rememberUnit = (caseId: string, seq: number, unit: string | number | undefined) => {
    if (typeof unit !== 'string') return;
    const m = unitAt.get(caseId) ?? new Map<number, string>();
    unitAt.set(caseId, m);
    m.set(seq, unit);
  };
  const cases: string[] = [];
  let current: string | undefined;
  let lastTick = startAt;
  const limit = instantAt(`${calendar.years.to}-12-31`, '12:00', zone);

  const now = () => clock.now().toISOString();
  const today = () => civilDate(clock.now(), zone);
  const remember = (caseId: string, seq: number, state: string) => {
    const m = stateAt.get(caseId) ?? new Map<number, string>();
    stateAt.set(caseId, m);
    m.set(seq, state);
  };
  const refusal = (e: unknown): Pick<TraceEntry, 'outcome' | 'code' | 'message'> =>
    isXinfangError(e)
      ? { outcome: 'refused', code: e.code, message: e.message }
      : { outcome: 'crashed', message: e instanceof Error ? (e.stack ?? e.message) : String(e) };

  async function snapshot(caseId: string): Promise<string> {
    const [p, d, o] = await Promise.all([
      store.getCase(caseId),
      store.deadlines(caseId),
      store.outbox({ caseId }),
    ]);
    return JSON.stringify([p?.version, p?.headHash, p?.state, p?.colour, d, o.length]);
  }

  async function submit(step: number, vary?: number): Promise<void> {
    // a repeat is a new petition, received the day it is registered (and otherwise varied on
    // its face: another channel, other spacing)
    const petition =
      step >= 0 ? resubmission(config, scenario.petition, (vary ?? 0) | 1, today()) : scenario.petition;
    const online = scenario.submitter === 'online' && petition.channel === 'online';
    const actor: ActorRef = online
      ? { id: PETITIONER_ID, role: petitionerRole(config) }
      : { id: 'registrar-1', role: registrarRole(config), unit: String(petition.receivingUnit) };
    const entry: TraceEntry = {
      step,
      kind: step < 0 ? 'submit' : 'resubmit',
      at: now(),
      date: today(),
      actor,
      outcome: 'ok',
    };
    try {
      const r = await engine.submit(petition, actor, online ? {} : { petitionerId: PETITIONER_ID });
      remember(r.caseId, r.version, r.state);
      rememberUnit(r.caseId, r.version, r.responsibleUnit);
      cases.push(r.caseId);
      current = r.caseId;
      Object.assign(entry, { caseId: r.caseId, to: r.state });
      // the embedding's clock runs at registration too: a period counted from an earlier
      // receipt (Reg. 22-23) that has already run out fires now
      for (const f of await engine.tick(clock.now())) remember(f.caseId, f.seq, f.state);
      lastTick = now();
    } catch (e) {
      Object.assign(entry, refusal(e));
    }
    entries.push(entry);
  }

  /** The actor who may plausibly send `def` on this case: the role, and the unit its authority names. */
  function actorFor(
    role: string,
    def: TransitionDef,
    data: JsonObject,
    readers: readonly string[],
    pick: number,
  ): ActorRef {
    if (config.roles[role]?.petitioner) return { id: PETITIONER_ID, role };
    const authority = def.authority ?? 'any';
    let unit: string | undefined;
    if (authority !== 'any') unit = authorityUnit(compiled.units, data as never, authority);
    // now and then someone of another unit tries: the authority check must refuse them. Half
    // of those are staff of a unit that reads the case but holds no authority for the step
    // (the unit check refuses them); the others any unit (a unit that may not read the case is
    // refused with CASE_NOT_FOUND before any other check)
    if (pick % 7 === 6 && pick % 2 === 0) {
      const others = readers.filter((u) => u !== unit);
      if (others.length > 0)
        return { id: `${role}-${pick % 3}`, role, unit: others[pick % others.length] as string };
    }
    if (unit === undefined || pick % 7 === 6) unit = units[pick % units.length];
    return { id: `${role}-${pick % 3}`, role, ...(unit !== undefined ? { unit } : {}) };
  }

  /** The next command (or clock move) on a shortest way to the goal state, or undefined. */
  async function towardGoal(
    state: string,
    goal: string,
  ): Promise<{ option: Option } | { expire: string } | undefined> {
    const first = compiled.graph.pathTo(goal, state)?.[0];
    if (!first) return undefined;
    // names the registry does not know hold the case where it is: staff resolve them first
    const resolver = optionsOf(compiled.table, state).find((o) =>
      o.defs.some((d) => hasGuard(d, 'resolvesReference')),
    );
    const held = current === undefined ? undefined : await store.getCase(current);
    const petition = held?.data.petition;
    if (resolver && unresolvedReferences(config, compiled.units, petition).length > 0)
      return { option: resolver };
    // a group visit with more representatives than the rules allow waits for them (Reg. 20):
    // staff record the ones it chose first
    const recorder = optionsOf(compiled.table, state).find((o) => o.defs.some(recordsRepresentatives));
    if (recorder && held && awaitsRepresentatives(held)) return { option: recorder };
    if (first.expiry !== undefined) return { expire: first.expiry };
    const option = optionsOf(compiled.table, state).find((o) => o.type === first.type) as Option;
    // a request within a window that has not started yet: first the step that starts it (a receipt)
    const within = option.defs[0]?.within;
    if (within && current !== undefined) {
      const running = (await store.deadlines(current)).some(
        (r) => r.deadlineId === within && r.status === 'running',
      );
      const opener = optionsOf(compiled.table, state).find((o) =>
        o.defs.some((d) => d.to === undefined && d.starts?.includes(within)),
      );
      if (!running && opener) return { option: opener };
    }
    return { option };
  }

  async function command(
    step: number,
    s: Extract<CheckStep, { seed: number; actor: number }> & { pick?: number },
    forced?: { goal?: string; option?: Option; def?: number },
  ): Promise<void> {
    const entry: TraceEntry = { step, kind: s.kind, at: now(), date: today(), outcome: 'skipped' };
    entries.push(entry);
    if (current === undefined) return;
    const p = await store.getCase(current);
    if (!p) return;
    entry.caseId = current;
    entry.from = p.state;
    // resolving names is a step only while the petition has names to resolve
    const open = unresolvedReferences(config, compiled.units, p.data.petition).length > 0;
    const all = optionsOf(compiled.table, p.state).filter(
      (o) => open || !o.defs.some((d) => hasGuard(d, 'resolvesReference')),
    );
    let option: Option | undefined = forced?.option;
    if (s.kind === 'toward') {
      // at an end of the procedure the petitioner tries again with the same matter: repeats
      // after termination or a lapsed window are where Reg. 35-36 bite
      const goal = forced?.goal ?? (goals[scenario.goal % goals.length] as string);
      if (forced?.goal === undefined && p.state === goal && isCompletedStage(p.stage)) {
        entries.pop();
        await submit(step);
        return;
      }
      const next = await towardGoal(p.state, goal);
      if (next && 'expire' in next) {
        entries.pop();
        await advance(step, { kind: 'advance', to: 'after-due', n: 0 }, next.expire);
        return;
      }
      option = next?.option;
    }
    if (!option) {
      const forward = s.kind === 'command' ? all : all.filter((o) => isForward(config, p.state, o));
      const options = forward.length > 0 ? forward : all;
      if (options.length === 0) return;
      option = options[(s.pick ?? 0) % options.length] as Option;
    }
    const def = option.defs[(forced?.def ?? s.seed) % option.defs.length] as TransitionDef;
    const listed = new Set(option.defs.flatMap((d) => d.roles));
    const roles =
      s.kind === 'wrong-role'
        ? Object.keys(config.roles).filter((r) => !listed.has(r) && !isSystemRole(config, r))
        : [...listed].filter((r) => !isSystemRole(config, r));
    if (roles.length === 0) return;
    const role = roles[s.actor % roles.length] as string;
    const actor = actorFor(role, def, p.data, p.readers ?? [], s.actor);
    const payload = payloadFor(compiled, def, p, actor, s.seed, today());
    // a designation is decided by the common superior of the bodies it names
    if (s.kind !== 'wrong-role' && hasGuard(def, 'commonSuperior') && Array.isArray(payload.bodies)) {
      const common = compiled.units.commonSuperior(payload.bodies.map(String));
      if (common !== undefined && s.actor % 7 !== 6) actor.unit = common;
    }
    Object.assign(entry, { command: option.type, actor, payload });
    const before = await snapshot(current);
    try {
      const r = await engine.send(current, { type: option.type, payload }, actor);
      remember(current, r.version, r.state);
      rememberUnit(current, r.version, r.responsibleUnit);
      Object.assign(entry, { outcome: 'ok', to: r.state });
    } catch (e) {
      Object.assign(entry, refusal(e), { unchanged: (await snapshot(current)) === before });
    }
  }

  async function wrongCommand(step: number, s: Extract<CheckStep, { kind: 'wrong-command' }>): Promise<void> {
    const entry: TraceEntry = { step, kind: s.kind, at: now(), date: today(), outcome: 'skipped' };
    entries.push(entry);
    if (current === undefined) return;
    const p = await store.getCase(current);
    if (!p) return;
    const here = new Set(Object.keys(config.process.states[p.state]?.on ?? {}));
    const elsewhere = [
      ...new Set(
        Object.values(config.process.states).flatMap((st) =>
          Object.keys(st.on ?? {}).filter((t) => !here.has(t) && !isExpiry(t)),
        ),
      ),
    ];
    const type =
      s.pick % 4 === 0 || elsewhere.length === 0
        ? 'NO_SUCH_COMMAND'
        : (elsewhere[s.pick % elsewhere.length] as string);
    const people = Object.keys(config.roles).filter((r) => !isSystemRole(config, r));
    const role = people[s.seed % people.length] as string;
    const actor: ActorRef = config.roles[role]?.petitioner
      ? { id: PETITIONER_ID, role }
      : { id: `${role}-0`, role, unit: p.responsibleUnit ?? (units[0] as string) };
    Object.assign(entry, { caseId: current, from: p.state, command: type, actor, payload: {} });
    const before = await snapshot(current);
    try {
      const r = await engine.send(current, { type, payload: {} }, actor);
      remember(current, r.version, r.state);
      rememberUnit(current, r.version, r.responsibleUnit);
      Object.assign(entry, { outcome: 'ok', to: r.state });
    } catch (e) {
      Object.assign(entry, refusal(e), { unchanged: (await snapshot(current)) === before });
    }
  }

  async function advance(
    step: number,
    s: Extract<CheckStep, { kind: 'advance' }>,
    deadline?: string,
  ): Promise<void> {
    const target = await targetOf(s, deadline);
    const entry: TraceEntry = { step, kind: 'advance', at: now(), date: today(), outcome: 'skipped' };
    entries.push(entry);
    if (target === undefined || target <= now() || target > limit) return;
    clock.set(target);
    Object.assign(entry, { at: target, date: today(), outcome: 'ok' });
    try {
      const fired = await engine.tick(clock.now());
      lastTick = target;
      for (const f of fired) remember(f.caseId, f.seq, f.state);
      entry.fired = fired.map((f) => `${f.caseId}/${f.deadlineId} -> ${f.state}`);
    } catch (e) {
      Object.assign(entry, refusal(e));
    }
  }

  async function targetOf(
    s: Extract<CheckStep, { kind: 'advance' }>,
    deadline?: string,
  ): Promise<string | undefined> {
    const t = clock.now().getTime();
    switch (s.to) {
      case 'hours':
        return new Date(t + s.n * 3_600_000).toISOString();
      case 'days':
        return new Date(t + s.n * 86_400_000).toISOString();
      case 'weekend':
      case 'holiday': {
        let d = today();
        for (let i = 0; i < 400; i++) {
          d = addCivilDays(d, 1);
          if (!calendar.covers(d)) return undefined;
          const info = calendar.dayInfo(d);
          if (s.to === 'weekend' ? info.reason === 'weekend' : info.reason === 'holiday')
            return instantAt(d, `${String(8 + (s.n % 10)).padStart(2, '0')}:30`, zone);
        }
        return undefined;
      }
      case 'last-day':
      case 'after-due': {
        if (current === undefined) return undefined;
        const running = (await store.deadlines(current))
          .filter((r) => r.status === 'running' && (deadline === undefined || r.deadlineId === deadline))
          .sort((a, b) => (a.dueAt < b.dueAt ? -1 : 1));
        const row = running[s.n % Math.max(1, running.length)];
        if (!row) return undefined;
        if (s.to === 'after-due') return new Date(Date.parse(row.dueAt) + 60_000).toISOString();
        return instantAt(row.dueDate, '15:00', zone);
      }
    }
  }

  /** Structural: toward `goal` until the case is there, no way leads on, or it stops moving. */
  async function reach(step: number, goal: string): Promise<void> {
    // a refused step (a guard this payload did not meet) is tried again by others with other
    // payloads, and now and then by staff of another unit that reads the case (actor 6: where
    // the authority the config names is not a body the case reaches); five in a row without
    // progress end it
    let stuck = 0;
    for (let i = 0; i < goals.length * 4 && stuck < 5; i++) {
      if (current === undefined) return;
      const p = await store.getCase(current);
      if (!p || p.state === goal) return;
      const version = p.version;
      await command(step, { kind: 'toward', actor: (stuck * 3) % 14, seed: 101 * i + 7 }, { goal });
      stuck = (await store.getCase(current))?.version === version ? stuck + 1 : 0;
    }
  }

  /**
   * Structural: the event `type` in `from`, tried by a few actors with a few payloads. A case
   * whose duty clock the engine holds stopped (an open pause) first waits there longer than any
   * statutory period, so a stop the law does not give (anything but the hearing's own days,
   * Reg. 36 ¶2) shows as a period run past its end; a clock stopped lawfully loses nothing by it.
   */
  async function take(step: number, s: Extract<CheckStep, { kind: 'take' }>): Promise<void> {
    const entry = compiled.table.entry(s.from, s.type);
    if (!entry || current === undefined) return;
    const stopped = (await store.deadlines(current)).some((r) => r.kind === 'duty' && r.status === 'paused');
    if (stopped && (await store.getCase(current))?.state === s.from)
      await advance(step, { kind: 'advance', to: 'days', n: LONGEST_WAIT_DAYS });
    for (let attempt = 0; attempt < 4; attempt++) {
      const p = await store.getCase(current);
      if (!p || p.state !== s.from) return;
      const window = entry.expiry ?? entry.alternatives[s.index]?.within;
      const running = (await store.deadlines(current)).some(
        (r) => r.deadlineId === window && r.status === 'running',
      );
      // a window that has not started yet (a review window starts at the receipt): its opener first
      const opener = optionsOf(compiled.table, s.from).find((o) =>
        o.defs.some((d) => d.to === undefined && window !== undefined && d.starts?.includes(window)),
      );
      if (window !== undefined && !running && opener) {
        await command(
          step,
          { kind: 'forward', pick: 0, actor: attempt, seed: 31 * attempt + 1 },
          { option: opener },
        );
        continue;
      }
      if (entry.expiry !== undefined) {
        await advance(step, { kind: 'advance', to: 'after-due', n: 0 }, entry.expiry);
        return;
      }
      const option: Option = { type: entry.type, defs: entry.alternatives };
      // actors 0-3 are never the deliberate "someone of another unit" (pick % 7 === 6)
      await command(
        step,
        { kind: 'forward', pick: 0, actor: attempt, seed: 7919 * attempt + s.index },
        {
          option,
          def: s.index,
        },
      );
      if (entries.at(-1)?.outcome === 'ok') return;
    }
  }

  /**
   * The redeploy: an engine given both versions (the new one latest, so new petitions start on
   * it) moves every open case by the plan, page by page, as `xinfang migrate` does.
   */
  async function migrate(step: number, move: CheckPlan): Promise<void> {
    const entry: TraceEntry = { step, kind: 'migrate', at: now(), date: today(), outcome: 'ok' };
    entries.push(entry);
    const toTemplates = mergedTemplates(options.templates, move.templates);
    engine = engineOf([config, move.to], toTemplates);
    const moved: string[] = [];
    const left: string[] = [];
    try {
      let after: string | undefined;
      do {
        const r = await engine.migrate(move.plan, { limit: 50, ...(after ? { after } : {}) });
        for (const m of r.moved) {
          if (m.seq !== undefined) remember(m.caseId, m.seq, m.state.to);
          const periods = m.deadlines.map(
            (d) =>
              `${d.from === d.deadline ? d.deadline : `${d.from} as ${d.deadline}`} ${d.rule}: due ${d.dueBefore} -> ${d.dueAfter}`,
          );
          const owed = m.documents.length > 0 ? [`owes ${m.documents.join(', ')}`] : [];
          moved.push(
            `${m.caseId}: ${m.state.from} -> ${m.state.to}${[...periods, ...owed].map((x) => `; ${x}`).join('')}`,
          );
        }
        for (const l of r.left) left.push(`${l.caseId}: ${l.reason} (${l.message})`);
        after = r.next;
      } while (after !== undefined);
    } catch (e) {
      Object.assign(entry, refusal(e));
    }
    entry.migration = { plan: move.plan.id, moved, left };
    config = move.to;
    compiled = compileConfig(move.to, move.plan.to);
    byHash.set(compiled.hash, compiled);
    units = activeUnits(config);
    goals = Object.keys(config.process.states);
  }

  await submit(-1);
  for (const [i, step] of scenario.steps.entries()) {
    if (options.plan && i === migrateAt) await migrate(i, options.plan);
    if (step.kind === 'advance') await advance(i, step);
    else if (step.kind === 'resubmit') await submit(i, step.vary);
    else if (step.kind === 'wrong-command') await wrongCommand(i, step);
    else if (step.kind === 'reach') await reach(i, step.goal);
    else if (step.kind === 'take') await take(i, step);
    else await command(i, step);
  }
  if (options.plan && migrateAt === scenario.steps.length) await migrate(migrateAt, options.plan);

  const traced: TracedCase[] = [];
  for (const caseId of cases) traced.push(await collect(caseId));
  return {
    config: options.config,
    ...(options.plan ? { versions: [options.config, options.plan.to] } : {}),
    calendar,
    ownCalendar,
    zone,
    scenario,
    entries,
    cases: traced,
    end: now(),
    lastTick,
  };

  async function collect(caseId: string): Promise<TracedCase> {
    const [events, projection, deadlines, outbox, verified] = await Promise.all([
      store.events(caseId),
      store.getCase(caseId) as Promise<CaseProjection>,
      store.deadlines(caseId),
      store.outbox({ caseId }),
      engine.verify(caseId),
    ]);
    const states = stateAt.get(caseId) ?? new Map<number, string>();
    const unitsBySeq = unitAt.get(caseId) ?? new Map<number, string>();
    let before: string | undefined;
    let beforeStage: string | undefined;
    let unit: string | undefined;
    const out: TracedEvent[] = [];
    for (const e of events) {
      // a batch of several fired deadlines reports the state after each; a seq the driver did
      // not see (none today) keeps the state it found
      const state = states.get(e.seq) ?? before ?? projection.state;
      // the clock moves no case to another body: an expiry keeps the unit it found
      unit = unitsBySeq.get(e.seq) ?? unit;
      const made = byHash.get(e.configHash) ?? compiled;
      out.push({
        ...e,
        ...(before !== undefined ? { before, beforeStage: beforeStage ?? '' } : {}),
        state,
        stage: made.stageOf(state) ?? '',
        ...(unit !== undefined ? { unit } : {}),
        ...(options.plan ? { config: made.config } : {}),
      });
      before = state;
      beforeStage = made.stageOf(state);
    }
    const accused = accusedUnitOf(config, projection.data.petition);
    let accusedView: string | undefined;
    if (accused !== undefined) {
      const viewer: ActorRef = { id: 'accused-1', role: staffRoleSeeingAccusations(config), unit: accused };
      // what the accused unit's staff can read through the engine: the engine scopes reads, so
      // a case they may not read is CASE_NOT_FOUND to them, and they see nothing of it
      try {
        accusedView = JSON.stringify([
          await engine.get(caseId, viewer),
          await engine.history(caseId, viewer),
        ]);
      } catch (e) {
        if (!isXinfangError(e) || e.code !== 'CASE_NOT_FOUND') throw e;
        accusedView = '';
      }
    }
    return {
      caseId,
      events: out,
      projection,
      deadlines,
      outbox,
      ...(accusedView !== undefined ? { accusedView } : {}),
      verified: {
        ok: verified.ok,
        problems: verified.problems.map((p) => `${p.code} at ${p.seq}: ${p.message}`),
      },
    };
  }
}

/**
 * The same matter submitted again, different on its face: received today rather than on the
 * first day (bit 0), by another channel the form allows (bit 1), its request and summary with
 * other spacing or full-width letters and digits (bit 2).
 */
function resubmission(
  config: JurisdictionConfig,
  petition: Record<string, unknown>,
  vary: number,
  today: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...petition };
  const props = (config.form.schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  if (vary & 1 && 'receivedAt' in props) out.receivedAt = today;
  const channels = props.channel?.enum;
  if (vary & 2 && Array.isArray(channels) && channels.length > 1) {
    const others = channels.filter((c) => c !== petition.channel);
    out.channel = others[vary % others.length];
  }
  if (vary & 4)
    for (const k of ['request', 'summary'])
      if (typeof out[k] === 'string')
        out[k] =
          `  ${(out[k] as string).replace(/[0-9A-Za-z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0))} `;
  return out;
}

/** The templates of both versions: the new one's for its documents, the old one's for the rest. */
function mergedTemplates(
  from: TemplatePaths | undefined,
  to: TemplatePaths | undefined,
): TemplatePaths | undefined {
  if (!from || !to) return to ?? from;
  if (typeof from === 'function' || typeof to === 'function')
    return (config, id) =>
      (typeof to === 'function' ? to(config, id) : to[id]) ??
      (typeof from === 'function' ? from(config, id) : from[id]);
  return { ...from, ...to };
}

function hasGuard(def: TransitionDef, type: string): boolean {
  return guardsOf(def).some((g) => g.type === type);
}

const awaited = new WeakMap<TransitionDef, Record<string, unknown>>();

/**
 * The payload values other steps' `dataEquals` guards wait for in the decision this step records
 * (`decisions.<as>.<field>`), by field.
 */
function awaitedValues(config: JurisdictionConfig, def: TransitionDef): Record<string, unknown> {
  const known = awaited.get(def);
  if (known) return known;
  const as = new Set(
    (def.actions ?? []).flatMap((a) =>
      a.type === 'recordDecision' && typeof a.params?.as === 'string' ? [a.params.as] : [],
    ),
  );
  const values: Record<string, unknown> = {};
  if (as.size > 0)
    for (const state of Object.values(config.process.states))
      for (const entry of Object.values(state.on ?? {}))
        for (const g of (Array.isArray(entry) ? entry : [entry]).flatMap(guardsOf)) {
          const path = g.type === 'dataEquals' ? String(g.params?.path ?? '') : '';
          const [head, decision, field, ...rest] = path.split('.');
          if (head === 'decisions' && decision && as.has(decision) && field && rest.length === 0)
            values[field] = g.params?.value;
        }
  awaited.set(def, values);
  return values;
}

/** The step that records a group's representatives: its guard judges the command's own list. */
function recordsRepresentatives(def: TransitionDef): boolean {
  return guardsOf(def).some(
    (g) => g.type === 'representativesChosen' && g.params?.payloadField !== undefined,
  );
}

/** The acceptance rules ask the group to choose representatives, and none are recorded yet. */
function awaitsRepresentatives(p: CaseProjection): boolean {
  const rules = (p.data.rules ?? {}) as Record<string, { merged?: { requirement?: unknown } } | undefined>;
  const decisions = (p.data.decisions ?? {}) as Record<string, unknown>;
  return (
    rules.acceptance?.merged?.requirement === 'choose-representatives' &&
    decisions.representatives === undefined
  );
}

function petitionerRole(config: JurisdictionConfig): string {
  return Object.keys(config.roles).find((r) => config.roles[r]?.petitioner) ?? 'petitioner';
}

/** The role that registers petitions: the first of `submit.roles`, else `registrar`. */
function registrarRole(config: JurisdictionConfig): string {
  const declared = (config.submit as { roles?: unknown } | undefined)?.roles;
  return Array.isArray(declared) && declared.length > 0 ? String(declared[0]) : 'registrar';
}

/** A role allowed to see accusation material, so the redaction must come from the unit alone. */
function staffRoleSeeingAccusations(config: JurisdictionConfig): string {
  return config.form.visibleTo?.accusation?.[0] ?? 'handler';
}

/**
 * Whether a petition is an accusation: of kind `accusation`, or with a field filled that the
 * national baseline or the config names as accusation material.
 */
export function isAccusation(config: JurisdictionConfig, petition: unknown): boolean {
  const p = (petition ?? {}) as Record<string, unknown>;
  if (p.kind === 'accusation') return true;
  return [...ACCUSATION_FIELDS, ...(config.form.accusation ?? [])].some((f) => {
    const v = f.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], p);
    return v !== undefined && v !== null && v !== '';
  });
}

/** The accused unit of an accusation, if the registry knows it. */
export function accusedUnitOf(config: JurisdictionConfig, petition: unknown): string | undefined {
  const unit = ((petition ?? {}) as Record<string, unknown>).respondentUnit;
  return isAccusation(config, petition) && typeof unit === 'string' && config.units[unit] !== undefined
    ? unit
    : undefined;
}

/**
 * The accusation material of a petition (what must never reach the accused): the text of every
 * field but those the national baseline lists as safe (`ACCUSATION_SAFE_FIELDS`), so a field a
 * province adds and forgets to list under `form.accusation` is still material.
 */
export function accusationTextOf(config: JurisdictionConfig, petition: unknown): string[] {
  if (!isAccusation(config, petition)) return [];
  const out: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (ACCUSATION_SAFE_FIELDS.includes(path)) return;
    if (typeof v === 'string') {
      if (v.length >= 4) out.push(v);
    } else if (Array.isArray(v)) for (const x of v) walk(x, path);
    else if (v !== null && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
  };
  walk(petition, '');
  return out;
}

/**
 * A payload for a transition, from its JSON Schema properties and the case: units from the
 * registry (sometimes the accused one, so Reg. 30 is exercised), dates around today, periods
 * around the config's limit (sometimes over it, so the limit is exercised).
 */
function payloadFor(
  compiled: CompiledConfig,
  def: TransitionDef,
  p: CaseProjection,
  actor: ActorRef,
  seed: number,
  today: string,
): JsonObject {
  const { config } = compiled;
  const r = rng(seed);
  const props = (def.payload?.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set(def.payload?.required ?? []);
  // a dissolved unit is given nothing new (Reg. 24): its successor takes over what it holds
  const units = activeUnits(config);
  const petition = (p.data.petition ?? {}) as Record<string, unknown>;
  const out: JsonObject = {};
  for (const [name, schema] of Object.entries(props)) {
    if (!required.has(name) && r(3) === 0) continue;
    const value = valueFor(name, schema);
    if (value !== undefined) out[name] = value;
  }
  if (hasGuard(def, 'receptionDay')) Object.assign(out, receptionBooking(config, today, r));
  // bodies brought together (a joint reception, Reg. 18): mostly of the levels the guard names,
  // now and then whatever the list above drew, which the guard must refuse
  for (const g of guardsOf(def).filter((x) => x.type === 'unitsAtLevels'))
    if (r(4) !== 0) {
      const levels = Array.isArray(g.params?.levels) ? g.params.levels.map(String) : [];
      const fit = units.filter((u) => levels.includes(config.units[u]?.level ?? ''));
      const first = fit[r(Math.max(1, fit.length))];
      const second = fit.find((u) => u !== first);
      if (first !== undefined && second !== undefined)
        out[String(g.params?.field ?? 'units')] = [first, second];
    }
  // mostly the values another step waits for in what this one records (conduct recorded as
  // serious, so that handing it to the police can be taken), now and then not
  for (const [field, value] of Object.entries(awaitedValues(config, def)))
    if (r(4) !== 0) out[field] = value as JsonObject[string];
  return out;

  function unitChoice(): string {
    const accused = petition.respondentUnit;
    if (typeof accused === 'string' && config.units[accused] && r(4) === 0) return accused;
    const subject = petition.subject;
    const competent = units.filter((u) => config.units[u]?.competence?.includes(String(subject)));
    if (competent.length > 0 && r(2) === 0) return competent[r(competent.length)] as string;
    const below = units.filter((u) => config.units[u]?.parent === (actor.unit ?? p.responsibleUnit));
    if (below.length > 0 && r(2) === 0) return below[r(below.length)] as string;
    return units[r(units.length)] as string;
  }

  /**
   * The body a review or re-examination request names (Reg. 35-36): mostly one of the lawful
   * choices (by kind or by id), now and then any unit of the registry, which must be refused.
   */
  function ladderChoice(): string {
    const guard = (Array.isArray(def.guard) ? def.guard : def.guard ? [def.guard] : []).find(
      (g) => g.type === 'lawfulLadderBody',
    );
    const decisions = (p.data.decisions ?? {}) as Record<string, { unit?: unknown } | undefined>;
    const decided = decisions[String(guard?.params?.of)]?.unit;
    const lawful = typeof decided === 'string' ? compiled.units.ladder(decided) : {};
    const kinds = (['government', 'line'] as const).filter((k) => lawful[k] !== undefined);
    const options = [...kinds, lawful.government, lawful.line].filter((x): x is string => x !== undefined);
    return r(10) === 0 ? (units[r(units.length)] as string) : (options[r(options.length)] as string);
  }

  function valueFor(name: string, schema: Record<string, unknown>): JsonObject[string] | undefined {
    if (Array.isArray(schema.enum)) return schema.enum[r(schema.enum.length)] as string;
    if ('const' in schema) return schema.const as JsonObject[string];
    // a reference still to resolve (RESOLVE_REFERENCE): one the case has, now and then none
    if (name === 'path') {
      const open = unresolvedReferences(config, compiled.units, petition).map((x) => x.path);
      return open.length > 0 && r(5) !== 0 ? (open[r(open.length)] as string) : 'respondentUnit';
    }
    if (name === 'staffId') return 'staff-accused';
    if (schema.type === 'boolean') return r(2) === 0;
    if (schema.type === 'integer' || schema.type === 'number') {
      const max = name === 'days' ? periodLimit(config, def) : 30;
      // now and then one day over the limit: the engine must refuse it
      return r(6) === 0 ? max + 1 : 1 + r(Math.max(1, max));
    }
    const items = schema.items as { type?: unknown; properties?: Record<string, Record<string, unknown>> };
    if (schema.type === 'array' && items?.type === 'object') {
      // a list of records (an opinion's legal basis: laws and articles): one, each field filled;
      // a list whose records are of kinds (an agreement's parties: petitioner, other side): one of each
      const entries = Object.entries(items.properties ?? {});
      const kinds = entries.find(([, sub]) => Array.isArray(sub.enum))?.[0];
      const record = (fixed?: [string, unknown]): JsonObject => {
        const item: JsonObject = {};
        for (const [key, sub] of entries) {
          const v = key === fixed?.[0] ? (fixed[1] as string) : valueFor(key, sub);
          if (v !== undefined) item[key] = v;
        }
        return item;
      };
      const values = kinds ? ((items.properties?.[kinds]?.enum as unknown[]) ?? []) : [];
      return values.length > 0 ? values.map((v) => record([kinds as string, v])) : [record()];
    }
    if (schema.type === 'array' && Array.isArray((items as { enum?: unknown })?.enum)) {
      // a list of kinds (the conduct a record names, the bodies a report goes to): one or two of them
      const kinds = (items as { enum: string[] }).enum;
      const first = r(kinds.length);
      const second = r(kinds.length);
      return first === second ? [kinds[first] as string] : [kinds[first] as string, kinds[second] as string];
    }
    if (schema.type === 'array') {
      const parent = units.filter((u) => units.filter((v) => config.units[v]?.parent === u).length >= 2);
      const top = parent[r(Math.max(1, parent.length))];
      const kids = units.filter((v) => config.units[v]?.parent === top);
      const a = kids[r(Math.max(1, kids.length))];
      const b = kids.find((k) => k !== a);
      const list = [a, b].filter((x): x is string => x !== undefined);
      if (list.length >= 2) {
        out.unit = list[r(2)] as string;
        return list;
      }
      return [units[0] as string, units[1] as string];
    }
    if (schema.type === 'string') {
      // a hearing's days (Reg. 36): today, so that the run can record it held and go on
      if (schema.format === 'date' && hasGuard(def, 'datesAhead')) return today;
      if (schema.format === 'date') {
        // a receipt dated from today back a few days, never before the case's last step
        const d = addCivilDays(today, -r(4));
        return d < civilDate(p.updatedAt, config.jurisdiction.timezone) ? today : d;
      }
      if (name === 'body' && hasGuard(def, 'lawfulLadderBody')) return ladderChoice();
      if (name === 'unit' || name === 'body' || name === 'goTo')
        return out.unit === undefined ? unitChoice() : (out.unit as string);
      if (name === 'priorCase') return p.caseId;
      return `${name} ${seed % 97}`;
    }
    return undefined;
  }
}

/** A booking onto one of the config's reception days, today or later (the guard judges the unit). */
function receptionBooking(
  config: JurisdictionConfig,
  today: string,
  r: (n: number) => number,
): { date: string; leader: string } | undefined {
  const days = Object.values(config.receptionDays ?? {});
  const day = days[r(Math.max(1, days.length))];
  if (!day) return undefined;
  const dates = (day.dates ?? []).filter((d) => d >= today);
  if (dates.length > 0) return { date: dates[0] as string, leader: day.leader };
  for (let i = 0; i < 7 && (day.weekdays?.length ?? 0) > 0; i++) {
    const date = addCivilDays(today, i);
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay() || 7;
    if (day.weekdays?.includes(weekday)) return { date, leader: day.leader };
  }
  return undefined;
}

/** The longest period a payload `days` may set: an extension's maxDays, or a settable deadline's days. */
function periodLimit(config: JurisdictionConfig, def: TransitionDef): number {
  if (def.extends) return config.deadlines[def.extends]?.extension?.maxDays ?? 30;
  const settable = (def.starts ?? []).map((d) => config.deadlines[d]).find((d) => d?.settable);
  return settable?.days ?? 30;
}
