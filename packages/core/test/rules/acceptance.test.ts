import { describe, expect, it } from 'vitest';
import { decideOnSubmit, petition, priorCase } from './helpers.js';

describe('national acceptance', () => {
  it('an ordinary first petition is accepted and owed a notice', async () => {
    const d = await decideOnSubmit(petition());
    expect(d.acceptance).toMatchObject({
      hitPolicy: 'collect',
      outcome: [{ accepted: true, noticeOwed: true }],
      merged: { accepted: true, noticeOwed: true },
      defaulted: true,
    });
  });

  it('a repeat after termination on the same matter is not accepted again (Reg. 36)', async () => {
    const first = petition();
    // the same matter typed again with other spacing and case: the matter key is normalised
    const again = petition({ request: '  责令支付拖欠工资 ', receivedAt: '2026-03-09' });
    const d = await decideOnSubmit(again, [priorCase(first, 'terminated', 'terminated')]);
    expect(d.acceptance?.merged).toMatchObject({
      accepted: false,
      refusal: 'already-reexamined',
      command: 'REFUSE_REPEAT',
      notice: 'no-further-acceptance-notice',
    });
    const fired = d.acceptance?.fired[0];
    expect(fired).toMatchObject({ ruleId: 'repeat-after-termination', basis: 'reg-2022 art. 36' });
    expect(fired?.conditions).toEqual([
      { fact: 'sameMatterTerminated', operator: 'equal', value: true, factValue: true, result: true },
      // on the same facts and reasons: no new ones recorded (Reg. 36)
      {
        fact: 'petition',
        path: '$.newFacts',
        operator: 'notEqual',
        value: true,
        factValue: null,
        result: true,
      },
    ]);
  });

  it('a terminated case on another matter does not bar a new one', async () => {
    const other = petition({ subject: 'housing', request: '维修房屋' });
    const d = await decideOnSubmit(petition(), [priorCase(other, 'terminated', 'terminated')]);
    expect(d.acceptance?.merged).toMatchObject({ accepted: true });
  });

  it('no review requested in time: the same matter is not accepted again (Reg. 35-36)', async () => {
    const d = await decideOnSubmit(petition(), [priorCase(petition(), 'closed', 'closed')]);
    expect(d.acceptance?.merged).toMatchObject({ accepted: false, refusal: 'no-review-requested' });
  });

  it('a higher body does not accept while a lower one handles the matter within its limit (Reg. 19)', async () => {
    const atCounty = priorCase(petition(), 'accepted', 'handling', {
      colour: 'green',
      responsibleUnit: 'county-hrss',
    });
    const d = await decideOnSubmit(petition({ receivingUnit: 'city-bureau' }), [atCounty]);
    expect(d.acceptance?.merged).toMatchObject({ accepted: false, refusal: 'lower-body-within-time-limit' });
    expect(d.acceptance?.fired[0]?.basis).toBe('reg-2022 art. 19');
  });

  it('once the lower body has missed its limit (red), the higher body may accept', async () => {
    const late = priorCase(petition(), 'accepted', 'handling', {
      colour: 'red',
      responsibleUnit: 'county-hrss',
    });
    const d = await decideOnSubmit(petition({ receivingUnit: 'city-bureau' }), [late]);
    expect(d.acceptance?.merged).toMatchObject({ accepted: true });
  });

  it('the same body receiving the matter again is not a Reg. 19 refusal', async () => {
    const open = priorCase(petition(), 'accepted', 'handling', {
      colour: 'green',
      responsibleUnit: 'county-hrss',
    });
    const d = await decideOnSubmit(petition({ receivingUnit: 'county-hrss' }), [open]);
    expect(d.acceptance?.merged).toMatchObject({ accepted: true });
  });

  it('anonymous: registered and accepted, but no written notice is owed (Reg. 23) — not a refusal', async () => {
    const anonymous = petition({ petitioner: { name: '匿名', anonymous: true } });
    const d = await decideOnSubmit(anonymous);
    expect(d.acceptance?.merged).toEqual({ accepted: true, noticeOwed: false });
    expect(d.acceptance?.fired.map((f) => f.ruleId)).toEqual(['identity-unclear-no-notice']);
  });

  it('no way to write to the petitioner: no notice owed', async () => {
    const d = await decideOnSubmit(
      petition({ petitioner: { name: '李四', idNumber: '11010519491231002X' } }),
    );
    expect(d.acceptance?.merged).toMatchObject({ accepted: true, noticeOwed: false });
  });

  it('a group visit with 8 representatives is registered with a requirement to choose at most 5 (Reg. 20)', async () => {
    const d = await decideOnSubmit(petition({ channel: 'visit', group: { size: 40, representatives: 8 } }));
    expect(d.acceptance?.merged).toEqual({
      accepted: true,
      noticeOwed: true,
      requirement: 'choose-representatives',
      maxRepresentatives: 5,
    });
    expect(d.acceptance?.fired[0]).toMatchObject({
      ruleId: 'group-representatives',
      basis: 'reg-2022 art. 20',
    });
    expect(d.acceptance?.fired[0]?.conditions[0]).toMatchObject({
      fact: 'groupRepresentatives',
      factValue: 8,
    });
  });

  it('a group visit of 5 representatives needs nothing', async () => {
    const d = await decideOnSubmit(petition({ channel: 'visit', group: { size: 40, representatives: 5 } }));
    expect(d.acceptance?.defaulted).toBe(true);
  });

  it('collect keeps every contribution: an anonymous group with 7 representatives', async () => {
    const anon = petition({
      petitioner: { name: '匿名', anonymous: true, phone: '13800000000' },
      group: { representatives: 7 },
    });
    const d = await decideOnSubmit(anon);
    expect(d.acceptance?.fired.map((f) => f.ruleId)).toEqual([
      'identity-unclear-no-notice',
      'group-representatives',
    ]);
    expect(d.acceptance?.outcome).toHaveLength(2);
  });
});
