import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseYamlSource } from '../../src/config/index.js';
import type { JurisdictionConfig } from '../../src/config/types.js';
import { loadConfig } from '../../src/loader/index.js';
import { buildFacts, checkRuleSets, evaluateRuleSet, RuleConflictError } from '../../src/rules/index.js';
import { FIXTURES, nationalConfig, petition } from './helpers.js';

/**
 * The rule diagnostics of a fixture: from the loader once it runs checkRuleSets itself (then
 * the config is refused at load), else from checkRuleSets on the loaded config with a
 * locator into the fixture's own file.
 */
function ruleDiagnostics(name: string) {
  const file = `${FIXTURES}${name}`;
  const loaded = loadConfig(file);
  if (!loaded.value)
    return { file, diags: loaded.diagnostics.filter((d) => d.code.startsWith('CONFIG_RULE')) };
  const { source } = parseYamlSource(readFileSync(file, 'utf8'), file);
  const locate = (pointer: string) => {
    const path = pointer
      .split('/')
      .slice(1)
      .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
    return source.locate(path, 'value');
  };
  return { file, diags: checkRuleSets(loaded.value, locate) };
}

describe('checkRuleSets', () => {
  it('national has no rule problems', () => {
    expect(checkRuleSets(nationalConfig())).toEqual([]);
  });

  it('refuses two overlapping unique rules, naming both, at the second rule', () => {
    const { diags, file } = ruleDiagnostics('overlap.yaml');
    expect(diags).toHaveLength(1);
    const d = diags[0];
    expect(d).toMatchObject({
      code: 'CONFIG_RULE_OVERLAP',
      severity: 'error',
      file,
      pointer: '/ruleSets/triage/rules/1',
    });
    expect(d?.message).toContain('"labour-desk"');
    expect(d?.message).toContain('"county-desk"');
    expect(d?.message).toContain('petition $.subject = "labour"');
    expect(d?.line).toBe(19); // the `- id: county-desk` item
  });

  it('does not claim an overlap that exclusive values rule out', () => {
    const config = structuredClone(nationalConfig());
    config.ruleSets = {
      kinds: {
        hitPolicy: 'unique',
        rules: [
          {
            id: 'a',
            conditions: {
              all: [{ fact: 'petition', path: '$.kind', operator: 'equal', value: 'suggestion' }],
            },
            outcome: {},
          },
          {
            id: 'b',
            conditions: {
              all: [{ fact: 'petition', path: '$.kind', operator: 'notIn', value: ['suggestion'] }],
            },
            outcome: {},
          },
          {
            id: 'c',
            conditions: {
              all: [
                { fact: 'petition', path: '$.kind', operator: 'equal', value: 'suggestion' },
                { fact: 'petition', path: '$.major', operator: 'equal', value: true },
                { fact: 'petition', path: '$.kind', operator: 'notEqual', value: 'suggestion' },
              ],
            },
            outcome: {},
          },
        ],
      },
    };
    expect(checkRuleSets(config)).toEqual([]);
  });

  it('finds an identical rule and a subsumed one', () => {
    const config = structuredClone(nationalConfig());
    const leaf = { fact: 'petition', path: '$.route', operator: 'equal', value: 'arbitration' };
    config.ruleSets = {
      routes: {
        hitPolicy: 'unique',
        rules: [
          { id: 'x', conditions: { all: [leaf] }, outcome: {} },
          {
            id: 'y',
            conditions: {
              any: [leaf, { fact: 'petition', path: '$.major', operator: 'equal', value: true }],
            },
            outcome: {},
          },
        ],
      },
    };
    expect(checkRuleSets(config).map((d) => [d.code, d.message.includes('"x" and "y"')])).toEqual([
      ['CONFIG_RULE_OVERLAP', true],
    ]);
  });

  it('reports unknown facts, form fields, operators and outcome values with a suggestion', () => {
    const { diags } = ruleDiagnostics('mistakes.yaml');
    const brief = diags.map((d) => [d.code, d.pointer, d.hint]);
    // in file order: the loader reports them (the set's default comes before its rules)
    expect(brief).toEqual([
      ['CONFIG_RULE', '/ruleSets/triage/default/route', undefined],
      [
        'CONFIG_RULE',
        '/ruleSets/triage/rules/0/conditions/all/0/fact',
        'did you mean "sameMatterTerminated"?',
      ],
      ['CONFIG_RULE', '/ruleSets/triage/rules/1/conditions/all/0/path', 'did you mean "idNumber"?'],
      ['CONFIG_RULE', '/ruleSets/triage/rules/1/outcome/unit', 'did you mean "county-hrss"?'],
      ['CONFIG_RULE', '/ruleSets/triage/rules/2/outcome/kind', undefined],
      ['CONFIG_RULE', '/ruleSets/triage/rules/3/conditions/all/0/value', undefined],
    ]);
    expect(diags.every((d) => d.line > 1)).toBe(true);
  });

  it('reports an outcome fact reference that is not a name, without throwing', () => {
    const config = structuredClone(nationalConfig()) as JurisdictionConfig;
    config.ruleSets = {
      s: {
        hitPolicy: 'first',
        rules: [{ id: 'n', conditions: { all: [] }, outcome: { unit: { fact: 42 } } }],
      },
    };
    expect(checkRuleSets(config).map((d) => [d.code, d.pointer, d.hint])).toEqual([
      ['CONFIG_RULE', '/ruleSets/s/rules/0/outcome/unit/fact', undefined],
    ]);
  });

  it('reports an unknown operator and a shared-condition reference (shapes the schema may pass)', () => {
    const config = structuredClone(nationalConfig()) as JurisdictionConfig;
    config.ruleSets = {
      s: {
        hitPolicy: 'first',
        rules: [
          { id: 'op', conditions: { all: [{ fact: 'today', operator: 'equals', value: 'x' }] }, outcome: {} },
          { id: 'ref', conditions: { condition: 'shared' }, outcome: {} },
        ],
      },
    };
    expect(checkRuleSets(config).map((d) => [d.pointer, d.hint])).toEqual([
      ['/ruleSets/s/rules/0/conditions/all/0/operator', 'did you mean "equal"?'],
      ['/ruleSets/s/rules/1/conditions/condition', undefined],
    ]);
  });

  it('a unique conflict that cannot be shown statically is a RULE_CONFLICT at run time, naming both', async () => {
    const config = structuredClone(nationalConfig());
    config.ruleSets = {
      size: {
        hitPolicy: 'unique',
        rules: [
          {
            id: 'big-group',
            conditions: { all: [{ fact: 'groupSize', operator: 'greaterThan', value: 10 }] },
            outcome: { big: true },
          },
          {
            id: 'many-reps',
            conditions: { all: [{ fact: 'groupRepresentatives', operator: 'greaterThan', value: 5 }] },
            outcome: { reps: true },
          },
        ],
      },
    };
    expect(checkRuleSets(config)).toEqual([]);
    const facts = buildFacts({
      config,
      petition: petition({ group: { size: 40, representatives: 8 } }),
      now: '2026-03-10T02:00:00Z',
    });
    const err = await evaluateRuleSet(config, 'size', facts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuleConflictError);
    expect(err).toMatchObject({ code: 'RULE_CONFLICT', rules: ['big-group', 'many-reps'] });
    // one match is fine
    const one = buildFacts({
      config,
      petition: petition({ group: { size: 40, representatives: 3 } }),
      now: '2026-03-10T02:00:00Z',
    });
    await expect(evaluateRuleSet(config, 'size', one)).resolves.toMatchObject({ outcome: { big: true } });
  });

  it('an unknown rule set is RULE_SET_UNKNOWN', async () => {
    await expect(evaluateRuleSet(nationalConfig(), 'nope', {})).rejects.toMatchObject({
      code: 'RULE_SET_UNKNOWN',
    });
  });
});
