#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { runCli } from './program.js';

const code = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  installedAt: fileURLToPath(import.meta.url),
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
});
process.exitCode = code;
