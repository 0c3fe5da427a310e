import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { type Diagnostic, formatDiagnostic } from '@xinfang/core';
import { loadScenarioFile, runScenario, type ScenarioResult } from '@xinfang/core/scenario';
import type { Command } from 'commander';
import { loadJurisdictionForRun, resolvePath } from '../context.js';
import { CliExit, type CliIo } from '../io.js';

/** One file's outcome: a run, or the diagnostics that kept it from running. */
type FileResult =
  | (ScenarioResult & { file: string })
  | { file: string; invalid: true; diagnostics: Diagnostic[] };

/**
 * `xinfang scenario <config> <scenario.yaml...>`: runs scenario files (format: `Scenario` in
 * @xinfang/core) against a config and prints, per file, PASS or FAIL and each failed
 * expectation as `file:line step N: message`, then `N passed, M failed[, K invalid]`.
 * Exit 0 when every file passed, 1 otherwise (a failure, or a file that did not parse).
 */
export function register(program: Command, io: CliIo): void {
  program
    .command('scenario')
    .description('run scenario files against a jurisdiction config and report each failed expectation')
    .argument('<config>', 'jurisdiction config (YAML)')
    .argument('<scenarios...>', 'scenario files (YAML)')
    .option('--json', 'print the results as JSON')
    .action(async (configPath: string, files: string[], opts: { json?: boolean }) => {
      const { loaded, calendars } = loadJurisdictionForRun(io, configPath);
      const results: FileResult[] = [];
      for (const f of files) {
        const path = resolvePath(io, f);
        const file = relative(io.cwd, path) || path;
        if (!existsSync(path)) {
          const d: Diagnostic = {
            severity: 'error',
            code: 'CONFIG_FILE_NOT_FOUND',
            message: 'scenario file not found',
            file,
            line: 1,
            column: 1,
            pointer: '',
          };
          results.push({ file, invalid: true, diagnostics: [d] });
          continue;
        }
        const src = loadScenarioFile(path);
        if (!src.value) {
          results.push({ file, invalid: true, diagnostics: src.diagnostics.map((d) => ({ ...d, file })) });
          continue;
        }
        // documents are rendered as in production: a step whose document cannot render fails here
        const r = await runScenario(loaded.value, src.value, {
          calendars,
          locate: src.locate,
          templates: loaded.templates,
        });
        results.push({ ...r, file });
      }
      const invalid = results.filter((r) => 'invalid' in r).length;
      const failed = results.filter((r) => !('invalid' in r) && !r.passed).length;
      const passed = results.length - invalid - failed;
      if (opts.json) {
        io.out(JSON.stringify(results, null, 2));
      } else {
        for (const r of results) {
          if ('invalid' in r) {
            io.out(`INVALID ${r.file}`);
            for (const d of r.diagnostics) io.err(formatDiagnostic(d));
            continue;
          }
          io.out(`${r.passed ? 'PASS' : 'FAIL'} ${r.file}  ${r.name}${r.caseId ? ` (${r.caseId})` : ''}`);
          for (const f of r.failures) {
            const where = f.step === 0 ? 'submission' : `step ${f.step}`;
            io.out(`  ${r.file}:${f.line ?? '?'} ${where}: ${f.message}${f.stopped ? ' (run stopped)' : ''}`);
          }
        }
        io.out(`${passed} passed, ${failed} failed${invalid ? `, ${invalid} invalid` : ''}`);
      }
      if (failed > 0 || invalid > 0) throw new CliExit(1);
    });
}
