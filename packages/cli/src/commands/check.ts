import { relative } from 'node:path';
import {
  type Calendar,
  type Diagnostic,
  formatDiagnostic,
  type JurisdictionConfig,
  type LoadResult,
  loadConfig,
  loadPlan,
} from '@xinfang/core';
import {
  type CheckPlan,
  type CheckReport,
  DEFAULT_SEED,
  DYNAMIC_INVARIANTS,
  type InvariantResult,
  runCheck,
  STATIC_INVARIANTS,
} from '@xinfang/testing/compliance';
import { type Command, InvalidArgumentError } from 'commander';
import { calendarsBeside, loadOptionsOf, resolvePath } from '../context.js';
import { CliExit, type CliIo } from '../io.js';

// a run count beyond this would not end in any sitting; the bench's long runs are 1,000
const MOST = 1_000_000;

function positive(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < 1 || n > MOST)
      throw new InvalidArgumentError(`${name} must be a whole number from 1 to ${MOST.toLocaleString('en')}`);
    return n;
  };
}

function seedOf(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < -(2 ** 31) || n >= 2 ** 31)
    throw new InvalidArgumentError('seed must be a 32-bit integer');
  return n;
}

/** The loader's codes for a child's breach of what it extends. */
const RESTRICTION_CODES = new Set<string>([
  'CONFIG_LENGTHENED_DEADLINE',
  'CONFIG_SHORTENED_RIGHT',
  'CONFIG_CHANGED_BOUND',
  'CONFIG_LOCAL_DAY_OFF_ON_WORKDAY',
  'CONFIG_REMOVED_STATUTORY_NOTICE',
  'CONFIG_REMOVED_STAGE',
  'CONFIG_REMOVED_STATUTORY_ITEM',
]);

/** Restrictions a child broke are failures of the check too: the loader would refuse the config. */
function restrictionResult(breaches: Diagnostic[]): InvariantResult {
  return {
    id: 'baseline-restrictions',
    title:
      'the config does not lengthen a statutory deadline, remove a statutory notice or drop a stage of what it extends',
    basis: 'reg-2022 art. 22-36 (statutory minimums); config loader',
    kind: 'static',
    ok: breaches.length === 0,
    problems: breaches.map((d) => formatDiagnostic(d)),
  };
}

function printResult(io: CliIo, r: InvariantResult, reproduce: (id: string) => string): void {
  io.out(`${r.ok ? 'PASS' : 'FAIL'}  ${r.id}  [${r.basis}]`);
  io.out(`      ${r.title}${r.kind === 'property' ? ` (${r.runs} runs)` : ''}`);
  if (r.ok) return;
  const ce = r.counterexample;
  if (!ce) {
    for (const p of r.problems) io.out(`      - ${p}`);
    return;
  }
  io.out(
    ce.structural
      ? '      counterexample: a structural run (the same at every seed), not shrunk'
      : `      counterexample: run ${ce.run + 1}, shrunk ${ce.shrinks} times`,
  );
  for (const l of ce.timeline) io.out(`        ${l}`);
  io.out('      violations:');
  for (const v of ce.violations)
    io.out(`        - ${v.caseId ? `${v.caseId}${v.seq ? `#${v.seq}` : ''}: ` : ''}${v.message}`);
  io.out(`      reproduce: ${reproduce(r.id)}`);
}

/**
 * `xinfang check <config> [--runs N] [--seed S] [--plan plan.yaml --to new.yaml]`: runs the
 * statutory invariants against a config (static checks, then N generated runs through the
 * engine) and prints each with its article and PASS/FAIL; a failure prints the shrunk run as a
 * timeline and the command that reproduces it. With a migration plan, `<config>` is the version
 * cases start on and `--to` the one the plan moves them to (a plan names versions only by hash,
 * so the file is given): every run is moved by the plan at a drawn step and driven on under the
 * new version. Exit 0 when all hold, 1 otherwise.
 */
export function register(program: Command, io: CliIo): void {
  program
    .command('check')
    .description('check a jurisdiction config against the statutory invariants (property-based)')
    .argument('<config>', 'jurisdiction config (YAML)')
    .option('--runs <n>', 'generated runs per property', positive('--runs'), 100)
    .option('--seed <n>', 'seed of the generated runs', seedOf, DEFAULT_SEED)
    .option('--only <ids...>', 'check only these invariants')
    .option('--max-steps <n>', 'most steps in one run', positive('--max-steps'), 30)
    .option(
      '--baseline <config>',
      'the config whose deadlines are the ceiling (default: the root of the extends chain)',
    )
    .option('--no-structural', 'skip the structural runs (every transition once, every back edge twice)')
    .option(
      '--plan <plan>',
      'a migration plan from <config>: each run moves its cases by it at a drawn step and drives them on under --to (no structural runs)',
    )
    .option('--to <config>', 'with --plan: the config version the plan moves cases to (its `to` hash)')
    .option('--json', 'print the report as JSON')
    .action(
      async (
        configPath: string,
        opts: {
          runs: number;
          seed: number;
          only?: string[];
          maxSteps: number;
          baseline?: string;
          structural: boolean;
          plan?: string;
          to?: string;
          json?: boolean;
        },
      ) => {
        if ((opts.plan === undefined) !== (opts.to === undefined)) {
          io.err(
            opts.plan === undefined
              ? 'error: --to names the version a migration plan moves cases to; give the plan with --plan'
              : 'error: --plan needs --to <config>, the version the plan moves cases to (a plan names it only by hash)',
          );
          throw new CliExit(2);
        }
        // a misspelt invariant is refused before any run is spent
        const known = new Set([
          'baseline-restrictions',
          ...STATIC_INVARIANTS.map((i) => i.id),
          ...DYNAMIC_INVARIANTS.map((i) => i.id),
        ]);
        const unknown = (opts.only ?? []).filter((id) => !known.has(id));
        if (unknown.length > 0) {
          io.err(`error: unknown invariant(s) ${unknown.join(', ')}; run without --only to see them all`);
          throw new CliExit(2);
        }
        const file = resolvePath(io, configPath);
        const calendars = calendarsBeside(file);
        // breaches of the parent's restrictions are reported, not fatal: the auditor sees what they do
        const loaded = loadConfig(file, { calendars, restrictions: 'warning', ...loadOptionsOf(io) });
        const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
        if (errors.length > 0 || !loaded.value) {
          for (const d of errors) io.err(formatDiagnostic(d));
          throw new CliExit(1);
        }
        const config = loaded.value;
        // beside the config, else beside the root of its extends chain (where the loader found it)
        const root = loaded.sources.at(-1)?.file;
        const calendar =
          calendars.get(config.jurisdiction.calendar) ??
          (root ? calendarsBeside(root).get(config.jurisdiction.calendar) : undefined);
        if (!calendar) {
          io.err(`error: calendar ${config.jurisdiction.calendar} not found beside ${configPath}`);
          throw new CliExit(1);
        }
        // periods are judged on the national calendar, the one beside the root of the extends
        // chain, not on a copy a province keeps beside its own config (issue 24, class 5)
        const nationalCalendar = root ? calendarsBeside(root).get(config.jurisdiction.calendar) : undefined;
        const baseline = loadBaseline(io, opts.baseline, loaded.sources.at(-1)?.file, file);
        const moving = opts.plan && opts.to ? planOf(io, opts.plan, opts.to, config, calendar) : undefined;
        const breaches = [...loaded.diagnostics, ...(moving?.loaded.diagnostics ?? [])].filter(
          (d) => d.severity === 'warning' && RESTRICTION_CODES.has(d.code),
        );
        const report: CheckReport = await runCheck({
          config,
          calendar,
          ...(nationalCalendar ? { nationalCalendar } : {}),
          runs: opts.runs,
          seed: opts.seed,
          maxSteps: opts.maxSteps,
          // documents are rendered as in production: one that cannot be fails documents-render
          templates: loaded.templates,
          structural: opts.structural,
          ...(baseline ? { baseline } : {}),
          ...(opts.only ? { only: opts.only } : {}),
          ...(moving ? { plan: moving.plan } : {}),
        });
        // always shown: a config the loader would refuse is never reported as passing
        report.results.unshift(restrictionResult(breaches));
        report.ok = report.results.every((r) => r.ok);
        if (opts.json) {
          io.out(JSON.stringify(report, null, 2));
        } else {
          const shown = relative(io.cwd, file) || file;
          io.out(`xinfang check ${shown}: ${report.jurisdiction}, ${report.runs} runs, seed ${report.seed}`);
          if (report.plan && opts.plan && opts.to)
            io.out(
              `each run moved by plan ${report.plan.id} (${opts.plan}) to version ${report.plan.toVersion} (${opts.to}) at a drawn step`,
            );
          const planArgs = opts.plan && opts.to ? ` --plan ${opts.plan} --to ${opts.to}` : '';
          const reproduce = (id: string) =>
            `xinfang check ${shown}${planArgs} --runs ${report.runs} --seed ${report.seed} --max-steps ${opts.maxSteps}${opts.baseline ? ` --baseline ${opts.baseline}` : ''}${opts.structural ? '' : ' --no-structural'} --only ${id}`;
          for (const r of report.results) printResult(io, r, reproduce);
          const failed = report.results.filter((r) => !r.ok).length;
          io.out(
            `reached ${report.reached.states.length} of ${Object.keys(config.process.states).length} states and ${report.reached.commands.length} commands in the runs`,
          );
          const st = report.structure;
          if (st) {
            io.out(
              `structural runs took ${st.taken} of ${st.edges} transitions and ${st.backTakenTwice} of ${st.backEdges} back edges twice`,
            );
            for (const u of st.untaken.slice(0, 8)) io.out(`  not taken: ${u}`);
            if (st.untaken.length > 8)
              io.out(`  ... and ${st.untaken.length - 8} more (--json lists them all)`);
          }
          io.out(
            `${report.results.length - failed} passed, ${failed} failed in ${(report.durationMs / 1000).toFixed(1)} s`,
          );
        }
        if (!report.ok) throw new CliExit(1);
      },
    );
}

/**
 * The plan and the version it moves cases to: the plan checked against `from` and `--to` on the
 * calendar as `xinfang migrate` checks it (a mismatched hash is PLAN_CONFIG_MISMATCH); exits 1
 * on an error of either.
 */
function planOf(
  io: CliIo,
  planPath: string,
  toPath: string,
  from: JurisdictionConfig,
  calendar: Calendar,
): { plan: CheckPlan; loaded: LoadResult } {
  const file = resolvePath(io, toPath);
  const loaded = loadConfig(file, {
    calendars: calendarsBeside(file),
    restrictions: 'warning',
    ...loadOptionsOf(io),
  });
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !loaded.value) {
    for (const d of errors) io.err(formatDiagnostic(d));
    throw new CliExit(1);
  }
  const to = loaded.value;
  const r = loadPlan(resolvePath(io, planPath), { from, to, calendar });
  for (const d of r.diagnostics) io.err(formatDiagnostic(d));
  if (!r.plan) throw new CliExit(1);
  return {
    plan: { plan: r.plan, to, ...(loaded.templates ? { templates: loaded.templates } : {}) },
    loaded,
  };
}

/** The baseline config: the one named, else the root of the extends chain when it is not the config itself. */
function loadBaseline(
  io: CliIo,
  named: string | undefined,
  root: string | undefined,
  file: string,
): JurisdictionConfig | undefined {
  const path = named ? resolvePath(io, named) : root !== file ? root : undefined;
  if (!path) return undefined;
  const r = loadConfig(path, { calendars: calendarsBeside(path), ...loadOptionsOf(io) });
  if (!r.value) {
    for (const d of r.diagnostics.filter((x) => x.severity === 'error')) io.err(formatDiagnostic(d));
    throw new CliExit(1);
  }
  return r.value;
}
