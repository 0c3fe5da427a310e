import type { JurisdictionConfig } from '../config/types.js';
import type { BasisItem, LegalBasisMap } from './legal-basis.js';
import { processSteps } from './steps.js';

/**
 * Markdown pages generated from a config, for `docs/`. They are written in the form the
 * repository's formatter leaves unchanged (no tables, `-` lists, single spaces), so a generated
 * page is byte-for-byte what the generator makes and a staleness check can compare them.
 */

/** Where a generated page came from, for its header. */
export interface PageSource {
  /** The config file as the command was given it, e.g. `configs/national.yaml`. */
  config: string;
  /** The command that regenerates the page, e.g. `xinfang graph configs/national.yaml --out docs/diagrams/national.md`. */
  command: string;
}

/** Text from a config, safe in Markdown prose: one line, with Markdown's markup characters escaped. */
export function markdownText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/([\\`*_[\]<>#|])/g, '\\$1');
}

function generatedNote(config: JurisdictionConfig, source: PageSource): string {
  const j = config.jurisdiction;
  return (
    `Generated from \`${source.config}\` (\`${j.id}\`, version ${markdownText(j.version)}) by ` +
    `\`${source.command}\`. Do not edit it by hand: change the config and run the command again; ` +
    'a test fails while this page is out of date.'
  );
}

/** A page holding the state diagram of a config (`xinfang graph --out <file>.md`). */
export function renderDiagramPage(config: JurisdictionConfig, diagram: string, source: PageSource): string {
  const steps = processSteps(config);
  const moves = steps.filter((s) => s.to !== undefined).length;
  // a command many states share (supervision, rating) is one command, however many states accept it
  const stays = new Set(steps.filter((s) => s.to === undefined).map((s) => s.event)).size;
  const states = Object.keys(config.process.states).length;
  return [
    `# ${markdownText(config.jurisdiction.name)}: the procedure`,
    '',
    generatedNote(config, source),
    '',
    `${states} states, ${moves} transitions that move a case, and ${stays} commands that keep it in its state. ` +
      'Each box is a state: its name, id and stage, and the deadlines entering it starts, stops ' +
      'or pauses; its colour is its stage. Each arrow is a transition: the command, who may send it, the ' +
      'deadline it must be within, starts, stops or extends, and its legal basis. Arrows "by the clock" are ' +
      "a deadline's expiry. Notes list the commands that keep the case in its state; a dashed box lists " +
      'those several states share.',
    '',
    '```mermaid',
    diagram.trimEnd(),
    '```',
    '',
  ].join('\n');
}

const KIND_WORD: Record<BasisItem['kind'], string> = {
  state: 'state',
  transition: 'transition',
  deadline: 'deadline',
  extension: 'extension of',
  document: 'document',
  rule: 'rule',
  delivery: 'delivery channel',
  ground: 'supervision ground',
  report: 'report',
};

/** One line of the page: an item, or a transition many states share (`states`). */
interface Line {
  item: BasisItem;
  /** The states the same transition leaves, in config order, when there are several. */
  states: string[];
}

/**
 * The same command with the same name, target and basis in several states (supervision,
 * withdrawal) is one line naming the states, not a line per state.
 */
function lines(items: BasisItem[]): Line[] {
  const out: Line[] = [];
  const byKey = new Map<string, Line>();
  for (const item of items) {
    const t = item.transition;
    if (!t) {
      out.push({ item, states: [] });
      continue;
    }
    const key = JSON.stringify([
      t.event,
      t.to ?? null,
      item.name ?? null,
      item.basis,
      item.articleItem ?? null,
    ]);
    const line = byKey.get(key);
    if (line) line.states.push(t.state);
    else {
      const fresh = { item, states: [t.state] };
      byKey.set(key, fresh);
      out.push(fresh);
    }
  }
  return out;
}

function stateList(states: string[], all: string[]): string {
  if (states.length > 1 && states.length === all.length) return 'every state';
  return states.map((s) => `\`${s}\``).join(', ');
}

function itemLine({ item, states }: Line, allStates: string[], showBasis: boolean): string {
  let where: string;
  if (item.transition) {
    const t = item.transition;
    const from = stateList(states, allStates);
    where = t.to ? `\`${t.event}\` from ${from} to \`${t.to}\`` : `\`${t.event}\` in ${from}`;
  } else if (item.kind === 'rule') {
    const [set, rule] = item.ref.split('/');
    where = `\`${rule}\` of \`${set}\``;
  } else {
    where = `\`${item.ref}\``;
  }
  const parts = [`- ${KIND_WORD[item.kind]} ${where}`];
  if (item.name) parts.push(markdownText(item.name));
  const extra = [item.period, item.articleItem ? `item ${item.articleItem}` : undefined].filter(Boolean);
  let line = parts.join(' ');
  if (extra.length) line += ` (${markdownText(extra.join(', '))})`;
  if (showBasis) line += `: ${markdownText(item.basis)}`;
  return line;
}

/** The legal-basis map as a page (`xinfang basis --out <file>.md`). */
export function renderLegalBasisPage(
  config: JurisdictionConfig,
  map: LegalBasisMap,
  source: PageSource,
): string {
  const allStates = Object.keys(config.process.states);
  const out: string[] = [
    `# ${markdownText(config.jurisdiction.name)}: legal basis`,
    '',
    generatedNote(config, source),
    '',
    'For each article cited in a `basis`, the states, transitions, deadlines, documents, rules, ' +
      'delivery channels, supervision grounds and reports that cite it. A range (`art. 35-36`) counts for every article in it; an item ' +
      '(`art. 31 (1)`) is shown beside the entry. A command several states accept alike is one line ' +
      'naming those states.',
  ];
  for (const a of map.articles) {
    out.push('', `## ${markdownText(a.label)}`, '');
    for (const line of lines(a.items)) out.push(itemLine(line, allStates, false));
  }
  if (map.practice.length) {
    out.push('', '## Practice', '', 'Steps that rest on practice rather than on an article, and why.', '');
    for (const line of lines(map.practice)) out.push(itemLine(line, allStates, true));
  }
  if (map.unparsed.length) {
    out.push(
      '',
      '## Other citations',
      '',
      'Bases that cite no article in the `<instrument> art. N` form.',
      '',
    );
    for (const line of lines(map.unparsed)) out.push(itemLine(line, allStates, true));
  }
  if (map.missing.length) {
    out.push('', '## Without a basis', '', 'States and transitions that give no `basis`.', '');
    for (const line of lines(map.missing)) out.push(itemLine(line, allStates, false));
  }
  out.push('');
  return out.join('\n');
}
