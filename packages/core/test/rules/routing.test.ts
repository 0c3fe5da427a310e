import { describe, expect, it } from 'vitest';
import type { JurisdictionConfig } from '../../src/config/types.js';
import { bodiesFor, commonSuperior, competentUnits, superiorOf } from '../../src/rules/index.js';
import { decideOnSubmit, nationalConfig, petition } from './helpers.js';

describe('routing helpers over the unit registry', () => {
  it('finds the competent body in the territory of the receiving body, same level first', () => {
    const c = nationalConfig();
    expect(competentUnits(c, petition())).toEqual(['county-hrss']);
    expect(competentUnits(c, petition({ receivingUnit: 'city-bureau' }))).toEqual(['city-hrss']);
    expect(competentUnits(c, petition({ subject: 'housing' }))).toEqual(['county-housing']);
  });

  it('goes up level by level when the territory has no competent body', () => {
    // no county unit is competent for social security of this kind... litigation is a city competence
    expect(competentUnits(nationalConfig(), petition({ subject: 'litigation' }))).toEqual([
      'city-political-legal',
    ]);
  });

  it('takes the body complained about when it is itself competent', () => {
    expect(competentUnits(nationalConfig(), petition({ respondentUnit: 'city-hrss' }))).toEqual([
      'city-hrss',
    ]);
  });

  it('finds nobody for a subject no unit is competent for', () => {
    expect(competentUnits(nationalConfig(), petition({ subject: 'weather' }))).toEqual([]);
  });

  it('superiors are government levels, not parent links (Reg. 35-36)', () => {
    const c = nationalConfig();
    expect(superiorOf(c, 'county-hrss')).toBe('city-gov');
    expect(superiorOf(c, 'county-hrss', 2)).toBe('prov-gov');
    expect(superiorOf(c, 'national-gov')).toBeUndefined();
  });

  it('the common superior of several bodies decides (Reg. 24)', () => {
    const c = nationalConfig();
    expect(commonSuperior(c, ['county-hrss', 'county-housing'])).toBe('county-gov');
    expect(commonSuperior(c, ['county-hrss', 'city-housing'])).toBe('city-gov');
    expect(commonSuperior(c, ['county-hrss', 'nowhere'])).toBeUndefined();
  });
});

/** national with a second county body competent for labour, to make Reg. 24 apply. */
function withSharedCompetence(): JurisdictionConfig {
  const c = structuredClone(nationalConfig());
  const land = c.units['county-land'];
  if (!land) throw new Error('county-land missing');
  land.competence = ['land', 'labour'];
  return c;
}

describe('national routing', () => {
  it('transfers to the one competent body', async () => {
    const d = await decideOnSubmit(petition());
    expect(d.routing?.outcome).toEqual({ unit: 'county-hrss', mode: 'transfer' });
    expect(d.routing?.fired[0]).toMatchObject({ ruleId: 'one-competent', basis: 'reg-2022 art. 22' });
  });

  it('the receiving body handles what it is competent for', async () => {
    const d = await decideOnSubmit(petition({ receivingUnit: 'county-hrss' }));
    expect(d.routing?.outcome).toEqual({ unit: 'county-hrss', mode: 'handle' });
  });

  it('accusations go to the discipline-inspection and supervision body', async () => {
    const d = await decideOnSubmit(petition({ kind: 'accusation', accused: '某局长' }));
    expect(d.routing?.outcome).toEqual({ unit: 'city-discipline', mode: 'transfer' });
    expect(d.routing?.fired[0]?.conditions.map((c) => [c.fact, c.factValue])).toEqual([
      ['classification', 'accusation'],
      ['bodies', 'city-discipline'],
    ]);
  });

  it('litigation-related matters go to the political-legal committee', async () => {
    const d = await decideOnSubmit(petition({ involvesLitigation: true }));
    expect(d.routing?.outcome).toEqual({ unit: 'city-political-legal', mode: 'transfer' });
  });

  it('several competent bodies: they agree, else their common superior designates (Reg. 24)', async () => {
    const config = withSharedCompetence();
    expect(bodiesFor(config, petition())).toMatchObject({
      competent: ['county-hrss', 'county-land'],
      commonSuperior: 'county-gov',
    });
    const { buildFacts, evaluateRuleSets } = await import('../../src/rules/index.js');
    const facts = buildFacts({ config, petition: petition(), now: '2026-03-10T02:00:00Z' });
    const d = await evaluateRuleSets(config, 'submit', facts);
    expect(d.routing?.outcome).toEqual({
      units: ['county-hrss', 'county-land'],
      decide: 'county-gov',
      mode: 'designate',
    });
  });

  it('with nobody competent the receiving body informs the petitioner (Reg. 23)', async () => {
    const d = await decideOnSubmit(petition({ subject: 'weather' }));
    expect(d.routing).toMatchObject({ outcome: { unit: 'county-bureau', mode: 'inform' }, defaulted: true });
  });
});
