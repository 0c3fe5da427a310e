/**
 * The stage board: every case of a store counted by stage and colour, and each red case with
 * what it still owes, in words and with its due date ("信访处理意见书, due 2026-05-06"). It needs
 * no form sections, so it works on any config, the national baseline included; the cases are
 * read by the store's own query a page at a time (keyset cursor), never all at once.
 */

import { transitionEntries } from '../config/transitions.js';
import type { JurisdictionConfig } from '../config/types.js';
import type { CaseProjection, CaseQuery, CaseStore, Colour, DeadlineRow, RedReason } from '../store/types.js';

/** What a red case still owes for one missed period. */
export interface OwedStep {
  /** The missed deadline (`handling`) and its name in the config. */
  deadline: string;
  deadlineName: string;
  /** Its due date (the last day of the period), when the store has its row. */
  dueDate?: string;
  /** The documents whose issue would end the missed period, by name (empty: a step without one). */
  documents: string[];
  /** In words: `信访处理意见书, due 2026-05-06`, or the period's name when no document ends it. */
  text: string;
}

/** One red case on the board. */
export interface RedCase {
  caseId: string;
  state: string;
  stage: string;
  unit?: string;
  reasons: RedReason[];
  owes: OwedStep[];
}

/** The board: counts by colour and by stage (stages in the config's order), and the red cases. */
export interface StageBoard {
  cases: number;
  byColour: Record<Colour, number>;
  stages: { stage: string; counts: Record<Colour, number> }[];
  red: RedCase[];
}

/** Options of {@link stageBoard}. */
export interface StageBoardOptions {
  /** Narrows the cases read (a jurisdiction, a unit, `readableBy`); its `after` and `limit` are the board's own. */
  query?: Omit<CaseQuery, 'after' | 'limit'>;
  /** Cases read per page. @default 500 */
  pageSize?: number;
}

const zero = (): Record<Colour, number> => ({ green: 0, blue: 0, red: 0 });

/** The stages of a config in the order its states first name them. */
function stageOrder(config: JurisdictionConfig): string[] {
  return [...new Set(Object.values(config.process.states).map((s) => s.stage as string))];
}

/** The documents that the steps out of the case's state would issue while ending `deadline`. */
function documentsEnding(config: JurisdictionConfig, state: string, deadline: string): string[] {
  const names = new Set<string>();
  for (const t of transitionEntries(config.process.states[state]).flatMap((e) => e.alternatives)) {
    const target = t.to ? config.process.states[t.to] : undefined;
    if (![...(t.stops ?? []), ...(target?.stops ?? [])].includes(deadline)) continue;
    for (const d of [...(t.issues ?? []), ...(target?.issues ?? [])])
      names.add(config.documents[d]?.name ?? d);
  }
  return [...names];
}

/** What `c`, a red case, owes for each period it missed and has not yet ended. */
export function owedSteps(
  config: JurisdictionConfig,
  c: CaseProjection,
  rows: readonly DeadlineRow[],
): OwedStep[] {
  const out: OwedStep[] = [];
  for (const ref of new Set(c.redReasons.map((r) => r.ref).filter((r): r is string => r !== undefined))) {
    const mine = rows.filter((r) => r.deadlineId === ref);
    // the period that fired is the one missed; a later row of the same period is a new one
    const row = mine.filter((r) => r.status === 'fired').at(-1) ?? mine.at(-1);
    const deadlineName = config.deadlines[ref]?.name ?? ref;
    const documents = documentsEnding(config, c.state, ref);
    const what = documents.length > 0 ? documents.join(' / ') : deadlineName;
    out.push({
      deadline: ref,
      deadlineName,
      ...(row ? { dueDate: row.dueDate } : {}),
      documents,
      text: row ? `${what}, due ${row.dueDate}` : what,
    });
  }
  return out;
}

/** Reads every case the query matches, page by page, into the board. */
export async function stageBoard(
  store: Pick<CaseStore, 'query' | 'deadlines'>,
  config: JurisdictionConfig,
  options: StageBoardOptions = {},
): Promise<StageBoard> {
  const order = stageOrder(config);
  const byStage = new Map(order.map((s) => [s, zero()]));
  const board: StageBoard = { cases: 0, byColour: zero(), stages: [], red: [] };
  const limit = options.pageSize ?? 500;
  let after: string | undefined;
  for (;;) {
    const page = await store.query({ ...options.query, limit, ...(after !== undefined ? { after } : {}) });
    for (const c of page) {
      board.cases++;
      board.byColour[c.colour]++;
      const counts = byStage.get(c.stage) ?? zero();
      counts[c.colour]++;
      byStage.set(c.stage, counts);
      if (c.colour !== 'red') continue;
      board.red.push({
        caseId: c.caseId,
        state: c.state,
        stage: c.stage,
        ...(c.responsibleUnit !== undefined ? { unit: c.responsibleUnit } : {}),
        reasons: c.redReasons,
        owes: owedSteps(config, c, await store.deadlines(c.caseId)),
      });
    }
    if (page.length < limit) break;
    after = page[page.length - 1]?.caseId;
  }
  board.stages = [...byStage].map(([stage, counts]) => ({ stage, counts }));
  return board;
}
