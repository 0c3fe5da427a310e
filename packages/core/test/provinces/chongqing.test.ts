/**
 * Chongqing (configs/provinces/chongqing): the config loads, its scenarios pass, it differs
 * from national.yaml in exactly its templates, numbering and units, and every template renders
 * for a real case run through the engine, in Chongqing's own wording and letterhead.
 */

import { describe, expect, it } from 'vitest';
import { unitRegistry } from '../../src/compiler/units.js';
import { type SealedDocument, verifyDocument } from '../../src/documents/index.js';
import type { LoadedConfig } from '../../src/loader/index.js';
import type { ActorRef, JsonObject } from '../../src/store/types.js';
import { configDiff, partition } from './config-diff.js';
import {
  issuedByProcess,
  issuingEngine,
  loadProvince,
  nationalConfig,
  registrySwap,
  runProvinceScenario,
  scenarioFiles,
  withTemplateFiles,
} from './province.js';

const loaded = loadProvince('chongqing');
const chongqing = loaded as LoadedConfig;
const national = nationalConfig();
const files = scenarioFiles('chongqing');

/** People of Chongqing's registry. */
const P = {
  registrar: { id: 'yz-reg-1', role: 'registrar', unit: 'yz-bureau' },
  acceptor: { id: 'yz-acc-1', role: 'acceptor', unit: 'yz-bureau' },
  handler: { id: 'yz-han-1', role: 'handler', unit: 'yz-bureau' },
  disciplineAcceptor: { id: 'yz-acc-8', role: 'acceptor', unit: 'yz-discipline' },
  hrssAcceptor: { id: 'yz-acc-2', role: 'acceptor', unit: 'yz-hrss' },
  hrssHandler: { id: 'yz-han-2', role: 'handler', unit: 'yz-hrss' },
  hrssHead: { id: 'yz-head-2', role: 'head', unit: 'yz-hrss' },
  housingAcceptor: { id: 'yz-acc-3', role: 'acceptor', unit: 'yz-housing' },
  housingHandler: { id: 'yz-han-3', role: 'handler', unit: 'yz-housing' },
  reviewer: { id: 'yz-rev-1', role: 'reviewer', unit: 'yz-gov' },
  reexaminer: { id: 'cq-rex-1', role: 'reexaminer', unit: 'cq-gov' },
  supervisor: { id: 'cq-sup-1', role: 'supervisor', unit: 'cq-bureau' },
  petitioner: { id: 'cq-p-1', role: 'petitioner' },
} satisfies Record<string, ActorRef>;

describe('configs/provinces/chongqing', () => {
  it('loads without an error, and with no warning of its own', () => {
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(loaded.diagnostics.filter((d) => d.file.includes('/provinces/chongqing/'))).toEqual([]);
    expect(chongqing.value.jurisdiction).toMatchObject({ id: 'cn.chongqing', calendar: 'cn-mainland' });
  });

  it('has scenarios', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it.each(files)('scenario %s passes', async (file) => {
    const { result, report } = await runProvinceScenario(chongqing, 'chongqing', file);
    expect(report).toEqual([]);
    expect(result.passed).toBe(true);
  });

  it('differs from national.yaml in exactly the intended places', () => {
    const diff = configDiff(withTemplateFiles(national), withTemplateFiles(chongqing));
    const [units, afterUnits] = partition(diff, '/units');
    const [reception, afterReception] = partition(afterUnits, '/receptionDays');
    const [documents, rest] = partition(afterReception, '/documents');

    const swap = registrySwap(national, chongqing);
    expect(units).toEqual(swap.units);
    expect(reception).toEqual(swap.receptionDays);

    // its own template for every document national has; a variable list changes with its
    // template (the loader checks the two agree); nothing else of a document changes
    const templates = Object.keys(national.value.documents).map((id) => `~ /documents/${id}/template`);
    expect(documents.filter((d) => d.endsWith('/template'))).toEqual(templates.sort());
    // each wording is the project's, marked so (the article gives no text)
    const illustrative = Object.keys(national.value.documents).map((id) => `+ /documents/${id}/illustrative`);
    expect(documents.filter((d) => d.endsWith('/illustrative'))).toEqual(illustrative.sort());
    expect(
      documents.filter(
        (d) => !/^(~ \/documents\/[^/]+\/(template|variables)|\+ \/documents\/[^/]+\/illustrative)$/.test(d),
      ),
    ).toEqual([]);

    // two of its mechanisms, copied by process.common into the states they apply to
    const [mechanisms, others] = partition(rest, '/process/states');
    const commands = (c: LoadedConfig, type: string) =>
      Object.entries(c.value.process.states)
        .filter(([, st]) => st.on?.[type] !== undefined)
        .map(([id]) => id);
    expect(commands(national, 'LIST_PROBLEM')).toEqual([]);
    expect(commands(chongqing, 'LIST_PROBLEM')).toEqual(Object.keys(chongqing.value.process.states));
    const completed = Object.entries(chongqing.value.process.states)
      .filter(([, st]) => ['closed', 'terminated', 'diversion', 'not-accepted'].includes(st.stage))
      .map(([id]) => id);
    expect(commands(chongqing, 'EVALUATE_STANDARD')).toEqual(completed);
    expect(mechanisms).toEqual(
      [
        ...commands(chongqing, 'LIST_PROBLEM').flatMap((st) => [
          `+ /process/states/${st}/on/LIST_PROBLEM`,
          `+ /process/states/${st}/on/CLOSE_LISTED_PROBLEM`,
        ]),
        ...completed.map((st) => `+ /process/states/${st}/on/EVALUATE_STANDARD`),
      ].sort(),
    );

    expect(others).toEqual([
      '~ /jurisdiction/id',
      '~ /jurisdiction/name',
      '~ /jurisdiction/version',
      '~ /numbering/prefix',
    ]);
  });

  it('resolves every template to its own directory', () => {
    for (const [id, path] of Object.entries(chongqing.templates)) {
      expect(path, id).toContain('/configs/provinces/chongqing/templates/');
    }
  });

  it('reviews a district department in the district and re-examines it in the municipality', () => {
    // the ladder the registry gives (Reg. 35-36): see the comment on `units`. A district
    // department sits at its district's level; its own government or its municipal line
    // department reviews, and the body above whichever reviewed re-examines
    const levels = (id: string) => chongqing.value.units[id]?.level;
    expect(['yz-hrss', 'yz-gov', 'cq-gov'].map(levels)).toEqual(['city', 'city', 'provincial']);
    const units = unitRegistry(chongqing.value);
    expect(units.ladder('yz-hrss')).toEqual({ government: 'yz-gov', line: 'cq-hrss' });
    expect(units.ladderBody('yz-hrss')).toBe('yz-gov');
    expect(units.ladder('yz-gov')).toEqual({ government: 'cq-gov' });
    expect(units.ladder('cq-hrss')).toEqual({ government: 'cq-gov' });
  });

  it('renders every document the process issues for real cases, in its own wording', async () => {
    const { engine, clock, rendered, publicKeyPem } = issuingEngine(chongqing, '2026-03-02T09:00:00+08:00');
    // the first of each document type, in the order the cases below issue them
    const all = new Map<string, JsonObject>();
    const keep = async (caseId: string) => {
      for (const [id, p] of await rendered(caseId)) if (!all.has(id)) all.set(id, p);
    };
    const submit = async (over: Record<string, unknown> = {}) =>
      (
        await engine.submit(
          {
            channel: 'letter',
            receivedAt: '2026-03-02',
            receivingUnit: 'yz-bureau',
            petitioner: { name: '刘志强', phone: '13883000001', address: '重庆市渝中区民族路 18 号' },
            subject: 'labour',
            summary: '某餐饮企业拖欠工资三个月',
            request: '支付拖欠工资',
            respondentUnit: 'yz-hrss',
            ...over,
          },
          P.registrar,
          { petitionerId: P.petitioner.id },
        )
      ).caseId;
    const send = (caseId: string, type: string, payload: Record<string, unknown>, actor: ActorRef) =>
      engine.send(caseId, { type, payload }, actor);

    // the ladder: assignment, acceptance, extension, hearing, opinion, completion report,
    // review by the district government, re-examination by the municipal government
    const a = await submit();
    await send(a, 'ASSIGN', { unit: 'yz-hrss', days: 30, reason: '劳动报酬争议属人社部门职责' }, P.acceptor);
    await send(a, 'ACCEPT', {}, P.hrssAcceptor);
    await send(a, 'EXTEND', { days: 20, reason: '需调取用人单位工资台账' }, P.hrssHead);
    clock.advanceDays(5);
    await send(a, 'HOLD_HEARING', { date: '2026-03-12', place: '渝中区人力社保局三楼会议室' }, P.hrssHandler);
    clock.advanceDays(5);
    await send(
      a,
      'OPINION',
      {
        outcome: 'supported',
        findings: '经核实，用人单位确有拖欠工资情形。',
        legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
      },
      P.hrssHandler,
    );
    await send(a, 'REPORT_COMPLETION', {}, P.hrssHandler);
    await send(a, 'RECEIPT', { receivedAt: '2026-03-12', method: 'post' }, P.hrssHandler);
    clock.advanceDays(3);
    await send(a, 'REQUEST_REVIEW', { reason: '对补发数额不服' }, P.petitioner);
    await send(
      a,
      'REVIEW_DECISION',
      {
        outcome: 'changed',
        findings: '补发数额计算有误。',
        legalBasis: [{ law: '信访工作条例', articles: '第三十五条' }],
      },
      P.reviewer,
    );
    await send(a, 'RECEIPT', { receivedAt: '2026-03-15' }, P.reviewer);
    await send(a, 'REQUEST_REEXAMINATION', {}, P.petitioner);
    await send(
      a,
      'REEXAMINATION_DECISION',
      {
        outcome: 'upheld',
        findings: '经调查核实，情况属实。',
        legalBasis: [{ law: '信访工作条例', articles: '第三十六条' }],
      },
      P.reexaminer,
    );
    await keep(a);
    // an objection, then supervision of the office it came back to, with a suggestion
    const b = await submit({ subject: 'housing', respondentUnit: 'yz-housing' });
    await send(b, 'TRANSFER', { unit: 'yz-hrss' }, P.acceptor);
    await send(b, 'OBJECT', { reason: '该事项属房屋质量问题，不属于人力社保部门职责' }, P.hrssAcceptor);
    await send(b, 'SUPERVISE', { reason: '退回后逾期未重新转送' }, P.supervisor);
    await send(b, 'SUGGEST', { kind: 'improve-work', text: '建立退回事项当日重新转送制度。' }, P.supervisor);
    // the office does not agree with the objection and sends the matter back with its reasons
    await send(b, 'REJECT_OBJECTION', { reason: '该房屋为人社部门管理的职工周转房' }, P.acceptor);
    await keep(b);
    // diversion, non-acceptance, no further acceptance
    const c = await submit({ route: 'arbitration' });
    await send(c, 'DIVERT', { route: 'arbitration', body: '渝中区劳动人事争议仲裁委员会' }, P.acceptor);
    await keep(c);
    const d = await submit();
    await send(d, 'NOT_ACCEPT', { reason: 'not-in-remit', goTo: 'cq-housing' }, P.acceptor);
    await keep(d);
    const e = await submit();
    await send(e, 'REFUSE_REPEAT', { reason: 'already-reexamined', priorCase: 'XF-2025-000001' }, P.acceptor);
    await keep(e);
    // an assigned matter settled by mediation, then reported: no handling opinion exists
    const f = await submit({ subject: 'housing', respondentUnit: 'yz-housing', request: '修复墙体裂缝' });
    await send(f, 'ASSIGN', { unit: 'yz-housing', days: 30 }, P.acceptor);
    await send(f, 'ACCEPT', {}, P.housingAcceptor);
    await send(
      f,
      'SETTLE',
      {
        kind: 'mediation',
        terms: '施工单位于2026年4月底前修复墙体。',
        parties: [
          { name: '信访人', side: 'petitioner', consent: true },
          { name: '某施工单位', side: 'other', consent: true },
        ],
      },
      P.housingHandler,
    );
    await send(f, 'REPORT_COMPLETION', {}, P.housingHandler);
    const settledReport = String((await rendered(f)).get('completion-report')?.text);
    await keep(f);
    // a suggestion answered (Reg. 29) and an accusation received by the district discipline
    // commission (Reg. 30): neither is accepted into handling
    const g = await submit({
      kind: 'suggestion',
      summary: '民族路公交站台缺少遮雨棚',
      request: '增设遮雨棚',
    });
    await send(g, 'ANSWER_SUGGESTION', { outcome: 'adopted', text: '已列入本年度站台改造计划。' }, P.handler);
    await keep(g);
    const h = await submit({
      kind: 'accusation',
      request: '依法查处',
      accusation: '检举某科长收受餐饮企业财物',
    });
    await send(h, 'TRANSFER', { unit: 'yz-discipline' }, P.acceptor);
    await send(h, 'RECEIVE_ACCUSATION', {}, P.disciplineAcceptor);
    await keep(h);
    // a group visit with more than five representatives is told to choose five (Reg. 20)
    const k = await submit({
      channel: 'visit',
      group: { size: 12, representatives: 6 },
      request: '清退预付卡余额',
    });
    await send(k, 'GUIDE_REPRESENTATIVES', {}, P.acceptor);
    await keep(k);

    expect([...all.keys()].sort()).toEqual(issuedByProcess(chongqing));
    for (const [id, p] of all) {
      const text = String(p.text);
      const issuer = (p.sealed as unknown as SealedDocument).document.issuedBy.name;
      // the letterhead: body, number, the separator line, then the title
      expect(text.startsWith(`${issuer}\n${String(p.number)}\n━━━━`), id).toBe(true);
      expect(text, id).toContain(`━\n${String(p.name)}\n\n`);
      expect(text, id).toContain(`\n${issuer}（盖章）\n`);
      expect(text, id).not.toMatch(/undefined|null|\[object/);
      expect(await verifyDocument(p.sealed, publicKeyPem), id).toEqual({ ok: true, problems: [] });
      if (chongqing.value.documents[id]?.to === 'petitioner' && id !== 'mediation-agreement') {
        expect(text, id).toContain('一式两份，一份送达信访人，一份存入信访档案。');
      }
    }
    const text = (id: string) => String(all.get(id)?.text);
    expect(all.get('transfer-notice')?.number).toBe('渝中信〔2026〕1号');
    expect(text('acceptance-notice')).toContain('可以凭信访事项编号在重庆市信访信息系统查询办理进度');
    expect(text('acceptance-notice')).toContain('依照《信访工作条例》第二十三条的规定，本机关决定予以受理');
    expect(text('transfer-notice')).toContain('将该信访事项交办重庆市渝中区人力资源和社会保障局依法办理');
    expect(text('extension-notice')).toContain('办理期限延长20日，延长后的办理期限截至');
    expect(text('hearing-notice')).toContain('听证地点：渝中区人力社保局三楼会议室');
    expect(text('handling-opinion')).toContain(
      '，系重庆市渝中区信访办公室转送（交办），于2026年3月2日依法受理',
    );
    // review one level up from a district department: its district government (Reg. 35)
    expect(text('handling-opinion')).toContain(
      '向重庆市渝中区人民政府或者重庆市人力资源和社会保障局提出复查申请',
    );
    expect(text('review-opinion')).toContain('向重庆市人民政府提出复核申请');
    expect(text('reexamination-opinion')).toContain('本复核意见为信访程序的终结意见');
    expect(text('objection-letter')).toMatch(/\n\n重庆市渝中区信访办公室：\n/);
    expect(text('supervision-letter')).toContain('存在以下问题：退回后逾期未重新转送。');
    expect(text('three-suggestions')).toContain('现向你单位提出改进工作建议');
    expect(text('diversion-notice')).toContain(
      '向渝中区劳动人事争议仲裁委员会提出，本机关不再按信访程序办理',
    );
    expect(text('non-acceptance-notice')).toContain('你（单位）可以向重庆市住房和城乡建设委员会提出。');
    expect(text('no-further-acceptance-notice')).toContain('本机关及其他各级机关、单位不再受理');
    expect(text('mediation-agreement')).toContain('达成调解协议如下');
    expect(text('suggestion-reply')).toContain('进行了认真研究论证，予以采纳。已列入本年度站台改造计划。');
    expect(text('suggestion-reply')).toContain('依照《信访工作条例》第二十九条的规定，特此答复');
    expect(text('accusation-receipt-notice')).toContain('检举控告材料不会转给被检举控告的人员或者单位');
    expect(text('representatives-guidance')).toContain('你们共12人以走访形式反映共同的信访事项');
    expect(text('representatives-guidance')).toContain('到场代表6人');
    // the completion report renders after a settlement too, with the agreement as its attachment
    expect(settledReport).toMatch(/^重庆市渝中区住房和城乡建设委员会\n渝中建〔2026〕\d号\n━/);
    expect(settledReport).toContain('\n\n重庆市渝中区信访办公室：\n');
    expect(settledReport).toContain('详见随本报告报送的信访处理意见书或者调解（和解）协议书');
  });
});
