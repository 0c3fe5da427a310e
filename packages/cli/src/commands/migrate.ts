/**
 * `xinfang migrate <db> --plan plan.yaml --config new.yaml [--dry-run]`: moves the open cases of a
 * store from one version of their jurisdiction's config to another by a migration plan
 * (docs/migration.md). The plan is checked first against the old version (read from the store by
 * the hash the plan names) and the new one (`--config`), on the new version's calendar. With
 * `--dry-run` it prints, per case, what would change and the counts, and writes nothing; without,
 * it applies the plan, page by page. Run it again after an interruption: cases already moved are
 * passed by.
 */

import { readFileSync, statSync } from 'node:fs';
import {
  type CaseStore,
  createEngine,
  formatDiagnostic,
  identityKeyFile,
  type JurisdictionConfig,
  type MigrateResult,
  type MigrationPlan,
  parsePlanText,
  planVersions,
  systemClock,
  XinfangError,
} from '@xinfang/core';
import type { Command } from 'commander';
import { loadJurisdictionForRun, resolvePath } from '../context.js';
import { CliExit, type CliIo } from '../io.js';
import { keyFileOf, openStore } from './keys.js';

interface MigrateOptions {
  plan: string;
  config: string;
  dryRun?: boolean;
  keyFile?: string;
  schema?: string;
  batch: string;
  json?: boolean;
}

/** What a whole run came to, over every page. */
interface Totals {
  examined: number;
  moved: MigrateResult['moved'];
  left: MigrateResult['left'];
  already: number;
  skipped: number;
}

/** The plan checked against the store's old version and the new config; exits 1 on an error. */
async function checkedPlan(
  io: CliIo,
  store: CaseStore,
  file: string,
  to: JurisdictionConfig,
  calendar: Parameters<typeof parsePlanText>[2]['calendar'],
): Promise<MigrationPlan> {
  const text = planText(file);
  const { from: fromHash } = planVersions(text);
  const stored = fromHash ? await store.getConfig(fromHash) : undefined;
  if (fromHash && !stored) {
    throw new XinfangError(
      'PLAN_CONFIG_MISMATCH',
      `no case of this store pins the plan's from version ${fromHash}`,
      {},
    );
  }
  const from = (stored ?? to) as unknown as JurisdictionConfig;
  const r = parsePlanText(text, file, { from, to, ...(calendar ? { calendar } : {}) });
  for (const d of r.diagnostics) io.err(formatDiagnostic(d));
  if (!r.plan) throw new CliExit(1);
  return r.plan;
}

/** The plan file's text: a regular file of at most 1 MiB. */
function planText(file: string): string {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new Error('not a regular file');
    size = st.size;
  } catch (e) {
    throw new XinfangError('CLI_USAGE', `cannot read the plan ${file}: ${(e as Error).message}`);
  }
  if (size > 1_048_576) throw new XinfangError('CLI_USAGE', `the plan ${file} is larger than 1 MiB`);
  return readFileSync(file, 'utf8');
}

function print(io: CliIo, t: Totals, dryRun: boolean): void {
  for (const m of t.moved) {
    io.out(`${m.caseId}: ${m.state.from} -> ${m.state.to}`);
    for (const d of m.deadlines) {
      const name = d.from === d.deadline ? d.deadline : `${d.from} -> ${d.deadline}`;
      io.out(`  ${name} (${d.rule}): due ${d.dueBefore} -> ${d.dueAfter}`);
    }
    for (const doc of m.documents) io.out(`  owes ${doc}`);
    for (const f of m.fields) io.out(`  field ${f}`);
  }
  for (const l of t.left) io.out(`${l.caseId}: left on its version, ${l.reason}: ${l.message}`);
  const verb = dryRun ? 'would move' : 'moved';
  io.out(
    `${t.examined} cases examined: ${t.moved.length} ${verb}, ${t.left.length} left on their version, ` +
      `${t.already} already moved, ${t.skipped} not the plan's (another version, or completed)` +
      (dryRun ? ' (dry run: nothing written)' : ''),
  );
}

export function register(program: Command, io: CliIo): void {
  program
    .command('migrate')
    .description("move a store's open cases to a new config version by a migration plan")
    .argument('<db>', 'SQLite file, or postgres://user@host:5432/db')
    .requiredOption('--plan <file>', 'the migration plan (YAML)')
    .option('--config <file>', 'the new version of the jurisdiction config', 'configs/national.yaml')
    .option('--dry-run', 'print what would change, per case, and write nothing')
    .option('--key-file <file>', 'the key file (default: <db>.identity.key beside a SQLite file)')
    .option('--schema <name>', 'PostgreSQL schema holding the tables (default: xinfang)')
    .option('--batch <n>', 'cases per page (each case is its own transaction)', '200')
    .option('--json', 'print the result as JSON')
    .action(async (db: string, opts: MigrateOptions) => {
      const batch = Number(opts.batch);
      if (!Number.isInteger(batch) || batch < 1 || batch > 1000)
        throw new XinfangError(
          'CLI_USAGE',
          `--batch must be a whole number from 1 to 1000, not ${opts.batch}`,
        );
      const identityKeys = identityKeyFile(keyFileOf(io, db, opts), { create: false });
      const { loaded, calendars } = loadJurisdictionForRun(io, opts.config);
      const store = await openStore(io, db, opts.schema);
      try {
        const calendar = calendars.get(loaded.value.jurisdiction.calendar);
        const plan = await checkedPlan(io, store, resolvePath(io, opts.plan), loaded.value, calendar);
        const engine = createEngine({
          store,
          clock: systemClock(),
          configs: [loaded.value],
          calendars: [...calendars.values()],
          identityKeys,
        });
        const dryRun = opts.dryRun === true;
        const t: Totals = { examined: 0, moved: [], left: [], already: 0, skipped: 0 };
        let after: string | undefined;
        do {
          const r = await engine.migrate(plan, { dryRun, limit: batch, ...(after ? { after } : {}) });
          t.examined += r.examined;
          t.moved.push(...r.moved);
          t.left.push(...r.left);
          t.already += r.already.length;
          t.skipped += r.skipped.length;
          after = r.next;
        } while (after !== undefined);
        if (opts.json) io.out(JSON.stringify({ plan: plan.hash, dryRun, ...t }, null, 2));
        else print(io, t, dryRun);
      } finally {
        await store.close();
      }
    });
}
