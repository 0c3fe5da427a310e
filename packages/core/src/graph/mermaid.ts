import { guardsOf } from '../config/transitions.js';
import { type JurisdictionConfig, STAGES, type StateDef } from '../config/types.js';
import { SHARED_COMMANDS_STYLE, STAGE_STYLES, STATE_TEXT_COLOUR } from './colours.js';
import { IdMap, mermaidLines, mermaidText } from './labels.js';
import { type ProcessStep, processSteps } from './steps.js';

/** Options of {@link renderStateDiagram}. */
export interface StateDiagramOptions {
  /** Layout: top to bottom or left to right. @default 'TB' */
  direction?: 'TB' | 'LR';
  /** Commands (event types) left out of the diagram, e.g. `WITHDRAW`, which most states accept. */
  omit?: readonly string[];
  /**
   * A command that keeps the case in its state and is the same (roles, deadlines, article) in
   * at least this many states is drawn once, in a box listing those states, rather than
   * beside each of them. @default 3
   */
  shareAt?: number;
}

/** Default of {@link StateDiagramOptions.shareAt}. */
export const DEFAULT_SHARE_AT = 3;

function days(config: JurisdictionConfig, id: string): string {
  const d = config.deadlines[id];
  if (!d) return id;
  return `${id} ${d.days} ${d.unit === 'working' ? 'working days' : 'days'}`;
}

function stateLabel(config: JurisdictionConfig, id: string, def: StateDef): string {
  const paused = Object.entries(config.deadlines)
    .filter(([, d]) => d.pausedBy?.includes(id))
    .map(([d]) => d);
  return mermaidLines([
    def.name ?? id,
    def.name ? `${id} · ${def.stage}` : def.stage,
    def.starts?.length ? `starts ${def.starts.map((d) => days(config, d)).join(', ')}` : undefined,
    def.stops?.length ? `stops ${def.stops.join(', ')}` : undefined,
    paused.length ? `pauses ${paused.join(', ')}` : undefined,
  ]);
}

/** What a transition does to deadlines: the window it needs, what it starts, stops, extends. */
function deadlineParts(step: ProcessStep): string[] {
  const t = step.def;
  return [
    t.within ? `within ${t.within}` : '',
    t.starts?.length ? `starts ${t.starts.join(', ')}` : '',
    t.stops?.length ? `stops ${t.stops.join(', ')}` : '',
    t.extends ? `extends ${t.extends}` : '',
  ].filter((p) => p !== '');
}

function who(step: ProcessStep): string {
  return step.clock ? 'by the clock' : `by ${step.def.roles.join(', ')}`;
}

/** The command line of a label; alternatives of one event name the guards that choose them. */
function commandLine(step: ProcessStep): string {
  const guards = step.alternative === undefined ? [] : guardsOf(step.def).map((g) => g.type);
  return guards.length ? `${step.event} if ${guards.join(', ')}` : step.event;
}

function transitionLabel(step: ProcessStep): string {
  return mermaidLines([commandLine(step), who(step), deadlineParts(step).join(' · '), step.def.basis]);
}

/** A command that keeps the state, on one line (notes have one command per line). */
function stayLine(step: ProcessStep): string {
  return mermaidText(
    [`${commandLine(step)} ${who(step)}`, ...deadlineParts(step), step.def.basis ?? '']
      .filter(Boolean)
      .join(' · '),
  );
}

/** Two stays are "the same command" when everything a reader sees of them is the same. */
function signature(step: ProcessStep): string {
  return stayLine(step);
}

/** A diagram being drawn: the config, the Mermaid id of each state and box, and the lines so far. */
interface Drawing {
  config: JurisdictionConfig;
  ids: IdMap;
  states: [string, StateDef][];
  out: string[];
}

/**
 * Renders a jurisdiction's process as a Mermaid `stateDiagram-v2`: a box per state (its name,
 * id, stage, and the deadlines entering it starts, stops or pauses), coloured by stage; an
 * arrow per transition that moves the case, labelled with the command, who may send it (or
 * the clock, for a deadline's expiry), the deadlines it needs, starts, stops or extends, and
 * its legal basis. Commands that keep the case in its state go in a note beside the state, or,
 * when several states share them unchanged, once in a dashed box naming those states. A pure
 * function of the config: the same config always gives the same text.
 */
export function renderStateDiagram(config: JurisdictionConfig, options: StateDiagramOptions = {}): string {
  const omit = new Set(options.omit ?? []);
  // the states claim their ids first, in config order: a shared box never takes a state's name
  const ids = new IdMap();
  const states = Object.entries(config.process.states);
  for (const [id] of states) ids.get(id);
  const steps = processSteps(config).filter((s) => !omit.has(s.event));
  const d: Drawing = {
    config,
    ids,
    states,
    out: ['stateDiagram-v2', `  direction ${options.direction ?? 'TB'}`],
  };
  d.out.push(
    `  %% ${mermaidText(`${config.jurisdiction.id} ${config.jurisdiction.version}`)}, drawn by xinfang graph`,
  );
  if (omit.size > 0) d.out.push(`  %% left out: ${mermaidText([...omit].join(', '))}`);

  const stagesUsed = STAGES.filter((stage) => states.some(([, def]) => def.stage === stage));
  for (const stage of stagesUsed) {
    const { fill, stroke } = STAGE_STYLES[stage];
    d.out.push(`  classDef ${stageClass(stage)} fill:${fill},stroke:${stroke},color:${STATE_TEXT_COLOUR}`);
  }
  for (const [id, def] of states) d.out.push(`  state "${stateLabel(config, id, def)}" as ${ids.get(id)}`);
  const moves = steps.filter((s) => s.to !== undefined);
  const stays = steps.filter((s) => s.to === undefined);
  drawMoves(d, moves);
  drawStays(d, stays, options.shareAt ?? DEFAULT_SHARE_AT);
  for (const stage of stagesUsed) {
    const members = states.filter(([, def]) => def.stage === stage).map(([id]) => ids.get(id));
    d.out.push(`  class ${members.join(',')} ${stageClass(stage)}`);
  }
  return `${d.out.join('\n')}\n`;
}

/** The start arrow, an arrow per transition that moves the case, and an end after each state with no way out. */
function drawMoves({ config, ids, states, out }: Drawing, moves: readonly ProcessStep[]): void {
  out.push(`  [*] --> ${ids.get(config.process.initial)}`);
  for (const step of moves) {
    out.push(`  ${ids.get(step.state)} --> ${ids.get(step.to!)} : ${transitionLabel(step)}`);
  }
  for (const [id] of states) {
    if (!moves.some((s) => s.state === id && s.to !== id)) out.push(`  ${ids.get(id)} --> [*]`);
  }
}

/** The commands that keep the state: a note beside each state, then the boxes of shared ones. */
function drawStays(d: Drawing, stays: readonly ProcessStep[], shareAt: number): void {
  const { ids, states, out } = d;
  // stays shared unchanged by enough states are drawn once, grouped by the states that share them
  const statesOf = new Map<string, Set<string>>();
  for (const s of stays) {
    const set = statesOf.get(signature(s)) ?? new Set<string>();
    set.add(s.state);
    statesOf.set(signature(s), set);
  }
  const shared = (s: ProcessStep) => (statesOf.get(signature(s))?.size ?? 0) >= shareAt;

  for (const [id] of states) {
    const own = stays.filter((s) => s.state === id && !shared(s));
    if (own.length === 0) continue;
    out.push(`  note right of ${ids.get(id)}`);
    for (const line of unique(own.map(stayLine))) out.push(`    ${line}`);
    out.push('  end note');
  }

  const groups = new Map<string, string[]>();
  for (const s of stays.filter(shared)) {
    const key = [...statesOf.get(signature(s))!].join(' ');
    groups.set(key, unique([...(groups.get(key) ?? []), stayLine(s)]));
  }
  drawSharedBoxes(d, groups);
}

/** A dashed box per group of states sharing commands (`groups`: space-joined state ids -> lines). */
function drawSharedBoxes({ ids, states, out }: Drawing, groups: ReadonlyMap<string, string[]>): void {
  const boxes: string[] = [];
  let n = 0;
  for (const [key, lines] of groups) {
    const where = key.split(' ');
    const box = ids.get(`shared-commands-${++n}`);
    boxes.push(box);
    const heading =
      where.length === states.length
        ? 'Commands that keep the state, in every state'
        : `Commands that keep the state, in ${where.length} states`;
    const list = where.length === states.length ? [] : chunk(where, 4).map((c) => c.join(', '));
    out.push(`  state "${mermaidLines([heading, ...list, ...lines])}" as ${box}`);
  }
  if (boxes.length > 0) {
    out.push(`  classDef shared_commands ${SHARED_COMMANDS_STYLE}`);
    out.push(`  class ${boxes.join(',')} shared_commands`);
  }
}

/** The class a stage's states carry (`not-accepted` -> `stage_not_accepted`). */
export function stageClass(stage: string): string {
  return `stage_${stage.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

function unique(lines: string[]): string[] {
  return [...new Set(lines)];
}

function chunk<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
