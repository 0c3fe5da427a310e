/**
 * The pages under docs/ that are generated from configs must be what the generator makes of
 * the configs as they are now: a diagram per jurisdiction config (national and each province)
 * and the national legal-basis map. Each check runs the same command that writes the page,
 * with `--check`, in memory.
 */

import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIo, runCli } from '../src/index.js';

const root = join(import.meta.dirname, '../../..');
const BUILD = 'npx turbo run build --filter=@xinfang/cli && node packages/cli/dist/bin.js';

/** `configs/national.yaml` and every province config `configs/provinces/<p>/<file>.yaml`. */
function jurisdictionConfigs(): string[] {
  const provinces = join(root, 'configs/provinces');
  const found = existsSync(provinces)
    ? readdirSync(provinces, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .flatMap((d) =>
          readdirSync(join(provinces, d.name))
            .filter((f) => f.endsWith('.yaml'))
            .map((f) => `configs/provinces/${d.name}/${f}`),
        )
    : [];
  return ['configs/national.yaml', ...found.sort()];
}

const diagramOf = (config: string) => `docs/diagrams/${basename(config, '.yaml')}.md`;

async function check(args: string[]): Promise<{ code: number; report: string }> {
  const io = bufferIo(root);
  const code = await runCli([...args, '--check'], io);
  return { code, report: `${io.stdout()}${io.stderr()}` };
}

describe('generated docs are current', () => {
  it.each(jurisdictionConfigs())('docs/diagrams has the diagram of %s', async (config) => {
    const out = diagramOf(config);
    const { code, report } = await check(['graph', config, '--out', out]);
    expect(
      code,
      `${report}\nRefresh it from the repository root: ${BUILD} graph ${config} --out ${out}`,
    ).toBe(0);
  });

  it('docs/diagrams holds no diagram of a config that is gone', () => {
    const expected = new Set(jurisdictionConfigs().map((c) => basename(diagramOf(c))));
    const orphans = readdirSync(join(root, 'docs/diagrams')).filter((f) => !expected.has(f));
    expect(orphans, 'delete these diagrams, or restore their configs').toEqual([]);
  });

  it('docs/legal-basis.md is the legal-basis map of national.yaml', async () => {
    const args = ['basis', 'configs/national.yaml', '--out', 'docs/legal-basis.md'];
    const { code, report } = await check(args);
    expect(code, `${report}\nRefresh it from the repository root: ${BUILD} ${args.join(' ')}`).toBe(0);
  });
});
