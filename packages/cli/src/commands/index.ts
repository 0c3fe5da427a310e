import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { register as scenario } from './scenario.js';

/** Each command lives in its own module; this list wires them into the program. */
export function registerCommands(program: Command, io: CliIo): void {
  scenario(program, io);
}
