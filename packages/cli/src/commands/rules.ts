import { readFileSync } from 'node:fs';
import { type CaseProjection, type Decision, findCalendar } from '@xinfang/core';
import { buildFacts, type ConditionTrace, evaluateRuleSets } from '@xinfang/core/tooling';
import type { Command } from 'commander';
import { loadJurisdictionForRun, resolvePath } from '../context.js';
import { CliExit, type CliIo } from '../io.js';

function readJson(io: CliIo, path: string, what: string): unknown {
  const file = resolvePath(io, path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    io.err(`error CLI_USAGE: cannot read ${what} ${path}`);
    throw new CliExit(2);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    io.err(`error CLI_USAGE: ${what} ${path} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
    throw new CliExit(2);
  }
}

const show = (v: unknown) => (v === undefined ? 'undefined' : JSON.stringify(v));

function condition(c: ConditionTrace): string {
  const mark = c.result !== (c.negated === true) ? '✓' : '✗';
  const not = c.negated ? 'not ' : '';
  const path = c.path ? ` ${c.path}` : '';
  return `${mark} ${not}${c.fact}${path} ${c.operator} ${show(c.value)}  (value: ${show(c.factValue)})`;
}

/** A decision as a supervisor reads it: the outcome, then each fired rule with its basis and conditions. */
export function formatDecision(d: Decision): string[] {
  const lines = [`${d.ruleSet} (${d.hitPolicy}): ${show(d.merged)}`];
  if (d.defaulted) lines.push('  no rule matched: the default applies');
  for (const f of d.fired) {
    const basis = f.basis ? ` [${f.basis}]` : '';
    lines.push(`  rule ${f.ruleId}${f.name ? ` ${f.name}` : ''}${basis}`);
    if (d.hitPolicy === 'collect') lines.push(`    outcome ${show(f.outcome)}`);
    for (const c of f.conditions) lines.push(`    ${condition(c)}`);
  }
  return lines;
}

/**
 * `xinfang rules <config> <petition.json>`: evaluates every rule set that runs on submit
 * (classification, routing, acceptance, ...) and prints each decision with the rule that
 * fired, its legal basis, and each condition with the value it saw.
 */
export function register(program: Command, io: CliIo): void {
  program
    .command('rules')
    .description('evaluate the rule sets that run on submit for a petition and explain each decision')
    .argument('<config>', 'jurisdiction config (YAML)')
    .argument('<petition>', 'petition (JSON, as the registration form defines it)')
    .option('--json', 'print the decisions as JSON')
    .option('--now <instant>', 'evaluation instant (ISO 8601); default: now')
    .option('--prior <cases.json>', "the petitioner's earlier cases (JSON array of case projections)")
    .action(
      async (
        configPath: string,
        petitionPath: string,
        opts: { json?: boolean; now?: string; prior?: string },
      ) => {
        const { loaded, calendars } = loadJurisdictionForRun(io, configPath);
        const config = loaded.value;
        const petition = readJson(io, petitionPath, 'petition');
        const prior = opts.prior === undefined ? [] : readJson(io, opts.prior, 'earlier cases');
        if (!Array.isArray(prior)) {
          io.err('error CLI_USAGE: --prior must hold a JSON array of case projections');
          throw new CliExit(2);
        }
        // the CLI, not the core, reads the wall clock
        const now = opts.now ?? new Date().toISOString();
        if (Number.isNaN(Date.parse(now))) {
          io.err(`error CLI_USAGE: --now ${now} is not an ISO instant`);
          throw new CliExit(2);
        }
        const calendar = findCalendar(calendars, config.jurisdiction.calendar);
        const facts = buildFacts({ config, petition, now, calendar, priorCases: prior as CaseProjection[] });
        // a RuleConflictError or RuleEvaluationError reaches runCli, which prints its code
        const decisions = await evaluateRuleSets(config, 'submit', facts, {
          calendar,
          now,
          configHash: loaded.hash,
        });
        if (opts.json) {
          io.out(JSON.stringify(decisions, null, 2));
          return;
        }
        const sets = Object.values(decisions);
        if (sets.length === 0) io.out('no rule set runs on submit in this config');
        for (const d of sets) io.out(formatDecision(d).join('\n'));
      },
    );
}
