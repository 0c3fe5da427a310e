import { XinfangError } from '@xinfang/core';
import { processSteps, renderDiagramPage, renderStateDiagram } from '@xinfang/core/graph';
import { type Command, Option } from 'commander';
import { loadJurisdictionForRun, resolvePath } from '../context.js';
import { displayPath, writeGenerated } from '../generated.js';
import type { CliIo } from '../io.js';

interface GraphOptions {
  out?: string;
  direction: 'TB' | 'LR';
  omit?: string;
  format?: 'mermaid' | 'markdown';
  check?: boolean;
}

/**
 * `xinfang graph <config>`: the process as a Mermaid state diagram — states coloured by stage,
 * transitions labelled with the command, roles, deadlines and article. With `--out <file>.md`
 * it writes a Markdown page around the diagram (the pages under `docs/diagrams/`); `--check`
 * compares instead of writing, for tests and CI.
 */
export function register(program: Command, io: CliIo): void {
  program
    .command('graph')
    .description('draw the process of a config as a Mermaid state diagram')
    .argument('<config>', 'jurisdiction config (YAML)')
    .option('--out <file>', 'write to this file (a .md file gets a Markdown page around the diagram)')
    .addOption(new Option('--direction <dir>', 'layout direction').choices(['TB', 'LR']).default('TB'))
    .option('--omit <commands>', 'comma-separated commands to leave out, e.g. WITHDRAW')
    .addOption(
      new Option(
        '--format <format>',
        'mermaid, or markdown (default: markdown for a .md --out file)',
      ).choices(['mermaid', 'markdown']),
    )
    .option('--check', 'compare with the --out file instead of writing it; exit 1 when it differs')
    .action((configPath: string, opts: GraphOptions) => {
      const { loaded } = loadJurisdictionForRun(io, configPath);
      const config = loaded.value;
      const omit = (opts.omit ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const known = new Set(processSteps(config).map((s) => s.event));
      const unknown = omit.filter((c) => !known.has(c));
      if (unknown.length > 0) {
        throw new XinfangError(
          'CLI_USAGE',
          `--omit names ${unknown.join(', ')}, which no state of ${configPath} accepts; its commands are ${[...known].sort().join(', ')}`,
        );
      }
      if (opts.check && !opts.out)
        throw new XinfangError('CLI_USAGE', '--check needs --out <file> to compare with');

      const diagram = renderStateDiagram(config, { direction: opts.direction, omit });
      const out = opts.out ? resolvePath(io, opts.out) : undefined;
      const format = opts.format ?? (out?.endsWith('.md') ? 'markdown' : 'mermaid');
      const command = [
        'xinfang graph',
        displayPath(io, resolvePath(io, configPath)),
        ...(out ? ['--out', displayPath(io, out)] : []),
        ...(opts.direction !== 'TB' ? ['--direction', opts.direction] : []),
        ...(omit.length ? ['--omit', omit.join(',')] : []),
        ...(opts.format && out ? ['--format', opts.format] : []),
      ].join(' ');
      const text =
        format === 'markdown'
          ? renderDiagramPage(config, diagram, {
              config: displayPath(io, resolvePath(io, configPath)),
              command,
            })
          : diagram;
      if (!out) {
        io.out(text);
        return;
      }
      writeGenerated(io, out, text, { check: opts.check, command });
    });
}
