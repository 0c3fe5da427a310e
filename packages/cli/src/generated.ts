import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import { CliExit, type CliIo } from './io.js';

/** A path as the user would type it from the working directory, with `/` on every platform. */
export function displayPath(io: CliIo, absolute: string): string {
  return (relative(io.cwd, absolute) || absolute).split(sep).join('/');
}

/**
 * Writes a generated file, or with `check` compares it with what is on disk and ends with
 * exit 1 when they differ, naming the command that refreshes it. Files under `docs/` are
 * generated this way, and a test runs the check so they cannot silently go stale.
 */
export function writeGenerated(
  io: CliIo,
  file: string,
  text: string,
  options: { check?: boolean; command: string },
): void {
  const shown = displayPath(io, file);
  if (options.check) {
    let current: string | undefined;
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === text) {
      io.out(`${shown} is up to date`);
      return;
    }
    io.err(
      current === undefined
        ? `${shown} does not exist; create it with: ${options.command}`
        : `${shown} is out of date; refresh it with: ${options.command}`,
    );
    throw new CliExit(1);
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  io.out(`wrote ${shown}`);
}
