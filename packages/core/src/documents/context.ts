/**
 * The one builder that turns a case and the step that issues a document into the variables
 * its template sees (the contract in `contract.ts`). Pure: everything comes from the config,
 * the case data after the step, and the step itself, so a document re-renders identically
 * from the log years later.
 */

import { getPath } from '../base/json.js';
import { civilDate } from '../calendar/zone.js';
import type { CaseData } from '../compiler/types.js';
import { type UnitRegistry, unitRegistry } from '../compiler/units.js';
import { alternativesOf } from '../config/transitions.js';
import type { JurisdictionConfig, Stage, TransitionDef } from '../config/types.js';
import type { ActorRef, JsonObject } from '../store/types.js';
import { DOCUMENT_VARIABLES } from './contract.js';
import { basisText, chineseDate, DOCUMENT_TEXTS, type DocumentTexts } from './texts.js';

/** The step that issues a document: the event as the engine records it. */
export interface IssuingEvent {
  /** Event type (`ACCEPT`, `OPINION`, ...). */
  type: string;
  seq: number;
  /** ISO instant of the event. */
  at: string;
  actor?: ActorRef;
  /** The command payload (`payload.command` of the stored event). */
  command: JsonObject;
  /** Deadline records of the step (`payload.deadlines`): an extension's new due date comes from here. */
  deadlines?: readonly { deadline?: unknown; op?: unknown; dueDate?: unknown }[];
  /** Basis of the transition taken, when known (cited as `decision.basisText`). */
  basis?: string;
}

/** What {@link buildDocumentContext} needs. */
export interface DocumentContextInput {
  config: JurisdictionConfig;
  documentId: string;
  /** The case data after the issuing step (`projection.data`). */
  data: CaseData;
  /** The case data before it: a step that returns a case (an objection) has cleared who passed it on. */
  before?: CaseData;
  event: IssuingEvent;
  /** Unit id of the issuing body. */
  issuer: string;
  /** Recipient id as the outbox row holds it (petitioner account id or unit id). */
  recipient: string;
  /** The document number ({@link formatDocumentNumber}). */
  number: string;
  /** @default DOCUMENT_TEXTS */
  texts?: DocumentTexts;
}

/** The variables a template sees, grouped by root (`body`, `doc`, `case`, ...). */
export type DocumentContext = Record<string, Record<string, string | number | boolean | null>>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** The first transition named `type` out of any state (its basis, the decision it records). */
function transitionOf(config: JurisdictionConfig, type: string): TransitionDef | undefined {
  for (const state of Object.values(config.process.states)) {
    const def = alternativesOf(state.on?.[type])[0];
    if (def) return def;
  }
  return undefined;
}

/**
 * The civil date a stage began, read from the deadline its states start (the handling period
 * starts on acceptance, the review period on the request): stages, not state names, so a
 * province's own names work.
 */
function stageStart(config: JurisdictionConfig, data: CaseData, stage: Stage): string | undefined {
  for (const state of Object.values(config.process.states)) {
    if (state.stage !== stage) continue;
    for (const id of state.starts ?? []) {
      const start = data.deadlines[id]?.startDate;
      if (start) return start;
    }
  }
  return undefined;
}

/**
 * Builds the template variables of one document. Variables the step cannot provide are left
 * out (strict rendering then names them); optional ones are `null`.
 */
export function buildDocumentContext(input: DocumentContextInput): DocumentContext {
  const s = scopeOf(input);
  const groups: Groups = {
    ...headerGroups(s),
    case: caseGroup(s),
    decision: decisionGroup(s),
  };
  return contractVariables(groups);
}

type Groups = Record<string, Record<string, unknown>>;

/** What every group is built from: the input, and how ids, dates and instants are worded. */
interface Scope {
  input: DocumentContextInput;
  texts: DocumentTexts;
  units: UnitRegistry;
  /** The civil date of the step, in the jurisdiction's zone. */
  issueDate: string;
  nameOf(id: string | undefined): string | undefined;
  dateOf(date: string | undefined): string | undefined;
  dayOf(instant: unknown): string | undefined;
}

function scopeOf(input: DocumentContextInput): Scope {
  const zone = input.config.jurisdiction.timezone;
  const units = unitRegistry(input.config);
  return {
    input,
    texts: input.texts ?? DOCUMENT_TEXTS,
    units,
    issueDate: civilDate(input.event.at, zone),
    nameOf: (id) => (id === undefined ? undefined : (units.get(id)?.name ?? id)),
    dateOf: (d) => (d === undefined ? undefined : chineseDate(d)),
    dayOf: (instant) => (typeof instant === 'string' ? civilDate(instant, zone) : undefined),
  };
}

/** Who issues the document, the document itself, who receives it, and the petitioner. */
function headerGroups({ input, texts, units, issueDate, nameOf }: Scope): Groups {
  const { issuer, recipient, number } = input;
  const def = input.config.documents[input.documentId];
  const person = (input.data.petition.petitioner ?? {}) as JsonObject;
  const anonymous = person.anonymous === true || str(person.name) === undefined;
  const petitionerName = anonymous ? '匿名' : (str(person.name) as string);
  const recipientIsUnit = units.has(recipient);
  return {
    body: { id: issuer, name: nameOf(issuer) },
    doc: {
      id: input.documentId,
      name: def?.name,
      number,
      date: chineseDate(issueDate),
      isoDate: issueDate,
      basis: def?.basis,
      basisText: basisText(def?.basis, texts),
    },
    recipient: {
      id: recipient,
      name: recipientIsUnit ? nameOf(recipient) : petitionerName,
      kind: recipientIsUnit ? 'unit' : 'petitioner',
    },
    petitioner: {
      name: petitionerName,
      anonymous,
      address: anonymous ? null : (str(person.address) ?? null),
    },
  };
}

/** The case: the petition, the bodies that have had it, and when each stage began. */
function caseGroup({ input, texts, nameOf, dateOf, dayOf }: Scope): Record<string, unknown> {
  const { config, data } = input;
  const { petition } = data;
  const opinion = data.decisions.opinion;
  const review = data.decisions.review;
  const passedOnBy = data.assignedBy ?? input.before?.assignedBy;
  return {
    id: data.caseId,
    receivedAt: dateOf(str(petition.receivedAt) ?? dayOf(data.submittedAt)),
    channel: str(petition.channel),
    channelName: texts.channel[str(petition.channel) ?? ''],
    subject: str(petition.subject),
    summary: str(petition.summary),
    request: str(petition.request),
    groupSize: num(getPath(petition, 'group.size')),
    groupRepresentatives: num(getPath(petition, 'group.representatives')),
    // the most a group may choose, as the acceptance rules decided (Reg. 20: 5; a province fewer)
    maxRepresentatives: num(getPath(data.rules.acceptance, 'merged.maxRepresentatives')),
    registeringBody: nameOf(data.registeringUnit),
    responsibleBody: nameOf(data.responsibleUnit),
    transferredAt: dateOf(dayOf(passedOnBy?.at)),
    transferredBy: nameOf(passedOnBy?.unit) ?? null,
    acceptedAt: dateOf(stageStart(config, data, 'handling')),
    opinionAt: dateOf(dayOf(opinion?.at)),
    opinionBody: nameOf(str(opinion?.unit)),
    outcomeText: texts.outcome.opinion?.[str(opinion?.outcome) ?? ''],
    reviewRequestedAt: dateOf(stageStart(config, data, 'review')),
    reviewBody: nameOf(str(review?.unit)),
    reexaminationRequestedAt: dateOf(stageStart(config, data, 'reexamination')),
  };
}

/** What the issuing step decided, from its command and the transition it took. */
/**
 * The due dates a step's deadline rows give its document: the extended end (`extend`), the reply
 * period the step started (a supervision letter, suggestions), and the period the issuing body
 * set itself (`settable`: an assignment's deadline), whichever other periods the step started
 * beside it (acceptance, objection).
 */
function stepDues(input: Scope['input']): { newDue?: unknown; startedDue?: unknown; setDue?: unknown } {
  const rows = input.event.deadlines ?? [];
  return {
    newDue: rows.find((r) => r.op === 'extend' && typeof r.dueDate === 'string')?.dueDate,
    startedDue: rows.find((r) => r.op === 'start' && typeof r.dueDate === 'string')?.dueDate,
    setDue: rows.find(
      (r) =>
        r.op === 'start' &&
        typeof r.dueDate === 'string' &&
        typeof r.deadline === 'string' &&
        input.config.deadlines[r.deadline]?.settable === true,
    )?.dueDate,
  };
}

/** The bodies one level up the petitioner may ask (Reg. 35-36): its government or its line department. */
function ladderBodiesText({
  input,
  units,
  nameOf,
}: Pick<Scope, 'input' | 'units' | 'nameOf'>): string | null {
  const choices = units.ladder(input.issuer);
  const first = units.ladderBody(input.issuer);
  const upward = [first, choices.government, choices.line].filter(
    (u, i, all): u is string => u !== undefined && all.indexOf(u) === i,
  );
  return upward.length === 0 ? null : upward.map((u) => nameOf(u) ?? u).join('或者');
}

function decisionGroup({ input, texts, units, nameOf, dateOf }: Scope): Record<string, unknown> {
  const { data, event } = input;
  const { command } = event;
  const transition = transitionOf(input.config, event.type);
  // the outcome wording depends on the level deciding (opinion, review, re-examination)
  const decisionKind = transition?.actions?.find((a) => a.type === 'recordDecision')?.params?.as;
  const outcome = str(command.outcome);
  const reason = str(command.reason);
  const unit = str(command.unit);
  const kind = str(command.kind);
  const route = str(command.route);
  const { newDue, startedDue, setDue } = stepDues(input);
  const ladderText = ladderBodiesText({ input, units, nameOf });
  return {
    event: event.type,
    basisText: basisText(event.basis ?? transition?.basis, texts),
    outcome,
    outcomeText:
      outcome === undefined
        ? undefined
        : (texts.outcome[String(decisionKind ?? '')]?.[outcome] ??
          Object.values(texts.outcome).find((t) => t[outcome])?.[outcome]),
    findings: str(command.findings) ?? null,
    legalBasisText: legalBasisText(command.legalBasis) ?? null,
    reviewBody: ladderText,
    reexaminationBody: ladderText,
    route,
    routeName: route === undefined ? undefined : texts.route[route],
    body: nameOf(str(command.body)) ?? null,
    reason,
    reasonText: reason === undefined ? undefined : texts.reason[reason],
    goTo: nameOf(str(command.goTo)) ?? null,
    unit,
    unitName: nameOf(unit),
    mode: unit === undefined ? undefined : data.assignedBy?.mode,
    modeName: unit === undefined ? undefined : texts.mode[data.assignedBy?.mode ?? ''],
    days: typeof command.days === 'number' ? command.days : undefined,
    newDue: dateOf(typeof newDue === 'string' ? newDue : undefined),
    setDue: dateOf(typeof setDue === 'string' ? setDue : undefined),
    date: dateOf(str(command.date)),
    place: str(command.place) ?? null,
    lastDate: dateOf(str(command.lastDate)) ?? null,
    partiesText: partiesText(command.parties, texts) ?? null,
    kind,
    kindName: kind === undefined ? undefined : texts.kind[kind],
    terms: str(command.terms),
    suggestion: str(command.suggestion),
    text: str(command.text),
    replyBy: dateOf(str(command.replyBy) ?? (typeof startedDue === 'string' ? startedDue : undefined)),
  };
}

/**
 * The parties to a mediation or settlement agreement and their consent (Reg. 33: "双方当事人同意"),
 * as the agreement prints them: 信访人张三（同意）；对方当事人示范县某公司（同意）.
 */
function partiesText(parties: unknown, texts: DocumentTexts): string | undefined {
  if (!Array.isArray(parties) || parties.length === 0) return undefined;
  return parties
    .map((p) => {
      const name = str((p as { name?: unknown } | null)?.name) ?? '';
      const side = str((p as { side?: unknown } | null)?.side) ?? '';
      const consent = (p as { consent?: unknown } | null)?.consent === true ? '（同意）' : '（未表示同意）';
      return `${texts.side[side] ?? ''}${name}${consent}`;
    })
    .join('；');
}

/**
 * The laws and articles an opinion rests on (payload `legalBasis`, Reg. 32), as a document
 * prints them: 《中华人民共和国劳动合同法》第三十条、《信访工作条例》第三十二条.
 */
function legalBasisText(basis: unknown): string | undefined {
  if (!Array.isArray(basis)) return undefined;
  const items = basis.flatMap((b) => {
    const law = str((b as { law?: unknown } | null)?.law)?.replace(/^《|》$/g, '');
    const articles = str((b as { articles?: unknown } | null)?.articles) ?? '';
    return law ? [`《${law}》${articles}`] : [];
  });
  return items.length > 0 ? items.join('、') : undefined;
}

/** Only contract variables leave, and an absent one stays absent unless it is optional. */
function contractVariables(groups: Groups): DocumentContext {
  const out: DocumentContext = {};
  for (const [path, spec] of Object.entries(DOCUMENT_VARIABLES)) {
    const [root, key] = path.split('.') as [string, string];
    const value = groups[root]?.[key];
    out[root] ??= {};
    const group = out[root] as Record<string, string | number | boolean | null>;
    if (value !== undefined && value !== null) group[key] = value as string | number | boolean;
    else if (spec.optional) group[key] = null;
  }
  return out;
}
