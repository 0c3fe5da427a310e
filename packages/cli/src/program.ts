import { isXinfangError } from '@xinfang/core';
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.js';
import { resolvePath } from './context.js';
import { CliExit, type CliIo } from './io.js';
import { version } from './version.js';

/**
 * Runs the `xinfang` command line with `argv` (without the node and script entries) and
 * resolves to the exit code. Never calls `process.exit`, so tests run it in-process.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = new Command('xinfang')
    .description('Run petition (信访) procedures as configured by a jurisdiction')
    .version(version, '-V, --version', 'print the version of xinfang')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError('(run xinfang --help for the commands)')
    .option(
      '--allow-root <dir>',
      'a folder outside the config’s project that extends, templates and calendars may be read from (repeatable)',
      (dir: string, all: string[]) => [...all, dir],
      [] as string[],
    )
    .hook('preAction', (_program, action) => {
      const dirs = (action.optsWithGlobals() as { allowRoot?: string[] }).allowRoot ?? [];
      io.allowedRoots = dirs.map((d) => resolvePath(io, d));
    });
  registerCommands(program, io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CliExit) return e.exitCode;
    if (e instanceof CommanderError) {
      // help and version end with code 0 through the same path
      return e.exitCode === 0 ? 0 : 2;
    }
    if (isXinfangError(e)) {
      io.err(`error ${e.code}: ${e.message}`);
      // one convention for every command: 2 for a command asked wrongly (as commander's own
      // usage errors), 1 for one that ran and failed (an invalid config, a failed check)
      return e.code === 'CLI_USAGE' ? 2 : 1;
    }
    io.err(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 70;
  }
}
