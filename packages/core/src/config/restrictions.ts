import type { Diagnostic } from '../base/diagnostics.js';
import type { Calendar } from '../calendar/index.js';
import { entriesOf, isRec, transitionsOf } from './checks.js';
import {
  baseStretches,
  compareStretches,
  describePeriod,
  type PeriodShape,
  totalStretches,
  type Witness,
} from './deadline-compare.js';
import type { Origin, Removal } from './merge.js';
import { type Locale, type MessageId, message } from './messages.js';
import { type DayUnit, STAGES, type Stage } from './types.js';
import { makeDiagnostic, type Path, type Position, type YamlSource } from './yaml-source.js';

/** One `extends` step: what the child file may not change in what its parent resolved to. */
export interface RestrictionContext {
  locale: Locale;
  /** The child file of this step. */
  source: YamlSource;
  /** Origins of the child's resolved config (which file wrote each node). */
  origins: Map<string, Origin>;
  removals: Removal[];
  /** Where the child says `extends`: the fallback location. */
  extendsAt: Position;
  /**
   * The calendar the child counts its deadlines in, when one is available (its absence is
   * reported where the config names it; comparisons that need it are then skipped).
   */
  calendar: () => Calendar | undefined;
}

type Rec = Record<string, unknown>;

/** Must match `maximum` of `days`/`maxDays` and `times` in the schema. */
const MAX_DAYS = 3650;
const MAX_TIMES = 10;

function pointerKey(path: Path): string {
  return path.map((s) => `/${s.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/**
 * The first of `candidates` the child file itself wrote, else the `$remove` that dropped
 * it, else the `extends` line: a restriction points at the child's change that broke it.
 */
function locateChange(ctx: RestrictionContext, candidates: Path[], at: 'key' | 'value' = 'value'): Position {
  for (const path of candidates) {
    const o = ctx.origins.get(pointerKey(path));
    if (o?.source === ctx.source) return o.source.locate(o.path, at);
  }
  for (const path of candidates) {
    const key = pointerKey(path);
    const r = ctx.removals.find((x) => {
      const removed = pointerKey(x.path);
      return key === removed || key.startsWith(`${removed}/`);
    });
    if (r) return r.origin.source.locate(r.origin.path, 'key');
  }
  return ctx.extendsAt;
}

/** Days the schema accepts; anything else has its own schema error and is not compared. */
const isDays = (n: unknown): n is number =>
  Number.isInteger(n) && (n as number) >= 1 && (n as number) <= MAX_DAYS;

function shapeOf(d: Rec): PeriodShape | undefined {
  if (!isDays(d.days)) return undefined;
  const unit: DayUnit = d.unit === 'working' ? 'working' : 'calendar';
  const shape: PeriodShape = { days: d.days, unit };
  const e = d.extension;
  if (
    isRec(e) &&
    isDays(e.maxDays) &&
    Number.isInteger(e.times) &&
    (e.times as number) >= 1 &&
    (e.times as number) <= MAX_TIMES
  ) {
    shape.extension = {
      maxDays: e.maxDays,
      times: e.times as number,
      unit: e.unit === 'working' ? 'working' : e.unit === 'calendar' ? 'calendar' : unit,
    };
  }
  return shape;
}

function sameShape(a: PeriodShape, b: PeriodShape): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * What a child config may not do to its parent (domain.md, "Local variation"): lengthen a
 * statutory duty (`bound: ceiling`), shorten a petitioner's right (`bound: floor`, Reg. 35-36) or
 * change which of the two a period is, drop a statutory deadline or notice, stop issuing a statutory notice
 * where the parent issues it, or drop a stage of the parent's procedure. Each message names
 * the article that sets what was changed.
 */
export function checkRestrictions(parent: unknown, child: unknown, ctx: RestrictionContext): Diagnostic[] {
  if (!isRec(parent) || !isRec(child)) return [];
  return [
    ...checkDeadlines(parent, child, ctx),
    ...checkNotices(parent, child, ctx),
    ...checkStages(parent, child, ctx),
  ];
}

function checkDeadlines(parent: Rec, child: Rec, ctx: RestrictionContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { locale } = ctx;
  const childDeadlines = isRec(child.deadlines) ? child.deadlines : {};
  for (const [id, pd] of entriesOf(parent.deadlines)) {
    if (pd.statutory !== true) continue;
    const base = ['deadlines', id];
    const basis = typeof pd.basis === 'string' ? pd.basis : '';
    const cd = childDeadlines[id];
    if (!isRec(cd) || cd.statutory !== true) {
      const at = isRec(cd)
        ? locateChange(ctx, [[...base, 'statutory'], base], 'key')
        : locateChange(ctx, [base], 'key');
      out.push(makeDiagnostic('removedStatutoryDeadline', locale, { deadline: id, basis }, at));
      if (!isRec(cd)) continue;
    }
    if (pd.bound !== undefined && cd.bound !== pd.bound) {
      out.push(
        makeDiagnostic(
          'changedBound',
          locale,
          { deadline: id, basis, parent: String(pd.bound), child: String(cd.bound ?? '') },
          locateChange(ctx, [[...base, 'bound'], base], 'key'),
        ),
      );
      continue;
    }
    const ps = shapeOf(pd);
    const cs = shapeOf(cd);
    if (!ps || !cs || sameShape(ps, cs)) continue;
    if (pd.bound === 'floor') {
      const shorter = shortenedRight(id, ps, cs, basis, ctx);
      if (shorter) out.push(shorter);
      continue;
    }
    const breach = ceilingBreach(id, pd, ps, cs, basis, ctx);
    if (breach) out.push(breach);
  }
  return out;
}

/** A body's duty (`bound: ceiling`) the child lets end later than the parent's, with or without its extensions. */
function ceilingBreach(
  id: string,
  pd: Rec,
  ps: PeriodShape,
  cs: PeriodShape,
  basis: string,
  ctx: RestrictionContext,
): Diagnostic | undefined {
  const base = ['deadlines', id];
  const baseCmp = compareStretches(baseStretches(ps), baseStretches(cs), ctx.calendar());
  if (baseCmp === 'needs-calendar') return undefined;
  if (baseCmp.longer) {
    return lengthened('lengthenedDeadline', id, ps, cs, basis, baseCmp.witness, ctx, [
      [...base, 'days'],
      [...base, 'unit'],
      base,
    ]);
  }
  const totalCmp = compareStretches(totalStretches(ps), totalStretches(cs), ctx.calendar());
  if (totalCmp === 'needs-calendar' || !totalCmp.longer) return undefined;
  const extBasis = isRec(pd.extension) && typeof pd.extension.basis === 'string' ? pd.extension.basis : basis;
  return lengthened('lengthenedExtension', id, ps, cs, extBasis, totalCmp.witness, ctx, [
    [...base, 'extension', 'maxDays'],
    [...base, 'extension', 'times'],
    [...base, 'extension', 'unit'],
    [...base, 'extension'],
    [...base, 'days'],
    [...base, 'unit'],
    base,
  ]);
}

/**
 * A right of the petitioner (`bound: floor`, the 30 days to ask for review or re-examination,
 * Reg. 35-36) may be lengthened, never shortened: the child's period must not end earlier than
 * the parent's for any start date.
 */
function shortenedRight(
  deadline: string,
  ps: PeriodShape,
  cs: PeriodShape,
  basis: string,
  ctx: RestrictionContext,
): Diagnostic | undefined {
  const cmp = compareStretches(baseStretches(cs), baseStretches(ps), ctx.calendar());
  if (cmp === 'needs-calendar' || !cmp.longer) return undefined;
  const base = ['deadlines', deadline];
  // the comparison asked whether the parent's period outlasts the child's: its witness names them the other way round
  const w = cmp.witness
    ? { start: cmp.witness.start, child: cmp.witness.parent, parent: cmp.witness.child }
    : undefined;
  return lengthened('shortenedRight', deadline, ps, cs, basis, w, ctx, [
    [...base, 'days'],
    [...base, 'unit'],
    base,
  ]);
}

function lengthened(
  id: MessageId,
  deadline: string,
  ps: PeriodShape,
  cs: PeriodShape,
  basis: string,
  witness: Witness | undefined,
  ctx: RestrictionContext,
  candidates: Path[],
): Diagnostic {
  const { locale } = ctx;
  const w = witness ? message('witness', locale, { ...witness }) : undefined;
  return makeDiagnostic(
    id,
    locale,
    {
      deadline,
      basis,
      parent: describePeriod(ps, locale),
      child: describePeriod(cs, locale),
      witness: w,
    },
    locateChange(ctx, candidates),
  );
}

/** Documents issued by each state and transition (by `state` and `state/on/EVENT`). */
function issuesByStep(config: Rec): Map<string, { path: string[]; issues: Set<string> }> {
  const out = new Map<string, { path: string[]; issues: Set<string> }>();
  const process = isRec(config.process) ? config.process : {};
  const add = (key: string, path: string[], list: unknown) => {
    const entry = out.get(key) ?? { path, issues: new Set<string>() };
    if (Array.isArray(list)) for (const d of list) if (typeof d === 'string') entry.issues.add(d);
    out.set(key, entry);
  };
  for (const [sid, s] of entriesOf(process.states)) {
    add(sid, ['process', 'states', sid], s.issues);
    // guarded alternatives of one event count together: the event still issues the notice
    for (const { event, t } of transitionsOf(s)) {
      add(`${sid}/on/${event}`, ['process', 'states', sid, 'on', event], t.issues);
    }
  }
  return out;
}

function issuedAnywhere(config: Rec, doc: string): boolean {
  for (const { issues } of issuesByStep(config).values()) if (issues.has(doc)) return true;
  for (const [, d] of entriesOf(config.deadlines)) {
    if (isRec(d.extension) && d.extension.notice === doc) return true;
  }
  return false;
}

function checkNotices(parent: Rec, child: Rec, ctx: RestrictionContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { locale } = ctx;
  const childDocs = isRec(child.documents) ? child.documents : {};
  const parentSteps = issuesByStep(parent);
  const childSteps = issuesByStep(child);
  for (const [doc, pdoc] of entriesOf(parent.documents)) {
    if (pdoc.statutory !== true) continue;
    const basis = typeof pdoc.basis === 'string' ? pdoc.basis : '';
    const path = ['documents', doc];
    const cdoc = childDocs[doc];
    if (!isRec(cdoc)) {
      out.push(
        makeDiagnostic(
          'removedStatutoryNotice',
          locale,
          { document: doc, basis },
          locateChange(ctx, [path], 'key'),
        ),
      );
      continue;
    }
    if (cdoc.statutory !== true) {
      out.push(
        makeDiagnostic(
          'removedStatutoryNotice',
          locale,
          { document: doc, basis },
          locateChange(ctx, [[...path, 'statutory'], path], 'key'),
        ),
      );
    }
    let goneStepReported = false;
    for (const [key, step] of parentSteps) {
      if (!step.issues.has(doc)) continue;
      const mine = childSteps.get(key);
      if (mine?.issues.has(doc)) continue;
      if (!mine) {
        // the step itself is gone (a removed state or transition): the notice must still be
        // issued somewhere, or the petitioner never receives it
        if (goneStepReported || issuedAnywhere(child, doc)) continue;
        goneStepReported = true;
      }
      out.push(
        makeDiagnostic(
          'removedNoticeFromStep',
          locale,
          { document: doc, basis, step: `\`${key}\`` },
          locateChange(ctx, [[...step.path, 'issues'], step.path], 'key'),
        ),
      );
    }
  }
  return out;
}

function stagesOf(config: Rec): Map<string, { state: string; basis?: string }[]> {
  const out = new Map<string, { state: string; basis?: string }[]>();
  const process = isRec(config.process) ? config.process : {};
  for (const [sid, s] of entriesOf(process.states)) {
    if (typeof s.stage !== 'string') continue;
    const list = out.get(s.stage) ?? [];
    list.push({ state: sid, basis: typeof s.basis === 'string' ? s.basis : undefined });
    out.set(s.stage, list);
  }
  return out;
}

/** The articles behind each stage, for a parent state that cites none itself. */
const STAGE_BASIS: Record<Stage, string> = {
  registration: 'reg-2022 art. 22',
  transfer: 'reg-2022 art. 22-23',
  acceptance: 'reg-2022 art. 23',
  handling: 'reg-2022 art. 32-34',
  hearing: 'reg-2022 art. 31, 36',
  opinion: 'reg-2022 art. 32, 35',
  review: 'reg-2022 art. 35',
  reexamination: 'reg-2022 art. 36',
  diversion: 'reg-2022 art. 31',
  'not-accepted': 'reg-2022 art. 23',
  terminated: 'reg-2022 art. 36',
  closed: 'reg-2022 art. 35-36',
  withdrawn: 'reg-2022 art. 17',
  supervision: 'reg-2022 art. 38-40',
};

function checkStages(parent: Rec, child: Rec, ctx: RestrictionContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const mine = stagesOf(child);
  const childStates = isRec(child.process) && isRec(child.process.states) ? child.process.states : {};
  for (const [stage, states] of stagesOf(parent)) {
    if (mine.has(stage)) continue;
    // a state whose stage is now misspelt already has the schema's error, with a did-you-mean
    const misspelt = states.some((s) => {
      const c = childStates[s.state];
      return isRec(c) && !(STAGES as readonly unknown[]).includes(c.stage);
    });
    if (misspelt) continue;
    const basis = states.find((s) => s.basis)?.basis ?? STAGE_BASIS[stage as Stage] ?? 'reg-2022';
    const candidates = states.flatMap((s) => [
      ['process', 'states', s.state, 'stage'],
      ['process', 'states', s.state],
    ]);
    out.push(
      makeDiagnostic('removedStage', ctx.locale, { stage, basis }, locateChange(ctx, candidates, 'key')),
    );
  }
  return out;
}
