#!/usr/bin/env node
// The `xinfang` command. This launcher is committed (npm links a package's bin only if the file
// exists at install time, and dist/ exists only after a build); it runs the built CLI.
import { existsSync } from 'node:fs';

const built = new URL('../dist/bin.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  process.stderr.write(
    'xinfang: the command is not built yet (packages/cli/dist/bin.js is missing): run `npm run build` first\n',
  );
  process.exitCode = 1;
}
