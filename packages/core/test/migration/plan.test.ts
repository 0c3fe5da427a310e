/**
 * A migration plan is checked at load like a config: each mistake is a diagnostic with a stable
 * code at its line and column, and a plan with an error is never returned.
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/base/diagnostics.js';
import type { JurisdictionConfig } from '../../src/config/types.js';
import { loadPlan, loadPlanOrThrow, parsePlanText, planHash } from '../../src/loader/plan.js';
import { mainland, nationalConfig } from '../engine/helpers.js';
import { nationalV2, planYaml } from './helpers.js';

const ctx = () => ({ from: nationalConfig(), to: nationalV2(), calendar: mainland() });

/** The error diagnostics of a plan body, as `line:column code`. */
function errors(body: string, c = ctx()) {
  const r = parsePlanText(planYaml(body, c.to), 'plan.yaml', c);
  expect(r.plan).toBeUndefined();
  return r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}:${d.column} ${d.code}`);
}

/** The second version with one deadline changed. */
function withDeadline(id: string, change: Record<string, unknown>): JurisdictionConfig {
  const v2 = nationalV2();
  return {
    ...v2,
    deadlines: { ...v2.deadlines, [id]: { ...v2.deadlines[id], ...change } },
  } as JurisdictionConfig;
}

describe('a migration plan', () => {
  it('loads a plan with every feature, named by the hash of its content', () => {
    const body = [
      'states:',
      '  opinion-issued:',
      '    - { to: opinion-served, when: { field: decisions.opinion.outcome, in: [supported, explained] } }',
      '    - { to: opinion-served }',
      'deadlines:',
      '  handling: { rule: recompute }',
      '  reviewWindow: keep',
      'documents:',
      '  accepted: [handling-period-notice]',
      'fields:',
      '  petition.request: petition.demand',
      '',
    ].join('\n');
    const r = parsePlanText(planYaml(body), 'plan.yaml', ctx());
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.plan).toMatchObject({
      id: 'test-plan',
      states: {
        'opinion-issued': [
          { to: 'opinion-served', when: { field: 'decisions.opinion.outcome' } },
          { to: 'opinion-served' },
        ],
      },
      deadlines: { handling: { rule: 'recompute' }, reviewWindow: { rule: 'keep' } },
      documents: { accepted: ['handling-period-notice'] },
      fields: { 'petition.request': 'petition.demand' },
    });
    const plan = r.plan;
    if (!plan) throw new Error('no plan');
    expect(plan.hash).toBe(planHash(plan));
    expect(planHash({ ...plan, id: 'another' })).not.toBe(plan.hash);
  });

  it('warns of a state gone from the new version that the plan does not map', () => {
    const r = parsePlanText(planYaml('deadlines: {}\n'), 'plan.yaml', ctx());
    expect(r.plan).toBeDefined();
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.message.slice(0, 24)])).toEqual([
      ['warning', 'PLAN_UNKNOWN_STATE', 'state `opinion-issued` i'],
    ]);
  });

  it('refuses unknown keys and wrong shapes at their line (PLAN_INVALID)', () => {
    // line 1-3 are the header: migration, from, to
    expect(errors('state: {}\n')).toEqual(['4:1 PLAN_INVALID']);
    expect(errors('deadlines:\n  handling: shorten\n')).toEqual(['5:13 PLAN_INVALID']);
    expect(
      errors(
        'states:\n  opinion-issued:\n    - { to: opinion-served }\n    - { to: opinion-served, when: { field: x, equals: 1 } }\n',
      ),
    ).toEqual(['6:7 PLAN_INVALID']);
    expect(errors('fields:\n  summary: petition.facts\n')).toEqual(['5:3 PLAN_INVALID']);
    expect(errors('states:\n  opinion-issued: [{ to: opinion-served, when: { field: x } }]\n')).toEqual([
      '5:48 PLAN_INVALID',
    ]);
  });

  it('refuses names neither version has', () => {
    expect(errors('states:\n  opinion-isued: opinion-served\n')).toEqual(['5:3 PLAN_UNKNOWN_STATE']);
    expect(errors('states:\n  opinion-issued: opinion-serve\n')).toEqual(['5:19 PLAN_UNKNOWN_STATE']);
    expect(errors('deadlines:\n  handlin: keep\n')).toEqual(['5:3 PLAN_UNKNOWN_DEADLINE']);
    expect(errors('deadlines:\n  handling: { rule: keep, to: handled }\n')).toEqual([
      '5:31 PLAN_UNKNOWN_DEADLINE',
    ]);
    expect(errors('documents:\n  accepted: [handling-notice]\n')).toEqual(['5:14 PLAN_UNKNOWN_DOCUMENT']);
  });

  it("refuses a rename that would take a personal field out of the form's protection", () => {
    expect(errors('fields:\n  petition.petitioner.phone: petition.contact\n')).toEqual(['5:30 PLAN_INVALID']);
    expect(errors('fields:\n  petition.petitioner: petition.person\n')).toEqual(['5:24 PLAN_INVALID']);
    expect(errors('fields:\n  petition.accused: petition.respondent\n')).toEqual(['5:21 PLAN_INVALID']);
    // onto a field the new version protects alike, it may move
    const body = 'fields:\n  petition.petitioner.phone: petition.petitioner.address\n';
    expect(parsePlanText(planYaml(body), 'plan.yaml', ctx()).plan).toBeDefined();
  });

  it('refuses a plan whose versions are not the configs it is checked against', () => {
    const text = planYaml('').replace(/^from: .*$/m, `from: ${'f'.repeat(64)}`);
    const r = parsePlanText(text, 'plan.yaml', ctx());
    expect(
      r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}:${d.column} ${d.code}`),
    ).toEqual(['2:7 PLAN_CONFIG_MISMATCH']);
    // a hash YAML reads as a number is refused with the hint to quote it
    const numeric = parsePlanText(
      planYaml('').replace(/^from: .*$/m, `from: ${'1'.repeat(64)}`),
      'plan.yaml',
      ctx(),
    );
    expect(numeric.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.message])).toEqual(
      [['PLAN_INVALID', '`from` must be a non-empty string (quote it: YAML read it as a number)']],
    );
  });

  it('refuses a recompute that would lengthen a duty, on the calendar (PLAN_UNLAWFUL_DEADLINE)', () => {
    // the new version's handling is 45 days: recomputing shortens it, which is lawful
    expect(
      parsePlanText(planYaml('deadlines:\n  handling: recompute\n'), 'plan.yaml', ctx()).plan,
    ).toBeDefined();
    // 60 working days end after 60 + 30 calendar days for any start: a longer duty
    const longer = withDeadline('handling', { days: 60, unit: 'working' });
    expect(errors('deadlines:\n  handling: recompute\n', { ...ctx(), to: longer })).toEqual([
      '5:13 PLAN_UNLAWFUL_DEADLINE',
    ]);
    const r = parsePlanText(planYaml('deadlines:\n  handling: recompute\n', longer), 'plan.yaml', {
      ...ctx(),
      to: longer,
    });
    expect(r.diagnostics.find((d) => d.severity === 'error')?.message).toMatch(
      /would lengthen the duty: 60 working days \+ 1 x 30 working days against 60 days \+ 1 x 30 days \(from \d{4}-\d\d-\d\d/,
    );
  });

  it("refuses a recompute that would shorten a petitioner's window, and a rule that turns a window into a duty", () => {
    const shorter = withDeadline('reviewWindow', { days: 20 });
    expect(errors('deadlines:\n  reviewWindow: recompute\n', { ...ctx(), to: shorter })).toEqual([
      '5:17 PLAN_UNLAWFUL_DEADLINE',
    ]);
    // keeping the window as it runs is lawful whatever the new version says
    expect(
      parsePlanText(planYaml('deadlines:\n  reviewWindow: keep\n', shorter), 'plan.yaml', {
        ...ctx(),
        to: shorter,
      }).plan,
    ).toBeDefined();
    expect(errors('deadlines:\n  reviewWindow: { rule: keep, to: review }\n')).toEqual([
      '5:17 PLAN_UNLAWFUL_DEADLINE',
    ]);
  });

  it('reads a file, and throws every error diagnostic at once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xinfang-plan-'));
    const file = join(dir, 'plan.yaml');
    writeFileSync(file, planYaml('deadlines:\n  handlin: keep\ndocuments:\n  accepted: [nope]\n'));
    expect(() => loadPlanOrThrow(file, ctx())).toThrow(ConfigError);
    try {
      loadPlanOrThrow(file, ctx());
    } catch (e) {
      expect((e as ConfigError).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(
        ['PLAN_UNKNOWN_DOCUMENT', 'PLAN_UNKNOWN_DEADLINE'],
      );
    }
    expect(loadPlan(join(dir, 'missing.yaml'), ctx()).diagnostics.map((d) => d.code)).toEqual([
      'PLAN_INVALID',
    ]);
  });
});
