/**
 * The shape of a jurisdiction config after `extends` is resolved. The JSON Schema in
 * `config/schema/jurisdiction.schema.json` describes the same shape as YAML authors write
 * it (plus the `extends` and `$remove` directives the loader consumes); keep the two in step.
 *
 * Naming: maps are keyed by id (states, transitions, deadlines, documents, units, roles),
 * so a child config overrides an inherited item by writing the same key. Rule lists are
 * ordered (hit policy `first` depends on order), so their items carry an `id` instead.
 */

import type { DayUnit } from '../calendar/units.js';

/** A legal citation such as `reg-2022 art. 34` or `civil-code art. 201`. */
export type Basis = string;

/** An id of something in the config (state, role, deadline, document, unit). */
export type Id = string;

/**
 * The fixed vocabulary of stages. A province names its states as it likes, but each state
 * says which stage of the statutory procedure it belongs to, so the statutory invariants
 * can be checked against any province's state names.
 */
export const STAGES = [
  'registration', // registered, not yet disposed of (Reg. 22)
  'transfer', // transferred or assigned, awaiting the receiving body (Reg. 22-23)
  'acceptance', // deciding on acceptance at the competent body (Reg. 23)
  'handling', // accepted, being handled (Reg. 32-34)
  'hearing', // a hearing in progress (Reg. 31, 36)
  'opinion', // opinion issued; the petitioner may ask for review (Reg. 35)
  'review', // review requested and being decided (Reg. 35)
  'reexamination', // re-examination requested and being decided (Reg. 36)
  'diversion', // routed to another legal procedure (Reg. 31)
  'not-accepted', // not accepted, open to a supervisor's spot check (Reg. 23)
  'terminated', // procedure terminated: not accepted again on the same facts (Reg. 36)
  'closed', // finished (window expired, rated, ...)
  'withdrawn', // withdrawn by the petitioner
  'supervision', // under supervision for a procedural failure (Reg. 38-40)
] as const;
export type Stage = (typeof STAGES)[number];

/** Stages in which a case is complete (its colour is blue unless it is red). */
export const COMPLETED_STAGES: readonly Stage[] = [
  'diversion',
  'not-accepted',
  'terminated',
  'closed',
  'withdrawn',
];

/** Government levels, top down. A unit's `level` is one of these. */
export const LEVELS = ['national', 'provincial', 'city', 'county', 'township'] as const;
export type Level = (typeof LEVELS)[number];

export interface JurisdictionIdentity {
  /** Dotted id, e.g. `cn.national`, `cn.zhejiang`. */
  id: Id;
  name: string;
  /** The config's own version; a case pins the version (and hash) it started under. */
  version: string;
  /** IANA time zone; deadlines are civil dates in this zone. */
  timezone: string;
  /** Id of a calendar under `configs/calendars/`. */
  calendar: Id;
  /** When a deadline's last day ends: `24:00` (default) or a close-of-office time `HH:MM`. */
  cutoff?: string;
  /** Language of messages and documents: `zh` (default) or `en`. */
  locale?: 'zh' | 'en';
  /** Days off this jurisdiction adds to its calendar (local holidays). */
  localDaysOff?: { date: string; name: string }[];
}

export interface RoleDef {
  name: string;
  description?: string;
  /** The petitioner role acts for themselves, not for a unit. */
  petitioner?: boolean;
  /** A system role (the clock) cannot be used by people. */
  system?: boolean;
}

/** The review ladder (Reg. 35-36): which units issue handling opinions, and the default review body. */
export interface LadderDef {
  /**
   * The body that reviews (and re-examines) when the petitioner's request names none: the
   * deciding unit's own government (`government`; for a government, the government one level
   * up) or its competent department one level up (`line`). The other one is taken when the
   * default does not exist for that unit.
   */
  default: 'government' | 'line';
  /** Unit kinds that issue handling opinions; a unit may opt out with `opinions: false`. */
  issuers: UnitDef['kind'][];
  basis: string;
}

export interface UnitDef {
  name: string;
  level: Level;
  /**
   * The body the unit answers to on the territorial line (属地): a department's or petition
   * bureau's own people's government, a government's government one level up. Absent only for
   * the top of the registry.
   */
  parent?: Id;
  /**
   * The competent department one level up (条线, 上一级主管部门): beside the unit's own
   * government, the other body that may review its handling opinion (Reg. 35-36).
   */
  line?: Id;
  /** Whether the unit issues handling opinions (Reg. 32); default: its kind is in `ladder.issuers`. */
  opinions?: boolean;
  /** What kind of body: petition bureau, government department, court, ... */
  kind:
    | 'petition-bureau'
    | 'government'
    | 'department'
    | 'party-committee'
    | 'discipline'
    | 'political-legal'
    | 'court'
    | 'procuratorate'
    | 'public-security'
    // the joint petition-work meeting (信访工作联席会议) of a government: coordinates, and holds
    // leaders to account by talks, public criticism and listed supervision (Reg. 24, 39)
    | 'joint-meeting'
    | 'other';
  /** Region code (administrative division) for reports. */
  region?: string;
  /** Subject areas this unit is competent for (matched by routing rules). */
  competence?: string[];
  /** Document-number prefix, e.g. `京信`. */
  docPrefix?: string;
  /**
   * Other names the unit goes by (a short name, a former name): a petition naming the unit by
   * one of them is registered with the unit's id (see `compiler/accusation.ts`).
   */
  aliases?: string[];
  /**
   * The body that takes over this one's matters (Reg. 24: 承接撤销、合并机关的信访事项): set when
   * the unit is dissolved or merged into another. A dissolved unit's open cases are taken over
   * by its successor's staff (`TAKE_OVER`, authority `successor-of-responsible`; `engine.takeOver`
   * for all of them at once).
   */
  successor?: Id;
}

export type { DayUnit };

export interface ExtensionDef {
  /** Most days one extension may add. */
  maxDays: number;
  /** How many extensions may be granted. */
  times: number;
  /** Counting unit of the extension; the deadline's own unit by default. */
  unit?: DayUnit;
  /** Roles that may approve an extension. */
  approvedBy: Id[];
  /** Document owed to the petitioner when the deadline is extended. */
  notice?: Id;
  /**
   * Where the extension counts from: the last counted day of the period it extends (one period,
   * the rest-day rule applied once at its end; national) or that period's rest-day-adjusted end
   * (Reg. 34 admits both; docs/decisions.md). @default 'last-counted-day'
   */
  from?: 'last-counted-day' | 'adjusted-end';
  /** The period with all its extensions counts at most this many days from its start (a total cap). */
  totalDays?: number;
  basis: Basis;
}

/** Which cases a period opens for: all conditions given must hold. */
export interface DeadlineCondition {
  /** Kinds (registry `kind`) of the unit that registered the matter, one of which it must be. */
  registeredBy?: string[];
  /** Kinds the registering unit must not be. */
  notRegisteredBy?: string[];
  /** The petitioner's name and address are known (`true`) or unclear (`false`), as the rules decided. */
  identityKnown?: boolean;
  /**
   * The period does not open while the case is held by a unit of one of `kinds` for a matter of
   * one of `classes` (Reg. 23 ¶4: a political-legal organ's notice on a litigation-related
   * matter follows its own rules, not Reg. 23's 15 days).
   */
  notHeldFor?: HeldForException[];
}

/** A unit kind and matter class for which a period is not owed ({@link DeadlineCondition.notHeldFor}). */
export interface HeldForException {
  /** Registry kinds of the unit holding the case when the period would open. */
  kinds: string[];
  /** Classes of matter (`litigation`, `accusation`, ...: `MATTER_CLASSES`). */
  classes: string[];
  basis: Basis;
}

export interface DeadlineDef {
  name?: string;
  days: number;
  /** `calendar` (default) or `working`. */
  unit?: DayUnit;
  /**
   * `duty`: a body's obligation; when it passes, the case turns red with this basis.
   * `window`: a petitioner's right (review request window); when it passes, the machine
   * receives `<deadlineId>.expired` and may move on.
   */
  kind: 'duty' | 'window';
  /**
   * Which way a jurisdiction may change the period: `ceiling`, a body's duty, may be shortened,
   * never lengthened; `floor`, the petitioner's right (the 30 days to ask for review or
   * re-examination, Reg. 35-36), may be lengthened, never shortened. Required when statutory.
   */
  bound?: 'ceiling' | 'floor';
  /** What the period counts from: entering the state that starts it (default), the
   *  petitioner's receipt of the last document issued (`receipt`, Reg. 35-36), or the day the
   *  body received the matter (`received`: the petition's `receivedAt` for the period opened at
   *  registration; a period opened again later, after a reopening, counts from that step;
   *  Reg. 22-23 "自收到…之日起"). */
  from?: 'start' | 'receipt' | 'received';
  /** States (by id) during which the clock stops, e.g. a hearing (Reg. 36). */
  pausedBy?: Id[];
  /**
   * The pause runs over dates the command entering a `pausedBy` state records: payload field
   * `from` (the first day) through payload field `through` (the last day; absent, the first),
   * instead of from that command to the one leaving the state. Reg. 36 excludes the hearing's
   * own time, not the time the case waits around it.
   */
  pauseDates?: { from: string; through?: string };
  extension?: ExtensionDef;
  /**
   * The period opens only for the cases that match (absent: every case). Reg. 22's disposal period
   * binds petition bureaus; another body that receives a matter directly owes the written notice
   * of Reg. 23 ¶2 instead, which is waived where the petitioner's name or address is unclear.
   */
  onlyWhen?: DeadlineCondition;
  /**
   * The command that starts this deadline may set a shorter period in its payload `days`
   * (an assigning body sets the assignee's deadline, within the statutory limit, Reg. 22).
   */
  settable?: boolean;
  /** A statutory deadline: a child config may shorten it, never lengthen it. */
  statutory?: boolean;
  basis: Basis;
}

/** A named guard implemented in code (see `compiler/guards`), with its parameters. */
export interface GuardRef {
  type: string;
  params?: Record<string, unknown>;
}

/** A named action implemented in code (see `compiler/actions`), with its parameters. */
export interface ActionRef {
  type: string;
  params?: Record<string, unknown>;
}

/**
 * Which unit may take a transition, besides the role check (Reg. 35-36: review goes one
 * level up from the body that issued the opinion; re-examination one above the reviewer).
 */
export type Authority =
  | 'any' // any unit (or none, for the petitioner)
  | 'responsible' // the unit currently responsible for the case
  | 'registering' // the unit that registered the case
  | 'transferrer' // the unit that last transferred or assigned the case
  | 'superior-of-opinion' // one level above the unit that issued the handling opinion
  | 'superior-of-review' // one level above the unit that decided the review
  | 'superior-of-responsible' // one level above the responsible unit (supervision)
  | 'successor-of-responsible' // the body that took over the dissolved responsible unit (Reg. 24)
  | 'addressee-of-suggestion' // the body the open suggestion is addressed to (Reg. 40; else the responsible unit)
  | 'joint-meeting-of-responsible'; // the joint petition-work meeting of the responsible unit's government, or the nearest above (Reg. 39)

export interface TransitionDef {
  /** Target state id. Absent: the transition stays in the current state (e.g. EXTEND). */
  to?: Id;
  name?: string;
  /** Roles allowed to send this command. The clock's events name the `system` role. */
  roles: Id[];
  authority?: Authority;
  /** Guard that must hold (all of them, when a list). */
  guard?: GuardRef | GuardRef[];
  /** Only while this deadline (a window) is running. */
  within?: Id;
  /** JSON Schema properties for the command payload; `required` lists mandatory ones. */
  payload?: { properties: Record<string, unknown>; required?: string[] };
  /** Documents issued to their recipients by this transition. */
  issues?: Id[];
  /** Deadlines started / stopped (satisfied) by taking this transition. */
  starts?: Id[];
  stops?: Id[];
  /** Deadline extended by this command (`EXTEND`). */
  extends?: Id;
  actions?: ActionRef[];
  /** Rule sets evaluated before this transition; their outcomes reach guards in the event. */
  rules?: Id[];
  basis?: Basis;
  description?: string;
}

export interface StateDef {
  name?: string;
  stage: Stage;
  description?: string;
  /**
   * Deadlines started / stopped on entering this state. Starting a deadline that is already
   * open (running or paused) for the case does nothing, so re-entering a state after a hearing
   * does not restart its period; starting one that was stopped or fired opens a new period.
   * Pauses come from the deadline's `pausedBy` states, not from here.
   */
  starts?: Id[];
  stops?: Id[];
  /** Documents issued on entering this state. */
  issues?: Id[];
  /** Why a non-final state owes no deadline (checked statically). */
  noDeadline?: string;
  /** Truly final: no later step may leave it. Most end states are not (see design.md). */
  final?: boolean;
  /** Commands, keyed by event type. A list holds guarded alternatives tried in order. */
  on?: Record<string, TransitionDef | TransitionDef[]>;
  basis?: Basis;
}

export interface ProcessDef {
  initial: Id;
  /**
   * Every state, with the commands of `process.common` already copied in: a loaded config has
   * no `common` block (see {@link CommonGroupDef}).
   */
  states: Record<Id, StateDef>;
}

/**
 * A group of commands many states accept (supervision, rating, leader reception), written once
 * under `process.common.<group>` instead of in every state. The loader copies the group's `on`
 * into each matching state after `extends` is resolved, so the compiler, scenarios, checks and
 * graphs see plain states. A state that writes the same event itself keeps its own keys over
 * the group's (a province overrides one state's copy); `except` leaves states out.
 */
export interface CommonGroupDef {
  name?: string;
  description?: string;
  /** Only states of these stages (absent: every state). */
  stages?: Stage[];
  /** States (by id) that do not get the group's commands. */
  except?: Id[];
  /** Commands, keyed by event type, as in a state's `on`. */
  on: Record<string, TransitionDef | TransitionDef[]>;
}

export interface DocumentDef {
  name: string;
  /** Path of a template, relative to the config file that names it. */
  template: string;
  /** Who receives it: the petitioner, the responsible unit, the superior, ... */
  to:
    | 'petitioner'
    | 'responsible-unit'
    | 'transferrer'
    | 'superior'
    | 'case-file'
    // the body the latest suggestion is addressed to (Reg. 40; action `addressSuggestion`)
    | 'suggestion-addressee';
  /** Variables the template needs (checked against the template at load). */
  variables?: string[];
  /** A statutory notice: a child config may not remove it (Reg. 23, 34-36). */
  statutory?: boolean;
  /** Not owed when the petitioner's name or address is unclear (Reg. 23). */
  waivedWhenIdentityUnclear?: boolean;
  /**
   * Wording the project built where no source gives the body's own document: what a body would
   * plausibly issue, never its official text (the config says why in a comment).
   */
  illustrative?: boolean;
  basis: Basis;
}

export interface RegistrationForm {
  /** JSON Schema (draft 2020-12) of a petition's fields. */
  schema: Record<string, unknown>;
  /** Fields holding personal information (name, ID number, phone, address). */
  personal?: string[];
  /** Fields holding accusation material (Reg. 30). */
  accusation?: string[];
  /** Roles that may see personal fields and accusation material. */
  visibleTo?: { personal?: Id[]; accusation?: Id[] };
  /** How a petitioner's identity is normalised: the first key list whose fields are all present. */
  identity?: string[][];
  /** Fields whose values form the matter key ("same matter, same facts"). */
  matterKey?: string[];
  /**
   * Which petition fields name units and accused persons (Reg. 22, 30): free-text `units` are
   * resolved to registry ids at registration, or kept unresolved for staff; `accusedUnits` and
   * `accusedPersons` say whom an accusation accuses. Defaults: `respondentUnit`, `accused`.
   */
  references?: { units?: string[]; accusedUnits?: string[]; accusedPersons?: string[] };
  /**
   * Sections of the form (Shaanxi's seven), in the order a register shows them; each lists the
   * form fields it records. A section's `stages` and `deadlines` say which steps of the
   * procedure it records, so the three-colour board can colour each section of a case
   * (see `status/board.ts`).
   */
  sections?: Record<Id, FormSection>;
}

/** One section of the registration form (a column of the three-colour board). */
export interface FormSection {
  name: string;
  /**
   * The register's fields of this section, in order: a form field (a dotted path into the form
   * schema, filled at registration) or a {@link RegisterField} filled by the events of the case.
   */
  fields: (string | RegisterField)[];
  /**
   * The field list is the config's own illustration of what a bureau records, not an official
   * text (its comment says what the source does give); every field of the section is marked so.
   */
  illustrative?: boolean;
  /** Stages whose steps this section records; a stage belongs to at most one section. */
  stages?: Stage[];
  /** Duty deadlines of those steps: a missed one turns this section red. */
  deadlines?: Id[];
}

/** What kind of value a register field holds: how it is shown and what a bureau writes in it. */
export type RegisterFieldType =
  | 'date'
  | 'datetime'
  | 'unit'
  | 'text'
  | 'number'
  | 'boolean'
  | 'enum'
  | 'person'
  | 'docNumber'
  | 'rating';

/** The register field types, in the order the guide lists them. */
export const REGISTER_FIELD_TYPES: readonly RegisterFieldType[] = [
  'date',
  'datetime',
  'unit',
  'text',
  'number',
  'boolean',
  'enum',
  'person',
  'docNumber',
  'rating',
];

/**
 * Where a register field's value comes from, read off the case's event log (`registerOf`):
 * - `petition`: a dotted path into the registration form;
 * - `event`: the event of a command (or `SUBMITTED`), the latest unless `occurrence: first`;
 *   `value` is `date` (default: the event's civil date in the jurisdiction's zone), `at`,
 *   `count`, `actor.id`, `actor.unit`, `actor.role`, `actor.name` or `payload.<path>` (the
 *   command's payload);
 * - `document`: a document issued on the case; `value` is `number` (default), `date`, `to` or
 *   `unit` (the unit whose staff issued it);
 * - `deadline`: the latest period of a deadline; `value` is `start`, `due`, `stopped` (the date
 *   the step it awaited was taken), `expired` (the date it ran out), `status`, `onTime` (the
 *   step was taken and the period never ran out) or `extensions` (how many were granted);
 * - `rule`: a field of a rule set's merged outcome, as last decided;
 * - `case`: the case's `id` or its `registeringUnit`.
 */
export type RegisterSource =
  | { petition: string }
  | { event: string | string[]; value?: string; occurrence?: 'first' | 'last' }
  | { document: Id | Id[]; value?: 'number' | 'date' | 'to' | 'unit'; occurrence?: 'first' | 'last' }
  | {
      deadline: Id;
      value: 'start' | 'due' | 'stopped' | 'expired' | 'status' | 'onTime' | 'extensions';
    }
  | { rule: Id; value: string }
  | { case: 'id' | 'registeringUnit' };

/** A field of the register that the case's events fill (see {@link RegisterSource}). */
export interface RegisterField {
  id: Id;
  /** The label the register prints (Chinese). */
  name: string;
  type: RegisterFieldType;
  from: RegisterSource;
  /** Words for the values of an `enum` or `rating` field (`satisfied: 满意`). */
  labels?: Record<string, string>;
  /** The config's own illustration of what a bureau records, not an official text. */
  illustrative?: boolean;
}

/**
 * The three-colour board (Shaanxi practice): how a register shows each case and each of its
 * form sections. Green: in progress within the procedure; blue: completed; red: the procedure
 * was not followed. The colours are computed by the engine; the config names them.
 */
export interface BoardDef {
  name?: string;
  /** The label of each colour on the board. */
  labels: { green: string; blue: string; red: string };
  basis?: Basis;
}

export type HitPolicy = 'first' | 'unique' | 'collect';

export interface RuleDef {
  id: Id;
  name?: string;
  /** json-rules-engine conditions (`all` / `any` / `not` trees of fact-operator-value). */
  conditions: Record<string, unknown>;
  /** The decision this rule yields, e.g. `{ kind: appeal, route: litigation }`. */
  outcome: Record<string, unknown>;
  priority?: number;
  basis?: Basis;
}

export interface RuleSetDef {
  name?: string;
  hitPolicy: HitPolicy;
  /** Where the set runs: `submit` and/or transition event types. */
  on?: string[];
  /** Outcome when no rule matches (absent: no decision). */
  default?: Record<string, unknown>;
  rules: RuleDef[];
}

export interface DocumentNumbering {
  /** e.g. `{prefix}〔{year}〕{seq}号`. */
  pattern: string;
  prefix: string;
}

/**
 * One way a document reaches its recipient (送达): post, the online system, in person, an
 * adapter's channel. Receipt starts the periods the law counts from it (Reg. 35-36).
 */
export interface DeliveryChannelDef {
  name?: string;
  /**
   * Receipt is deemed this many calendar days after delivery unless a receipt proves an
   * earlier date (0: received when delivered). Absent: only a receipt (送达回证, a postal
   * receipt, a read confirmation) counts.
   */
  deemedReceivedAfterDays?: number;
  /**
   * A receiver's reply on this channel proves a receipt date without a signature: the channel
   * is a system the jurisdiction runs itself. Otherwise a reply counts only when the notifier
   * verified its signature (the webhook's HMAC). @default false
   */
  trusted?: boolean;
  basis?: Basis;
}

/** How documents are delivered and when they count as received. */
export interface DeliveryDef {
  /** Channels by id; an outbox row's or notifier's `channel` names one. */
  channels: Record<Id, DeliveryChannelDef>;
}

/**
 * One leader's reception days (领导接访, Reg. 18): the leader of `unit` receives petitioners on
 * each of `dates` and on every `weekdays` day. A case is booked onto a day of its responsible
 * unit or of a body above it, up to the body one level up (`BOOK_RECEPTION`, guard
 * `receptionDay`). Regular days (`weekdays`) belong here because a case keeps the config
 * version it started under; one-off `dates` reach only cases registered under a version that
 * lists them.
 */
export interface ReceptionDayDef {
  /** The body whose leader receives (a unit of the registry). */
  unit: Id;
  /** Who receives: the leader's title or name as published. */
  leader: string;
  /** Single reception days, `YYYY-MM-DD`. */
  dates?: string[];
  /** Regular reception days by ISO weekday (1 = Monday ... 7 = Sunday). */
  weekdays?: number[];
  /** Where the reception is held. */
  place?: string;
  basis?: Basis;
}

/**
 * Metric ids the legalization index weighs (computed by the metrics module from the events).
 * `repeatPetition` counts against the index: lower is better.
 */
export const METRIC_IDS = [
  'onTimeAcceptance',
  'onTimeCompletion',
  'satisfaction',
  'ratingParticipation',
  'repeatPetition',
  'reviewRate',
  'reexaminationRate',
  'overturnRate',
] as const;
export type MetricId = (typeof METRIC_IDS)[number];

/** What the reports (metrics, the legalization index, hot-spot warnings) are computed with. */
/** How often a jurisdiction publishes its legalization index, and over which groups. */
export interface IndexPublishDef {
  cadence: PublishCadence;
  /** The groups ranked. @default 'unit' */
  by?: 'unit' | 'region' | 'kind';
  basis: Basis;
}

export type PublishCadence = 'monthly' | 'quarterly' | 'yearly';

export interface ReportingDef {
  index?: {
    /**
     * Relative weight of each metric in the index (normalised by their sum; a metric left out
     * counts 0). No statute sets these: every figure is the config's own choice.
     */
    weights: Partial<Record<MetricId, number>>;
    /** The weights (and cadence) are the project's own where no source gives them. */
    illustrative?: boolean;
    /** How the index is published: a publication every `cadence` period (`xinfang report --index-publication`). */
    publish?: IndexPublishDef;
  };
  /**
   * Early warning of hot spots: a subject or unit whose petitions in the latest period exceed
   * `factor` times its average over the `trailingPeriods` periods before it.
   */
  hotSpots?: {
    /** Length of one period in days. */
    periodDays: number;
    /** How many earlier periods form the baseline. */
    trailingPeriods: number;
    /** How many times the baseline average the latest period must exceed. */
    factor: number;
  };
  /**
   * The form fields reports read (dotted paths into the form), for a form that names them
   * otherwise than the national one; each absent one is the national name (`PETITION_FIELDS`).
   */
  fields?: Partial<Record<ReportField, string>>;
  /**
   * The annual report on petition work (Reg. 41): its title and the article it rests on, so the
   * legal-basis map lists it beside the steps.
   */
  annual?: { name: string; basis: Basis };
}

/** One liability ground a supervision or accountability record names (Reg. 42-46). */
export interface GroundDef {
  name: string;
  /** The article and its item, e.g. `reg-2022 art. 44 (3)`: the annual report counts by it. */
  basis: Basis;
}

/** Supervision and accountability (Reg. 38-46). */
export interface SupervisionDef {
  /**
   * The grounds a supervision (`SUPERVISE`) or accountability (`ACCOUNTABILITY`) record names,
   * by id: a payload field `ground` with an `enum` must list only these ids.
   */
  grounds?: Record<Id, GroundDef>;
}

/** What a report reads from a petition: the kind of matter, its subject, the body complained of, the channel. */
export type ReportField = 'kind' | 'subject' | 'respondent' | 'channel';

/** A resolved jurisdiction config. */
/** How far one role's staff read cases. */
export interface VisibilityDef {
  /** `involved`: the cases their unit is involved in; `region`: also every case of a unit below theirs. */
  scope: 'involved' | 'region';
  basis?: string;
}

export interface JurisdictionConfig {
  jurisdiction: JurisdictionIdentity;
  roles: Record<Id, RoleDef>;
  units: Record<Id, UnitDef>;
  /** Who reviews and re-examines a handling opinion (Reg. 35-36). */
  ladder?: LadderDef;
  form: RegistrationForm;
  deadlines: Record<Id, DeadlineDef>;
  process: ProcessDef;
  documents: Record<Id, DocumentDef>;
  ruleSets?: Record<Id, RuleSetDef>;
  numbering?: DocumentNumbering;
  delivery?: DeliveryDef;
  /** Leader reception days by id (Reg. 18). */
  receptionDays?: Record<Id, ReceptionDayDef>;
  reporting?: ReportingDef;
  /** The three-colour board: labels of the colours; the sections are the form's. */
  board?: BoardDef;
  /** How far each role's staff read cases, by role (default `involved`; see `engine/readers.ts`). */
  visibility?: Record<Id, VisibilityDef>;
  /** Supervision and accountability: the liability grounds its records name (Reg. 42-46). */
  supervision?: SupervisionDef;
  /** The reserved top-level key `evaluation`: accepted, read by nothing yet. */
  [extra: string]: unknown;
}
