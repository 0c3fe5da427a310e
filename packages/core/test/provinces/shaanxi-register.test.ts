/**
 * Shaanxi's register (issue 19): 7 sections, 113 fields, each typed and filled from the event
 * that records it. One petition runs through registration, transfer, acceptance, the handling
 * opinion, its receipt and the petitioner's rating on the engine (a manual clock), and the
 * register read off its event log holds the dates, units, document numbers and rating those
 * events recorded; a late acceptance reads as not on time; the board counts the fields filled.
 */

import { describe, expect, it } from 'vitest';
import { REGISTER_FIELD_TYPES } from '../../src/config/types.js';
import type { LoadedConfig } from '../../src/loader/index.js';
import { boardOf, type CaseRegister, registerFields, registerOf } from '../../src/status/index.js';
import type { CaseEvent } from '../../src/store/types.js';
import { loadProvince } from './province.js';
import { provinceEngine } from './province-engine.js';

const loaded = loadProvince('shaanxi') as LoadedConfig;
const config = loaded.value;

const registrar = { id: 'ca-reg-1', role: 'registrar', unit: 'ca-bureau' };
const acceptor = { id: 'ca-acc-1', role: 'acceptor', unit: 'ca-bureau' };
const hrssAcceptor = { id: 'ca-acc-2', role: 'acceptor', unit: 'ca-hrss' };
const hrssHandler = { id: 'ca-han-2', role: 'handler', unit: 'ca-hrss' };
const petitioner = { id: 'sn-p-1', role: 'petitioner' };

const petition = (extra: Record<string, unknown> = {}) => ({
  channel: 'visit',
  receivedAt: '2025-03-03',
  receivingUnit: 'ca-bureau',
  petitioner: { name: '刘建军', phone: '13700000001', address: '西安市长安区韦曲街道' },
  subject: 'labour',
  summary: '所在物业公司拖欠工资三个月',
  request: '支付拖欠工资',
  respondentUnit: 'ca-hrss',
  ...extra,
});

/** The register as `section.field` → value, for the fields the events filled. */
function filled(register: CaseRegister): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of register.sections)
    for (const f of s.fields) if (f.value !== null) out[`${s.section}.${f.id}`] = f.value;
  return out;
}

const entry = (register: CaseRegister, section: string, id: string) =>
  register.sections.find((s) => s.section === section)?.fields.find((f) => f.id === id);

/** The number of the document `id` as the event that issued it recorded it. */
function numberIn(events: readonly CaseEvent[], id: string): unknown {
  for (const e of events) {
    const docs = (e.payload.documents ?? []) as { document: string; number?: string }[];
    const d = docs.find((x) => x.document === id);
    if (d) return d.number;
  }
  return undefined;
}

describe("Shaanxi's register", () => {
  it('has 7 sections and 113 fields, each typed, sourced and marked illustrative', () => {
    const sections = Object.entries(config.form.sections ?? {});
    expect(sections.map(([, s]) => s.name)).toEqual([
      '登记',
      '受理',
      '办理',
      '程序终结',
      '秩序维护',
      '监督追责',
      '质量评价',
    ]);
    const fields = sections.flatMap(([, s]) => registerFields(config, s));
    expect(fields).toHaveLength(113);
    expect(new Set(fields.map((f) => f.id)).size).toBe(113);
    for (const f of fields) {
      expect(REGISTER_FIELD_TYPES, f.id).toContain(f.type);
      expect(Object.keys(f.from), f.id).toHaveLength(
        1 + ('value' in f.from ? 1 : 0) + ('occurrence' in f.from ? 1 : 0),
      );
      expect(f.name, f.id).toMatch(/[\u4e00-\u9fff]/);
      expect(f.illustrative, f.id).toBe(true);
    }
    // what a bureau records: dates, units, document numbers, outcomes, persons, ratings
    const types = new Set(fields.map((f) => f.type));
    for (const t of ['date', 'unit', 'docNumber', 'enum', 'person', 'rating'] as const)
      expect(types).toContain(t);
    // the rating is the petitioner's, from RATE (Reg. 21)
    expect(fields.find((f) => f.id === 'rating')?.from).toEqual({ event: 'RATE', value: 'payload.rating' });
  });

  it('is filled by the events of one petition: registration, acceptance, opinion, rating', async () => {
    const { engine, store, clock } = provinceEngine(loaded, '2025-03-03T09:00:00+08:00');
    const { caseId } = await engine.submit(
      petition({ orderConduct: ['violence-threat'], orderMeasure: 'hand-to-police' }),
      registrar,
      { petitionerId: petitioner.id },
    );
    const empty = registerOf(config, await store.events(caseId));
    expect(filled(empty)).toMatchObject({ 'registration.registeredOn': '2025-03-03' });
    expect(filled(empty)['acceptance.acceptedOn']).toBeUndefined();

    await engine.send(caseId, { type: 'TRANSFER', payload: { unit: 'ca-hrss' } }, acceptor);
    clock.set(new Date('2025-03-05T10:00:00+08:00'));
    await engine.send(caseId, { type: 'ACCEPT' }, hrssAcceptor);
    clock.set(new Date('2025-04-15T10:00:00+08:00'));
    await engine.send(
      caseId,
      {
        type: 'OPINION',
        payload: {
          outcome: 'supported',
          findings: '经查属实，已责令物业公司支付',
          legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
        },
      },
      hrssHandler,
    );
    clock.set(new Date('2025-04-17T10:00:00+08:00'));
    await engine.send(
      caseId,
      { type: 'RECEIPT', payload: { receivedAt: '2025-04-17', method: '直接送达' } },
      hrssHandler,
    );
    clock.set(new Date('2025-04-20T10:00:00+08:00'));
    await engine.send(caseId, { type: 'RATE', payload: { rating: 'basically-satisfied' } }, petitioner);

    const events = await store.events(caseId);
    const register = registerOf(config, events);
    expect(register.caseId).toBe(caseId);
    // the conduct was recorded at registration and nobody handed it to the police: that field is empty
    expect(Object.keys(filled(register))).not.toContain('order.policeHandoverOn');
    expect(filled(register)).toMatchObject({
      'registration.caseId': caseId,
      'registration.registeredOn': '2025-03-03',
      'registration.registeredAt': '2025-03-03T01:00:00.000Z',
      'registration.registeringUnit': 'ca-bureau',
      'registration.registrar': 'ca-reg-1',
      'registration.channel': 'visit',
      'registration.petitionerName': '刘建军',
      'registration.respondentUnit': 'ca-hrss',
      'registration.disposalDue': '2025-03-18',
      'registration.disposalOnTime': true,
      'registration.transferredOn': '2025-03-03',
      'registration.transferredTo': 'ca-hrss',
      'registration.transferNoticeNo': '长信〔2025〕1号',
      'acceptance.acceptedOn': '2025-03-05',
      'acceptance.acceptingUnit': 'ca-hrss',
      'acceptance.acceptor': 'ca-acc-2',
      'acceptance.acceptanceNoticeNo': '长人社〔2025〕1号',
      'acceptance.acceptanceOnTime': true,
      'acceptance.matterKind': 'appeal',
      'acceptance.matterRoute': 'opinion',
      'handling.handlingStart': '2025-03-05',
      // 03-05 + 60 = 05-04, in the May Day holiday (05-01..05-05): the next working day
      'handling.handlingDue': '2025-05-06',
      'handling.extensions': 0,
      'handling.opinionOn': '2025-04-15',
      'handling.handlingUnit': 'ca-hrss',
      'handling.handler': 'ca-han-2',
      'handling.opinionOutcome': 'supported',
      'handling.legalBasis': '信访工作条例',
      'handling.opinionNo': '长人社〔2025〕2号',
      'handling.handlingOnTime': true,
      'handling.opinionReceivedOn': '2025-04-17',
      // 04-17 + 30 = 05-17, a Saturday: the next working day
      'termination.reviewWindowDue': '2025-05-19',
      'order.orderConduct': ['violence-threat'],
      'order.orderMeasure': 'hand-to-police',
      'order.orderRuleMeasure': 'hand-to-police',
      'evaluation.rating': 'basically-satisfied',
      'evaluation.ratedOn': '2025-04-20',
      'evaluation.ratings': 1,
      'evaluation.ratingWindowDue': '2025-05-19',
    });
    // the numbers are the ones the issuing events stored, not recomputed
    expect(entry(register, 'registration', 'transferNoticeNo')?.value).toBe(
      numberIn(events, 'transfer-notice'),
    );
    expect(entry(register, 'handling', 'opinionNo')?.value).toBe(numberIn(events, 'handling-opinion'));
    // in the register's words
    expect(entry(register, 'acceptance', 'acceptingUnit')?.text).toBe('西安市长安区人力资源和社会保障局');
    expect(entry(register, 'handling', 'opinionOutcome')?.text).toBe('支持');
    expect(entry(register, 'evaluation', 'rating')?.text).toBe('基本满意');
    expect(entry(register, 'order', 'orderMeasure')?.text).toBe('移交公安机关依法处置');
    expect(entry(register, 'registration', 'disposalOnTime')?.text).toBe('是');
    expect(entry(register, 'registration', 'channel')?.text).toBe('来访');
    // the instant is kept in UTC and read at the bureau's clock (Asia/Shanghai)
    expect(entry(register, 'registration', 'registeredAt')?.text).toBe('2025-03-03 09:00');
    // nothing was supervised or terminated: those fields stay empty
    const supervision = register.sections.find((s) => s.section === 'supervision');
    expect(supervision?.filled).toBe(0);
    expect(supervision?.total).toBe(15);
    expect(entry(register, 'termination', 'reexaminedOn')?.value).toBeNull();
    expect(register.total).toBe(113);
    expect(register.filled).toBe(register.sections.reduce((n, s) => n + s.filled, 0));
    // a prefix of the log is the register as it stood then: before RATE, no rating
    const before = registerOf(config, events.slice(0, -1));
    expect(entry(before, 'evaluation', 'rating')?.value).toBeNull();
    expect(before.filled).toBe(register.filled - 3);

    // the board counts the fields filled per section over the cases' registers
    const projection = await store.getCase(caseId);
    if (!projection) throw new Error('case not stored');
    const board = boardOf(config, [projection], [register]);
    expect(board.columns.map((c) => [c.section, c.fields])).toEqual(
      register.sections.map((s) => [s.section, { filled: s.filled, total: s.total }]),
    );
    expect(boardOf(config, [projection]).columns[0]?.fields).toBeUndefined();
  });

  it('records a late acceptance as not on time, and the viewer’s redacted log still fills it', async () => {
    const { engine, store, clock } = provinceEngine(loaded, '2025-03-03T09:00:00+08:00');
    const { caseId } = await engine.submit(petition(), registrar, { petitionerId: petitioner.id });
    await engine.send(caseId, { type: 'TRANSFER', payload: { unit: 'ca-hrss' } }, acceptor);
    // the acceptance period (03-03 + 15 = 03-18) passes before the labour bureau accepts
    clock.set(new Date('2025-03-20T09:00:00+08:00'));
    await engine.tick();
    await engine.send(caseId, { type: 'ACCEPT' }, hrssAcceptor);
    const register = registerOf(config, await store.events(caseId));
    expect(filled(register)).toMatchObject({
      'acceptance.acceptedOn': '2025-03-20',
      'acceptance.acceptanceDue': '2025-03-18',
      'acceptance.acceptanceOnTime': false,
    });
    expect(entry(register, 'acceptance', 'acceptanceOnTime')?.text).toBe('否');
    expect(entry(register, 'handling', 'handlingOnTime')?.value).toBeNull();
    const seen = registerOf(config, await engine.history(caseId, hrssHandler));
    expect(entry(seen, 'acceptance', 'acceptedOn')?.value).toBe('2025-03-20');
  });

  it('counts supervision letters, keeps the first date and the latest number, and the extension', async () => {
    const { engine, store, clock } = provinceEngine(loaded, '2025-03-03T09:00:00+08:00');
    const { caseId } = await engine.submit(petition(), registrar, { petitionerId: petitioner.id });
    await engine.send(caseId, { type: 'TRANSFER', payload: { unit: 'ca-hrss' } }, acceptor);
    clock.set(new Date('2025-03-05T10:00:00+08:00'));
    await engine.send(caseId, { type: 'ACCEPT' }, hrssAcceptor);
    // the head of the labour bureau extends the handling period by 30 days (Reg. 34)
    clock.set(new Date('2025-04-28T10:00:00+08:00'));
    const head = { id: 'ca-head-2', role: 'head', unit: 'ca-hrss' };
    await engine.send(
      caseId,
      { type: 'EXTEND', payload: { days: 30, reason: '案情复杂，需补充调查' } },
      head,
    );
    // Xi'an's petition bureau supervises twice (Reg. 40): a letter, its reply, a second
    const supervisor = { id: 'xa-sup-1', role: 'supervisor', unit: 'xa-bureau' };
    clock.set(new Date('2025-05-06T10:00:00+08:00'));
    await engine.send(caseId, { type: 'SUPERVISE', payload: { reason: '办理进度缓慢' } }, supervisor);
    clock.set(new Date('2025-05-08T10:00:00+08:00'));
    await engine.send(caseId, { type: 'SUPERVISION_REPLY', payload: { reply: '已补充调查' } }, head);
    clock.set(new Date('2025-05-20T10:00:00+08:00'));
    await engine.send(caseId, { type: 'SUPERVISE', payload: { reason: '仍未出具处理意见' } }, supervisor);
    const events = await store.events(caseId);
    const letters = events.flatMap((e) =>
      ((e.payload.documents ?? []) as { document: string; number?: string }[])
        .filter((d) => d.document === 'supervision-letter')
        .map((d) => d.number),
    );
    expect(letters).toHaveLength(2);
    const register = registerOf(config, events);
    expect(filled(register)).toMatchObject({
      'handling.extensions': 1,
      // 03-05 + 60 + 30 = 06-03, a Tuesday (the extension adds to the period, not to the
      // working day the holiday moved its end to)
      'handling.handlingDue': '2025-06-03',
      'supervision.supervisedOn': '2025-05-06',
      'supervision.supervisingUnit': 'xa-bureau',
      'supervision.supervisions': 2,
      'supervision.supervisionLetterNo': letters[1],
      'supervision.supervisionRepliedOn': '2025-05-08',
    });
    // the latest letter's reply period runs: whether it is answered in time is not known yet
    expect(entry(register, 'supervision', 'supervisionReplyOnTime')?.value).toBeNull();
    const afterFirstReply = registerOf(config, events.slice(0, -1));
    expect(entry(afterFirstReply, 'supervision', 'supervisionReplyOnTime')?.value).toBe(true);
    expect(entry(afterFirstReply, 'supervision', 'supervisions')?.value).toBe(1);
    expect(entry(register, 'handling', 'handlingOnTime')?.value).toBeNull();
  });
});
