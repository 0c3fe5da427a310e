import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildFacts, evaluateRuleSets } from '../../src/rules/index.js';
import { mainland, nationalConfig } from './helpers.js';

const runs = Number(process.env.XINFANG_PROPERTY_RUNS ?? 100);

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const text = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() !== '');

/** A petition the national registration form accepts, with every optional field sometimes absent. */
const petitionArb = fc
  .record({
    channel: fc.constantFrom('online', 'letter', 'visit', 'phone', 'fax'),
    receivedAt: fc
      .date({
        min: new Date('2024-01-01T00:00:00Z'),
        max: new Date('2026-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10)),
    receivingUnit: fc.constantFrom(
      'county-bureau',
      'city-bureau',
      'prov-bureau',
      'county-hrss',
      'city-housing',
      'national-bureau',
    ),
    petitioner: fc.record({
      name: text,
      idNumber: opt(fc.stringMatching(/^[0-9]{17}[0-9Xx]$/)),
      phone: opt(fc.stringMatching(/^[0-9]{5,12}$/)),
      address: opt(text),
      anonymous: opt(fc.boolean()),
    }),
    group: opt(
      fc.record({ size: fc.integer({ min: 1, max: 200 }), representatives: fc.integer({ min: 1, max: 20 }) }),
    ),
    kind: opt(fc.constantFrom('suggestion', 'accusation', 'appeal')),
    route: opt(
      fc.constantFrom(
        'litigation',
        'arbitration',
        'party-discipline',
        'administrative',
        'duty-performance',
        'opinion',
      ),
    ),
    subject: fc.constantFrom('labour', 'housing', 'land', 'social-security', 'litigation', 'weather'),
    summary: text,
    request: text,
    respondentUnit: opt(fc.constantFrom('county-hrss', 'city-housing', '某公司')),
    accused: opt(text),
    accusation: opt(text),
    involvesLitigation: opt(fc.boolean()),
    major: opt(fc.boolean()),
  })
  // absent, not undefined: the form is closed and JSON has no undefined
  .map((p) => JSON.parse(JSON.stringify(p)) as Record<string, unknown>);

describe('classification property', () => {
  const config = nationalConfig();
  const ajv = new Ajv2020({ strict: false });
  addFormats.default(ajv);
  const validForm = ajv.compile(config.form.schema);

  it('every valid petition gets exactly one kind, and an appeal exactly one route', async () => {
    await fc.assert(
      fc.asyncProperty(petitionArb, async (p) => {
        expect(validForm(p), JSON.stringify(validForm.errors)).toBe(true);
        const facts = buildFacts({ config, petition: p, now: '2026-03-10T02:00:00Z', calendar: mainland() });
        const d = (await evaluateRuleSets(config, 'submit', facts)).classification;
        expect(d).toBeDefined();
        expect(d?.fired.length).toBeLessThanOrEqual(1);
        const outcome = d?.outcome as Record<string, unknown>;
        expect(['suggestion', 'accusation', 'appeal']).toContain(outcome.kind);
        if (outcome.kind === 'appeal') {
          expect([
            'litigation',
            'arbitration',
            'party-discipline',
            'administrative',
            'duty-performance',
            'opinion',
          ]).toContain(outcome.route);
        } else {
          expect(outcome.route).toBeUndefined();
        }
        // what the registrar recorded is honoured
        if (p.kind !== undefined) expect(outcome.kind).toBe(p.kind);
        if (p.kind === 'appeal' && p.route !== undefined) expect(outcome.route).toBe(p.route);
      }),
      { numRuns: runs },
    );
  });
});
