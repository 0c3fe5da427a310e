import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import {
  type Calendar,
  ConfigError,
  formatDiagnostic,
  type LoadedConfig,
  type LoadOptions,
  loadCalendarDir,
  loadConfig,
} from '@xinfang/core';
import { CliExit, type CliIo } from './io.js';
import { resolveUserPath } from './package-files.js';

/**
 * Resolves a path the user typed against the command's working directory; a package's file
 * (`@xinfang/configs/national.yaml`) is read where that package is installed.
 */
export function resolvePath(io: CliIo, path: string): string {
  return isAbsolute(path) ? path : resolveUserPath(io.cwd, path, io.installedAt);
}

/** What every command passes the loader from the command line: the extra allowed roots. */
export function loadOptionsOf(io: CliIo): Pick<LoadOptions, 'allowedRoots'> {
  return io.allowedRoots && io.allowedRoots.length > 0 ? { allowedRoots: io.allowedRoots } : {};
}

/**
 * Loads a jurisdiction config for a command that runs it, printing every problem and
 * ending with exit 1 when it is invalid, so no command runs a half-valid procedure.
 */
export function loadJurisdictionForRun(
  io: CliIo,
  path: string,
): { loaded: LoadedConfig; calendars: Map<string, Calendar> } {
  const file = resolvePath(io, path);
  const calendars = calendarsBeside(file);
  const result = loadConfig(file, { calendars, ...loadOptionsOf(io) });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !result.value || !result.hash) {
    for (const d of errors) io.err(formatDiagnostic(d));
    throw new CliExit(1);
  }
  const loaded = result as LoadedConfig;
  return { loaded, calendars: withChainCalendars(loaded, calendars) };
}

/**
 * `calendars`, plus those beside each config of the extends chain when the one the config names
 * is not among them: a province kept outside the repo, extending `configs/national.yaml`, finds
 * the calendar the loader found, beside the root of its chain.
 */
export function withChainCalendars(
  loaded: LoadedConfig,
  calendars: Map<string, Calendar>,
): Map<string, Calendar> {
  const id = loaded.value.jurisdiction.calendar;
  for (const source of loaded.sources) {
    if (calendars.has(id)) break;
    for (const [cid, cal] of calendarsBeside(source.file)) if (!calendars.has(cid)) calendars.set(cid, cal);
  }
  return calendars;
}

/**
 * The calendars a config can name: `calendars/` beside the config or beside any ancestor
 * directory up to the filesystem root (a province's config under `configs/` finds
 * `configs/calendars/`).
 */
export function calendarsBeside(file: string): Map<string, Calendar> {
  const out = new Map<string, Calendar>();
  let dir = dirname(file);
  for (;;) {
    const candidate = join(dir, 'calendars');
    if (existsSync(candidate)) {
      for (const [id, cal] of loadCalendarDir(candidate)) if (!out.has(id)) out.set(id, cal);
    }
    const up = dirname(dir);
    if (up === dir) return out;
    dir = up;
  }
}

export { ConfigError };
