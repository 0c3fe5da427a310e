/**
 * Values of a config that used to pass `validate` and fail later with a raw exception: an invalid
 * JSON Schema or regex in the form or a payload (ajv at createEngine), a reserved name as a rule
 * outcome key (a TypeError in the loader), an unknown time zone (at the first submit), deep
 * nesting (a stack overflow). Each is a positioned, coded config error now.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/base/diagnostics.js';
import { compileConfig } from '../../src/compiler/index.js';
import { MAX_YAML_DEPTH } from '../../src/config/yaml-source.js';
import { loadConfigOrThrow, parseConfigText } from '../../src/loader/index.js';

const root = join(import.meta.dirname, '../../../../');
const file = join(root, 'configs/national.yaml');
const national = readFileSync(file, 'utf8');

/** National with the first `from` replaced by `to`, and the 1-based line of the change. */
function edited(from: string, to: string): { text: string; line: number } {
  const at = national.indexOf(from);
  expect(at, `national.yaml holds ${from}`).toBeGreaterThanOrEqual(0);
  const text = national.slice(0, at) + to + national.slice(at + from.length);
  return { text, line: national.slice(0, at).split('\n').length };
}

function errorsOf(text: string) {
  const r = parseConfigText(text, file);
  expect(r.value).toBeUndefined();
  return r.diagnostics.filter((d) => d.severity === 'error');
}

describe('embedded JSON Schemas are checked at load', () => {
  it('refuses a payload field of an unknown type at its line', () => {
    const { text, line } = edited('findings: { type: string, minLength: 1 }', 'findings: { type: text }');
    const [d, ...more] = errorsOf(text);
    expect(more).toEqual([]);
    expect(d?.code).toBe('CONFIG_BAD_SCHEMA');
    expect(d?.line).toBe(line);
    expect(d?.pointer).toMatch(
      /^\/process\/states\/[^/]+\/on\/OPINION\/payload\/properties\/findings\/type$/,
    );
    expect(d?.message).toContain('allowed values');
  });

  it('refuses an invalid pattern regex in a payload at its line', () => {
    const { text, line } = edited(
      'findings: { type: string, minLength: 1 }',
      'findings: { type: string, pattern: "([a-" }',
    );
    const ds = errorsOf(text);
    expect(ds.map((d) => [d.code, d.line])).toEqual([['CONFIG_BAD_SCHEMA', line]]);
    expect(ds[0]?.pointer.endsWith('/findings/pattern')).toBe(true);
  });

  it('refuses an invalid registration-form schema', () => {
    const { text } = edited('form:\n  schema:\n', 'form:\n  schema:\n    minProperties: -1\n');
    const ds = errorsOf(text);
    expect(ds.map((d) => d.code)).toEqual(['CONFIG_BAD_SCHEMA']);
    expect(ds[0]?.pointer).toBe('/form/schema/minProperties');
  });

  it('turns an invalid schema of a config built in code into a ConfigError at compile', () => {
    const config = structuredClone(loadConfigOrThrow(file).value);
    (config.form.schema as Record<string, unknown>).type = 'text';
    expect(() => compileConfig(config, 'hash-of-a-broken-config')).toThrow(
      expect.objectContaining({
        code: 'CONFIG_BAD_SCHEMA',
        details: expect.objectContaining({ pointer: '/form/schema' }),
      }),
    );
    try {
      compileConfig(config, 'hash-of-a-broken-config-2');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
    }
  });
});

describe('reserved names', () => {
  for (const key of ['constructor', '__proto__', 'prototype']) {
    it(`refuses ${key} as a rule outcome key at its line, without a TypeError`, () => {
      const { text, line } = edited('outcome: { kind: suggestion }', `outcome: { ${key}: suggestion }`);
      expect(errorsOf(text).map((d) => [d.code, d.line])).toEqual([['CONFIG_RESERVED_NAME', line]]);
    });
  }

  it('refuses one as any key, at its line', () => {
    const { text, line } = edited('  initial: registered\n', '  initial: registered\n  constructor: 1\n');
    expect(errorsOf(text).map((d) => [d.code, d.line])).toContainEqual(['CONFIG_RESERVED_NAME', line + 1]);
  });
});

describe('single values', () => {
  it('refuses a time zone the runtime does not know, at its line', () => {
    const { text, line } = edited('timezone: Asia/Shanghai', 'timezone: Mars/Olympus');
    const ds = errorsOf(text);
    expect(ds.map((d) => [d.code, d.line, d.pointer])).toEqual([
      ['CONFIG_BAD_VALUE', line, '/jurisdiction/timezone'],
    ]);
    expect(ds[0]?.message).toContain('Mars/Olympus');
  });

  it('cuts a long value in a message, so a 200 KB value is not printed back', () => {
    const { text } = edited('hitPolicy: first', `hitPolicy: ${'f'.repeat(200_000)}`);
    const [d] = errorsOf(text);
    expect(d?.code).toBe('CONFIG_BAD_VALUE');
    expect(d?.message.length).toBeLessThan(300);
  });
});

describe('nesting', () => {
  it(`refuses YAML nested deeper than ${MAX_YAML_DEPTH} levels, at any depth, without a stack overflow`, () => {
    for (const depth of [MAX_YAML_DEPTH + 1, 5_000, 100_000]) {
      const ds = errorsOf(`${national}\nzzz: ${'['.repeat(depth)}${']'.repeat(depth)}\n`);
      expect(ds.map((d) => d.code)).toEqual(['CONFIG_YAML_SYNTAX']);
      expect(ds[0]?.message).toContain('nested too deeply');
    }
    // at the limit it parses (and is then an unknown key, which is another matter)
    const ok = errorsOf(
      `${national}\nzzz: ${'['.repeat(MAX_YAML_DEPTH - 1)}${']'.repeat(MAX_YAML_DEPTH - 1)}\n`,
    );
    expect(ok.map((d) => d.code)).toEqual(['CONFIG_UNKNOWN_KEY']);
  });
});
