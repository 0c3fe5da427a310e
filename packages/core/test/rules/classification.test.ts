import { describe, expect, it } from 'vitest';
import { decideOnSubmit, petition } from './helpers.js';

// The three kinds of matter (Reg. 29-30) and the six routes of appeals and demands (Reg. 31).
describe('national classification', () => {
  it('a suggestion', async () => {
    const d = await decideOnSubmit(petition({ kind: 'suggestion' }));
    expect(d.classification?.outcome).toEqual({ kind: 'suggestion' });
    expect(d.classification?.fired[0]).toMatchObject({ ruleId: 'suggestion', basis: 'reg-2022 art. 29' });
  });

  it('an accusation, recorded as such or shown by an accused person or accusation material', async () => {
    for (const over of [{ kind: 'accusation' }, { accused: '某局长' }, { accusation: '收受贿赂的材料' }]) {
      const d = await decideOnSubmit(petition(over));
      expect(d.classification?.outcome, JSON.stringify(over)).toEqual({ kind: 'accusation' });
    }
  });

  it('what the registrar recorded wins over an accused person', async () => {
    const d = await decideOnSubmit(petition({ kind: 'suggestion', accused: '某局长' }));
    expect(d.classification?.outcome).toEqual({ kind: 'suggestion' });
  });

  it('a petition with no accused person is not an accusation (a missing field is null, not "not null")', async () => {
    const d = await decideOnSubmit(petition());
    expect(d.classification?.outcome).toEqual({ kind: 'appeal', route: 'opinion' });
    expect(d.classification?.defaulted).toBe(true);
  });

  const routes = [
    ['litigation', 'reg-2022 art. 31 (1)'],
    ['arbitration', 'reg-2022 art. 31 (2)'],
    ['party-discipline', 'reg-2022 art. 31 (3)'],
    ['administrative', 'reg-2022 art. 31 (4)'],
    ['duty-performance', 'reg-2022 art. 31 (5)'],
    ['opinion', 'reg-2022 art. 31 (6)'],
  ] as const;
  it.each(routes)('an appeal routed to %s', async (route, basis) => {
    const d = await decideOnSubmit(petition({ kind: 'appeal', route }));
    expect(d.classification?.outcome).toEqual({ kind: 'appeal', route });
    expect(d.classification?.fired).toHaveLength(1);
    expect(d.classification?.fired[0]?.basis).toBe(basis);
    expect(d.classification?.defaulted).toBe(false);
  });

  it('a litigation-related matter without a recorded route goes to the legal procedure', async () => {
    const d = await decideOnSubmit(petition({ involvesLitigation: true }));
    expect(d.classification?.outcome).toEqual({ kind: 'appeal', route: 'litigation' });
    const fired = d.classification?.fired[0];
    expect(fired?.ruleId).toBe('route-litigation');
    // the explanation shows each evaluated condition with the value it saw
    expect(fired?.conditions).toContainEqual({
      fact: 'petition',
      path: '$.involvesLitigation',
      operator: 'equal',
      value: true,
      factValue: true,
      result: true,
    });
  });

  it('an appeal with neither route nor litigation gets the default route, the handling opinion', async () => {
    const d = await decideOnSubmit(petition({ kind: 'appeal' }));
    expect(d.classification).toMatchObject({
      outcome: { kind: 'appeal', route: 'opinion' },
      defaulted: true,
      fired: [],
    });
  });
});
