import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { type Diagnostic, formatDiagnostic, loadConfig, parseCalendar } from '@xinfang/core';
import { parseScenario } from '@xinfang/core/scenario';
import { type Command, Option } from 'commander';
import { CliExit, type CliIo } from '../io.js';
import { resolveUserPath } from '../package-files.js';

type Kind = 'jurisdiction' | 'calendar' | 'scenario';

/**
 * A file is a calendar when it sits in a `calendars/` directory or has a calendar's top-level
 * keys, a scenario when it sits in a `scenarios/` directory or has a scenario's `steps:` and
 * `petition:`; anything else is a jurisdiction config.
 */
function kindOf(path: string, text: string | undefined): Kind {
  const dirs = path.split(sep);
  if (dirs.includes('calendars')) return 'calendar';
  if (dirs.includes('scenarios')) return 'scenario';
  if (text !== undefined && /^(weekend|holidays)\s*:/m.test(text)) return 'calendar';
  if (text !== undefined && /^petition\s*:/m.test(text) && /^steps\s*:/m.test(text)) return 'scenario';
  return 'jurisdiction';
}

/** The largest file `validate` reads to tell its kind; the loader refuses larger ones with a code. */
const SNIFF_LIMIT = 1_048_576;

/**
 * The text of a regular file of sane size, else undefined (the loader then says why): a device
 * or FIFO named on the command line must not be read until memory or patience runs out.
 */
function smallFileText(path: string): string | undefined {
  try {
    const st = statSync(path);
    return st.isFile() && st.size <= SNIFF_LIMIT ? readFileSync(path, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Files named on the command line; a directory stands for every YAML file under it. */
function expand(path: string): string[] {
  if (!isDirectory(path)) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => {
      const p = join(path, e.name);
      if (e.isDirectory()) return expand(p);
      return ['.yaml', '.yml'].includes(extname(e.name)) ? [p] : [];
    });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * `xinfang validate <files...>`: checks jurisdiction configs (with their `extends` chain)
 * and calendar files, prints every problem with its source line, and exits 1 on any error.
 */
export function register(program: Command, io: CliIo): void {
  program
    .command('validate')
    .description('validate jurisdiction configs, calendar and scenario files; exit 1 on any error')
    .argument('<files...>', 'YAML files (or directories of them)')
    .option('--json', 'print the diagnostics as a JSON array')
    .addOption(
      new Option('--locale <locale>', 'language of the messages').choices(['en', 'zh']).default('en'),
    )
    .action((files: string[], opts: { json?: boolean; locale: 'en' | 'zh' }) => {
      const all: Diagnostic[] = [];
      const counts: Record<Kind, number> = { jurisdiction: 0, calendar: 0, scenario: 0 };
      const named = files.map((f) => resolveUserPath(io.cwd, f, io.installedAt));
      const paths = named.flatMap((f) => expand(f));
      // what the user named on the command line may be read: a config beside another named one
      // extends it, wherever the two lie
      const roots = [...(io.allowedRoots ?? []), ...named.map((f) => (isDirectory(f) ? f : dirname(f)))];
      for (const path of paths) {
        const text = smallFileText(path);
        const kind = kindOf(path, text);
        counts[kind]++;
        let diagnostics: Diagnostic[];
        if (kind === 'jurisdiction' || text === undefined) {
          diagnostics = loadConfig(path, { locale: opts.locale, allowedRoots: roots }).diagnostics;
        } else if (kind === 'calendar') {
          diagnostics = parseCalendar(text, path).diagnostics;
        } else {
          diagnostics = parseScenario(text, path).diagnostics;
        }
        // diagnostics name files as the user would: relative to where the command runs
        for (const d of diagnostics) all.push({ ...d, file: relative(io.cwd, d.file) || d.file });
      }
      const errors = all.filter((d) => d.severity === 'error').length;
      const warnings = all.length - errors;
      if (opts.json) {
        io.out(JSON.stringify(all, null, 2));
      } else {
        for (const d of all) io.out(formatDiagnostic(d));
        if (errors > 0) {
          io.out(
            `${plural(errors, 'error')}${warnings ? `, ${plural(warnings, 'warning')}` : ''} in ${plural(paths.length, 'file')}`,
          );
        } else {
          io.out(
            `${plural(paths.length, 'file')} valid (${plural(counts.jurisdiction, 'jurisdiction')}, ${plural(counts.calendar, 'calendar')}${counts.scenario ? `, ${plural(counts.scenario, 'scenario')}` : ''})` +
              (warnings ? `, ${plural(warnings, 'warning')}` : ''),
          );
        }
      }
      if (errors > 0) throw new CliExit(1);
    });
}
