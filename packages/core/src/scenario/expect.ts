/**
 * The checks of a scenario's `expect:` blocks: each compares one part of the case (its fields,
 * reasons, deadlines, documents, data, allowed commands) with what the block wants and reports
 * every difference, so one run shows all that is wrong at a step.
 */

import type { JurisdictionConfig } from '../config/types.js';
import type { Engine } from '../engine/index.js';
import { registerOf } from '../status/register.js';
import type { CaseProjection, CaseStore } from '../store/types.js';
import type { Scenario, ScenarioExpectation } from './format.js';
import type { ScenarioFailure } from './result.js';

/** The case the expectations are checked on, and where failures go. */
export interface CheckTarget {
  config: JurisdictionConfig;
  store: CaseStore;
  engine: Engine;
  caseId: string;
  scenario: Scenario;
  fail: (f: ScenarioFailure) => void;
}

/** One `expect:` block and where it stands in the scenario. */
export interface Expectation {
  want: ScenarioExpectation;
  step: number;
  /** JSON pointer of the block. */
  at: string;
  /** The case version before the step (undefined for the submission). */
  since: number | undefined;
}

/** A check in progress: the target, the block, and the case as the step left it. */
type Check = CheckTarget & Expectation & { c: CaseProjection };

/** Checks one `expect:` block against the case as it is now, reporting each difference. */
export async function checkExpectation(target: CheckTarget, expectation: Expectation): Promise<void> {
  const c = (await target.store.getCase(target.caseId)) as CaseProjection;
  const k: Check = { ...target, ...expectation, c };
  checkFields(k);
  checkReasons(k);
  if (k.want.deadlines) await checkDeadlines(k, k.want.deadlines);
  if (k.want.documents || k.want.notDocuments || k.want.issued) await checkDocuments(k);
  checkData(k);
  if (k.want.register) await checkRegister(k, k.want.register);
  if (k.want.allowed) await checkAllowed(k, k.want.allowed);
}

function checkFields({ c, want, step, at, fail }: Check): void {
  const same = (key: string, expected: unknown, actual: unknown) => {
    if (expected !== undefined && expected !== actual) {
      fail({
        step,
        pointer: `${at}/${key}`,
        message: `${key} is ${fmt(actual)}, expected ${fmt(expected)}`,
        expected,
        actual,
      });
    }
  };
  same('state', want.state, c.state);
  same('stage', want.stage, c.stage);
  same('colour', want.colour, c.colour);
  same('unit', want.unit, c.responsibleUnit);
}

function checkReasons({ c, want, step, at, fail }: Check): void {
  const reasonKeys = (rs: CaseProjection['redReasons']) =>
    rs.flatMap((r) => [r.ref, r.code, r.basis].filter(Boolean) as string[]);
  for (const [key, list] of [
    ['red', c.redReasons],
    ['violations', c.violations],
  ] as const) {
    const wanted = want[key];
    if (!wanted) continue;
    const have = reasonKeys(list);
    if (wanted.length === 0 && list.length > 0) {
      fail({
        step,
        pointer: `${at}/${key}`,
        message: `expected no ${key} reasons, found ${fmt(have)}`,
        actual: have,
      });
    }
    for (const w of wanted) {
      if (!have.includes(w))
        fail({
          step,
          pointer: `${at}/${key}`,
          message: `${key} reasons lack "${w}" (have ${fmt(have)})`,
          expected: w,
          actual: have,
        });
    }
  }
}

type DeadlineWants = NonNullable<ScenarioExpectation['deadlines']>;
type DeadlineRows = Awaited<ReturnType<CaseStore['deadlines']>>;

async function checkDeadlines(k: Check, wants: DeadlineWants): Promise<void> {
  const rows = await k.store.deadlines(k.caseId);
  for (const [id, exp] of Object.entries(wants)) {
    // the latest period of this deadline (a deadline may be started again, e.g. after a reopening)
    const row = rows.filter((r) => r.deadlineId === id).at(-1);
    const p = `${k.at}/deadlines/${id}`;
    if (exp === 'none') {
      if (row)
        k.fail({
          step: k.step,
          pointer: p,
          message: `deadline ${id} exists (${row.status}, due ${row.dueDate}), expected none`,
        });
      continue;
    }
    if (!row) {
      k.fail({ step: k.step, pointer: p, message: `deadline ${id} was never started` });
      continue;
    }
    checkDeadline(k, { id, exp, row, periods: rows.filter((r) => r.deadlineId === id).length });
  }
}

/** One started deadline against what the block wants of it. */
interface DeadlineCheck {
  id: string;
  exp: Exclude<DeadlineWants[string], 'none'>;
  /** Its latest period. */
  row: DeadlineRows[number];
  /** How many periods it has had. */
  periods: number;
}

function checkDeadline({ step, at, fail }: Check, { id, exp, row, periods }: DeadlineCheck): void {
  const p = `${at}/deadlines/${id}`;
  if (exp.due !== undefined && exp.due !== row.dueDate) {
    fail({
      step,
      pointer: `${p}/due`,
      message: `${id} is due ${row.dueDate}, expected ${exp.due}`,
      expected: exp.due,
      actual: row.dueDate,
    });
  }
  if (exp.status !== undefined && exp.status !== row.status) {
    fail({
      step,
      pointer: `${p}/status`,
      message: `${id} is ${row.status}, expected ${exp.status}`,
      expected: exp.status,
      actual: row.status,
    });
  }
  if (exp.provisional !== undefined && exp.provisional !== row.provisional) {
    fail({
      step,
      pointer: `${p}/provisional`,
      message: `${id} provisional is ${row.provisional}, expected ${exp.provisional}`,
      expected: exp.provisional,
      actual: row.provisional,
    });
  }
  if (exp.periods !== undefined && periods !== exp.periods) {
    fail({
      step,
      pointer: `${p}/periods`,
      message: `${id} has ${periods} period(s), expected ${exp.periods}`,
      expected: exp.periods,
      actual: periods,
    });
  }
}

async function checkDocuments({ store, caseId, want, step, at, since, fail }: Check): Promise<void> {
  const rows = (await store.outbox({ caseId })).filter((r) => r.kind === 'document');
  const idOf = (r: (typeof rows)[number]) => String(r.payload.documentId ?? r.payload.document ?? '');
  const issued = rows.map(idOf);
  for (const d of want.documents ?? []) {
    if (!issued.includes(d))
      fail({
        step,
        pointer: `${at}/documents`,
        message: `document ${d} not issued (issued: ${fmt(issued)})`,
        expected: d,
        actual: issued,
      });
  }
  for (const d of want.notDocuments ?? []) {
    if (issued.includes(d))
      fail({ step, pointer: `${at}/notDocuments`, message: `document ${d} was issued` });
  }
  if (want.issued) {
    const now = rows.filter((r) => since === undefined || r.seq > since).map(idOf);
    if (JSON.stringify(now) !== JSON.stringify(want.issued)) {
      fail({
        step,
        pointer: `${at}/issued`,
        message: `this step issued ${fmt(now)}, expected ${fmt(want.issued)}`,
        expected: want.issued,
        actual: now,
      });
    }
  }
}

function checkData({ c, want, step, at, fail }: Check): void {
  for (const [path, expected] of Object.entries(want.data ?? {})) {
    const actual = path
      .split('.')
      .reduce<unknown>(
        (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
        c.data,
      );
    if (!matches(expected, actual)) {
      fail({
        step,
        pointer: `${at}/data/${path}`,
        message: `data.${path} is ${fmt(actual)}, expected ${fmt(expected)}`,
        expected,
        actual,
      });
    }
  }
}

/** The register's fields by `section.field`: each value as the events filled it (`null`: empty). */
async function checkRegister(k: Check, want: Record<string, unknown>): Promise<void> {
  const { step, at, fail } = k;
  const register = registerOf(k.config, await k.store.events(k.caseId));
  for (const [key, expected] of Object.entries(want)) {
    const [section, field] = key.split('.');
    const entry = register.sections.find((s) => s.section === section)?.fields.find((f) => f.id === field);
    if (!entry) {
      const known = register.sections.flatMap((s) => s.fields.map((f) => `${s.section}.${f.id}`));
      fail({
        step,
        pointer: `${at}/register/${key}`,
        message: `the register has no field ${key} (fields: ${known.slice(0, 5).join(', ')}, ...)`,
      });
      continue;
    }
    if (!matches(expected, entry.value)) {
      fail({
        step,
        pointer: `${at}/register/${key}`,
        message: `register ${key} is ${fmt(entry.value)}, expected ${fmt(expected)}`,
        expected,
        actual: entry.value,
      });
    }
  }
}

type AllowedWant = NonNullable<ScenarioExpectation['allowed']>;

async function checkAllowed(k: Check, want: AllowedWant): Promise<void> {
  const { step, at, fail } = k;
  const actor = k.scenario.actors[want.as];
  if (!actor) {
    fail({ step, pointer: `${at}/allowed/as`, message: `unknown actor "${want.as}"` });
    return;
  }
  const allowed = await k.engine.allowedCommands(k.caseId, actor);
  if (want.exactly) {
    const a = [...allowed].sort();
    const w = [...want.commands].sort();
    if (JSON.stringify(a) !== JSON.stringify(w)) {
      fail({
        step,
        pointer: `${at}/allowed`,
        message: `${want.as} may send ${fmt(a)}, expected exactly ${fmt(w)}`,
        expected: w,
        actual: a,
      });
    }
    return;
  }
  for (const cmd of want.commands) {
    if (!allowed.includes(cmd))
      fail({
        step,
        pointer: `${at}/allowed`,
        message: `${want.as} may not send ${cmd} (may: ${fmt(allowed)})`,
      });
  }
}

/**
 * Whether `actual` matches `expected`: equal scalars and lists; a map matches when each of
 * its keys matches (extra keys in `actual` are allowed, so a scenario names what matters);
 * `null` matches an absent value.
 */
function matches(expected: unknown, actual: unknown): boolean {
  if (expected === null) return actual === null || actual === undefined;
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    return Object.entries(expected).every(([k, v]) => matches(v, (actual as Record<string, unknown>)[k]));
  }
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      expected.length === actual.length &&
      expected.every((v, i) => matches(v, actual[i]))
    );
  }
  return expected === actual;
}

function fmt(v: unknown): string {
  return v === undefined ? 'absent' : JSON.stringify(v);
}
