/**
 * Loading and validating configs/national.yaml plus a province config that extends it,
 * beside the raw baseline of the same files: `yaml.parse` of both and one ajv validation
 * against the published schema. The gap is what positions, `extends`, the cross-reference
 * checks and the statutory restrictions (deadlines compared on the calendar) cost. The issue
 * asks for the national + child load to take well under 100 ms.
 */

import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '@xinfang/core';
import { jurisdictionSchema } from '@xinfang/core/tooling';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { measure, printTable } from './measure.js';

const OPS = 200;

/** configs/, found from the working directory upwards. */
function configsDir(): string {
  for (let dir = resolve('.'); ; dir = dirname(dir)) {
    const candidate = join(dir, 'configs');
    if (existsSync(join(candidate, 'national.yaml'))) return candidate;
    if (dirname(dir) === dir) throw new Error('configs/national.yaml not found from the working directory');
  }
}

/**
 * A province config that extends national.yaml: the first one in configs/, else a
 * Zhejiang-like one written to a temporary directory (disposal in 5 working days, handling
 * 30 days extendable by 30), which makes the loader compare working against calendar days.
 */
function childConfig(configs: string): string {
  const shipped = readdirSync(configs)
    .filter((f) => /\.ya?ml$/.test(f) && f !== 'national.yaml')
    .sort();
  if (shipped[0]) return join(configs, shipped[0]);
  const dir = mkdtempSync(join(tmpdir(), 'xinfang-bench-'));
  const file = join(dir, 'province.yaml');
  writeFileSync(
    file,
    [
      `extends: ${relative(dir, join(configs, 'national.yaml'))}`,
      'jurisdiction: { id: cn.bench, name: 基准省, version: "1" }',
      'deadlines:',
      '  disposal: { days: 5, unit: working }',
      '  handling: { days: 30, extension: { maxDays: 30 } }',
      '',
    ].join('\n'),
  );
  return file;
}

/** Prints the table; returns nothing, never fails on a time. */
export async function run(): Promise<void> {
  const configs = configsDir();
  const national = join(configs, 'national.yaml');
  const child = childConfig(configs);
  const texts = [readFileSync(national, 'utf8'), readFileSync(child, 'utf8')];

  // the first load compiles the schema: reported apart, it is paid once per process
  const t0 = performance.now();
  // the scratch province lies outside the repository: the configs folder is allowed explicitly
  const options = { allowedRoots: [configs] };
  const first = loadConfig(child, options);
  const coldMs = performance.now() - t0;
  const errors = first.diagnostics.filter((d) => d.severity === 'error').length;

  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(jurisdictionSchema);
  const rows = [
    await measure('baseline: yaml.parse (2 files) + ajv validate', OPS, () => {
      const [n, c] = texts.map((t) => parse(t));
      validate(n);
      return c;
    }),
    await measure('xinfang loadConfig(national.yaml)', OPS, () => loadConfig(national)),
    await measure(`xinfang loadConfig(${relative(dirname(configs), child)}) with extends`, OPS, () =>
      loadConfig(child, options),
    ),
  ];
  printTable('Config load: national.yaml + a child config', rows);
  const perLoad = (rows[2]?.ms ?? 0) / OPS;
  console.log(
    `\nnational + child: ${perLoad.toFixed(1)} ms per load (first load ${coldMs.toFixed(1)} ms, schema compile included); ` +
      `target well under 100 ms. ${errors === 0 ? 'The configs are valid.' : `Note: ${errors} error(s) in the configs.`}`,
  );
}
