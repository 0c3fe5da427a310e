/**
 * The stage board: the cases a viewer may read, counted by stage, responsible unit and colour,
 * and each red case with what it still owes, in words and with its due date ("信访处理意见书,
 * due 2026-05-06"). It needs no form sections, so it works on any config, the national baseline
 * included.
 *
 * It reads through the engine's `query` (`BoardReader`), never the store directly: each page is
 * the store's own statement with the viewer's scope in it (`readableBy`), then held by the
 * engine against each case's keyed document and its read rule (`mayRead`: the accused unit reads
 * nothing of an accusation against it). Pages follow the keyset cursor until the engine says
 * there is no more, so no count stops silently at a page size. What a case owes is read from
 * the deadline states of its projection, which the page already holds: no read per case.
 */

import { XinfangError } from '../base/errors.js';
import { InputError } from '../base/input.js';
import { matterClassOf } from '../compiler/guards/matter.js';
import type { CaseContext, DeadlineState } from '../compiler/types.js';
import { guardsOf, transitionEntries } from '../config/transitions.js';
import type { JurisdictionConfig, TransitionDef } from '../config/types.js';
import type { ActorRef, CaseProjection, CaseQuery, Colour, RedReason } from '../store/types.js';

/**
 * What the board reads cases through: `engine.query`, which scopes every page to the viewer.
 * An `Engine` is one.
 */
export interface BoardReader {
  query(q: CaseQuery, viewer: ActorRef): Promise<{ cases: CaseProjection[]; next?: string }>;
}

/** A duty a case still owes: its period running (or paused), or run out with the duty not done. */
export interface OwedStep {
  /** The deadline (`handling`) and its name in the config. */
  deadline: string;
  deadlineName: string;
  /** Its due date (the last day of the period), once the engine computed it. */
  dueDate?: string;
  /** The period ran out and the duty is still not done (the case is red for it). */
  overdue: boolean;
  /** The documents whose issue would end the period, by name (empty: a step without one). */
  documents: string[];
  /** In words: `信访处理意见书, due 2026-05-06`, or the period's name when no document ends it. */
  text: string;
}

/** One case on the board. */
export interface StageBoardCase {
  caseId: string;
  state: string;
  /** The state's name in the config (its id when it has none). */
  stateName: string;
  stage: string;
  colour: Colour;
  unit?: string;
  /** The responsible unit's name in the config's registry. */
  unitName?: string;
  reasons: RedReason[];
  /** Overdue duties first, then by due date. */
  owes: OwedStep[];
  /** The leader in personal charge of the case (包案, Reg. 18), when one took it (`TAKE_CHARGE`). */
  leadCase?: { leader: string; position?: string };
}

/** Counts per colour. */
export type ColourCounts = Record<Colour, number>;

/** The board: counts by colour, by stage (in the config's order) and by unit, and the red cases. */
export interface StageBoard {
  cases: number;
  byColour: ColourCounts;
  stages: { stage: string; counts: ColourCounts }[];
  /** By responsible unit, in the order first met; `unit` is `''` for a case without one. */
  units: { unit: string; name?: string; counts: ColourCounts }[];
  red: StageBoardCase[];
  /** Pages read. */
  pages: number;
}

/** The filters a board may take: everything of a query but its scope and cursor, which are the board's. */
export type BoardQuery = Omit<CaseQuery, 'after' | 'limit' | 'readableBy'>;

/** Options of {@link stageBoard}. */
export interface StageBoardOptions {
  /** Whom the board is for: it shows only the cases they may read. */
  viewer: ActorRef;
  /** Narrows the cases (a jurisdiction, a stage, a unit, a colour). */
  query?: BoardQuery;
  /** Cases read per page (1 to 1000). @default 500 */
  pageSize?: number;
}

/** Options of {@link stageBoardPage}. */
export interface StageBoardPageOptions {
  /** Whom the page is for: it lists only the cases they may read. */
  viewer: ActorRef;
  query?: BoardQuery;
  /** The `next` of the page before. */
  after?: string;
  /** Cases per page (1 to 1000). @default 50 */
  limit?: number;
}

/** One page of the board and the cursor of the next (absent on the last page). */
export interface StageBoardPage {
  cases: StageBoardCase[];
  next?: string;
}

const zero = (): ColourCounts => ({ green: 0, blue: 0, red: 0 });
const MAX_PAGE = 1000;

/** The stages of a config in the order its states first name them. */
function stageOrder(config: JurisdictionConfig): string[] {
  return [...new Set(Object.values(config.process.states).map((s) => s.stage as string))];
}

/**
 * Whether a step is for the case's class of matter (Reg. 29-31): a suggestion's answer is not a
 * way to end an opinion matter's period, nor an acceptance an accusation's.
 */
function forClassOf(t: TransitionDef, data: CaseContext['data']): boolean {
  const c = data?.decisions && data.rules ? matterClassOf({ data } as CaseContext, undefined) : undefined;
  if (c === undefined) return true;
  return guardsOf(t).every(
    (g) =>
      g.type !== 'matterClass' || !Array.isArray(g.params?.classes) || g.params.classes.includes(c.value),
  );
}

/** The documents that the steps out of `state` would issue, for the case's class, while ending `deadline`. */
function documentsEnding(
  config: JurisdictionConfig,
  state: string,
  deadline: string,
  data: CaseContext['data'],
): string[] {
  const names = new Set<string>();
  for (const t of transitionEntries(config.process.states[state]).flatMap((e) => e.alternatives)) {
    if (!forClassOf(t, data)) continue;
    const target = t.to ? config.process.states[t.to] : undefined;
    if (![...(t.stops ?? []), ...(target?.stops ?? [])].includes(deadline)) continue;
    for (const d of [...(t.issues ?? []), ...(target?.issues ?? [])])
      names.add(config.documents[d]?.name ?? d);
  }
  return [...names];
}

/**
 * What a case still owes: each duty period of its data running, paused, or fired and not ended
 * (overdue), with the documents that would end it, read from the projection alone.
 */
export function owedSteps(config: JurisdictionConfig, c: Pick<CaseProjection, 'state' | 'data'>): OwedStep[] {
  const deadlines = (c.data as { deadlines?: Record<string, DeadlineState> }).deadlines ?? {};
  const out: OwedStep[] = [];
  for (const [id, d] of Object.entries(deadlines)) {
    const def = config.deadlines[id];
    // a window is the petitioner's to use, not a duty; a stopped period was ended
    if (def?.kind === 'window' || d.status === 'stopped') continue;
    const deadlineName = def?.name ?? id;
    const documents = documentsEnding(config, c.state, id, c.data as unknown as CaseContext['data']);
    const what = documents.length > 0 ? documents.join(' / ') : deadlineName;
    out.push({
      deadline: id,
      deadlineName,
      ...(d.dueDate !== undefined ? { dueDate: d.dueDate } : {}),
      overdue: d.status === 'fired',
      documents,
      text: d.dueDate !== undefined ? `${what}, due ${d.dueDate}` : what,
    });
  }
  // the stored data's key order is the store's (PostgreSQL's jsonb sorts keys): order by meaning
  return out.sort(
    (a, b) =>
      Number(b.overdue) - Number(a.overdue) ||
      (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999') ||
      a.deadline.localeCompare(b.deadline),
  );
}

/** A case as the board shows it. */
export function stageBoardCase(config: JurisdictionConfig, c: CaseProjection): StageBoardCase {
  const unit = c.responsibleUnit;
  const unitName = unit === undefined ? undefined : config.units[unit]?.name;
  return {
    caseId: c.caseId,
    state: c.state,
    stateName: config.process.states[c.state]?.name ?? c.state,
    stage: c.stage,
    colour: c.colour,
    ...(unit !== undefined ? { unit } : {}),
    ...(unitName !== undefined ? { unitName } : {}),
    reasons: c.redReasons,
    owes: owedSteps(config, c),
    ...leadCaseOf(c),
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The leader recorded by the latest `TAKE_CHARGE` (decision `leadCase`), if any. */
function leadCaseOf(c: CaseProjection): Pick<StageBoardCase, 'leadCase'> {
  const decisions = c.data.decisions;
  const lead = isObject(decisions) ? decisions.leadCase : undefined;
  if (!isObject(lead) || typeof lead.leader !== 'string') return {};
  const position = typeof lead.position === 'string' ? lead.position : undefined;
  return { leadCase: { leader: lead.leader, ...(position !== undefined ? { position } : {}) } };
}

function requireViewer(viewer: unknown): void {
  const v = viewer as Partial<ActorRef> | null | undefined;
  if (typeof v === 'object' && v !== null && typeof v.id === 'string' && typeof v.role === 'string') return;
  throw new XinfangError(
    'ACTOR_INVALID',
    'the board needs { viewer }: the person it is for ({ id, role, unit }), so that it shows only the cases they may read',
    { actor: viewer },
  );
}

function pageSize(value: number | undefined, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (Number.isInteger(value) && value >= 1 && value <= MAX_PAGE) return value;
  throw new InputError(
    'INPUT_INVALID',
    `${field} must be a whole number from 1 to ${MAX_PAGE}, not ${value}`,
    {
      field,
      expected: `an integer from 1 to ${MAX_PAGE}`,
      found: String(value),
    },
  );
}

/** One page of the board for `viewer`: the cases after `after`, each with what it owes. */
export async function stageBoardPage(
  reader: BoardReader,
  config: JurisdictionConfig,
  options: StageBoardPageOptions,
): Promise<StageBoardPage> {
  requireViewer(options?.viewer);
  const limit = pageSize(options.limit, 'limit', 50);
  const page = await reader.query(
    { ...options.query, limit, ...(options.after !== undefined ? { after: options.after } : {}) },
    options.viewer,
  );
  return {
    cases: page.cases.map((c) => stageBoardCase(config, c)),
    ...(page.next !== undefined ? { next: page.next } : {}),
  };
}

/** Every case `viewer` may read that the query matches, page by page, counted into the board. */
export async function stageBoard(
  reader: BoardReader,
  config: JurisdictionConfig,
  options: StageBoardOptions,
): Promise<StageBoard> {
  requireViewer(options?.viewer);
  const limit = pageSize(options.pageSize, 'pageSize', 500);
  const byStage = new Map(stageOrder(config).map((s) => [s, zero()]));
  const byUnit = new Map<string, ColourCounts>();
  const board: StageBoard = { cases: 0, byColour: zero(), stages: [], units: [], red: [], pages: 0 };
  let after: string | undefined;
  do {
    const page = await stageBoardPage(reader, config, {
      viewer: options.viewer,
      limit,
      ...(options.query ? { query: options.query } : {}),
      ...(after !== undefined ? { after } : {}),
    });
    board.pages++;
    for (const c of page.cases) {
      board.cases++;
      board.byColour[c.colour]++;
      const stage = byStage.get(c.stage) ?? zero();
      stage[c.colour]++;
      byStage.set(c.stage, stage);
      const unit = byUnit.get(c.unit ?? '') ?? zero();
      unit[c.colour]++;
      byUnit.set(c.unit ?? '', unit);
      if (c.colour === 'red') board.red.push(c);
    }
    after = page.next;
  } while (after !== undefined);
  board.stages = [...byStage].map(([stage, counts]) => ({ stage, counts }));
  board.units = [...byUnit].map(([unit, counts]) => {
    const name = config.units[unit]?.name;
    return { unit, ...(name !== undefined ? { name } : {}), counts };
  });
  return board;
}
