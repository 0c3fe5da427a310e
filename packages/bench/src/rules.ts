/**
 * Rule decisions per second: every submit-time rule set of configs/national.yaml
 * (classification, routing, acceptance) through `evaluateRuleSets`, beside json-rules-engine
 * called directly with the same rules and the same facts, in one run. The gap is what the
 * hit policies, the explanations (condition traces, outcome fact references), xinfang's
 * path resolver and the per-engine run queue cost. A third row adds building the facts
 * (keys, routing over the unit registry, earlier cases).
 */

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  type CaseProjection,
  type JurisdictionConfig,
  loadCalendarFile,
  loadConfigOrThrow,
} from '@xinfang/core';
import { buildFacts, evaluateRuleSets } from '@xinfang/core/tooling';
import { Engine } from 'json-rules-engine';
import { measure, printTable } from './measure.js';

const OPS = 5000;
const NOW = '2026-03-10T02:00:00.000Z';

function configsDir(): string {
  for (let dir = resolve('.'); ; dir = dirname(dir)) {
    const candidate = join(dir, 'configs');
    if (existsSync(join(candidate, 'national.yaml'))) return candidate;
    if (dirname(dir) === dir) throw new Error('configs/national.yaml not found from the working directory');
  }
}

/** A spread of petitions: each kind and route, a group visit, an anonymous letter, a repeat. */
function petitions(): Record<string, unknown>[] {
  const base = {
    channel: 'letter',
    receivedAt: '2026-03-09',
    receivingUnit: 'county-bureau',
    petitioner: {
      name: '张三',
      idNumber: '11010519491231002X',
      phone: '13800000000',
      address: '示范县人民路 1 号',
    },
    subject: 'labour',
    summary: '用人单位拖欠工资三个月。',
    request: '责令支付拖欠工资',
  };
  return [
    base,
    { ...base, kind: 'suggestion' },
    { ...base, kind: 'accusation', accused: '某局长' },
    { ...base, involvesLitigation: true },
    { ...base, kind: 'appeal', route: 'arbitration', subject: 'housing' },
    { ...base, kind: 'appeal', route: 'administrative', receivingUnit: 'city-bureau' },
    { ...base, channel: 'visit', group: { size: 40, representatives: 8 } },
    { ...base, petitioner: { name: '匿名', anonymous: true } },
  ];
}

function terminated(petition: Record<string, unknown>): CaseProjection {
  return {
    caseId: 'XF-2025-000001',
    jurisdictionId: 'cn.national',
    configVersion: '2022.1',
    configHash: 'h',
    version: 9,
    state: 'terminated',
    stage: 'terminated',
    colour: 'blue',
    redReasons: [],
    violations: [],
    responsibleUnit: 'county-hrss',
    createdAt: '2025-05-01T02:00:00.000Z',
    updatedAt: '2025-09-01T02:00:00.000Z',
    headHash: 'x',
    data: { petition: petition as never },
  };
}

/** The baseline: one bare json-rules-engine per submit-time set, the config's rules as they are. */
function rawEngines(config: JurisdictionConfig): { id: string; engine: Engine }[] {
  return Object.entries(config.ruleSets ?? {})
    .filter(([, set]) => set.on?.includes('submit'))
    .map(([id, set]) => {
      const engine = new Engine([], { allowUndefinedFacts: true });
      for (const rule of set.rules) {
        engine.addRule({
          name: rule.id,
          conditions: structuredClone(rule.conditions) as never,
          event: { type: rule.id },
        });
      }
      return { id, engine };
    });
}

/** Prints the table; resolves when done. */
export async function run(): Promise<void> {
  const configs = configsDir();
  const config = loadConfigOrThrow(join(configs, 'national.yaml')).value;
  const calendar = loadCalendarFile(join(configs, 'calendars', 'cn-mainland.yaml'));
  const inputs = petitions().map((petition, i) => ({
    petition,
    priorCases: i === 0 ? [terminated(petition)] : [],
  }));
  const facts = inputs.map((x) => buildFacts({ config, ...x, now: NOW, calendar }));
  // the raw engines get the facts xinfang gives its own, chained outcomes included, so both
  // sides see the same input
  const decided = await Promise.all(
    facts.map((f) => evaluateRuleSets(config, 'submit', f, { calendar, now: NOW })),
  );
  const chained = facts.map((f, i) => {
    const out: Record<string, unknown> = { ...f };
    for (const [id, d] of Object.entries(decided[i] ?? {})) out[id] = d.merged;
    return out;
  });
  const raw = rawEngines(config);
  const n = facts.length;
  const sets = raw.length;

  const rows = [
    await measure(`json-rules-engine directly (${sets} sets, results only; baseline)`, OPS, async (i) => {
      const f = chained[i % n];
      for (const { engine } of raw) await engine.run(f);
    }),
    await measure(`xinfang evaluateRuleSets (${sets} sets, decisions + explanations)`, OPS, (i) =>
      evaluateRuleSets(config, 'submit', facts[i % n] ?? {}, { calendar, now: NOW }),
    ),
    await measure('xinfang buildFacts + evaluateRuleSets', OPS, (i) => {
      const x = inputs[i % n];
      const f = buildFacts({
        config,
        petition: x?.petition,
        priorCases: x?.priorCases ?? [],
        now: NOW,
        calendar,
      });
      return evaluateRuleSets(config, 'submit', f, { calendar, now: NOW });
    }),
  ];
  printTable(
    `Rule decisions: ${sets} submit-time rule sets of national.yaml, ${n} petitions in turn (one op = every set)`,
    rows,
  );
}
