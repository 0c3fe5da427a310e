import { describe, expect, it } from 'vitest';
import { buildFacts, identityKey, matterKey } from '../../src/rules/index.js';
import { nationalConfig, petition, priorCase } from './helpers.js';

describe('identity and matter keys', () => {
  it('the ID number comes first, normalised (trim, upper case, full-width digits)', () => {
    const c = nationalConfig();
    const a = identityKey(c, petition({ petitioner: { name: '张三', idNumber: '11010519491231002x' } }));
    const b = identityKey(
      c,
      petition({
        petitioner: { name: '张 三', idNumber: ' １１０１０５１９４９１２３１００２Ｘ ', phone: '1' },
      }),
    );
    expect(a).toBeDefined();
    expect(a).toBe(b);
  });

  it('then name + phone; never equal to an ID-number key', () => {
    const c = nationalConfig();
    const k = identityKey(c, petition({ petitioner: { name: ' 王五 ', phone: '13900000000' } }));
    expect(k).toBe(identityKey(c, petition({ petitioner: { name: '王五', phone: '13900000000 ' } })));
    expect(k?.startsWith('petitioner.name+petitioner.phone:')).toBe(true);
  });

  it('none for an anonymous or unidentifiable petitioner', () => {
    const c = nationalConfig();
    expect(
      identityKey(c, petition({ petitioner: { name: '匿名', anonymous: true, phone: '1390' } })),
    ).toBeUndefined();
    expect(identityKey(c, petition({ petitioner: { name: '赵六' } }))).toBeUndefined();
  });

  it('the matter key uses the form fields and ignores spacing and case', () => {
    const c = nationalConfig();
    expect(matterKey(c, petition({ request: 'pay  wages ' }))).toBe(
      matterKey(c, petition({ request: 'PAY wages' })),
    );
    expect(matterKey(c, petition())).not.toBe(matterKey(c, petition({ subject: 'housing' })));
  });

  it('facts summarise earlier cases without their personal data', () => {
    const c = nationalConfig();
    const facts = buildFacts({
      config: c,
      petition: petition(),
      now: '2026-03-10T02:00:00Z',
      priorCases: [priorCase(petition(), 'terminated', 'terminated')],
    });
    expect(facts.priorCases).toEqual([
      expect.objectContaining({ state: 'terminated', sameMatter: true, open: false }),
    ]);
    expect(JSON.stringify(facts.priorCases)).not.toContain('张三');
    expect(facts).toMatchObject({
      today: '2026-03-10',
      sameMatterTerminated: true,
      identityKnown: true,
      contactKnown: true,
    });
  });
});
