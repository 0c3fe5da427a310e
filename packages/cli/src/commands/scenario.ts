import { relative } from 'node:path';
import { formatDiagnostic, loadScenarioFile, runScenario, type ScenarioResult } from '@xinfang/core';
import type { Command } from 'commander';
import { loadJurisdictionForRun, resolvePath } from '../context.js';
import { CliExit, type CliIo } from '../io.js';

/** `xinfang scenario <config> <scenario.yaml...>`: runs scenarios and reports failed expectations. */
export function register(program: Command, io: CliIo): void {
  program
    .command('scenario')
    .description('run scenario files against a jurisdiction config and report each failed expectation')
    .argument('<config>', 'jurisdiction config (YAML)')
    .argument('<scenarios...>', 'scenario files (YAML)')
    .option('--json', 'print the results as JSON')
    .action(async (configPath: string, files: string[], opts: { json?: boolean }) => {
      const { loaded, calendars } = loadJurisdictionForRun(io, configPath);
      const results: (ScenarioResult & { file: string })[] = [];
      let invalid = 0;
      for (const f of files) {
        const file = resolvePath(io, f);
        const shown = relative(io.cwd, file) || file;
        const src = loadScenarioFile(file);
        if (!src.value) {
          invalid++;
          for (const d of src.diagnostics) io.err(formatDiagnostic({ ...d, file: shown }));
          continue;
        }
        const r = await runScenario(loaded.value, src.value, { calendars, locate: src.locate });
        results.push({ ...r, file: shown });
      }
      const failed = results.filter((r) => !r.passed).length;
      if (opts.json) {
        io.out(JSON.stringify(results, null, 2));
      } else {
        for (const r of results) {
          io.out(`${r.passed ? 'PASS' : 'FAIL'} ${r.file}  ${r.name}${r.caseId ? ` (${r.caseId})` : ''}`);
          for (const f of r.failures) {
            const where = f.step === 0 ? 'submission' : `step ${f.step}`;
            io.out(`  ${r.file}:${f.line ?? '?'} ${where}: ${f.message}`);
          }
        }
        io.out(`${results.length - failed} passed, ${failed} failed${invalid ? `, ${invalid} invalid` : ''}`);
      }
      if (failed > 0 || invalid > 0) throw new CliExit(1);
    });
}
