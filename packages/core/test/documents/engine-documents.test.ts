/**
 * Every document national.yaml's process issues, rendered, numbered and sealed from real cases
 * run through the engine on the memory store.
 */

import { describe, expect, it } from 'vitest';
import { transitionEntries } from '../../src/config/index.js';
import { createDocumentIssuer, type SealedDocument, verifyDocument } from '../../src/documents/index.js';
import { createMemoryStore } from '../../src/store/index.js';
import type { ActorRef, CaseStore, JsonObject } from '../../src/store/types.js';
import { A, setup } from '../engine/helpers.js';
import { national, testSealer } from './helpers.js';

/** An engine that issues documents itself (the `documents` option), on a memory store. */
function issuing() {
  const store = createMemoryStore();
  const { sealer, publicKeyPem } = testSealer();
  const documents = createDocumentIssuer({ store, sealer, templates: national().templates });
  return { ...setup({ store, documents }), publicKeyPem };
}

/** The document rows of a case not seen before, as the engine stored them. */
function newDocuments(store: CaseStore) {
  const seen = new Set<string>();
  return async (caseId: string): Promise<JsonObject[]> => {
    const rows = (await store.outbox({ caseId })).filter((r) => r.kind === 'document' && !seen.has(r.id));
    for (const r of rows) seen.add(r.id);
    return rows.map((r) => r.payload);
  };
}

/** Document ids some transition of national's process issues. */
function issuedByProcess(): string[] {
  const ids = new Set<string>();
  for (const state of Object.values(national().value.process.states)) {
    for (const { alternatives } of transitionEntries(state)) {
      for (const def of alternatives) for (const d of def.issues ?? []) ids.add(d);
    }
    for (const d of state.issues ?? []) ids.add(d);
  }
  return [...ids].sort();
}

describe('documents issued by national.yaml through the engine', () => {
  it('cites Reg. 19 naming the lower body, and the config’s own rule for a repeat after an unused window', async () => {
    const { engine, store, submit } = issuing();
    const fresh = newDocuments(store);
    const a = (await submit()).caseId;
    await engine.send(
      a,
      { type: 'NOT_ACCEPT', payload: { reason: 'lower-body-within-time-limit', goTo: 'county-hrss' } },
      A.acceptor,
    );
    const notice = String((await fresh(a))[0]?.text);
    expect(notice).toContain(
      '该事项已由示范县人力资源和社会保障局受理或者正在办理，且仍在规定的办理期限内。根据《信访工作条例》第十九条的规定，本机关不予受理。',
    );
    expect(notice).not.toContain('第二十三条');
    const b = (await submit()).caseId;
    await engine.send(b, { type: 'REFUSE_REPEAT', payload: { reason: 'no-review-requested' } }, A.acceptor);
    const refusal = String((await fresh(b))[0]?.text);
    expect(refusal).toContain('依照本机关执行的信访事项办理规定');
    expect(refusal).not.toContain('第三十六条');
  });

  it('renders, numbers and seals every document type the process issues', async () => {
    const { engine, store, clock, submit, publicKeyPem } = issuing();
    const fresh = newDocuments(store);
    const byType = new Map<string, JsonObject>();
    const send = async (caseId: string, type: string, payload: Record<string, unknown>, actor: ActorRef) => {
      await engine.send(caseId, { type, payload }, actor);
      for (const p of await fresh(caseId)) {
        if (!byType.has(String(p.documentId))) byType.set(String(p.documentId), p);
      }
    };

    // the ladder: assignment, acceptance, extension, hearing, opinion, completion report,
    // review, re-examination
    const a = (await submit()).caseId;
    await send(a, 'ASSIGN', { unit: 'county-hrss', days: 30, reason: '属人社部门职责' }, A.registrar);
    await send(a, 'ACCEPT', {}, A.hrssAcceptor);
    await send(a, 'EXTEND', { days: 20, reason: '需调取用人单位工资台账' }, A.hrssHead);
    clock.advanceDays(5);
    await send(a, 'HOLD_HEARING', { date: '2026-03-12', place: '示范县人社局三楼会议室' }, A.hrssHandler);
    clock.advanceDays(5);
    await send(
      a,
      'OPINION',
      {
        outcome: 'supported',
        findings: '经核实，用人单位确有拖欠工资情形。',
        legalBasis: [
          { law: '中华人民共和国劳动合同法', articles: '第三十条第一款' },
          { law: '《保障农民工工资支付条例》', articles: '第十五条' },
        ],
      },
      A.hrssHandler,
    );
    await send(a, 'REPORT_COMPLETION', {}, A.hrssHandler);
    await send(a, 'RECEIPT', { receivedAt: '2026-03-12', method: 'post' }, A.hrssHandler);
    clock.advanceDays(3);
    await send(a, 'REQUEST_REVIEW', { reason: '对补发数额不服' }, A.petitioner);
    await send(
      a,
      'REVIEW_DECISION',
      {
        outcome: 'changed',
        findings: '补发数额计算有误。',
        legalBasis: [{ law: '中华人民共和国劳动合同法', articles: '第八十五条' }],
      },
      A.reviewer,
    );
    await send(a, 'RECEIPT', { receivedAt: '2026-03-15' }, A.reviewer);
    await send(a, 'REQUEST_REEXAMINATION', {}, A.petitioner);
    await send(
      a,
      'REEXAMINATION_DECISION',
      {
        outcome: 'upheld',
        findings: '经调查核实，情况属实。',
        legalBasis: [{ law: '信访工作条例', articles: '第三十六条' }],
      },
      A.reexaminer,
    );

    // an objection back to the transferring body (another matter: the first one is re-examined,
    // and a terminated matter is not transferred as if new)
    const b = (await submit({ request: '支付加班费' })).caseId;
    await send(b, 'TRANSFER', { unit: 'county-housing', reason: '住建职责' }, A.registrar);
    await send(b, 'OBJECT', { reason: '该事项属劳动报酬争议，不属于住建部门职责' }, A.housingAcceptor);
    // the transferring body does not agree, with its reasons (Reg. 23)
    await send(
      b,
      'REJECT_OBJECTION',
      { reason: '拖欠工资发生在住建领域工程项目，属住建部门监管' },
      A.acceptor,
    );
    // diversion, non-acceptance, no further acceptance, mediation
    const c = (await submit({ route: 'arbitration' })).caseId;
    await send(c, 'DIVERT', { route: 'arbitration', body: '示范县劳动人事争议仲裁委员会' }, A.acceptor);
    const d = (await submit()).caseId;
    await send(d, 'NOT_ACCEPT', { reason: 'not-in-remit', goTo: 'city-housing' }, A.acceptor);
    const e = (await submit()).caseId;
    await send(e, 'REFUSE_REPEAT', { reason: 'already-reexamined', priorCase: 'XF-2025-000001' }, A.acceptor);
    const f = (await submit({ request: '补缴社会保险费' })).caseId;
    await send(f, 'ACCEPT', {}, A.acceptor);
    await send(
      f,
      'SETTLE',
      {
        kind: 'mediation',
        terms: '用人单位于2026年3月底前补发全部工资。',
        parties: [
          { name: '张三', side: 'petitioner', consent: true },
          { name: '示范县某用人单位', side: 'other', consent: true },
        ],
      },
      A.handlerBureau,
    );
    // a suggestion answered (Reg. 29); an accusation sent on to the discipline body, which
    // receives it (Reg. 30)
    const g = (await submit({ kind: 'suggestion', request: '建议公布工资支付监察举报电话' })).caseId;
    await send(g, 'ANSWER_SUGGESTION', { outcome: 'adopted', text: '已在县政府网站公布。' }, A.handlerBureau);
    const h = (
      await submit({ kind: 'accusation', request: '依法查处', accusation: '检举某科长收受用人单位财物' })
    ).caseId;
    await send(h, 'TRANSFER', { unit: 'city-discipline' }, A.registrar);
    await send(h, 'RECEIVE_ACCUSATION', {}, { id: 'acc-9', role: 'acceptor', unit: 'city-discipline' });
    // a group visit with more than five representatives is told to choose five (Reg. 20)
    const k = (
      await submit({ channel: 'visit', group: { size: 20, representatives: 7 }, request: '补发加班费' })
    ).caseId;
    await send(k, 'GUIDE_REPRESENTATIVES', {}, A.registrar);
    // supervision of the diverted case by the petition bureau one level up, and its suggestions
    // (Reg. 40); the clock stands at Sunday 2026-03-15
    await send(c, 'SUPERVISE', { reason: '未告知信访人向仲裁机构提出的期限', ground: 'delay' }, A.supervisor);
    await send(c, 'SUGGEST', { kind: 'improve-work', text: '完善分类处理告知书的内容。' }, A.supervisor);

    expect([...byType.keys()].sort()).toEqual(issuedByProcess());

    for (const [type, p] of byType) {
      const text = String(p.text);
      expect(text, type).not.toMatch(/undefined|null|\[object/);
      expect(
        text.startsWith(String((p.sealed as unknown as SealedDocument).document.issuedBy.name)),
        type,
      ).toBe(true);
      expect(String(p.html)).toContain('<!DOCTYPE html>');
      expect(await verifyDocument(p.sealed, publicKeyPem), type).toEqual({ ok: true, problems: [] });
    }
    const text = (id: string) => String(byType.get(id)?.text);

    expect(text('transfer-notice')).toContain(
      '根据《信访工作条例》第二十二条的规定，本机关已于2026年3月2日将该事项交办示范县人力资源和社会保障局办理',
    );
    expect(byType.get('transfer-notice')?.number).toBe('示县信〔2026〕1号');
    expect(text('acceptance-notice')).toMatch(
      /^示范县人力资源和社会保障局\n受理告知书\n示县人社〔2026〕1号\n\n张三：/,
    );
    expect(text('acceptance-notice')).toContain(
      '于2026年3月2日通过来信提出的信访事项（信访件编号：XF-2026-000001）',
    );
    expect(text('extension-notice')).toContain('因需调取用人单位工资台账，经本机关负责人批准');
    // 60 days from 03-02 end 05-01 (Labour Day); 20 more: Thursday 05-21
    expect(text('extension-notice')).toContain('办理期限延长20日，至2026年5月21日');
    expect(text('hearing-notice')).toContain('听证时间：2026年3月12日；听证地点：示范县人社局三楼会议室');
    // the body dates its own receipt: the assignment's, not the petitioner's filing (Reg. 32)
    expect(text('handling-opinion')).toContain(
      '本机关于2026年3月2日收到示范县信访局转送/交办的你（单位）的信访事项（信访件编号：XF-2026-000001），并于2026年3月2日受理',
    );
    expect(text('handling-opinion')).toContain('请求：支付拖欠工资。');
    expect(text('handling-opinion')).toContain('二、调查核实情况。经核实，用人单位确有拖欠工资情形。');
    // the legal basis, laws and articles, as given (Reg. 32 "处理意见及其法律法规依据")
    expect(text('handling-opinion')).toContain(
      '根据《中华人民共和国劳动合同法》第三十条第一款、《保障农民工工资支付条例》第十五条的规定，依照《信访工作条例》第三十二条',
    );
    expect(text('handling-opinion')).toContain('作出如下处理：诉求合理，予以支持。');
    // review goes one level up from a county department: its own government or its line
    // department, both named, the default first; never the city government (Reg. 35)
    expect(text('handling-opinion')).toContain('请求示范县人民政府或者示范市人力资源和社会保障局复查');
    expect(text('completion-report')).toMatch(
      /^示范县人力资源和社会保障局\n办结报告\n示县人社〔2026〕\d号\n\n示范县信访局：/,
    );
    expect(text('review-opinion')).toContain(
      '你（单位）对示范县人力资源和社会保障局作出的信访处理意见不服，于2026年3月15日',
    );
    expect(text('review-opinion')).toContain('本机关决定：变更原处理意见。');
    // re-examination one level above the county government that reviewed: the city government
    expect(text('review-opinion')).toContain('向示范市人民政府请求复核');
    expect(text('review-opinion')).toContain('你（单位）的请求：支付拖欠工资。');
    expect(text('review-opinion')).toContain(
      '经复查，补发数额计算有误。根据《中华人民共和国劳动合同法》第八十五条的规定，依照《信访工作条例》第三十五条',
    );
    expect(text('reexamination-opinion')).toContain('根据《信访工作条例》第三十六条的规定');
    expect(text('reexamination-opinion')).toContain('本机关决定：维持复查意见。');
    expect(text('reexamination-opinion')).toContain('你（单位）对示范县人民政府作出的复查意见不服');
    expect(text('objection-letter')).toMatch(/\n示范县信访局：\n/);
    expect(text('diversion-notice')).toContain('应当通过仲裁程序解决');
    expect(text('diversion-notice')).toContain('向示范县劳动人事争议仲裁委员会提出');
    expect(text('non-acceptance-notice')).toContain(
      '该事项不属于本机关职权范围。请向示范市住房和城乡建设局提出。',
    );
    expect(text('no-further-acceptance-notice')).toContain('该信访事项已经复核终结。');
    expect(text('objection-answer')).toContain(
      '经本机关核实，不予同意，理由如下：拖欠工资发生在住建领域工程项目，属住建部门监管。',
    );
    expect(text('mediation-agreement')).toContain('达成调解协议。');
    // both parties and their consent (Reg. 33)
    expect(text('mediation-agreement')).toContain(
      '当事人及其意思表示：信访人张三（同意）；对方当事人示范县某用人单位（同意）。',
    );
    expect(text('suggestion-reply')).toContain('本机关已认真研究论证，予以采纳。');
    expect(text('suggestion-reply')).toContain('根据《信访工作条例》第二十九条的规定，特此回复。');
    expect(text('accusation-receipt-notice')).toMatch(/^示范市纪委监委\n检举控告事项接收告知书\n/);
    expect(text('accusation-receipt-notice')).toContain('检举控告材料不得转给被检举控告的人员或者单位');
    expect(text('representatives-guidance')).toContain('以集体访形式（20人）反映的事项');
    expect(text('representatives-guidance')).toContain('来访代表为7人');
    expect(text('representatives-guidance')).toContain('代表人数不超过5人');
    // letterhead of the supervising bureau, addressed to the supervised one; 03-15 + 15 days
    expect(text('supervision-letter')).toMatch(
      /^示范市信访局\n督办函\n示市信〔2026〕\d+号\n\n示范县信访局：/,
    );
    expect(text('supervision-letter')).toContain(
      '存在以下问题：未告知信访人向仲裁机构提出的期限。根据《信访工作条例》第四十条的规定，现予督办，请于2026年3月30日前',
    );
    // 03-15 + 30 days = 04-14, a Tuesday
    expect(text('three-suggestions')).toContain('提出改进工作建议如下：\n    完善分类处理告知书的内容。');
    expect(text('three-suggestions')).toContain('请于2026年4月14日前将是否采纳及落实情况书面反馈本机关');

    // one sequence per body and year: the county hrss numbered its documents 1, 2, 3, ...
    const hrss = [...byType.values()]
      .map((p) => String(p.number))
      .filter((n) => n.startsWith('示县人社'))
      .sort();
    expect(new Set(hrss).size).toBe(hrss.length);
  });

  it('reports completion of an assigned matter settled by mediation, which has no opinion', async () => {
    const { engine, store, submit } = issuing();
    const fresh = newDocuments(store);
    const a = (await submit()).caseId;
    await engine.send(a, { type: 'ASSIGN', payload: { unit: 'county-hrss', days: 30 } }, A.registrar);
    await engine.send(a, { type: 'ACCEPT' }, A.hrssAcceptor);
    await engine.send(
      a,
      {
        type: 'SETTLE',
        payload: {
          kind: 'mediation',
          terms: '用人单位分两期补发工资',
          parties: [
            { name: '信访人', side: 'petitioner', consent: true },
            { name: '示范县某用人单位', side: 'other', consent: true },
          ],
        },
      },
      A.hrssHandler,
    );
    await fresh(a);
    await engine.send(a, { type: 'REPORT_COMPLETION' }, A.hrssHandler);
    const [report] = await fresh(a);
    const text = String(report?.text);
    expect(report?.documentId).toBe('completion-report');
    expect(text).toContain('经调解（和解）达成协议，已依法办结。');
    expect(text).not.toContain('出具信访处理意见书');
  });

  it('issues nothing for a notice waived because the petitioner cannot be reached (Reg. 23)', async () => {
    const { engine, store } = issuing();
    const fresh = newDocuments(store);
    const { caseId } = await engine.submit(
      {
        channel: 'letter',
        receivedAt: '2026-03-02',
        receivingUnit: 'county-bureau',
        petitioner: { name: '匿名', anonymous: true },
        subject: 'labour',
        summary: '某单位拖欠工资',
        request: '查处',
      },
      A.registrar,
    );
    await engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
    expect(await fresh(caseId)).toEqual([]);
  });

  it('pins each issued document in the hash-chained log, and the chain still verifies', async () => {
    const { engine, store, submit, publicKeyPem } = issuing();
    const { caseId } = await submit();
    await engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
    await engine.send(
      caseId,
      {
        type: 'OPINION',
        payload: {
          outcome: 'explained',
          findings: '经调查核实，情况属实。',
          legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
        },
      },
      A.handlerBureau,
    );
    const rows = (await store.outbox({ caseId })).filter((r) => r.kind === 'document');
    expect(rows.map((r) => r.payload.documentId)).toEqual(['acceptance-notice', 'handling-opinion']);
    const events = await store.events(caseId);
    for (const row of rows) {
      const p = row.payload;
      expect(typeof p.text).toBe('string');
      expect(String(p.html)).toContain('<!DOCTYPE html>');
      expect(p.number).toMatch(/^示县信〔2026〕\d+号$/);
      expect(await verifyDocument(p.sealed, publicKeyPem)).toEqual({ ok: true, problems: [] });
      const step = events.find((e) => e.seq === row.seq)?.payload.documents as JsonObject[] | undefined;
      const listed = step?.find((d) => d.document === p.documentId);
      expect(listed).toMatchObject({ number: p.number, contentHash: p.contentHash });
      expect((p.sealed as unknown as SealedDocument).document.contentHash).toBe(p.contentHash);
    }
    expect(await engine.verify(caseId)).toEqual({ ok: true, problems: [] });
  });

  it('without an issuer, writes document rows to render later and pins nothing', async () => {
    const { engine, store, submit } = setup();
    const { caseId } = await submit();
    await engine.send(caseId, { type: 'ACCEPT' }, A.acceptor);
    const [row] = (await store.outbox({ caseId })).filter((r) => r.kind === 'document');
    expect(row?.payload).toMatchObject({ documentId: 'acceptance-notice', template: expect.any(String) });
    expect(row?.payload.text).toBeUndefined();
    const accepted = (await store.events(caseId)).at(-1);
    expect(accepted?.payload.documents).toEqual([{ document: 'acceptance-notice', to: 'p-1' }]);
    expect(await engine.verify(caseId)).toEqual({ ok: true, problems: [] });
  });
});
