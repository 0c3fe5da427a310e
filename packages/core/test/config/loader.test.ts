import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCalendarFile } from '../../src/calendar/index.js';
import { compareStretches, totalStretches } from '../../src/config/deadline-compare.js';
import {
  ConfigError,
  configHash,
  formatDiagnostic,
  JURISDICTION_SCHEMA_ID,
  jurisdictionSchema,
  MESSAGES,
  parseYamlWithSchema,
} from '../../src/config/index.js';
import { type JurisdictionConfig, REGISTER_FIELD_TYPES } from '../../src/config/types.js';
import { loadConfig, loadConfigOrThrow, parseConfigText } from '../../src/loader/index.js';

const valid = join(import.meta.dirname, '../fixtures/valid');
const parentFile = join(valid, 'national-mini.yaml');
const childFile = join(valid, 'province/province-mini.yaml');
const calendar = loadCalendarFile(join(valid, 'calendars/cn-mainland.yaml'));

describe('loading a config', () => {
  it('loads the valid parent with no diagnostics, a value and a hash', () => {
    const r = loadConfig(parentFile);
    expect(r.diagnostics).toEqual([]);
    expect(r.value?.jurisdiction.id).toBe('cn.test');
    expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(r.sources.map((s) => s.file)).toEqual([parentFile]);
  });

  it('merges a child over its parent: maps by key, named lists by id, $remove drops', () => {
    const r = loadConfig(childFile);
    expect(r.diagnostics).toEqual([]);
    const c = r.value as JurisdictionConfig;
    expect(c.jurisdiction).toMatchObject({
      id: 'cn.test.province',
      timezone: 'Asia/Shanghai',
      calendar: 'cn-mainland',
    });
    expect(c.deadlines.disposal).toMatchObject({ days: 5, unit: 'working', statutory: true, kind: 'duty' });
    // the extension keeps the parent's approver and notice, with the child's shorter maximum
    expect(c.deadlines.handling?.extension).toEqual({
      maxDays: 30,
      times: 1,
      approvedBy: ['head'],
      notice: 'extension-notice',
      basis: 'reg-2022 art. 34',
    });
    expect(Object.keys(c.units)).toEqual(['prov-gov', 'city-gov', 'city-bureau', 'county-gov']);
    const rules = c.ruleSets?.classification?.rules ?? [];
    expect(rules.map((x) => x.id)).toEqual(['arbitration', 'administrative']);
    expect(rules[0]?.outcome).toEqual({ route: 'arbitration', local: true });
    expect(r.sources.map((s) => s.file)).toEqual([childFile, join(valid, 'national-mini.yaml')]);
    expect(r.sources[0]?.extends).toBe(join(valid, 'national-mini.yaml'));
  });

  it('resolves each template against the file that names it', () => {
    const r = loadConfig(childFile);
    expect(r.templates['acceptance-notice']).toBe(join(valid, 'province/templates/acceptance-notice.liquid'));
    expect(r.templates['handling-opinion']).toBe(join(valid, 'templates/handling-opinion.liquid'));
  });

  it('uses a calendar passed in before looking for one on disk', () => {
    const r = loadConfig(childFile, { calendars: new Map([['cn-mainland', calendar]]) });
    expect(r.diagnostics).toEqual([]);
  });

  it('parses text in memory, with its own way of finding the parent', () => {
    const parentText = readFileSync(parentFile, 'utf8');
    const text = 'extends: base.yaml\ndeadlines:\n  review: { days: 40 }\n';
    const r = parseConfigText(text, join(valid, 'memory.yaml'), {
      resolveExtends: (target) =>
        target === 'base.yaml' ? { file: parentFile, text: parentText } : undefined,
    });
    expect(r.diagnostics.map((d) => [d.code, d.file, d.line])).toEqual([
      ['CONFIG_LENGTHENED_DEADLINE', join(valid, 'memory.yaml'), 3],
    ]);
  });

  it('never throws for a config problem, even for a file that is not there', () => {
    const r = loadConfig(join(valid, 'nowhere.yaml'));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['CONFIG_FILE_NOT_FOUND']);
    for (const text of [
      '',
      '42',
      '- a\n- b',
      'jurisdiction: [',
      '{}',
      'a: &a [*a]',
      'process: { states: 3 }',
    ]) {
      const t = parseConfigText(text, join(valid, 'x.yaml'));
      expect(t.value).toBeUndefined();
      expect(t.diagnostics.length).toBeGreaterThan(0);
    }
  });

  it('the throwing loader throws one ConfigError with every error', () => {
    expect(() => loadConfigOrThrow(join(valid, '../broken/unknown-role.yaml'))).toThrow(ConfigError);
    try {
      loadConfigOrThrow(join(valid, '../broken/unit-cycle.yaml'));
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).code).toBe('CONFIG_UNIT_CYCLE');
      expect((e as ConfigError).diagnostics).toHaveLength(1);
    }
    expect(loadConfigOrThrow(childFile).value.jurisdiction.id).toBe('cn.test.province');
  });

  it('warns when $remove names nothing inherited', () => {
    const text = `extends: national-mini.yaml\nunits:\n  nowhere: { $remove: true }\n`;
    const r = parseConfigText(text, join(valid, 'w.yaml'));
    expect(r.value).toBeDefined();
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([
      ['warning', 'CONFIG_UNKNOWN_REFERENCE', 3],
    ]);
  });

  it('formats a diagnostic with its source line and a caret', () => {
    const [d] = loadConfig(join(valid, '../broken/unknown-role.yaml')).diagnostics;
    expect(d && formatDiagnostic({ ...d, file: 'unknown-role.yaml' })).toBe(
      [
        'unknown-role.yaml:8:28 CONFIG_UNKNOWN_ROLE `handlr` is not a role declared under `roles` (did you mean `handler`?)',
        '            roles: [handler, handlr]',
        '                             ^',
      ].join('\n'),
    );
  });

  it('writes messages in Chinese on request', () => {
    const [d] = loadConfig(join(valid, '../broken/unknown-role.yaml'), { locale: 'zh' }).diagnostics;
    expect(d?.message).toBe('`handlr` 不是 `roles` 中声明的角色');
    expect(d?.hint).toBe('是否应为 `handler`？');
  });

  it('accepts injected guard and action names', () => {
    const r = loadConfig(join(valid, '../broken/unknown-guard.yaml'), {
      knownGuards: ['payloadEqual', 'notRecused'],
    });
    expect(r.diagnostics).toEqual([]);
  });
});

describe('extends', () => {
  it('takes an absolute path as it is, inside a root the caller allows', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'xinfang-extends-'));
    const file = join(dir, 'child.yaml');
    writeFileSync(
      file,
      `extends: ${parentFile}\njurisdiction: { id: cn.abs, name: 绝对路径, version: "1" }\n`,
    );
    const r = loadConfig(file, {
      calendars: new Map([['cn-mainland', calendar]]),
      allowedRoots: [dirname(parentFile)],
    });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.value?.jurisdiction.id).toBe('cn.abs');
    expect(r.sources.map((s) => s.file)).toEqual([file, parentFile]);
  });
});

describe('the config hash', () => {
  it('ignores key order, comments and layout', () => {
    const a = loadConfig(parentFile);
    const text = readFileSync(parentFile, 'utf8').replace(/^#.*$/gm, '');
    const b = parseConfigText(text, parentFile);
    expect(b.hash).toBe(a.hash);
    const c = a.value as JurisdictionConfig;
    const reordered = Object.fromEntries(Object.entries(c).reverse()) as JurisdictionConfig;
    expect(configHash(reordered)).toBe(a.hash);
  });

  it('changes with any value', () => {
    const c = structuredClone(loadConfig(parentFile).value as JurisdictionConfig);
    const before = configHash(c);
    (c.deadlines.review as { days: number }).days = 29;
    expect(configHash(c)).not.toBe(before);
  });
});

describe('comparing deadlines across units on the calendar', () => {
  const shape = (days: number, unit: 'calendar' | 'working', ext?: [number, number]) => ({
    days,
    unit,
    ...(ext ? { extension: { maxDays: ext[0], times: ext[1], unit } } : {}),
  });
  const longer = (child: ReturnType<typeof shape>, parent: ReturnType<typeof shape>) => {
    const r = compareStretches(totalStretches(parent), totalStretches(child), calendar);
    if (r === 'needs-calendar') throw new Error('calendar given');
    return r.longer;
  };

  it("Zhejiang's 30 days extendable to 60 in total is within the national 60 + 30", () => {
    expect(longer(shape(30, 'calendar', [30, 1]), shape(60, 'calendar', [30, 1]))).toBe(false);
  });

  it('45 working days is not within 60 calendar days', () => {
    expect(longer(shape(45, 'working'), shape(60, 'calendar'))).toBe(true);
  });

  it('5 working days is within 15 calendar days, even across the Spring Festival', () => {
    expect(longer(shape(5, 'working'), shape(15, 'calendar'))).toBe(false);
  });

  it('40 working days can end after 60 calendar days when a long holiday falls inside', () => {
    const r = compareStretches([{ days: 60, unit: 'calendar' }], [{ days: 40, unit: 'working' }], calendar);
    expect(r).toMatchObject({ longer: true, witness: { start: expect.stringMatching(/^202[456]-/) } });
  });

  it('two extensions of 15 end with one of 30: the rest-day rule applies once, at the end', () => {
    expect(longer(shape(60, 'calendar', [15, 2]), shape(60, 'calendar', [30, 1]))).toBe(false);
    expect(longer(shape(60, 'calendar', [16, 2]), shape(60, 'calendar', [30, 1]))).toBe(true);
  });

  it('asks for a calendar only when units differ', () => {
    expect(
      compareStretches([{ days: 60, unit: 'calendar' }], [{ days: 45, unit: 'working' }], undefined),
    ).toBe('needs-calendar');
    expect(
      compareStretches([{ days: 60, unit: 'calendar' }], [{ days: 61, unit: 'calendar' }], undefined),
    ).toEqual({
      longer: true,
    });
  });
});

describe('the schema and the messages', () => {
  it('publishes the schema with its $id', () => {
    expect(jurisdictionSchema.$id).toBe(JURISDICTION_SCHEMA_ID);
    expect(jurisdictionSchema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('types register fields with the types core knows', () => {
    const field = (
      jurisdictionSchema as { $defs: Record<string, { properties: { type: { enum: string[] } } }> }
    ).$defs.registerField;
    expect(field?.properties.type.enum).toEqual([...REGISTER_FIELD_TYPES]);
  });

  it('has every message in English and Chinese', () => {
    for (const [id, m] of Object.entries(MESSAGES)) {
      const p = new Proxy({}, { get: (_t, k) => `<${String(k)}>` });
      expect(m.en(p), id).not.toBe('');
      expect(m.zh(p), id).toMatch(/[\u4e00-\u9fff]/);
      expect(m.code, id).toMatch(/^CONFIG_/);
    }
  });

  it('parses any YAML with any schema, with positions', () => {
    const schema = {
      type: 'object',
      properties: { weekend: { type: 'array' } },
      additionalProperties: false,
    };
    const r = parseYamlWithSchema('weekend: [0, 6]\nweekdn: 1\n', 'cal.yaml', schema);
    expect(r.value).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column, d.pointer, d.hint])).toEqual([
      ['CONFIG_UNKNOWN_KEY', 2, 1, '/weekdn', 'did you mean `weekend`?'],
    ]);
    expect(parseYamlWithSchema('weekend: [0]\n', 'cal.yaml', schema).value).toEqual({ weekend: [0] });
  });
});
