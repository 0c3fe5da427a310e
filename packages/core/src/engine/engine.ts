/**
 * The engine: commands from people and the clock become hash-chained events, folded by the
 * compiled machine of the config version each case pinned, written with their deadline and
 * outbox rows in one store append.
 *
 * Writes follow one path (`commit`): load the case, run the machine, settle the effects into
 * rows, chain and store the event with optimistic concurrency. Every refusal is thrown before
 * anything is written.
 */

import { type Calendar, civilDate, findCalendar, instantAt, localCalendar } from '../calendar/index.js';
import { checkCommand, DECLARE_INTEREST, isPetitionerRole } from '../compiler/checks.js';
import { type CompiledConfig, compileConfig } from '../compiler/compile.js';
import { compact, toJson } from '../compiler/json.js';
import type { CaseData, CaseInput, MachineEvent } from '../compiler/types.js';
import { configHash } from '../config/hash.js';
import { closest } from '../config/suggest.js';
import type { JurisdictionConfig } from '../config/types.js';
import { type ReceiptDate, receiptCommand } from '../delivery/receipt.js';
import type { DocumentIssuer } from '../documents/issue.js';
import { identityKey as identityKeyOf, matterKey as matterKeyOf, noticeOwed } from '../rules/index.js';
import type { Decision, RuleFacts } from '../rules/types.js';
import { ConcurrencyError, IdempotencyConflictError } from '../store/errors.js';
import type {
  ActorRef,
  CaseEvent,
  CaseProjection,
  CaseQuery,
  CaseStore,
  DeadlineRow,
  JsonObject,
  OutboxRow,
} from '../store/types.js';
import type { Clock } from './clock.js';
import { recomputeRow, requestOf, type SettledEffects, settleEffects } from './effects.js';
import {
  ActorInvalidError,
  CaseNotFoundError,
  ConfigVersionUnknownError,
  JurisdictionUnknownError,
  PetitionInvalidError,
  TransitionError,
} from './errors.js';
import {
  type CaseState,
  caseStateOf,
  DEADLINE_EXPIRED,
  DEADLINE_MOVED,
  type DeadlineRecord,
  initialStep,
  machineStep,
  projectionOf,
  replayEvent,
  type Step,
  SUBMITTED,
  settle,
} from './fold.js';
import { eventHash, sha256Canonical } from './hash.js';
import { type CaseView, type EventView, redactEvent, redactProjection } from './redact.js';
import {
  asDecisions,
  evaluateStep,
  priorCasesOf,
  type RuleStepInput,
  ruleSetsAt,
  stepFacts,
} from './rules.js';
import { compareProjections, type VerifyResult, verifyChain } from './verify.js';

/** Where a rule step runs and which rule sets apply there (what the `decide` hook is told). */
export interface DecideTrigger {
  kind: 'submit' | 'send';
  /** `SUBMITTED` or the command's event type. */
  type: string;
  ruleSets: string[];
  jurisdiction: string;
  /** Send only: a new case draws its number after its rules ran, so a refusal consumes none. */
  caseId?: string;
  /** Send only: the state the command was sent in. */
  state?: string;
}

/** What the `decide` hook sees of a step. */
export interface DecideFacts {
  petition: JsonObject;
  /** The command's payload (send). */
  payload?: JsonObject;
  /** The case data before the step (send). */
  data?: JsonObject;
  /** The facts the config's rules were evaluated on (`FACT_NAMES`, and earlier sets' outcomes). */
  facts: RuleFacts;
  /** The decisions of the config's rule sets for this step, before the hook. */
  decisions: Record<string, Decision>;
}

/**
 * Decisions by rule-set id that replace or add to the config's own for the step: a `Decision`,
 * or a bare outcome (recorded as a decision with no fired rule). Undefined keeps the config's.
 */
export type DecideHook = (
  trigger: DecideTrigger,
  facts: DecideFacts,
) =>
  | Promise<Record<string, Decision | JsonObject> | undefined>
  | Record<string, Decision | JsonObject>
  | undefined;

/** Options of `createEngine`. */
export interface EngineOptions {
  /** Resolved configs; several jurisdictions and versions may be loaded. New cases use the last of each id. */
  configs: JurisdictionConfig[];
  store: CaseStore;
  clock: Clock;
  /** Calendars by id (`loadCalendarDir`), or a list. Each config's `jurisdiction.calendar` must be here. */
  calendars: ReadonlyMap<string, Calendar> | Calendar[];
  /** Called after each successful append, once per event. Errors it throws are ignored. */
  onEvent?: (event: CaseEvent, projection: CaseProjection) => void;
  /**
   * Overrides or extends the config's rule decisions. The engine evaluates the config's rule
   * sets itself (json-rules-engine) before each step they apply to; this hook, when given, is
   * called after them at those steps only, and its decisions win.
   */
  decide?: DecideHook;
  /** Lease owner for deadline claims (a process id). @default 'xinfang-engine' */
  owner?: string;
  /** Lease length for deadline claims. @default 60000 */
  leaseMs?: number;
  /** Case id of a new case. @default `XF-<year>-<seq, 6 digits>` (with the jurisdiction when several are loaded) */
  formatCaseId?: (info: { jurisdiction: string; year: string; seq: number }) => string;
  /**
   * Issues (renders, numbers, seals) each document a step owes before the step is appended; the
   * document's outbox row then carries the sealed text, and the event pins its number and content
   * hash. Absent: document rows carry only what to issue, for the embedder to render.
   *
   * A number is drawn before the append: a step retried after a concurrent write draws a new one,
   * leaving a gap in the sequence (numbers are never reused).
   */
  documents?: DocumentIssuer;
}

/** Options of `submit`. */
export interface SubmitOptions {
  /** Jurisdiction id (needed when several are loaded). */
  jurisdiction?: string;
  /** A retry with the same key returns the first result and writes nothing. */
  idempotencyKey?: string;
  /** The petitioner's own account id, when staff register for a known account. */
  petitionerId?: string;
}

/** Options of `send`. */
export interface SendOptions {
  idempotencyKey?: string;
  /** Refuse (ConcurrencyError) unless the case is at this version. */
  expectedVersion?: number;
}

/** A command as sent. */
export interface Command {
  type: string;
  /** Plain JSON: it is stored in the event. */
  payload?: Record<string, unknown>;
}

/** What `submit` and `send` return (and what a repeated idempotency key returns again). */
export interface CommandResult {
  caseId: string;
  version: number;
  state: string;
  stage: string;
  colour: string;
  /** Also `responsibleUnit`: the unit responsible after the command (a transfer moves it), when the case has one. */
  [key: string]: string | number;
}

/** A deadline `tick` found expired. */
export interface FiredDeadline {
  caseId: string;
  deadlineId: string;
  row: string;
  kind: 'duty' | 'window';
  seq: number;
  state: string;
}

/** A due date a new calendar version moved (or confirmed, clearing the provisional mark). */
export interface MovedDeadline {
  caseId: string;
  deadlineId: string;
  row: string;
  from: { dueDate: string; provisional: boolean };
  to: { dueDate: string; provisional: boolean };
  seq: number;
}

/** The outbox channel of a pending receipt: a deemed receipt date still ahead (see `recordReceipt`). */
export const RECEIPT_CHANNEL = 'receipt';

/**
 * What `recordReceipt` did: `recorded` the `RECEIPT` command; `scheduled` a pending receipt for a
 * deemed date still ahead; `awaiting-proof` (the channel has no rule and the receiver proved no
 * date); `not-owed` (the document starts no window, or the case has moved on or has its receipt).
 */
export type ReceiptOutcome = 'recorded' | 'scheduled' | 'awaiting-proof' | 'not-owed';

/** The engine's API. */
export interface Engine {
  /**
   * Records the receipt (送达) of a delivered document whose receipt starts a window (Reg.
   * 35-36: the handling and review opinions), as the system actor. A receipt dated in the future
   * (post: deemed 7 days after posting) is kept as a pending outbox row on channel
   * `RECEIPT_CHANNEL`, due on that date, which the dispatcher hands back here: durable, never
   * an in-memory timer. Repeats (at-least-once delivery) record once.
   */
  recordReceipt(
    document: Pick<OutboxRow, 'id' | 'caseId' | 'seq' | 'payload'>,
    receipt: ReceiptDate,
  ): Promise<ReceiptOutcome>;
  submit(petition: Record<string, unknown>, actor: ActorRef, options?: SubmitOptions): Promise<CommandResult>;
  send(caseId: string, command: Command, actor: ActorRef, options?: SendOptions): Promise<CommandResult>;
  tick(now?: Date | string, options?: { limit?: number }): Promise<FiredDeadline[]>;
  get(caseId: string, viewer: ActorRef): Promise<CaseView>;
  history(caseId: string, viewer: ActorRef): Promise<EventView[]>;
  query(q: CaseQuery, viewer: ActorRef): Promise<CaseView[]>;
  replay(caseId: string): Promise<CaseProjection>;
  verify(caseId: string): Promise<VerifyResult>;
  allowedCommands(caseId: string, actor: ActorRef): Promise<string[]>;
  applyCalendar(calendar: Calendar): Promise<MovedDeadline[]>;
}

const CLOCK_ACTOR = (owner: string): ActorRef => ({ id: owner, role: 'system' });
const RETRIES = 5;

/** Creates an engine over a store. Configs are stored by hash on first use. */
export function createEngine(options: EngineOptions): Engine {
  const { store, clock } = options;
  const owner = options.owner ?? 'xinfang-engine';
  const leaseMs = options.leaseMs ?? 60_000;
  const calendars = new Map<string, Calendar>(
    options.calendars instanceof Map
      ? options.calendars
      : (options.calendars as Calendar[]).map((c) => [c.id, c]),
  );
  const byHash = new Map<string, CompiledConfig>();
  const latest = new Map<string, CompiledConfig>();
  for (const config of options.configs) {
    const compiled = compileConfig(config, configHash(config));
    // a local day off the calendar cannot take (a date outside its years) is refused here, not mid-case
    localCalendar(findCalendar(calendars, config.jurisdiction.calendar), config.jurisdiction);
    byHash.set(compiled.hash, compiled);
    latest.set(config.jurisdiction.id, compiled);
  }
  const jurisdictions = [...latest.keys()];
  const formatCaseId =
    options.formatCaseId ??
    (({ jurisdiction, year, seq }) => {
      const n = String(seq).padStart(6, '0');
      if (jurisdictions.length <= 1) return `XF-${year}-${n}`;
      return `XF-${(jurisdiction.split('.').at(-1) ?? jurisdiction).toUpperCase()}-${year}-${n}`;
    });
  const stored = new Set<string>();
  const putConfig = async (c: CompiledConfig) => {
    if (stored.has(c.hash)) return;
    await store.putConfig(c.hash, c.config as unknown as JsonObject);
    stored.add(c.hash);
  };

  const nowIso = () => clock.now().toISOString();
  // the shared calendar plus the jurisdiction's own days off (derived once per calendar)
  const calendarOf = (c: CompiledConfig) =>
    localCalendar(findCalendar(calendars, c.config.jurisdiction.calendar), c.config.jurisdiction);

  async function compiledFor(hash: string, caseId?: string): Promise<CompiledConfig> {
    const hit = byHash.get(hash);
    if (hit) return hit;
    const config = await store.getConfig(hash);
    if (!config) throw new ConfigVersionUnknownError(hash, caseId);
    const compiled = compileConfig(config as unknown as JurisdictionConfig, hash);
    byHash.set(hash, compiled);
    return compiled;
  }

  async function load(caseId: string): Promise<{ projection: CaseProjection; compiled: CompiledConfig }> {
    const projection = await store.getCase(caseId);
    if (!projection) throw new CaseNotFoundError(caseId);
    return { projection, compiled: await compiledFor(projection.configHash, caseId) };
  }

  function checkActor(compiled: CompiledConfig, actor: ActorRef): void {
    if (!actor || typeof actor.id !== 'string' || actor.id === '' || typeof actor.role !== 'string') {
      throw new ActorInvalidError('an actor needs an id and a role', actor);
    }
    const role = compiled.config.roles[actor.role];
    if (!role) {
      throw new ActorInvalidError(
        `role ${actor.role} is not a role of ${compiled.config.jurisdiction.id} (roles: ${Object.keys(compiled.config.roles).join(', ')})`,
        actor,
      );
    }
    if (!role.petitioner && !role.system && (actor.unit === undefined || !compiled.units.has(actor.unit))) {
      throw new ActorInvalidError(
        `staff actor ${actor.id} must act for a unit of the registry (got ${actor.unit ?? 'none'})`,
        actor,
      );
    }
  }

  /**
   * The rule step (see `rules.ts`): evaluates the rule sets `ids` that apply to the step, then
   * lets the `decide` hook replace or add decisions. Undefined when no rule set applies. A
   * `unique` set with two matches throws RULE_CONFLICT here, before anything is written.
   */
  async function decide(
    compiled: CompiledConfig,
    trigger: Omit<DecideTrigger, 'ruleSets' | 'jurisdiction'>,
    ids: string[],
    step: RuleStepInput,
    facts: RuleFacts,
    seen: Omit<DecideFacts, 'facts' | 'decisions'>,
  ): Promise<Record<string, Decision> | undefined> {
    if (ids.length === 0) return undefined;
    let out = await evaluateStep(step, ids, facts);
    if (options.decide) {
      const given = await options.decide(
        { ...trigger, ruleSets: ids, jurisdiction: compiled.config.jurisdiction.id },
        { ...seen, facts, decisions: out },
      );
      out = { ...out, ...asDecisions(compiled.config, given) };
    }
    return Object.keys(out).length > 0 ? toJson(out) : undefined;
  }

  async function idempotent(
    key: string | undefined,
    fingerprint: string,
  ): Promise<CommandResult | undefined> {
    if (key === undefined) return undefined;
    const record = await store.getIdempotency(key);
    if (!record) return undefined;
    if (record.fingerprint !== fingerprint) {
      throw new IdempotencyConflictError({
        key,
        caseId: record.caseId,
        fingerprint,
        storedFingerprint: record.fingerprint,
      });
    }
    return record.result as CommandResult;
  }

  function resultOf(p: CaseProjection): CommandResult {
    return {
      caseId: p.caseId,
      version: p.version,
      state: p.state,
      stage: p.stage,
      colour: p.colour,
      ...(p.responsibleUnit !== undefined ? { responsibleUnit: p.responsibleUnit } : {}),
    };
  }

  function notify(events: CaseEvent[], projection: CaseProjection): void {
    if (!options.onEvent) return;
    for (const e of events) {
      try {
        options.onEvent(e, projection);
      } catch {
        // An observer's failure must not make a committed command look refused.
      }
    }
  }

  /** Chains an event onto the previous one and hashes it. */
  function chain(
    compiled: CompiledConfig,
    caseId: string,
    seq: number,
    prevHash: string,
    type: string,
    at: string,
    actor: ActorRef,
    payload: JsonObject,
  ): CaseEvent {
    const body = toJson({
      caseId,
      seq,
      type,
      at,
      actor: compact({ id: actor.id, role: actor.role, unit: actor.unit, name: actor.name }),
      payload,
      configId: compiled.config.jurisdiction.id,
      configVersion: compiled.config.jurisdiction.version,
      configHash: compiled.hash,
      calendarVersion: calendarOf(compiled).version,
      prevHash,
    }) as unknown as Omit<CaseEvent, 'hash'>;
    return { ...body, hash: eventHash(body) };
  }

  /**
   * One pending step of a batch: settles the step's effects into rows, makes the event (with
   * what was computed) and the settled state.
   */
  async function makeEvent(
    compiled: CompiledConfig,
    caseId: string,
    prev: { state?: CaseState; seq: number; hash: string },
    step: Step,
    type: string,
    at: string,
    actor: ActorRef,
    payload: JsonObject,
    rows: Map<string, DeadlineRow>,
    loadRows: () => Promise<DeadlineRow[]>,
  ) {
    const seq = prev.seq + 1;
    const command = (payload.command as JsonObject | undefined) ?? {};
    const settled = await settleEffects(
      {
        compiled,
        calendar: calendarOf(compiled),
        caseId,
        seq,
        type,
        at,
        before: prev.state?.context.data,
        after: step.context.data,
        payload: command,
        issuer: actor.unit ?? step.context.data.responsibleUnit,
        loadRows: async () => {
          const base = await loadRows();
          return base.map((r) => rows.get(r.id) ?? r);
        },
      },
      step.effects,
    );
    for (const r of settled.rows) rows.set(r.id, r);
    const state = settle(step, settled.records);
    const documents = options.documents
      ? await issueDocuments(compiled, settled, state, prev.state, actor)
      : settled.documents;
    const full: JsonObject = {
      ...payload,
      deadlines: settled.records as unknown as JsonObject[],
      documents,
      ...(settled.notifications.length ? { notifications: settled.notifications } : {}),
    };
    const event = chain(compiled, caseId, seq, prev.hash, type, at, actor, full);
    return { event, state, outbox: settled.outbox };
  }

  /**
   * Issues each document row of a step (the row's payload becomes the sealed document) and
   * returns the event's documents list with each issued one's number and content hash, so the
   * hash-chained log pins exactly what was sent.
   */
  async function issueDocuments(
    compiled: CompiledConfig,
    settled: SettledEffects,
    state: CaseState,
    before: CaseState | undefined,
    actor: ActorRef,
  ): Promise<JsonObject[]> {
    const issuer = options.documents as DocumentIssuer;
    const pinned = new Map<string, JsonObject>();
    for (const row of settled.outbox) {
      if (row.kind !== 'document') continue;
      row.payload = await issuer.issueRow(row, {
        config: compiled.config,
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

  async function commitBatch(
    compiled: CompiledConfig,
    caseId: string,
    expectedVersion: number,
    events: CaseEvent[],
    state: CaseState,
    rows: Map<string, DeadlineRow>,
    outbox: OutboxRow[],
    idempotency?: { key: string; fingerprint: string },
  ): Promise<CaseProjection> {
    const last = events.at(-1) as CaseEvent;
    const projection = projectionOf(compiled, state, last);
    await store.append({
      caseId,
      expectedVersion,
      events,
      projection,
      deadlines: [...rows.values()],
      outbox,
      ...(idempotency ? { idempotency: { ...idempotency, caseId, result: resultOf(projection) } } : {}),
    });
    notify(events, projection);
    return projection;
  }

  function chooseConfig(jurisdiction: string | undefined): CompiledConfig {
    if (jurisdiction === undefined) {
      if (latest.size === 1) return [...latest.values()][0] as CompiledConfig;
      throw new JurisdictionUnknownError(undefined, jurisdictions);
    }
    const c = latest.get(jurisdiction);
    if (!c) throw new JurisdictionUnknownError(jurisdiction, jurisdictions);
    return c;
  }

  function submitRoles(config: JurisdictionConfig): string[] {
    const declared = (config.submit as { roles?: unknown } | undefined)?.roles;
    return Array.isArray(declared) ? declared.map(String) : ['registrar'];
  }

  async function submit(
    petition: Record<string, unknown>,
    actor: ActorRef,
    opts: SubmitOptions = {},
  ): Promise<CommandResult> {
    const compiled = chooseConfig(opts.jurisdiction);
    const { config } = compiled;
    const jid = config.jurisdiction.id;
    checkActor(compiled, actor);
    const petitionerRole = isPetitionerRole(config, actor.role);
    const where = { caseId: '(new)', state: '(none)', command: SUBMITTED, actor };
    if (petitionerRole ? petition?.channel !== 'online' : !submitRoles(config).includes(actor.role)) {
      throw new TransitionError(
        'COMMAND_ROLE_FORBIDDEN',
        petitionerRole
          ? 'a petitioner registers a petition only online; other channels are registered by staff'
          : `petitions are registered by ${submitRoles(config).join(', ')}, not ${actor.role}`,
        where,
      );
    }
    const fingerprint = sha256Canonical({
      op: 'submit',
      jurisdiction: jid,
      petition,
      actor,
      petitionerId: opts.petitionerId ?? null,
    });
    const again = await idempotent(opts.idempotencyKey, fingerprint);
    if (again) return again;

    const problems = compiled.petitionProblems(petition);
    const receiving = petition?.receivingUnit;
    if (typeof receiving === 'string' && !compiled.units.has(receiving)) {
      problems.push({ pointer: '/receivingUnit', message: `${receiving} is not a unit of the registry` });
    }
    if (problems.length > 0) throw new PetitionInvalidError(problems, jid);
    const registeringUnit = petitionerRole ? String(receiving) : (actor.unit as string);

    const at = nowIso();
    const clean = toJson(petition) as JsonObject;
    const identityKey = identityKeyOf(config, clean);
    const matterKey = matterKeyOf(config, clean);
    const petitionerId = opts.petitionerId ?? (petitionerRole ? actor.id : undefined);
    // rules run before the case number is drawn: a refusal (RULE_CONFLICT) writes nothing
    const ids = ruleSetsAt(config, 'submit', []);
    const step: RuleStepInput = {
      compiled,
      calendar: calendarOf(compiled),
      at,
      petition: clean,
      priorCases: ids.length > 0 ? await priorCasesOf(store, jid, identityKey) : [],
    };
    const facts = stepFacts(step);
    const decisions = await decide(compiled, { kind: 'submit', type: SUBMITTED }, ids, step, facts, {
      petition: clean,
    });

    await putConfig(compiled);
    const year = civilDate(at, config.jurisdiction.timezone).slice(0, 4);
    const seq = await store.nextSequence(`case:${jid}:${year}`);
    const caseId = formatCaseId({ jurisdiction: jid, year, seq });
    const input: CaseInput = {
      caseId,
      petition: clean,
      registeringUnit,
      identityKnown: noticeOwed(facts, decisions),
      actor,
      at,
      ...(identityKey !== undefined ? { identityKey } : {}),
      ...(matterKey !== undefined ? { matterKey } : {}),
      ...(petitionerId !== undefined ? { petitionerId } : {}),
      ...(decisions ? { decisions: decisions as unknown as Record<string, JsonObject> } : {}),
    };
    const payload: JsonObject = compact({
      petition: clean,
      registeringUnit,
      identityKnown: input.identityKnown,
      identityKey,
      matterKey,
      petitionerId,
      decisions: decisions as unknown as JsonObject | undefined,
    });
    const rows = new Map<string, DeadlineRow>();
    const made = await makeEvent(
      compiled,
      caseId,
      { seq: 0, hash: '' },
      initialStep(compiled, input),
      SUBMITTED,
      at,
      actor,
      payload,
      rows,
      async () => [],
    );
    const projection = await commitBatch(
      compiled,
      caseId,
      0,
      [made.event],
      made.state,
      rows,
      made.outbox,
      idemp(opts.idempotencyKey, fingerprint),
    );
    return resultOf(projection);
  }

  const idemp = (key: string | undefined, fingerprint: string) =>
    key === undefined ? undefined : { key, fingerprint };

  async function send(
    caseId: string,
    command: Command,
    actor: ActorRef,
    opts: SendOptions = {},
  ): Promise<CommandResult> {
    const type = command?.type;
    const payload = toJson(command?.payload ?? {}) as JsonObject;
    const fingerprint = sha256Canonical({ op: 'send', caseId, type, payload, actor });
    const again = await idempotent(opts.idempotencyKey, fingerprint);
    if (again) return again;

    for (let attempt = 0; ; attempt++) {
      const { projection, compiled } = await load(caseId);
      if (opts.expectedVersion !== undefined && opts.expectedVersion !== projection.version) {
        throw new ConcurrencyError({ caseId, expected: opts.expectedVersion, actual: projection.version });
      }
      const where = { caseId, state: projection.state, command: String(type), actor };
      checkActor(compiled, actor);
      if (typeof type !== 'string' || (!compiled.commands.has(type) && !type.endsWith('.expired'))) {
        const guess = typeof type === 'string' ? closest(type, compiled.commands) : undefined;
        throw new TransitionError(
          'COMMAND_UNKNOWN',
          `unknown command${guess ? `; did you mean ${guess}?` : ''}`,
          where,
          {
            ...(guess ? { suggestion: guess } : {}),
          },
        );
      }
      if (type.endsWith('.expired')) {
        throw new TransitionError(
          'COMMAND_ROLE_FORBIDDEN',
          'expiry comes only from the clock (tick), never as a command',
          where,
        );
      }
      const stateDef = compiled.config.process.states[projection.state];
      const from = caseStateOf(projection);
      if (
        type !== DECLARE_INTEREST &&
        (stateDef?.final || compiled.transitions(projection.state, type).length === 0)
      ) {
        const allowed = Object.keys(stateDef?.on ?? {}).filter((t) => !t.endsWith('.expired'));
        throw new TransitionError(
          'COMMAND_NOT_ALLOWED_IN_STATE',
          `not allowed in state ${projection.state}; allowed here: ${allowed.join(', ') || 'none'}`,
          where,
          { allowed },
        );
      }
      const at = nowIso();
      const named = compiled.transitions(projection.state, type).flatMap((d) => d.rules ?? []);
      const ids = ruleSetsAt(compiled.config, type, named);
      let decisions: Record<string, JsonObject> | undefined;
      if (ids.length > 0) {
        const { data } = from.context;
        const step: RuleStepInput = {
          compiled,
          calendar: calendarOf(compiled),
          at,
          petition: data.petition,
          priorCases: await priorCasesOf(store, projection.jurisdictionId, data.identityKey, caseId),
          earlier: data.rules,
        };
        decisions = (await decide(
          compiled,
          { kind: 'send', type, caseId, state: projection.state },
          ids,
          step,
          stepFacts(step),
          { petition: data.petition, payload, data: projection.data },
        )) as unknown as Record<string, JsonObject> | undefined;
      }
      const mev: MachineEvent = { type, payload, actor, at, ...(decisions ? { decisions } : {}) };
      const verdict = checkCommand(compiled, projection.state, from.context, mev);
      if (!verdict.ok) throw TransitionError.refused(where, verdict.refusal);
      const step = machineStep(compiled, from, mev);
      if (!step.taken)
        throw new TransitionError('COMMAND_GUARD_FAILED', 'the machine refused the step', where);

      const rows = new Map<string, DeadlineRow>();
      const eventPayload: JsonObject = {
        command: payload,
        ...(decisions ? { decisions: decisions as JsonObject } : {}),
      };
      const made = await makeEvent(
        compiled,
        caseId,
        { state: from, seq: projection.version, hash: projection.headHash },
        step,
        type,
        at,
        actor,
        eventPayload,
        rows,
        () => store.deadlines(caseId),
      );
      try {
        const next = await commitBatch(
          compiled,
          caseId,
          projection.version,
          [made.event],
          made.state,
          rows,
          made.outbox,
          idemp(opts.idempotencyKey, fingerprint),
        );
        return resultOf(next);
      } catch (e) {
        // Someone else wrote between our read and write: check the command again on the new
        // version, unless the caller pinned a version.
        if (e instanceof ConcurrencyError && opts.expectedVersion === undefined && attempt < RETRIES)
          continue;
        throw e;
      }
    }
  }

  async function tick(
    now: Date | string = clock.now(),
    tickOptions: { limit?: number } = {},
  ): Promise<FiredDeadline[]> {
    const at = new Date(now).toISOString();
    const claimed = await store.claimDueDeadlines(at, {
      owner,
      leaseMs,
      ...(tickOptions.limit !== undefined ? { limit: tickOptions.limit } : {}),
    });
    const byCase = new Map<string, DeadlineRow[]>();
    for (const row of claimed) byCase.set(row.caseId, [...(byCase.get(row.caseId) ?? []), row]);
    const fired: FiredDeadline[] = [];
    for (const [caseId, due] of byCase) {
      due.sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt) || (a.id < b.id ? -1 : 1));
      for (let attempt = 0; ; attempt++) {
        try {
          fired.push(...(await expireCase(caseId, due, at)));
          break;
        } catch (e) {
          if (e instanceof ConcurrencyError && attempt < RETRIES) continue;
          throw e;
        }
      }
    }
    return fired;
  }

  async function expireCase(caseId: string, due: DeadlineRow[], at: string): Promise<FiredDeadline[]> {
    const { projection, compiled } = await load(caseId);
    const actor = CLOCK_ACTOR(owner);
    let state = caseStateOf(projection);
    let prev = { state, seq: projection.version, hash: projection.headHash };
    const events: CaseEvent[] = [];
    const outbox: OutboxRow[] = [];
    const rows = new Map<string, DeadlineRow>();
    const fired: FiredDeadline[] = [];
    for (const row of due) {
      const d = state.context.data.deadlines[row.deadlineId];
      if (!d || d.row !== row.id || d.status !== 'running') {
        // The row is stale (the case moved on under another writer): bring it in line.
        const status = d && d.row === row.id ? d.status : 'stopped';
        rows.set(row.id, { ...(rows.get(row.id) ?? row), status });
        continue;
      }
      const def = compiled.config.deadlines[row.deadlineId];
      const payload: JsonObject = compact({
        deadline: row.deadlineId,
        kind: row.kind,
        row: row.id,
        dueDate: row.dueDate,
        dueAt: row.dueAt,
        basis: def?.basis,
      });
      const mev: MachineEvent = { type: `${row.deadlineId}.expired`, payload, actor, at };
      const step = machineStep(compiled, state, mev);
      const made = await makeEvent(
        compiled,
        caseId,
        prev,
        step,
        DEADLINE_EXPIRED,
        at,
        actor,
        payload,
        rows,
        () => store.deadlines(caseId),
      );
      events.push(made.event);
      outbox.push(...made.outbox);
      state = made.state;
      prev = { state, seq: made.event.seq, hash: made.event.hash };
      fired.push({
        caseId,
        deadlineId: row.deadlineId,
        row: row.id,
        kind: row.kind,
        seq: made.event.seq,
        state: state.state,
      });
    }
    if (events.length > 0)
      await commitBatch(compiled, caseId, projection.version, events, state, rows, outbox);
    else if (rows.size > 0)
      await store.append({
        caseId,
        expectedVersion: projection.version,
        events: [],
        projection,
        deadlines: [...rows.values()],
      });
    return fired;
  }

  async function applyCalendar(calendar: Calendar): Promise<MovedDeadline[]> {
    calendars.set(calendar.id, calendar);
    const moved: MovedDeadline[] = [];
    const affected = [
      ...new Set(
        [...byHash.values()]
          .filter((c) => c.config.jurisdiction.calendar === calendar.id)
          .map((c) => c.config.jurisdiction.id),
      ),
    ];
    for (const jurisdictionId of affected) {
      let after: string | undefined;
      for (;;) {
        const page = await store.query({ jurisdictionId, limit: 100, ...(after ? { after } : {}) });
        for (const p of page) {
          for (let attempt = 0; ; attempt++) {
            try {
              moved.push(...(await moveCase(p.caseId, calendar)));
              break;
            } catch (e) {
              if (e instanceof ConcurrencyError && attempt < RETRIES) continue;
              throw e;
            }
          }
        }
        if (page.length < 100) break;
        after = page.at(-1)?.caseId;
      }
    }
    return moved;
  }

  async function moveCase(caseId: string, calendar: Calendar): Promise<MovedDeadline[]> {
    const { projection, compiled } = await load(caseId);
    if (compiled.config.jurisdiction.calendar !== calendar.id) return [];
    const open = (await store.deadlines(caseId)).filter(
      (r) => r.status === 'running' || r.status === 'paused',
    );
    const actor = CLOCK_ACTOR(owner);
    const at = nowIso();
    let state = caseStateOf(projection);
    let prev = { state, seq: projection.version, hash: projection.headHash };
    const events: CaseEvent[] = [];
    const rows = new Map<string, DeadlineRow>();
    const out: MovedDeadline[] = [];
    const counted = localCalendar(calendar, compiled.config.jurisdiction);
    for (const row of open) {
      const request = requestOf(row);
      if (!request) continue;
      const def = compiled.config.deadlines[row.deadlineId];
      const next = recomputeRow(counted, row, request, def?.basis ?? '');
      if (next.dueDate === row.dueDate && next.provisional === row.provisional) continue;
      rows.set(next.id, next);
      const record: DeadlineRecord = {
        deadline: row.deadlineId,
        row: row.id,
        op: 'move',
        dueDate: next.dueDate,
        dueAt: next.dueAt,
        provisional: next.provisional,
      };
      const payload: JsonObject = {
        deadline: row.deadlineId,
        row: row.id,
        from: { dueDate: row.dueDate, dueAt: row.dueAt, provisional: row.provisional },
        to: { dueDate: next.dueDate, dueAt: next.dueAt, provisional: next.provisional },
        calendarId: calendar.id,
        calendarVersion: calendar.version,
        deadlines: [record as unknown as JsonObject],
      };
      const event = chain(compiled, caseId, prev.seq + 1, prev.hash, DEADLINE_MOVED, at, actor, payload);
      state = settle({ ...state, effects: [], taken: false }, [record]);
      events.push(event);
      prev = { state, seq: event.seq, hash: event.hash };
      out.push({
        caseId,
        deadlineId: row.deadlineId,
        row: row.id,
        from: { dueDate: row.dueDate, provisional: row.provisional },
        to: { dueDate: next.dueDate, provisional: next.provisional },
        seq: event.seq,
      });
    }
    if (events.length > 0) await commitBatch(compiled, caseId, projection.version, events, state, rows, []);
    return out;
  }

  /** Per config: document id -> the states awaiting its receipt (those a `RECEIPT` leaves). */
  const receiptDocs = new Map<string, Map<string, Set<string>>>();
  function awaitingReceipt(compiled: CompiledConfig): Map<string, Set<string>> {
    let hit = receiptDocs.get(compiled.hash);
    if (hit) return hit;
    hit = new Map();
    const states = compiled.config.process.states;
    for (const [name, state] of Object.entries(states)) {
      if (state.on?.RECEIPT)
        for (const d of state.issues ?? []) hit.set(d, (hit.get(d) ?? new Set()).add(name));
      for (const t of Object.values(state.on ?? {})) {
        for (const def of Array.isArray(t) ? t : [t]) {
          if (!def.to || !states[def.to]?.on?.RECEIPT) continue;
          for (const d of def.issues ?? []) hit.set(d, (hit.get(d) ?? new Set()).add(def.to));
        }
      }
    }
    receiptDocs.set(compiled.hash, hit);
    return hit;
  }

  async function recordReceipt(
    document: Pick<OutboxRow, 'id' | 'caseId' | 'seq' | 'payload'>,
    receipt: ReceiptDate,
  ): Promise<ReceiptOutcome> {
    const { caseId } = document;
    const { projection, compiled } = await load(caseId);
    const documentId = String(document.payload.documentId);
    if (!awaitingReceipt(compiled).get(documentId)?.has(projection.state)) return 'not-owed';
    if (receipt.receivedAt === undefined) return 'awaiting-proof';
    const zone = compiled.config.jurisdiction.timezone;
    const command = receiptCommand(receipt, civilDate(nowIso(), zone));
    if (command) {
      try {
        // keyed by the document: a repeated delivery, or the pending row handed back twice, records once
        await send(caseId, command, CLOCK_ACTOR(owner), { idempotencyKey: `receipt:${document.id}` });
        return 'recorded';
      } catch (e) {
        // staff recorded the receipt by hand first, or the case moved on in between
        if (e instanceof TransitionError) return 'not-owed';
        throw e;
      }
    }
    const id = `${RECEIPT_CHANNEL}:${document.id}`;
    if ((await store.outbox({ caseId })).some((r) => r.id === id)) return 'scheduled';
    const at = nowIso();
    const pending: OutboxRow = {
      id,
      caseId,
      seq: document.seq,
      channel: RECEIPT_CHANNEL,
      recipient: owner,
      kind: 'receipt',
      payload: toJson<JsonObject>({
        document: document.id,
        documentId,
        seq: document.seq,
        receipt: receipt as unknown as JsonObject,
      }),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: instantAt(receipt.receivedAt, '00:00', zone),
      createdAt: at,
    };
    try {
      await store.append({
        caseId,
        expectedVersion: projection.version,
        events: [],
        projection,
        outbox: [pending],
      });
    } catch (e) {
      // the case moved on between load and append: decide again on the new version
      if (e instanceof ConcurrencyError) return recordReceipt(document, receipt);
      throw e;
    }
    return 'scheduled';
  }

  async function replay(caseId: string): Promise<CaseProjection> {
    const events = await store.events(caseId);
    const first = events[0];
    if (!first) throw new CaseNotFoundError(caseId);
    const compiled = await compiledFor(first.configHash, caseId);
    let state: CaseState | undefined;
    for (const e of events) state = replayEvent(compiled, state, e);
    return projectionOf(compiled, state as CaseState, events.at(-1) as CaseEvent);
  }

  async function verify(caseId: string): Promise<VerifyResult> {
    const [events, projection] = await Promise.all([store.events(caseId), store.getCase(caseId)]);
    if (events.length === 0 && !projection) throw new CaseNotFoundError(caseId);
    const problems = verifyChain(caseId, events, projection);
    if (projection && events.length > 0) {
      try {
        problems.push(...compareProjections(projection, await replay(caseId)));
      } catch (e) {
        problems.push({
          seq: events.length,
          code: 'REPLAY_FAILED',
          message: `the log does not replay: ${(e as Error).message}`,
        });
      }
    }
    return { ok: problems.length === 0, problems };
  }

  async function allowedCommands(caseId: string, actor: ActorRef): Promise<string[]> {
    const { projection, compiled } = await load(caseId);
    try {
      checkActor(compiled, actor);
    } catch {
      return [];
    }
    const stateDef = compiled.config.process.states[projection.state];
    if (!stateDef || stateDef.final) return [];
    const from = caseStateOf(projection);
    const at = nowIso();
    const types = [
      ...Object.keys(stateDef.on ?? {}).filter((t) => !t.endsWith('.expired')),
      DECLARE_INTEREST,
    ];
    return types.filter(
      (type) =>
        checkCommand(
          compiled,
          projection.state,
          from.context,
          { type, payload: {}, actor, at },
          { probe: true },
        ).ok,
    );
  }

  async function get(caseId: string, viewer: ActorRef): Promise<CaseView> {
    const { projection, compiled } = await load(caseId);
    return redactProjection(compiled.config, projection, viewer);
  }

  async function history(caseId: string, viewer: ActorRef): Promise<EventView[]> {
    const { projection, compiled } = await load(caseId);
    const data = projection.data as unknown as CaseData;
    return (await store.events(caseId)).map((e) =>
      redactEvent(compiled.config, e, viewer, data.petition, data),
    );
  }

  async function query(q: CaseQuery, viewer: ActorRef): Promise<CaseView[]> {
    const found = await store.query(q);
    const out: CaseView[] = [];
    for (const p of found)
      out.push(redactProjection((await compiledFor(p.configHash, p.caseId)).config, p, viewer));
    return out;
  }

  return {
    submit,
    send,
    tick,
    get,
    history,
    query,
    replay,
    verify,
    allowedCommands,
    applyCalendar,
    recordReceipt,
  };
}
