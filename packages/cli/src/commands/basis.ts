import { XinfangError } from '@xinfang/core';
import { legalBasisMap, renderLegalBasisPage } from '@xinfang/core/graph';
import type { Command } from 'commander';
import { loadJurisdictionForRun, resolvePath } from '../context.js';
import { displayPath, writeGenerated } from '../generated.js';
import type { CliIo } from '../io.js';

/**
 * `xinfang basis <config>`: the legal-basis map — each article the config cites, with the
 * states, transitions, deadlines, documents, rules, delivery channels, supervision grounds
 * and reports that cite it — as
 * Markdown (`docs/legal-basis.md` is this command's output) or JSON.
 */
export function register(program: Command, io: CliIo): void {
  program
    .command('basis')
    .description(
      'map each article a config cites to the states, transitions, deadlines and documents citing it',
    )
    .argument('<config>', 'jurisdiction config (YAML)')
    .option('--out <file>', 'write the Markdown page to this file')
    .option('--json', 'print the map as JSON')
    .option('--check', 'compare with the --out file instead of writing it; exit 1 when it differs')
    .action((configPath: string, opts: { out?: string; json?: boolean; check?: boolean }) => {
      if (opts.check && !opts.out)
        throw new XinfangError('CLI_USAGE', '--check needs --out <file> to compare with');
      if (opts.json && opts.out)
        throw new XinfangError('CLI_USAGE', '--json prints to the terminal; drop --out');
      const { loaded } = loadJurisdictionForRun(io, configPath);
      const map = legalBasisMap(loaded.value);
      if (opts.json) {
        io.out(JSON.stringify(map, null, 2));
        return;
      }
      const config = displayPath(io, resolvePath(io, configPath));
      const out = opts.out ? resolvePath(io, opts.out) : undefined;
      const command = ['xinfang basis', config, ...(out ? ['--out', displayPath(io, out)] : [])].join(' ');
      const text = renderLegalBasisPage(loaded.value, map, { config, command });
      if (!out) {
        io.out(text);
        return;
      }
      writeGenerated(io, out, text, { check: opts.check, command });
    });
}
