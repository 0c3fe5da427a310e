/**
 * The register reports: one case's register (`--register`), and the three-colour board by form
 * section over every case of the store with the register fields filled in each (`--sections`).
 * Each case is read under the config the store keeps for it (its own version).
 */

import {
  type Board,
  boardOf,
  type CaseProjection,
  type CaseRegister,
  type CaseStore,
  type JurisdictionConfig,
  registerOf,
  XinfangError,
} from '@xinfang/core';
import { csv, percent, table } from './text.js';

/** What a report prints in each format, and a warning for stderr. */
interface Printed {
  json: unknown;
  csv: string;
  table: string;
  warning?: string;
}

const noSections = (c: JurisdictionConfig) => Object.keys(c.form.sections ?? {}).length === 0;

async function configOf(store: CaseStore, c: CaseProjection): Promise<JurisdictionConfig> {
  const config = (await store.getConfig(c.configHash)) as JurisdictionConfig | undefined;
  if (!config)
    throw new XinfangError('CLI_USAGE', `the store does not hold the config case ${c.caseId} runs under`);
  return config;
}

/** `--register <caseId>`: the case's register under its own config. */
export async function caseRegisterReport(store: CaseStore, source: string, caseId: string): Promise<Printed> {
  const c = await store.getCase(caseId);
  if (!c) throw new XinfangError('CLI_USAGE', `no case ${JSON.stringify(caseId)} in ${source}`);
  const config = await configOf(store, c);
  const r = registerOf(config, await store.events(caseId));
  return {
    json: r,
    csv: registerCsv(r),
    table: formatRegister(r),
    ...(noSections(config)
      ? { warning: `${config.jurisdiction.id} has no form sections: the register is empty` }
      : {}),
  };
}

/** One board per jurisdiction of the store, over its cases and their registers. */
interface SectionsBoard {
  jurisdiction: string;
  cases: number;
  board: Board;
}

/** `--sections`: every case of the store, a page at a time, on its jurisdiction's board. */
export async function sectionsReport(store: CaseStore): Promise<Printed> {
  const configs = new Map<string, JurisdictionConfig>();
  const byJurisdiction = new Map<
    string,
    { config: JurisdictionConfig; cases: CaseProjection[]; registers: CaseRegister[] }
  >();
  let after: string | undefined;
  for (;;) {
    const page = await store.query({ limit: 200, ...(after !== undefined ? { after } : {}) });
    for (const c of page) {
      const config = configs.get(c.configHash) ?? (await configOf(store, c));
      configs.set(c.configHash, config);
      // the board of a jurisdiction is laid out by the config of its first case read
      const group = byJurisdiction.get(c.jurisdictionId) ?? { config, cases: [], registers: [] };
      group.cases.push(c);
      group.registers.push(registerOf(config, await store.events(c.caseId)));
      byJurisdiction.set(c.jurisdictionId, group);
    }
    if (page.length < 200) break;
    after = page.at(-1)?.caseId;
  }
  const boards: SectionsBoard[] = [...byJurisdiction.entries()].map(([jurisdiction, g]) => ({
    jurisdiction,
    cases: g.cases.length,
    board: boardOf(g.config, g.cases, g.registers),
  }));
  const without = [...byJurisdiction.entries()].filter(([, g]) => noSections(g.config)).map(([j]) => j);
  return {
    json: boards,
    csv: sectionsCsv(boards),
    table: boards.length === 0 ? 'no cases' : boards.map(formatSections).join('\n\n'),
    ...(without.length > 0 ? { warning: `${without.join(', ')}: no form sections, so no columns` } : {}),
  };
}

function formatSections(b: SectionsBoard): string {
  const { labels } = b.board;
  const rows = b.board.columns.map((c) => [
    c.name,
    c.section,
    String(c.counts.green),
    String(c.counts.blue),
    String(c.counts.red),
    c.fields ? `${c.fields.filled}/${c.fields.total}` : '-',
    c.fields ? percent(c.fields.total === 0 ? null : c.fields.filled / c.fields.total) : '-',
  ]);
  const title = `${b.board.name ?? b.jurisdiction} (${b.jurisdiction}): ${b.cases} cases`;
  const head = ['section', 'id', labels.green, labels.blue, labels.red, 'fields filled', 'filled'];
  return `${title}\n${table(head, rows, 2)}`;
}

function sectionsCsv(boards: SectionsBoard[]): string {
  const rows = boards.flatMap((b) =>
    b.board.columns.map((c) => [
      b.jurisdiction,
      c.section,
      c.name,
      c.counts.green,
      c.counts.blue,
      c.counts.red,
      c.fields?.filled,
      c.fields?.total,
    ]),
  );
  return csv(
    ['jurisdiction', 'section', 'name', 'green', 'blue', 'red', 'fieldsFilled', 'fieldsTotal'],
    rows,
  );
}

/** Each section under its name and count filled, its fields with their values (empty: `-`). */
export function formatRegister(r: CaseRegister): string {
  const out = [`register of ${r.caseId}: ${r.filled} of ${r.total} fields filled`];
  if (r.sections.some((s) => s.fields.some((f) => f.illustrative))) {
    out.push(
      "(fields marked * are the config's illustration of what a bureau records, not an official form)",
    );
  }
  for (const s of r.sections) {
    out.push('', `${s.name} (${s.section}): ${s.filled}/${s.total}`);
    const rows = s.fields.map((f) => [`${f.illustrative ? '*' : ''}${f.name}`, f.id, f.type, f.text || '-']);
    out.push(table(['field', 'id', 'type', 'value'], rows, 4));
  }
  return out.join('\n');
}

/** One row per field: section, field id, label, type, value as recorded and in words. */
export function registerCsv(r: CaseRegister): string {
  const rows = r.sections.flatMap((s) =>
    s.fields.map((f) => [
      s.section,
      f.id,
      f.name,
      f.type,
      f.value === null ? null : typeof f.value === 'object' ? JSON.stringify(f.value) : String(f.value),
      f.text,
    ]),
  );
  return csv(['section', 'field', 'name', 'type', 'value', 'text'], rows);
}
