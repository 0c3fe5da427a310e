/** The config's rule sets run by the engine: on submit, on named transitions, read by guards. */

import { describe, expect, it } from 'vitest';
import type { JurisdictionConfig } from '../../src/config/types.js';
import type { Decision } from '../../src/rules/index.js';
import type { ActorRef, CaseStore, JsonObject } from '../../src/store/types.js';
import { A, documents, nationalConfig, petition, setup } from './helpers.js';
import { refused } from './refused.js';

const DAY = 86_400_000;

type Engine = ReturnType<typeof setup>['engine'];

/** The case's recorded decision of a rule set. */
async function rules(store: CaseStore, caseId: string, set: string): Promise<Decision> {
  const data = (await store.getCase(caseId))?.data ?? {};
  return (data.rules as unknown as Record<string, Decision>)[set] as Decision;
}

/** Runs a case through review and re-examination to termination (Reg. 36). */
async function terminate(engine: Engine, caseId: string, clock: { advance(ms: number): void }) {
  await engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
  await engine.send(
    caseId,
    {
      type: 'OPINION',
      payload: {
        outcome: 'not-supported',
        findings: '经调查核实，情况属实。',
        legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
      },
    },
    A.handlerBureau,
  );
  await engine.send(caseId, { type: 'RECEIPT', payload: { receivedAt: '2026-03-02' } }, A.registrar);
  await engine.send(caseId, { type: 'REQUEST_REVIEW' }, A.petitioner);
  await engine.send(
    caseId,
    {
      type: 'REVIEW_DECISION',
      payload: {
        outcome: 'upheld',
        findings: '经调查核实，情况属实。',
        legalBasis: [{ law: '信访工作条例', articles: '第三十五条' }],
      },
    },
    A.reviewer,
  );
  await engine.send(caseId, { type: 'RECEIPT', payload: { receivedAt: '2026-03-02' } }, A.registrar);
  await engine.send(caseId, { type: 'REQUEST_REEXAMINATION' }, A.petitioner);
  await engine.send(
    caseId,
    {
      type: 'REEXAMINATION_DECISION',
      payload: {
        outcome: 'upheld',
        findings: '经调查核实，情况属实。',
        legalBasis: [{ law: '信访工作条例', articles: '第三十六条' }],
      },
    },
    A.reexaminer,
  );
  clock.advance(DAY);
}

describe('rules on submit', () => {
  it('classifies, routes and decides acceptance, and stores each decision with its explanation', async () => {
    const { engine, store, submit } = setup();
    const { caseId } = await submit();
    const [submitted] = await store.events(caseId);
    const decisions = submitted?.payload.decisions as unknown as Record<string, Decision>;
    expect(Object.keys(decisions)).toEqual(['classification', 'routing', 'acceptance']);

    expect(decisions.classification).toMatchObject({
      merged: { kind: 'appeal', route: 'opinion' },
      defaulted: true,
    });
    // the body complained about is competent for labour matters: transfer to it (Reg. 22)
    const routing = await rules(store, caseId, 'routing');
    expect(routing).toEqual(decisions.routing);
    expect(routing.merged).toEqual({ unit: 'county-hrss', mode: 'transfer' });
    expect(routing.fired).toHaveLength(1);
    expect(routing.fired[0]).toMatchObject({
      ruleId: 'one-competent',
      name: '转送有权处理机关',
      basis: 'reg-2022 art. 22',
      conditions: [
        { fact: 'bodies', path: '$.competentCount', operator: 'equal', value: 1, factValue: 1, result: true },
      ],
    });
    expect((await rules(store, caseId, 'acceptance')).merged).toEqual({ accepted: true, noticeOwed: true });

    // a supervisor sees why the case went where it went, in the case and in its history
    const view = await engine.get(caseId, A.supervisor);
    expect((view.data.rules as JsonObject).routing).toEqual(routing);
    const history = await engine.history(caseId, A.supervisor);
    expect(history[0]?.payload.decisions).toEqual(decisions);
    // and the case still replays and verifies from its log alone
    expect((await engine.verify(caseId)).ok).toBe(true);
  });

  it('an accusation goes to the discipline body, and the accused name in the explanation is redacted', async () => {
    const { engine, store } = setup();
    const accusation = petition({ accused: '李四', accusation: '李四收受贿赂', subject: 'accusation' });
    const { caseId } = await engine.submit(accusation, A.registrar, { petitionerId: A.petitioner.id });
    expect((await rules(store, caseId, 'classification')).merged).toEqual({ kind: 'accusation' });
    expect((await rules(store, caseId, 'routing')).merged).toEqual({
      unit: 'city-discipline',
      mode: 'transfer',
    });

    const leaf = (d: Decision) => d.fired[0]?.conditions.find((c) => c.path === '$.accused');
    // the acceptor may read accusation material
    const acceptorView = (await engine.get(caseId, A.acceptor)).data.rules as unknown as Record<
      string,
      Decision
    >;
    expect(leaf(acceptorView.classification as Decision)).toMatchObject({ factValue: '李四' });
    // the registrar may not (visibleTo.accusation), in the case or in its history (Reg. 30)
    const registrarView = await engine.get(caseId, A.registrar);
    const hidden = leaf(
      (registrarView.data.rules as unknown as Record<string, Decision>).classification as Decision,
    );
    expect(hidden).toMatchObject({ fact: 'petition', path: '$.accused', result: true, redacted: true });
    expect(hidden).not.toHaveProperty('factValue');
    expect(registrarView.redacted).toContain('rules.classification');
    expect(JSON.stringify(registrarView.data)).not.toContain('李四');
    const history = await engine.history(caseId, A.registrar);
    expect(JSON.stringify(history)).not.toContain('李四');
    expect(history[0]?.redacted).toContain('decisions.classification');
  });

  it('an anonymous petition is accepted but owes no written notice (Reg. 23); a named one with an address does', async () => {
    const { engine, store } = setup();
    const anonymous = petition({ petitioner: { name: '匿名', anonymous: true } });
    const a = (await engine.submit(anonymous, A.registrar)).caseId;
    expect((await rules(store, a, 'acceptance')).merged).toEqual({ accepted: true, noticeOwed: false });
    expect((await store.getCase(a))?.data.identityKnown).toBe(false);
    await engine.send(a, { type: 'ACCEPT' }, A.acceptor);
    expect(await documents(store, a)).toEqual([]);
    const accepted = (await store.events(a)).at(-1);
    expect(accepted?.payload.documents).toEqual([
      {
        document: 'acceptance-notice',
        to: 'petitioner',
        waived: 'petitioner name or address unclear (reg-2022 art. 23)',
      },
    ]);

    // no ID number and no phone, so no identity key to find earlier cases by; but the name and
    // the address are clear, so the notice is owed: one notion for the rules and the waiver
    const named = petition({ petitioner: { name: '王五', address: '示范县人民路 2 号' } });
    const b = (await engine.submit(named, A.registrar)).caseId;
    expect((await store.getCase(b))?.identityKey).toBeUndefined();
    expect((await rules(store, b, 'acceptance')).merged).toEqual({ accepted: true, noticeOwed: true });
    await engine.send(b, { type: 'ACCEPT' }, A.acceptor);
    expect(await documents(store, b)).toEqual(['acceptance-notice']);
  });

  it('registers a group visit of 8 representatives, recording the requirement to choose at most 5 (Reg. 20)', async () => {
    const { engine, store, submit } = setup();
    const { caseId, state } = await submit({ channel: 'visit', group: { size: 40, representatives: 8 } });
    expect(state).toBe('registered');
    const acceptance = await rules(store, caseId, 'acceptance');
    expect(acceptance.merged).toEqual({
      accepted: true,
      noticeOwed: true,
      requirement: 'choose-representatives',
      maxRepresentatives: 5,
    });
    expect(acceptance.fired.map((f) => [f.ruleId, f.basis])).toEqual([
      ['group-representatives', 'reg-2022 art. 20'],
    ]);
    // not a refusal (refusing a matter within the body's remit breaches Reg. 44): the body waits
    // for the group to choose, and says so; the refused step writes nothing
    const before = await store.events(caseId);
    await expect(engine.send(caseId, { type: 'ACCEPT' }, A.acceptor)).rejects.toMatchObject({
      code: 'COMMAND_REPRESENTATIVES_NOT_CHOSEN',
      details: { representatives: 8, maxRepresentatives: 5, suggestion: 'RECORD_REPRESENTATIVES' },
    });
    expect(await store.events(caseId)).toEqual(before);
    await engine.send(caseId, { type: 'GUIDE_REPRESENTATIVES' }, A.acceptor);
    const six = ['甲', '乙', '丙', '丁', '戊', '己'].map((name) => ({ name }));
    await expect(
      engine.send(caseId, { type: 'RECORD_REPRESENTATIVES', payload: { representatives: six } }, A.acceptor),
    ).rejects.toMatchObject({ code: 'COMMAND_PAYLOAD_INVALID' });
    await engine.send(
      caseId,
      { type: 'RECORD_REPRESENTATIVES', payload: { representatives: six.slice(0, 5) } },
      A.acceptor,
    );
    await engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
    expect((await store.getCase(caseId))?.state).toBe('accepted');
  });

  it('asks nothing of a group within the limit, nor of a single petitioner (Reg. 20)', async () => {
    const { engine, store, submit } = setup();
    const group = (await submit({ channel: 'visit', group: { size: 12, representatives: 5 } })).caseId;
    await expect(engine.send(group, { type: 'GUIDE_REPRESENTATIVES' }, A.acceptor)).rejects.toMatchObject({
      code: 'COMMAND_RULE_REFUSED',
    });
    await engine.send(group, { type: 'ACCEPT' }, A.acceptor);
    expect((await store.getCase(group))?.state).toBe('accepted');
  });
});

describe('acceptance outcomes reach the procedure', () => {
  it('a repeat after termination: ACCEPT refused pointing at REFUSE_REPEAT, which issues the no-further-acceptance notice', async () => {
    const { engine, store, clock, submit } = setup();
    const first = (await submit()).caseId;
    await terminate(engine, first, clock);
    expect((await store.getCase(first))?.state).toBe('terminated');

    // same petitioner, same matter; a lower-case x and stray spacing do not hide the repeat
    const again = (
      await submit({
        petitioner: { name: '张三', idNumber: '11010119900101123x', phone: '13800000000', address: '示范县' },
        request: ' 支付拖欠工资',
      })
    ).caseId;
    const acceptance = await rules(store, again, 'acceptance');
    expect(acceptance.merged).toMatchObject({
      accepted: false,
      refusal: 'already-reexamined',
      command: 'REFUSE_REPEAT',
      notice: 'no-further-acceptance-notice',
    });
    expect(acceptance.fired[0]).toMatchObject({
      ruleId: 'repeat-after-termination',
      basis: 'reg-2022 art. 36',
      conditions: [
        { fact: 'sameMatterTerminated', operator: 'equal', factValue: true, result: true },
        { fact: 'petition', path: '$.newFacts', operator: 'notEqual', factValue: null, result: true },
      ],
    });

    const before = await store.events(again);
    const e = await refused(engine.send(again, { type: 'ACCEPT' }, A.acceptor), 'COMMAND_RULE_REFUSED');
    expect(e.message).toContain('repeat-after-termination (reg-2022 art. 36)');
    expect(e.message).toContain('send REFUSE_REPEAT with reason already-reexamined');
    expect(e.details).toMatchObject({
      caseId: again,
      state: 'registered',
      command: 'ACCEPT',
      ruleSet: 'acceptance',
      suggestion: 'REFUSE_REPEAT',
      reason: 'already-reexamined',
      rules: ['repeat-after-termination'],
    });
    expect(await store.events(again)).toEqual(before);
    const allowed = await engine.allowedCommands(again, A.acceptor);
    expect(allowed).not.toContain('ACCEPT');
    expect(allowed).toContain('REFUSE_REPEAT');

    await engine.send(
      again,
      { type: 'REFUSE_REPEAT', payload: { reason: 'already-reexamined', priorCase: first } },
      A.acceptor,
    );
    expect((await store.getCase(again))?.state).toBe('not-accepted');
    expect(await documents(store, again)).toEqual(['no-further-acceptance-notice']);

    // a supervisor who finds the refusal wrong reopens it (Reg. 44): then it may be accepted
    await engine.send(again, { type: 'REOPEN', payload: { reason: '事实和理由不同' } }, A.supervisor);
    await engine.send(again, { type: 'ACCEPT' }, A.acceptor);
    expect((await store.getCase(again))?.state).toBe('accepted');
  });

  it('the receiving body of a transferred repeat refuses it too ("by any body", Reg. 36)', async () => {
    const { engine, store, clock, submit } = setup();
    const first = (await submit()).caseId;
    // the same matter registered again while the first is open is handed on ...
    const again = (await submit()).caseId;
    await engine.send(again, { type: 'TRANSFER', payload: { unit: 'county-hrss' } }, A.acceptor);
    // ... and the first is re-examined before the receiving body decides: acceptance is judged
    // again when it decides, not only at registration
    await terminate(engine, first, clock);
    await refused(engine.send(again, { type: 'ACCEPT' }, A.hrssAcceptor), 'COMMAND_RULE_REFUSED');
    // registered after the termination, it is not even handed on as if new (issue 18 §5)
    const late = (await submit()).caseId;
    const transfer = await refused(
      engine.send(late, { type: 'TRANSFER', payload: { unit: 'county-hrss' } }, A.acceptor),
      'COMMAND_MATTER_TERMINATED',
    );
    expect(transfer.details).toMatchObject({
      rules: ['repeat-after-termination'],
      suggestion: 'REFUSE_REPEAT',
    });
    await engine.send(
      again,
      { type: 'REFUSE_REPEAT', payload: { reason: 'already-reexamined' } },
      A.hrssAcceptor,
    );
    expect((await store.getCase(again))?.state).toBe('not-accepted');
  });

  it('the same petitioner on a different matter is accepted', async () => {
    const { engine, store, clock, submit } = setup();
    await terminate(engine, (await submit()).caseId, clock);
    const other = (await submit({ request: '补缴社会保险', subject: 'social-security' })).caseId;
    const acceptance = await rules(store, other, 'acceptance');
    expect(acceptance.merged).toEqual({ accepted: true, noticeOwed: true });
    await engine.send(other, { type: 'ACCEPT' }, A.acceptor);
    expect((await store.getCase(other))?.state).toBe('accepted');
  });

  it('the same matter with new facts or reasons is not barred (Reg. 36: only the same facts and reasons are)', async () => {
    const { engine, store, clock, submit } = setup();
    await terminate(engine, (await submit()).caseId, clock);
    const same = (await submit()).caseId;
    expect((await rules(store, same, 'acceptance')).merged).toMatchObject({ accepted: false });
    const fresh = (await submit({ newFacts: true, summary: '单位又拖欠工资两个月，另有新的工资条为证' }))
      .caseId;
    const acceptance = await rules(store, fresh, 'acceptance');
    expect(acceptance.merged).toEqual({ accepted: true, noticeOwed: true });
    await engine.send(fresh, { type: 'ACCEPT' }, A.acceptor);
    expect((await store.getCase(fresh))?.state).toBe('accepted');
  });

  it('a higher body while the lower one handles the matter within its limit: not accepted (Reg. 19)', async () => {
    const { engine, store, submit } = setup();
    const lower = (await submit()).caseId;
    expect((await store.getCase(lower))?.colour).toBe('green');
    const cityRegistrar: ActorRef = { id: 'reg-9', role: 'registrar', unit: 'city-bureau' };
    const cityAcceptor: ActorRef = { id: 'acc-9', role: 'acceptor', unit: 'city-bureau' };
    const higher = (
      await engine.submit(petition({ receivingUnit: 'city-bureau' }), cityRegistrar, {
        petitionerId: A.petitioner.id,
      })
    ).caseId;
    const acceptance = await rules(store, higher, 'acceptance');
    expect(acceptance.merged).toMatchObject({
      accepted: false,
      refusal: 'lower-body-within-time-limit',
      command: 'NOT_ACCEPT',
      notice: 'non-acceptance-notice',
    });
    expect(acceptance.fired.map((f) => [f.ruleId, f.basis])).toEqual([
      ['higher-body-while-lower-in-time', 'reg-2022 art. 19'],
    ]);
    const e = await refused(engine.send(higher, { type: 'ACCEPT' }, cityAcceptor), 'COMMAND_RULE_REFUSED');
    expect(e.details).toMatchObject({ suggestion: 'NOT_ACCEPT', reason: 'lower-body-within-time-limit' });
    await engine.send(
      higher,
      { type: 'NOT_ACCEPT', payload: { reason: 'lower-body-within-time-limit', goTo: 'county-bureau' } },
      cityAcceptor,
    );
    expect(await documents(store, higher)).toEqual(['non-acceptance-notice']);
    // the lower body's own case is untouched, and the lower body accepts it
    await engine.send(lower, { type: 'ACCEPT' }, A.acceptor);
    expect((await store.getCase(lower))?.state).toBe('accepted');
  });
});

/** national with one extra rule set, added last. */
function withRuleSet(
  id: string,
  set: NonNullable<JurisdictionConfig['ruleSets']>[string],
): JurisdictionConfig {
  const config = structuredClone(nationalConfig());
  config.ruleSets = { ...config.ruleSets, [id]: set };
  return config;
}

describe('rule failures, transitions and the hook', () => {
  it('a unique conflict found at run time refuses the submit with RULE_CONFLICT and writes nothing', async () => {
    const config = withRuleSet('size', {
      hitPolicy: 'unique',
      on: ['submit'],
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
    });
    const { engine, store } = setup({ configs: [config] });
    const group = petition({ channel: 'visit', group: { size: 40, representatives: 8 } });
    const e = await refused(engine.submit(group, A.registrar), 'RULE_CONFLICT');
    expect(e.details).toMatchObject({ ruleSet: 'size', rules: ['big-group', 'many-reps'] });
    expect(await store.query({})).toEqual([]);
    // not even a case number was drawn
    const { caseId } = await engine.submit(petition(), A.registrar);
    expect(caseId).toBe('XF-2026-000001');
  });

  it('runs the sets a transition names (or whose `on` lists its event) before it, recording them', async () => {
    const config = withRuleSet('escalation', {
      hitPolicy: 'first',
      on: ['REPORT_UP'],
      default: { level: 'same' },
      rules: [
        {
          id: 'major',
          conditions: { all: [{ fact: 'petition', path: '$.major', operator: 'equal', value: true }] },
          outcome: { level: 'up' },
          basis: 'reg-2022 art. 25',
        },
      ],
    });
    const registered = config.process.states.registered;
    const transfer = registered?.on?.TRANSFER;
    if (!transfer || Array.isArray(transfer)) throw new Error('national changed');
    transfer.rules = ['routing'];
    const { engine, store, submit } = setup({ configs: [config] });
    const { caseId } = await submit({ major: true });
    expect(Object.keys((await store.getCase(caseId))?.data.rules ?? {})).not.toContain('escalation');

    await engine.send(caseId, { type: 'REPORT_UP' }, A.registrar);
    const reported = (await store.events(caseId)).at(-1)?.payload.decisions as JsonObject;
    expect(reported.escalation).toMatchObject({ merged: { level: 'up' } });
    expect((await rules(store, caseId, 'escalation')).fired[0]?.basis).toBe('reg-2022 art. 25');

    await engine.send(caseId, { type: 'TRANSFER', payload: { unit: 'county-hrss' } }, A.acceptor);
    const transferred = (await store.events(caseId)).at(-1)?.payload.decisions as JsonObject;
    // routing, named by the transition; acceptance, whose `on` lists TRANSFER
    expect(Object.keys(transferred)).toEqual(['routing', 'acceptance']);
    expect((await engine.verify(caseId)).ok).toBe(true);
  });

  it('the decide hook extends and overrides the config’s decisions; guards read them the same way', async () => {
    const seen: string[][] = [];
    const { engine, store, clock, submit } = setup({
      decide: (trigger, facts) => {
        seen.push(trigger.ruleSets);
        // a province's own registry says this petitioner's earlier case was a different matter
        if (facts.decisions.acceptance?.merged?.accepted === false)
          return { acceptance: { accepted: true, noticeOwed: true, overriddenBy: 'province-registry' } };
        return undefined;
      },
    });
    await terminate(engine, (await submit()).caseId, clock);
    const again = (await submit()).caseId;
    expect(seen.at(-1)).toEqual(['classification', 'routing', 'acceptance']);
    const acceptance = await rules(store, again, 'acceptance');
    expect(acceptance).toMatchObject({
      ruleSet: 'acceptance',
      merged: { accepted: true, overriddenBy: 'province-registry' },
      fired: [],
    });
    await engine.send(again, { type: 'ACCEPT' }, A.acceptor);
    expect((await store.getCase(again))?.state).toBe('accepted');
  });
});
