import { type CaseStore, type JurisdictionConfig, owedSteps, type RedReason } from '@xinfang/core';

/** What the demo prints at its end, computed from the store alone (as a report would be). */
export interface Board {
  cases: number;
  byColour: Record<'green' | 'blue' | 'red', number>;
  /** Case counts per stage, split by colour. */
  byStage: Record<string, Record<'green' | 'blue' | 'red', number>>;
  /** Disposal and acceptance periods met / decided (Reg. 22-23). */
  acceptance: { onTime: number; decided: number };
  /** Handling, review and re-examination periods met / completed (Reg. 34-36). */
  completion: { onTime: number; decided: number };
  documents: { issued: number; waived: number };
  red: { caseId: string; state: string; unit?: string; reasons: RedReason[]; owes: string[] }[];
}

const ACCEPTANCE_DEADLINES = new Set(['disposal', 'directNotice', 'acceptance']);
const COMPLETION_DEADLINES = new Set(['handling', 'review', 'reexamination', 'assignment']);

/** Reads every case of the store (keyset pages) and counts what the board shows. */
export async function buildBoard(store: CaseStore, config: JurisdictionConfig): Promise<Board> {
  const board: Board = {
    cases: 0,
    byColour: { green: 0, blue: 0, red: 0 },
    byStage: {},
    acceptance: { onTime: 0, decided: 0 },
    completion: { onTime: 0, decided: 0 },
    documents: { issued: 0, waived: 0 },
    red: [],
  };
  let after: string | undefined;
  for (;;) {
    const page = await store.query({ limit: 500, ...(after ? { after } : {}) });
    if (page.length === 0) break;
    for (const c of page) {
      board.cases++;
      const colour = c.colour;
      board.byColour[colour]++;
      const row = board.byStage[c.stage] ?? { green: 0, blue: 0, red: 0 };
      row[colour]++;
      board.byStage[c.stage] = row;
      const rows = await store.deadlines(c.caseId);
      for (const d of rows) {
        const tally = ACCEPTANCE_DEADLINES.has(d.deadlineId)
          ? board.acceptance
          : COMPLETION_DEADLINES.has(d.deadlineId)
            ? board.completion
            : undefined;
        // a period counts once it is decided: met (stopped before firing) or missed (fired)
        if (!tally || (d.status !== 'stopped' && d.status !== 'fired')) continue;
        tally.decided++;
        if (d.status === 'stopped') tally.onTime++;
      }
      if (colour === 'red') {
        board.red.push({
          caseId: c.caseId,
          state: c.state,
          ...(c.responsibleUnit ? { unit: c.responsibleUnit } : {}),
          reasons: c.redReasons,
          owes: owedSteps(config, c).map((o) => o.text),
        });
      }
    }
    after = page[page.length - 1]?.caseId;
  }
  for (const row of await store.outbox()) {
    if (row.kind === 'document') board.documents.issued++;
  }
  return board;
}

const pct = (n: number, d: number) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`);

/** The board as text: colours by stage, the two on-time rates, the red cases. */
export function formatBoard(board: Board, config: JurisdictionConfig, maxRed = 12): string {
  const lines: string[] = [];
  const { green, blue, red } = board.byColour;
  lines.push(
    `三色预警 three-colour board — ${board.cases} cases: 绿 green ${green} · 蓝 blue ${blue} · 红 red ${red}`,
  );
  lines.push('');
  lines.push(`${'stage'.padEnd(16)}${'green'.padStart(8)}${'blue'.padStart(8)}${'red'.padStart(8)}`);
  for (const [stage, row] of Object.entries(board.byStage).sort()) {
    lines.push(
      `${stage.padEnd(16)}${String(row.green).padStart(8)}${String(row.blue).padStart(8)}${String(row.red).padStart(8)}`,
    );
  }
  lines.push('');
  lines.push(
    `按期受理率 on-time acceptance: ${pct(board.acceptance.onTime, board.acceptance.decided)} (${board.acceptance.onTime}/${board.acceptance.decided} periods met, Reg. 22-23)`,
  );
  lines.push(
    `按期办结率 on-time completion: ${pct(board.completion.onTime, board.completion.decided)} (${board.completion.onTime}/${board.completion.decided} periods met, Reg. 34-36)`,
  );
  lines.push(`documents issued: ${board.documents.issued}`);
  if (board.red.length > 0) {
    lines.push('');
    lines.push(`red cases (${board.red.length}; first ${Math.min(maxRed, board.red.length)}):`);
    for (const r of board.red.slice(0, maxRed)) {
      const unit = r.unit ? (config.units[r.unit]?.name ?? r.unit) : '';
      const why = r.reasons.map((x) => `${x.message}${x.basis ? ` [${x.basis}]` : ''}`).join('; ');
      lines.push(`  ${r.caseId}  ${r.state}  ${unit}`);
      lines.push(`    why: ${why}`);
      lines.push(
        `    still owes: ${r.owes.length > 0 ? r.owes.join('; ') : r.reasons.map((x) => x.message).join('; ')}`,
      );
    }
  }
  return lines.join('\n');
}
