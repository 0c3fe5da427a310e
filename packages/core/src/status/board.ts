/**
 * The three-colour board (Shaanxi practice): the registration form's sections as columns, and
 * in each the cases coloured green (in progress there), blue (completed there) or red (the
 * procedure was not followed there: one of the section's deadlines was missed). A case sits in
 * the section of its current stage; a missed deadline also marks the section it belongs to, so
 * a case that was late at registration and is now being handled shows in both columns.
 */

import type { FormSection, JurisdictionConfig } from '../config/types.js';
import type { Colour, RedReason } from '../store/types.js';
import { type ColourInput, colourOf, isCompletedStage } from './colour.js';
import type { CaseRegister } from './register.js';

/** One section of one case on the board. */
export interface SectionMark {
  section: string;
  colour: Colour;
  /** The missed deadlines that make the section red (open reasons and kept violations). */
  reasons: RedReason[];
}

/** One column of the board: a section and its counts per colour. */
export interface BoardColumn {
  section: string;
  name: string;
  counts: Record<Colour, number>;
  /**
   * With the cases' registers ({@link boardOf}'s `registers`): how many of the section's fields
   * their events have filled, of how many the section has over those cases.
   */
  fields?: { filled: number; total: number };
}

/** The board: its columns in the form's order and the label of each colour. */
export interface Board {
  name?: string;
  labels: Record<Colour, string>;
  columns: BoardColumn[];
  /** Cases whose current stage no section holds, by colour (the config's sections leave it out). */
  unplaced: Record<Colour, number>;
}

/** Labels when the config names none: the words of the Shaanxi register. */
const DEFAULT_LABELS: Record<Colour, string> = { green: '正在办理', blue: '已办结', red: '未按程序办理' };

const zero = (): Record<Colour, number> => ({ green: 0, blue: 0, red: 0 });

const holds = (s: FormSection, stage: string) => (s.stages as readonly string[] | undefined)?.includes(stage);

/**
 * The sections a case is marked in: the section of its current stage (green, or blue once the
 * stage is a completed one), and every section whose deadline the case missed (red). A missed
 * deadline no section lists marks the current section. Sections come in the form's order.
 */
export function sectionMarks(config: JurisdictionConfig, c: ColourInput): SectionMark[] {
  const sections = Object.entries(config.form.sections ?? {});
  const current = sections.find(([, s]) => holds(s, c.stage))?.[0];
  // an open reason is usually kept as a violation too: count each missed step once
  const key = (r: RedReason) => `${r.code}\u0000${r.ref ?? ''}\u0000${r.at}`;
  const open = new Set(c.redReasons.map(key));
  const reasons = [...c.redReasons, ...(c.violations ?? []).filter((v) => !open.has(key(v)))];
  const owner = (r: RedReason) =>
    sections.find(([, s]) => r.ref !== undefined && s.deadlines?.includes(r.ref))?.[0] ?? current;
  const out: SectionMark[] = [];
  for (const [id] of sections) {
    const mine = reasons.filter((r) => owner(r) === id);
    if (mine.length > 0) out.push({ section: id, colour: 'red', reasons: mine });
    else if (id === current) {
      out.push({ section: id, colour: isCompletedStage(c.stage) ? 'blue' : 'green', reasons: [] });
    }
  }
  return out;
}

/**
 * Counts cases per section and colour ({@link sectionMarks}), with the config's labels. Given the
 * registers of the cases (`registerOf`), each column also counts the fields filled and the
 * fields there are, so a register short of what its steps should have recorded shows.
 */
export function boardOf(
  config: JurisdictionConfig,
  cases: Iterable<ColourInput>,
  registers?: Iterable<CaseRegister>,
): Board {
  const sections = config.form.sections ?? {};
  const columns = new Map(
    Object.entries(sections).map(([id, s]): [string, BoardColumn] => [
      id,
      { section: id, name: s.name, counts: zero() },
    ]),
  );
  const unplaced = zero();
  for (const c of cases) {
    for (const m of sectionMarks(config, c)) {
      const column = columns.get(m.section);
      if (column) column.counts[m.colour]++;
    }
    if (!Object.values(sections).some((s) => holds(s, c.stage))) unplaced[colourOf(c).colour]++;
  }
  if (registers !== undefined) {
    for (const column of columns.values()) column.fields = { filled: 0, total: 0 };
    for (const r of registers) {
      for (const s of r.sections) {
        const fields = columns.get(s.section)?.fields;
        if (!fields) continue;
        fields.filled += s.filled;
        fields.total += s.total;
      }
    }
  }
  const board: Board = {
    labels: { ...DEFAULT_LABELS, ...config.board?.labels },
    columns: [...columns.values()],
    unplaced,
  };
  if (config.board?.name !== undefined) board.name = config.board.name;
  return board;
}
