import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../src/base/errors.js';
import { loadCalendarDir } from '../../src/calendar/index.js';
import { type LoadOptions, loadConfig } from '../../src/loader/load.js';

const fixtures = join(import.meta.dirname, '../fixtures');
const broken = join(fixtures, 'broken');
// broken/ has no calendars directory: a config there that extends nothing finds none by path
const options: LoadOptions = { calendars: loadCalendarDir(join(fixtures, 'valid/calendars')) };

interface Case {
  file: string;
  code: ErrorCode;
  line: number;
  column?: number;
  /** The file the diagnostic is in, when not `file` itself. */
  in?: string;
  /** Text the message or hint must contain (did-you-mean, the article). */
  says?: RegExp;
  /** Files that are part of this case rather than cases of their own. */
  companions?: string[];
}

/**
 * Each broken fixture holds one mistake; each must give its code at its line (and column
 * where the column is meaningful) and no other error: a mistake reported three times over,
 * or drowned in consequences, is one an author cannot act on.
 */
const cases: Case[] = [
  { file: 'yaml-syntax.yaml', code: 'CONFIG_YAML_SYNTAX', line: 5, column: 3 },
  { file: 'unknown-key.yaml', code: 'CONFIG_UNKNOWN_KEY', line: 5, column: 5, says: /did you mean `days`/ },
  { file: 'wrong-type.yaml', code: 'CONFIG_WRONG_TYPE', line: 5, column: 11, says: /expected an integer/ },
  { file: 'version-number.yaml', code: 'CONFIG_WRONG_TYPE', line: 4, column: 12, says: /quote the value/ },
  { file: 'missing-key.yaml', code: 'CONFIG_MISSING_KEY', line: 4, column: 3, says: /`kind`/ },
  { file: 'standalone-missing.yaml', code: 'CONFIG_MISSING_KEY', line: 2, column: 1, says: /`process`/ },
  { file: 'bad-stage.yaml', code: 'CONFIG_BAD_VALUE', line: 6, column: 14, says: /did you mean `handling`/ },
  { file: 'bad-deadline-days.yaml', code: 'CONFIG_BAD_VALUE', line: 5, column: 11, says: /at least 1/ },
  { file: 'bad-operator.yaml', code: 'CONFIG_BAD_VALUE', line: 9, column: 58, says: /did you mean `equal`/ },
  { file: 'bad-condition-shape.yaml', code: 'CONFIG_BAD_VALUE', line: 9, column: 15, says: /exactly one of/ },
  { file: 'remove-not-true.yaml', code: 'CONFIG_BAD_VALUE', line: 5, column: 14, says: /\$remove/ },
  {
    file: 'unknown-state-target.yaml',
    code: 'CONFIG_UNKNOWN_STATE',
    line: 8,
    column: 15,
    says: /did you mean `accepted`/,
  },
  { file: 'unknown-initial.yaml', code: 'CONFIG_UNKNOWN_STATE', line: 4, column: 12, says: /`registered`/ },
  {
    file: 'unknown-role.yaml',
    code: 'CONFIG_UNKNOWN_ROLE',
    line: 8,
    column: 28,
    says: /did you mean `handler`/,
  },
  {
    file: 'common-unknown-role.yaml',
    code: 'CONFIG_UNKNOWN_ROLE',
    line: 7,
    column: 30,
    says: /`heed`.*did you mean `head`/,
  },
  {
    file: 'common-unknown-except.yaml',
    code: 'CONFIG_UNKNOWN_STATE',
    line: 6,
    column: 16,
    says: /`notes` leaves out `closd`.*did you mean `closed`/,
  },
  {
    file: 'reporting-unknown-metric.yaml',
    code: 'CONFIG_UNKNOWN_KEY',
    line: 5,
    column: 39,
    says: /`satisfation`.*did you mean `satisfaction`/,
  },
  {
    file: 'reception-unknown-unit.yaml',
    code: 'CONFIG_UNKNOWN_UNIT',
    line: 5,
    column: 11,
    says: /`city-head`.*`city-govt`.*did you mean `city-gov`/,
  },
  {
    file: 'guard-unknown-unit.yaml',
    code: 'CONFIG_UNKNOWN_UNIT',
    line: 8,
    column: 57,
    says: /`ACCEPT`.*`city-govt`.*did you mean `city-gov`/,
  },
  {
    file: 'local-day-off-outside.yaml',
    code: 'CONFIG_BAD_VALUE',
    line: 5,
    column: 15,
    says: /local day off: 2031-05-01 is outside the years .* of calendar cn-mainland/,
  },
  {
    file: 'guard-param-misspelt.yaml',
    code: 'CONFIG_UNKNOWN_KEY',
    line: 8,
    column: 87,
    says: /guard `ruleOutcome` has no parameter `notEqual`.*did you mean `notEquals`/,
  },
  {
    file: 'guard-deadline-unknown.yaml',
    code: 'CONFIG_UNKNOWN_DEADLINE',
    line: 8,
    column: 63,
    says: /`handlng`.*did you mean `handling`/,
  },
  {
    file: 'guard-param-missing.yaml',
    code: 'CONFIG_MISSING_KEY',
    line: 8,
    column: 11,
    says: /guard `deadlineRunning` needs the parameter `deadline`/,
  },
  {
    file: 'decision-unknown.yaml',
    code: 'CONFIG_UNKNOWN_REFERENCE',
    line: 8,
    column: 60,
    says: /names the decision `supervision`, which no step records/,
  },
  {
    file: 'responsible-unit-field.yaml',
    code: 'CONFIG_UNKNOWN_REFERENCE',
    line: 9,
    column: 65,
    says: /`TRANSFER` takes the unit from payload field `unitt`.*did you mean `unit`/,
  },
  {
    file: 'ruleset-unknown-event.yaml',
    code: 'CONFIG_UNKNOWN_REFERENCE',
    line: 5,
    column: 18,
    says: /rule set `classification` runs on `ACCEPTT`.*did you mean `ACCEPT`/,
  },
  {
    file: 'register-unknown-command.yaml',
    code: 'CONFIG_UNKNOWN_REFERENCE',
    line: 8,
    column: 68,
    says: /register field `acceptedOn` is filled by `ACCEPTT`.*did you mean `ACCEPT`/,
  },
  {
    file: 'register-unknown-document.yaml',
    code: 'CONFIG_UNKNOWN_DOCUMENT',
    line: 8,
    column: 77,
    says: /reads the document `acceptance-notise`.*did you mean `acceptance-notice`/,
  },
  {
    file: 'register-unknown-deadline.yaml',
    code: 'CONFIG_UNKNOWN_DEADLINE',
    line: 8,
    column: 75,
    says: /reads the deadline `handlng`.*did you mean `handling`/,
  },
  {
    file: 'register-unknown-payload.yaml',
    code: 'CONFIG_UNKNOWN_REFERENCE',
    line: 8,
    column: 88,
    says: /reads `payload.unti` of `TRANSFER`, whose payload declares no field `unti`.*did you mean `unit`/,
  },
  {
    file: 'register-bad-value.yaml',
    code: 'CONFIG_BAD_VALUE',
    line: 8,
    column: 92,
    says: /`dueDate` is not one of: start, due, stopped/,
  },
  {
    file: 'rule-state-unknown.yaml',
    code: 'CONFIG_RULE',
    line: 8,
    column: 82,
    says: /"closd" is not a state of the process, so the rule would never match.*did you mean "closed"/,
  },
  { file: 'unknown-deadline.yaml', code: 'CONFIG_UNKNOWN_DEADLINE', line: 6, column: 16, says: /`handling`/ },
  { file: 'unknown-document.yaml', code: 'CONFIG_UNKNOWN_DOCUMENT', line: 8, column: 36 },
  {
    file: 'unknown-successor.yaml',
    code: 'CONFIG_UNKNOWN_UNIT',
    line: 4,
    column: 94,
    says: /successor `city-bureu`.*did you mean `city-bureau`/,
  },
  {
    file: 'unknown-ground.yaml',
    code: 'CONFIG_UNKNOWN_GROUND',
    line: 16,
    column: 53,
    says: /`dealy`.*did you mean `delay`/,
  },
  { file: 'unknown-guard.yaml', code: 'CONFIG_UNKNOWN_GUARD', line: 8, column: 26, says: /`payloadEquals`/ },
  {
    file: 'unknown-action.yaml',
    code: 'CONFIG_UNKNOWN_ACTION',
    line: 8,
    column: 29,
    says: /`recordReceipt`/,
  },
  { file: 'unknown-calendar.yaml', code: 'CONFIG_UNKNOWN_CALENDAR', line: 4, column: 13 },
  { file: 'duplicate-rule-id.yaml', code: 'CONFIG_DUPLICATE_ID', line: 10, column: 13, says: /line 7/ },
  { file: 'duplicate-yaml-key.yaml', code: 'CONFIG_DUPLICATE_ID', line: 8, column: 5, says: /`closed`/ },
  {
    file: 'extends-cycle-a.yaml',
    code: 'CONFIG_EXTENDS_CYCLE',
    in: 'extends-cycle-b.yaml',
    line: 2,
    column: 10,
    says: /extends-cycle-a\.yaml -> extends-cycle-b\.yaml -> extends-cycle-a\.yaml/,
    companions: ['extends-cycle-b.yaml'],
  },
  { file: 'extends-missing.yaml', code: 'CONFIG_EXTENDS_NOT_FOUND', line: 2, column: 10 },
  {
    file: 'lengthened-deadline.yaml',
    code: 'CONFIG_LENGTHENED_DEADLINE',
    line: 5,
    column: 11,
    says: /reg-2022 art\. 34/,
  },
  {
    file: 'lengthened-working-days.yaml',
    code: 'CONFIG_LENGTHENED_DEADLINE',
    line: 5,
    column: 11,
    says: /45 working days.*started on \d{4}-\d\d-\d\d/,
  },
  {
    file: 'lengthened-extension.yaml',
    code: 'CONFIG_LENGTHENED_DEADLINE',
    line: 6,
    column: 16,
    says: /longest extension.*reg-2022 art\. 34/,
  },
  {
    file: 'shortened-review-window.yaml',
    code: 'CONFIG_SHORTENED_RIGHT',
    line: 5,
    column: 11,
    says: /10 days.*30 days.*reg-2022 art\. 35.*never shorten/,
  },
  {
    file: 'ladder-no-review-body.yaml',
    code: 'CONFIG_LADDER_INCOMPLETE',
    line: 5,
    column: 3,
    says: /county-land.*no body can review.*reg-2022 art\. 35/,
  },
  {
    file: 'line-is-government.yaml',
    code: 'CONFIG_UNIT_LINE',
    line: 5,
    column: 11,
    says: /reg-2022 art\. 35/,
  },
  { file: 'changed-bound.yaml', code: 'CONFIG_CHANGED_BOUND', line: 5, column: 5, says: /reg-2022 art\. 35/ },
  {
    file: 'local-day-off-on-workday.yaml',
    code: 'CONFIG_LOCAL_DAY_OFF_ON_WORKDAY',
    line: 5,
    column: 15,
    says: /national adjusted working day/,
  },
  { file: 'statutory-without-bound.yaml', code: 'CONFIG_MISSING_KEY', line: 4, says: /`bound`/ },
  {
    file: 'removed-statutory-notice.yaml',
    code: 'CONFIG_REMOVED_STATUTORY_NOTICE',
    line: 8,
    column: 11,
    says: /`acceptance-notice`.*reg-2022 art\. 23/,
  },
  {
    file: 'unstatutory-notice.yaml',
    code: 'CONFIG_REMOVED_STATUTORY_NOTICE',
    line: 5,
    column: 5,
    says: /reg-2022 art\. 32/,
  },
  {
    file: 'removed-statutory-deadline.yaml',
    code: 'CONFIG_REMOVED_STATUTORY_ITEM',
    line: 5,
    column: 5,
    says: /reg-2022 art\. 35/,
  },
  {
    file: 'dropped-stage.yaml',
    code: 'CONFIG_REMOVED_STAGE',
    line: 8,
    column: 5,
    says: /`hearing`.*art\. 31, 36/,
  },
  { file: 'unit-parent-unknown.yaml', code: 'CONFIG_UNKNOWN_UNIT', line: 8, column: 13, says: /`city-gov`/ },
  {
    file: 'unit-cycle.yaml',
    code: 'CONFIG_UNIT_CYCLE',
    line: 4,
    column: 66,
    says: /county-a -> county-b -> county-a/,
  },
  { file: 'missing-template.yaml', code: 'CONFIG_TEMPLATE', line: 5, column: 15 },
  {
    file: 'template-missing-variable.yaml',
    code: 'CONFIG_TEMPLATE',
    in: 'templates/acceptance-missing-variable.liquid',
    line: 4,
    column: 13,
    says: /case\.acceptedOn.*did you mean case\.acceptedAt/,
    companions: ['templates'],
  },
  {
    file: 'unknown-fact.yaml',
    code: 'CONFIG_RULE',
    line: 9,
    column: 37,
    says: /did you mean "sameMatterTerminated"/,
  },
  {
    file: 'unique-overlap.yaml',
    code: 'CONFIG_RULE_OVERLAP',
    line: 12,
    column: 9,
    says: /"court" and "legal" of unique rule set "triage"/,
  },
];

describe('the broken-config corpus', () => {
  it('has at least 22 distinct mistakes, and every fixture file is a case', () => {
    expect(cases.length).toBeGreaterThanOrEqual(22);
    const named = new Set(cases.flatMap((c) => [c.file, ...(c.companions ?? [])]));
    expect(readdirSync(broken).sort()).toEqual([...named].sort());
  });

  it.each(cases)('$file gives $code at line $line', (c) => {
    const result = loadConfig(join(broken, c.file), options);
    expect(result.value).toBeUndefined();
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.code)).toEqual([c.code]);
    const [d] = errors;
    expect(d?.file).toBe(join(broken, c.in ?? c.file));
    expect(d?.line).toBe(c.line);
    if (c.column !== undefined) expect(d?.column).toBe(c.column);
    expect(d?.sourceLine).toBeDefined();
    expect(d?.pointer).toMatch(/^(\/.*)?$/);
    if (c.says) expect(`${d?.message} (${d?.hint ?? ''})`).toMatch(c.says);
  });

  it.each(cases)('$file has a Chinese message too', (c) => {
    const en = loadConfig(join(broken, c.file), options).diagnostics.filter((d) => d.severity === 'error');
    const zh = loadConfig(join(broken, c.file), { ...options, locale: 'zh' }).diagnostics.filter(
      (d) => d.severity === 'error',
    );
    expect(zh.map((d) => [d.code, d.line, d.column])).toEqual(en.map((d) => [d.code, d.line, d.column]));
    // YAML's own syntax messages stay English inside the Chinese frame
    for (const d of zh) expect(d.message).toMatch(/[\u4e00-\u9fff]/);
  });
});
