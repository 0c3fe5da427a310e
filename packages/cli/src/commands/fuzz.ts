import { readFileSync, statSync } from 'node:fs';
import { type FuzzReport, fuzzCommands, fuzzConfigs, probeFor, summary } from '@xinfang/testing/fuzz';
import { SingleBar } from 'cli-progress';
import { type Command, Option } from 'commander';
import { loadJurisdictionForRun, loadOptionsOf, resolvePath } from '../context.js';
import { CliExit, type CliIo } from '../io.js';

interface FuzzOpts {
  runs: string;
  kind: 'config' | 'command' | 'all';
  seed: string;
  province?: string;
  progress: boolean;
  json?: boolean;
}

/** A whole number of an option, at least `min`, or a usage error. */
function whole(io: CliIo, value: string, what: string, min: number): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) {
    io.err(`error CLI_USAGE: ${what} must be a whole number${min > 0 ? ' of at least 1' : ''}`);
    throw new CliExit(2);
  }
  return n;
}

/** The text of a config named on the command line: a regular file of sane size. */
function configText(io: CliIo, file: string): string {
  const st = statSync(file, { throwIfNoEntry: false });
  if (!st?.isFile() || st.size > 4 * 1_048_576) {
    io.err(`error CLI_USAGE: ${file} is not a regular config file`);
    throw new CliExit(2);
  }
  return readFileSync(file, 'utf8');
}

/** A progress bar on stderr when asked and a terminal is there; nothing otherwise. */
function progressBar(show: boolean, total: number, label: string) {
  if (!show || !process.stderr.isTTY) return { tick: (_: number) => {}, stop: () => {} };
  const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total}`, stream: process.stderr });
  bar.start(total, 0);
  return { tick: (n: number) => bar.update(n), stop: () => bar.stop() };
}

function print(io: CliIo, reports: FuzzReport[], json: boolean | undefined): void {
  if (json) {
    io.out(JSON.stringify(reports, null, 2));
    return;
  }
  for (const r of reports) {
    io.out(summary(r));
    for (const f of r.failures) {
      io.out(
        `  input ${f.input}: ${f.what}\n    ${f.error}${f.stack ? `\n    ${f.stack.replaceAll('\n', '\n    ')}` : ''}`,
      );
    }
  }
}

/**
 * `xinfang fuzz [config] --runs <n> --kind config|command|all`: the fuzzers `npm test` runs at a
 * small count, here at a large one. The config fuzzer mutates the config and a province config;
 * the command fuzzer runs hostile programs on an engine over the config. Exits 1 when any input
 * ended in an error without a code.
 */
export function register(program: Command, io: CliIo): void {
  program
    .command('fuzz')
    .description('fuzz config loading and engine commands with hostile input; exit 1 on any uncoded error')
    .argument('[config]', 'the jurisdiction config (default: configs/national.yaml)', 'configs/national.yaml')
    .option('--runs <n>', 'inputs per fuzzer', '5000')
    .addOption(
      new Option('--kind <kind>', 'which fuzzer').choices(['config', 'command', 'all']).default('all'),
    )
    .option('--seed <n>', 'the random seed (a run is repeated by its seed)', '17')
    .option('--province <file>', 'a province config mutated besides the config (default: none)')
    .option('--no-progress', 'no progress bar')
    .option('--json', 'print the reports as JSON')
    .action(async (configPath: string, opts: FuzzOpts) => {
      const runs = whole(io, opts.runs, '--runs', 1);
      const seed = whole(io, opts.seed, '--seed', Number.MIN_SAFE_INTEGER);
      const { loaded, calendars } = loadJurisdictionForRun(io, configPath);
      const calendar = calendars.get(loaded.value.jurisdiction.calendar);
      const reports: FuzzReport[] = [];
      if (opts.kind !== 'command') {
        const files = [
          resolvePath(io, configPath),
          ...(opts.province ? [resolvePath(io, opts.province)] : []),
        ];
        const bar = progressBar(opts.progress, runs, 'config ');
        reports.push(
          await fuzzConfigs({
            configs: files.map((file) => ({
              file: resolvePath(io, file),
              text: configText(io, resolvePath(io, file)),
              probe: probeFor(
                file === configPath ? loaded.value : loadJurisdictionForRun(io, file).loaded.value,
                seed,
              ),
            })),
            runs,
            seed,
            calendars,
            ...loadOptionsOf(io),
            onInput: bar.tick,
          }),
        );
        bar.stop();
      }
      if (opts.kind !== 'config' && calendar) {
        const bar = progressBar(opts.progress, runs, 'command');
        reports.push(await fuzzCommands({ config: loaded.value, calendar, runs, seed, onInput: bar.tick }));
        bar.stop();
      }
      print(io, reports, opts.json);
      if (reports.some((r) => r.failures.length > 0)) throw new CliExit(1);
    });
}
