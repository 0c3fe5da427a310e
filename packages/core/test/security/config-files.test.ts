/**
 * The files a config names are confined: `extends`, templates and calendars are read only under
 * the allowed roots, only as regular files, and only up to a size. Each attack an adversarial
 * run found is kept here: a secret file printed through `validate`'s diagnostics, `/dev/zero`
 * read until memory ran out, a FIFO that hung the loader.
 */

import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfigText } from '../../src/loader/index.js';

const fixtures = join(import.meta.dirname, '../fixtures/valid');
const SECRET = 'db_password: hunter2-do-not-print';

/** A project (a folder with package.json) holding the fixture configs, and a secret outside it. */
function project() {
  const base = mkdtempSync(join(tmpdir(), 'xinfang-confine-'));
  const proj = join(base, 'proj');
  const cfg = join(proj, 'configs');
  mkdirSync(cfg, { recursive: true });
  writeFileSync(join(proj, 'package.json'), '{"name":"province-configs","private":true}\n');
  cpSync(fixtures, cfg, { recursive: true });
  const secret = join(base, 'secret.yaml');
  writeFileSync(secret, `${SECRET}\n`);
  return { base, proj, cfg, secret };
}

const child = (ext: string) =>
  `extends: ${ext}\njurisdiction: { id: cn.child, name: 子配置, version: "1" }\n`;

function errors(r: ReturnType<typeof loadConfig>) {
  return r.diagnostics.filter((d) => d.severity === 'error');
}

/** No diagnostic carries a word of the refused file. */
function expectNoLeak(r: ReturnType<typeof loadConfig>) {
  expect(JSON.stringify(r.diagnostics)).not.toContain('hunter2');
  expect(r.sources.map((s) => s.text).join('')).not.toContain('hunter2');
}

describe('extends is confined to the allowed roots', () => {
  it('refuses an absolute path outside the project, at the extends line, without reading it', () => {
    const { cfg, secret } = project();
    writeFileSync(join(cfg, 'child.yaml'), child(secret));
    const r = loadConfig(join(cfg, 'child.yaml'));
    expect(errors(r).map((d) => [d.code, d.line, d.pointer])).toEqual([
      ['CONFIG_FILE_REFUSED', 1, '/extends'],
    ]);
    expect(errors(r)[0]?.message).toContain('allowedRoots');
    expect(r.sources).toHaveLength(1);
    expectNoLeak(r);
  });

  it('refuses a relative path that climbs out of the project', () => {
    const { cfg } = project();
    writeFileSync(join(cfg, 'child.yaml'), child('../../secret.yaml'));
    const r = loadConfig(join(cfg, 'child.yaml'));
    expect(errors(r).map((d) => d.code)).toEqual(['CONFIG_FILE_REFUSED']);
    expectNoLeak(r);
  });

  it('refuses a symbolic link inside the project that points outside it', () => {
    const { cfg, secret } = project();
    symlinkSync(secret, join(cfg, 'innocent.yaml'));
    writeFileSync(join(cfg, 'child.yaml'), child('innocent.yaml'));
    const r = loadConfig(join(cfg, 'child.yaml'));
    expect(errors(r).map((d) => d.code)).toEqual(['CONFIG_FILE_REFUSED']);
    expectNoLeak(r);
  });

  it('takes a parent up the project from a province folder (../national)', () => {
    const { cfg } = project();
    mkdirSync(join(cfg, 'provinces/p'), { recursive: true });
    writeFileSync(join(cfg, 'provinces/p/p.yaml'), child('../../national-mini.yaml'));
    const r = loadConfig(join(cfg, 'provinces/p/p.yaml'));
    expect(errors(r)).toEqual([]);
    expect(r.value?.jurisdiction.id).toBe('cn.child');
  });

  it('takes the config the caller names wherever it lies, through a symbolic link too', () => {
    const { base, cfg } = project();
    const link = join(base, 'linked.yaml');
    // paths in it resolve from where the caller named it (the link's folder): this one is absolute
    writeFileSync(join(cfg, 'child.yaml'), child(join(cfg, 'national-mini.yaml')));
    symlinkSync(join(cfg, 'child.yaml'), link);
    const r = loadConfig(link, { allowedRoots: [cfg] });
    expect(errors(r)).toEqual([]);
    expect(r.value?.jurisdiction.id).toBe('cn.child');
  });

  it('takes a folder outside the project that the caller lists in allowedRoots', () => {
    const { base, cfg } = project();
    const shared = join(base, 'shared');
    cpSync(fixtures, shared, { recursive: true });
    writeFileSync(join(cfg, 'child.yaml'), child(join(shared, 'national-mini.yaml')));
    expect(errors(loadConfig(join(cfg, 'child.yaml'))).map((d) => d.code)).toEqual(['CONFIG_FILE_REFUSED']);
    const r = loadConfig(join(cfg, 'child.yaml'), { allowedRoots: [shared] });
    expect(errors(r)).toEqual([]);
  });

  it('takes a file of an installed package by the package name', () => {
    const { proj } = project();
    const pkg = join(proj, 'node_modules/@acme/configs');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), '{"name":"@acme/configs"}\n');
    cpSync(fixtures, pkg, { recursive: true });
    const app = join(proj, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'province.yaml'), child('"@acme/configs/national-mini.yaml"'));
    const r = loadConfig(join(app, 'province.yaml'));
    expect(errors(r)).toEqual([]);
    expect(r.sources[1]?.file).toBe(join(pkg, 'national-mini.yaml'));
    // the package's folder is a root for that file only: a path out of it is still refused
    writeFileSync(join(app, 'escape.yaml'), child('"@acme/configs/../../../../secret.yaml"'));
    const climbed = loadConfig(join(app, 'escape.yaml'));
    expect(errors(climbed).map((d) => d.code)).toEqual(['CONFIG_FILE_REFUSED']);
    expectNoLeak(climbed);
  });
});

describe('only regular files of bounded size are read', () => {
  it('refuses /dev/zero, even inside an allowed root, without reading a byte', () => {
    const { cfg } = project();
    writeFileSync(join(cfg, 'child.yaml'), child('/dev/zero'));
    const r = loadConfig(join(cfg, 'child.yaml'), { allowedRoots: ['/dev'] });
    expect(errors(r).map((d) => [d.code, d.message])).toEqual([
      ['CONFIG_FILE_REFUSED', expect.stringContaining('not a regular file')],
    ]);
    expect(loadConfig('/dev/zero').diagnostics.map((d) => d.code)).toEqual(['CONFIG_FILE_REFUSED']);
  });

  it('refuses a FIFO (as extends, and as the config itself) instead of waiting on it', () => {
    const { cfg } = project();
    const fifo = join(cfg, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    writeFileSync(join(cfg, 'child.yaml'), child('pipe.yaml'));
    expect(errors(loadConfig(join(cfg, 'child.yaml'))).map((d) => d.code)).toEqual(['CONFIG_FILE_REFUSED']);
    expect(loadConfig(fifo).diagnostics.map((d) => d.code)).toEqual(['CONFIG_FILE_REFUSED']);
  });

  it('refuses a directory', () => {
    const { cfg } = project();
    writeFileSync(join(cfg, 'child.yaml'), child('templates'));
    expect(errors(loadConfig(join(cfg, 'child.yaml'))).map((d) => d.code)).toEqual(['CONFIG_FILE_REFUSED']);
  });

  it('refuses a parent larger than maxFileBytes, and config text larger than it', () => {
    const { cfg } = project();
    writeFileSync(join(cfg, 'big.yaml'), `# ${'x'.repeat(5000)}\n`);
    writeFileSync(join(cfg, 'child.yaml'), child('big.yaml'));
    const r = loadConfig(join(cfg, 'child.yaml'), { maxFileBytes: 4096 });
    expect(errors(r).map((d) => [d.code, d.message])).toEqual([
      ['CONFIG_FILE_REFUSED', expect.stringContaining('larger than 4096 bytes')],
    ]);
    const text = parseConfigText(`# ${'y'.repeat(2_000_000)}\n`, join(cfg, 'huge.yaml'));
    expect(text.diagnostics.map((d) => d.code)).toEqual(['CONFIG_FILE_REFUSED']);
  });
});

describe('templates are confined like extends', () => {
  it('refuses a template outside the project at its line, and one that is a device', () => {
    const { cfg, secret } = project();
    const text = [
      'extends: national-mini.yaml',
      'jurisdiction: { id: cn.child, name: 子配置, version: "1" }',
      'documents:',
      `  acceptance-notice: { template: ${secret} }`,
      '  transfer-notice: { template: /dev/zero }',
    ].join('\n');
    writeFileSync(join(cfg, 'child.yaml'), text);
    const r = loadConfig(join(cfg, 'child.yaml'));
    expect(errors(r).map((d) => [d.code, d.line, d.pointer])).toEqual([
      ['CONFIG_FILE_REFUSED', 4, '/documents/acceptance-notice/template'],
      ['CONFIG_FILE_REFUSED', 5, '/documents/transfer-notice/template'],
    ]);
    expectNoLeak(r);
  });
});
