import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { register as basis } from './basis.js';
import { register as check } from './check.js';
import { register as deadline } from './deadline.js';
import { register as demo } from './demo.js';
import { register as doc } from './doc.js';
import { register as fuzz } from './fuzz.js';
import { register as graph } from './graph.js';
import { register as keys } from './keys.js';
import { register as migrate } from './migrate.js';
import { register as report } from './report.js';
import { register as rules } from './rules.js';
import { register as scenario } from './scenario.js';
import { register as serve } from './serve.js';
import { register as validate } from './validate.js';

/** Each command lives in its own module; this list wires them into the program. */
export function registerCommands(program: Command, io: CliIo): void {
  basis(program, io);
  check(program, io);
  deadline(program, io);
  rules(program, io);
  demo(program, io);
  doc(program, io);
  fuzz(program, io);
  graph(program, io);
  keys(program, io);
  migrate(program, io);
  report(program, io);
  scenario(program, io);
  serve(program, io);
  validate(program, io);
}
