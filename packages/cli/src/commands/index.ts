import type { Command } from 'commander';
import type { CliIo } from '../io.js';

/** Each command lives in its own module; this list wires them into the program. */
export function registerCommands(program: Command, io: CliIo): void {
  void program;
  void io;
}
