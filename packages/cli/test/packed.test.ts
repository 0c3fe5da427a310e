/**
 * The packages as a user gets them: every publishable package is packed once (after one build),
 * each tarball is linted (publint) and its types checked for every resolution mode a Node 20
 * user has (attw's node16 profile), and the tarballs are installed once into a scratch folder
 * holding an ESM app and a CommonJS app, each of which runs one case end to end from
 * `@xinfang/configs`; the installed `xinfang` command runs too, and so does the command installed
 * with `npm install -g` and run by `npx`, each from a folder with nothing installed, the
 * `@xinfang` packages coming from a registry on loopback that serves the tarballs.
 */

import { execFile, execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { publint } from 'publint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRegistry } from './local-registry.js';

const root = join(import.meta.dirname, '../../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The publishable packages: every workspace package that is not private. */
function publishable(): { name: string; dir: string }[] {
  return execFileSync('ls', [join(root, 'packages')], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((d) => ({ dir: join(root, 'packages', d), manifest: join(root, 'packages', d, 'package.json') }))
    .filter((p) => existsSync(p.manifest))
    .map((p) => ({ dir: p.dir, pkg: JSON.parse(readFileSync(p.manifest, 'utf8')) }))
    .filter((p) => p.pkg.private !== true)
    .map((p) => ({ name: p.pkg.name as string, dir: p.dir }));
}

let scratch = '';
const tarballs = new Map<string, string>();

/** The packages of the install block of docs/embedding.md (` ```sh install `), run here as written. */
function installLine(): string[] {
  const doc = readFileSync(join(root, 'docs/embedding.md'), 'utf8');
  const block = /```sh install\n([^`]*)```/.exec(doc)?.[1] ?? '';
  const words = block.trim().split(/\s+/);
  expect(words.slice(0, 2), 'the install block is one `npm install` line').toEqual(['npm', 'install']);
  return words.slice(2);
}

/** The files of a tarball, relative to its `package/` folder. */
function unpackedFiles(tarball: string): string[] {
  return execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((f) => f.replace(/^package\//, ''));
}

/**
 * `run` without blocking this process: the registry the installs talk to answers from it, and
 * a synchronous child would wait for an answer the blocked process can never give.
 */
function runAsync(cmd: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${cmd} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(() => {
  // one build for all (turbo skips what is already built)
  run('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], root);
  scratch = mkdtempSync(join(tmpdir(), 'xinfang-packed-'));
  const out = join(scratch, 'tarballs');
  mkdirSync(out);
  const packages = publishable();
  // @xinfang/configs links to configs/: pack a copy where the links are files, as its prepack does
  const configs = packages.find((p) => p.name === '@xinfang/configs');
  const built = packages.filter((p) => p !== configs);
  const args = ['pack', '--ignore-scripts', '--json', '--pack-destination', out];
  const packed = JSON.parse(run(npm, [...args, ...built.flatMap((p) => ['-w', p.dir])], root)) as {
    name: string;
    filename: string;
  }[];
  if (configs) {
    const stage = join(scratch, 'configs-stage');
    cpSync(configs.dir, stage, { recursive: true, dereference: true });
    packed.push(...JSON.parse(run(npm, args, stage)));
  }
  for (const p of packed) tarballs.set(p.name, join(out, p.filename.replace(/^@/, '').replace('/', '-')));
  // one install for both apps: they sit in folders of their own under it
  const apps = join(scratch, 'apps');
  mkdirSync(apps);
  writeFileSync(join(apps, 'package.json'), '{ "name": "apps", "private": true }\n');
  // what docs/embedding.md tells an integrator to install, and what those packages depend on
  const wanted = installLine();
  // and the packages the installed ones depend on (the CLI's `serve` runs @xinfang/http)
  const deps = ['@xinfang/testing', '@xinfang/http'];
  // install scripts are off: better-sqlite3 would compile for a minute, and no app opens a file
  run(
    npm,
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      ...[...wanted, ...deps].map((n) => tarballs.get(n) ?? n),
    ],
    apps,
  );
}, 600_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the packed packages', () => {
  it('the install line of docs/embedding.md names packages that are packed', () => {
    const named = installLine();
    expect(named.length).toBeGreaterThan(1);
    expect(named.filter((n) => !tarballs.has(n))).toEqual([]);
  });

  it('every publishable package is packed', () => {
    expect([...tarballs.keys()].sort()).toEqual(
      publishable()
        .map((p) => p.name)
        .sort(),
    );
  });

  it('each tarball has its README, LICENSE and repository, and no sources or source maps', () => {
    for (const [name, file] of tarballs) {
      const files = unpackedFiles(file);
      expect(files, name).toContain('README.md');
      expect(files, name).toContain('LICENSE');
      expect(
        files.filter((f) => f.startsWith('src/') || f.endsWith('.map')),
        name,
      ).toEqual([]);
      const manifest = JSON.parse(
        execFileSync('tar', ['-xzOf', file, 'package/package.json'], { encoding: 'utf8' }),
      );
      expect(manifest.repository?.url, name).toMatch(/^git\+https:/);
      if (name !== '@xinfang/configs') expect(manifest.scripts?.prepack, name).toBe('npm run build');
    }
  });

  it('publint finds no error or warning in any tarball', async () => {
    for (const [name, file] of tarballs) {
      const data = readFileSync(file);
      const { messages } = await publint({
        pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) },
        level: 'warning',
      });
      expect(
        messages.map((m) => `${m.code} ${m.path.join('.')}`),
        name,
      ).toEqual([]);
    }
  });

  it('attw finds no type problem for node16 (ESM and CJS) and bundler resolution', async () => {
    for (const [name, file] of tarballs) {
      if (name === '@xinfang/configs') continue; // YAML and templates: no JavaScript, no types
      const result = await checkPackage(createPackageFromTarballData(new Uint8Array(readFileSync(file))));
      expect(result.types, name).not.toBe(false);
      // node10 (no `exports`) is older than the engines field allows (Node 20.19)
      const problems = 'problems' in result ? result.problems : [];
      const relevant = problems.filter(
        (p) => !('resolutionKind' in p) || (p.resolutionKind as string) !== 'node10',
      );
      expect(
        relevant.map((p) => `${p.kind} ${'entrypoint' in p ? p.entrypoint : ''}`),
        name,
      ).toEqual([]);
    }
  });
});

/** One case end to end, as an app written in either module system does it. */
function appProgram(kind: 'esm' | 'cjs'): string {
  const load =
    kind === 'esm'
      ? "import * as core from '@xinfang/core';\nimport { generateKeyPairSync } from 'node:crypto';\n"
      : "const core = require('@xinfang/core');\nconst { generateKeyPairSync } = require('node:crypto');\n";
  return `${load}
const main = async () => {
  const loaded = core.loadConfigOrThrow('@xinfang/configs/national.yaml');
  const store = core.createMemoryStore();
  const { privateKey } = generateKeyPairSync('ed25519');
  const sealer = core.createEd25519Sealer({ privateKey });
  const clock = new core.ManualClock('2026-03-02T09:00:00+08:00');
  const engine = core.createEngine({
    configs: [loaded.value],
    calendars: core.loadCalendarDir('@xinfang/configs/calendars'),
    clock,
    store,
    identityKeys: core.ephemeralIdentityKeys(),
    documents: core.createDocumentIssuer({ store, templates: loaded.templates, sealer }),
  });
  const acceptor = { id: 'acc-1', role: 'acceptor', unit: 'county-hrss' };
  const petition = {
    channel: 'letter', receivedAt: '2026-03-02', receivingUnit: 'county-hrss',
    petitioner: { name: '张三', idNumber: '11010119900101123X', phone: '13800000000', address: '示范县人民路 1 号' },
    subject: 'labour', summary: '单位拖欠工资三个月', request: '支付拖欠工资', respondentUnit: 'county-hrss',
  };
  const { caseId } = await engine.submit(petition, { id: 'reg-1', role: 'registrar', unit: 'county-hrss' }, { petitionerId: 'p-1' });
  await engine.send(caseId, { type: 'ACCEPT' }, acceptor);
  const handling = (await store.deadlines(caseId)).find((d) => d.deadlineId === 'handling');
  clock.set('2026-05-07T09:00:00+08:00');
  await engine.tick();
  const view = await engine.get(caseId, acceptor);
  const docs = await engine.documents(caseId, acceptor);
  const sealed = docs.find((d) => d.documentId === 'acceptance-notice');
  const seal = await core.verifyDocument(sealed.sealed, sealer);
  console.log(JSON.stringify({ handling: handling.dueDate, colour: view.colour, red: view.redReasons.map((r) => r.ref), number: typeof sealed.number, sealOk: seal.ok, verify: (await engine.verify(caseId)).ok }));
};
main().catch((e) => { console.error(e); process.exitCode = 1; });
`;
}

describe('installed into an app', () => {
  // 2026-03-02 + 60 days = 05-01, Labour Day (05-01..05-05 off): the next working day, 05-06
  const expected = {
    handling: '2026-05-06',
    colour: 'red',
    red: ['handling'],
    number: 'string',
    sealOk: true,
    verify: true,
  };

  for (const kind of ['esm', 'cjs'] as const) {
    it(`a ${kind === 'esm' ? 'ESM' : 'CommonJS'} app runs a case from @xinfang/configs, sealed and verified`, () => {
      const dir = join(scratch, 'apps', kind);
      mkdirSync(dir, { recursive: true });
      const type = kind === 'esm' ? 'module' : 'commonjs';
      writeFileSync(
        join(dir, 'package.json'),
        `{ "name": "app-${kind}", "private": true, "type": "${type}" }\n`,
      );
      writeFileSync(join(dir, 'main.js'), appProgram(kind));
      const printed = run(process.execPath, ['main.js'], dir);
      expect(JSON.parse(printed)).toEqual(expected);
    });
  }

  it('the installed xinfang command validates a config by package name and counts on the packaged calendar', () => {
    const apps = join(scratch, 'apps');
    const bin = join(apps, 'node_modules', '.bin', 'xinfang');
    expect(run(bin, ['validate', '@xinfang/configs/national.yaml'], apps)).toMatch(/1 file valid/);
    // 2026-09-30 + 1 day = 10-01, National Day (10-01..10-07 off): the next working day, Thursday 10-08
    const due = JSON.parse(run(bin, ['deadline', '--from', '2026-09-30', '--days', '1', '--json'], apps));
    expect([due.due, due.calendarVersion]).toEqual(['2026-10-08', '2026.1']);
  });
});

describe('installed as a command, from a registry', () => {
  // what a user types, from a folder that has no package.json and nothing installed
  const NATIONAL = '@xinfang/configs/national.yaml';
  const quiet = ['--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'];

  async function commandWorks(run: (args: string[]) => Promise<string>) {
    expect(await run(['validate', NATIONAL])).toMatch(/1 file valid/);
    // the packaged calendar: 2026-04-30 + 1 day = 05-01, Labour Day (05-01..05-05 off), so 05-06
    const due = JSON.parse(await run(['deadline', '--from', '2026-04-30', '--days', '1', '--json']));
    expect([due.due, due.calendarVersion]).toEqual(['2026-05-06', '2026.1']);
  }

  it('npm install -g @xinfang/cli puts xinfang on PATH, and it finds the configs it ships with', async () => {
    const registry = await startLocalRegistry(tarballs, scratch);
    try {
      const prefix = join(scratch, 'global');
      const elsewhere = mkdtempSync(join(scratch, 'elsewhere-'));
      await runAsync(
        npm,
        ['install', '-g', '--prefix', prefix, '--userconfig', registry.npmrc, ...quiet, '@xinfang/cli'],
        elsewhere,
      );
      const bin = join(prefix, 'bin', 'xinfang');
      expect(existsSync(bin)).toBe(true);
      await commandWorks((args) => runAsync(bin, args, elsewhere));
    } finally {
      await registry.close();
    }
  }, 300_000);

  it('npx @xinfang/cli runs the command without installing it', async () => {
    const registry = await startLocalRegistry(tarballs, scratch);
    try {
      // npx keeps what it installed in the cache's _npx folder and reuses it for the same
      // version: drop an earlier run's copy so this one runs the tarballs just packed
      const cache = run(npm, ['config', 'get', 'cache'], scratch).trim();
      const npxDir = join(cache, '_npx');
      if (existsSync(npxDir)) {
        for (const d of readdirSync(npxDir)) {
          if (existsSync(join(npxDir, d, 'node_modules', '@xinfang', 'cli')))
            rmSync(join(npxDir, d), { recursive: true, force: true });
        }
      }
      const elsewhere = mkdtempSync(join(scratch, 'elsewhere-'));
      await commandWorks((args) =>
        runAsync(
          'npx',
          ['--yes', '--userconfig', registry.npmrc, ...quiet, '@xinfang/cli', ...args],
          elsewhere,
        ),
      );
    } finally {
      await registry.close();
    }
  }, 300_000);
});
