/**
 * The variable contract of document templates: every name a template may use, what it holds,
 * and whether it may be absent. `buildDocumentContext` fills exactly these; `checkTemplates`
 * refuses any other name at config load, so a typo fails with its line before a case ever
 * needs the document.
 *
 * Strictness: a template that uses a variable the issuing step cannot provide fails to render
 * (`TEMPLATE_RENDER`, never a blank). Variables marked `optional` are always present, as
 * `null` when unknown, so `{% if %}` and `| default:` work on them in strict mode.
 */

/** One variable of the contract. */
export interface ContextVariable {
  /** What it holds (Chinese where it is printed). */
  description: string;
  /** Present as `null` when unknown, instead of absent. */
  optional?: boolean;
  /** Provided only when the issuing step carries it (a command payload field, a decision). */
  when?: string;
}

/** Dates are printed `2026年3月5日`; `isoDate` variants are `YYYY-MM-DD`. */
export const DOCUMENT_VARIABLES: Readonly<Record<string, ContextVariable>> = {
  // the issuing body (letterhead, seal) — never an internal department (domain: documents)
  'body.id': { description: 'Unit id of the issuing body' },
  'body.name': { description: '发文机关名称' },
  // the document itself
  'doc.id': { description: 'Document type id (acceptance-notice, ...)' },
  'doc.name': { description: '文书名称（受理告知书……）' },
  'doc.number': { description: '文号，如 示县信〔2026〕12号' },
  'doc.date': { description: '成文日期（2026年3月5日）' },
  'doc.isoDate': { description: 'Issue date, YYYY-MM-DD' },
  'doc.basis': { description: 'The document basis as configured (reg-2022 art. 23)' },
  'doc.basisText': {
    description: '文书依据（《信访工作条例》第二十三条）',
    when: 'the basis cites an article',
  },
  // who receives it
  'recipient.id': { description: 'Recipient id (petitioner account or unit id)' },
  'recipient.name': { description: '受送达人名称（信访人姓名或单位名称）' },
  'recipient.kind': { description: '`petitioner` or `unit`' },
  // the petitioner (never the ID number or phone: documents leave the body)
  'petitioner.name': { description: '信访人姓名或名称（匿名时为“匿名”）' },
  'petitioner.anonymous': { description: 'Whether the petition is anonymous' },
  'petitioner.address': { description: '信访人住址', optional: true },
  // the case
  'case.id': { description: '信访件编号' },
  'case.receivedAt': { description: '收到信访事项的日期' },
  'case.channel': { description: 'Channel code (online, letter, visit, phone, fax)' },
  'case.channelName': { description: '信访形式（网上信访、来信、来访、电话、传真）' },
  'case.subject': { description: 'Subject area code (labour, housing, ...)' },
  'case.summary': { description: '反映的事实与理由' },
  'case.request': { description: '信访诉求' },
  'case.groupSize': {
    description: '集体访人数',
    when: 'the petition records the group size',
    optional: true,
  },
  'case.groupRepresentatives': {
    description: '集体访来访代表人数（Reg. 20：不超过5人）',
    when: 'the petition records a group visit',
  },
  'case.maxRepresentatives': {
    description: '集体访可推选的代表人数上限（Reg. 20：5人；省可规定更少）',
    when: 'the acceptance rules ask a group to choose representatives',
  },
  'case.registeringBody': { description: '登记机关名称' },
  'case.responsibleBody': { description: '当前办理机关名称' },
  'case.transferredAt': {
    description: '转送/交办日期',
    when: 'the case was transferred, assigned or designated',
  },
  'case.transferredBy': { description: '转送/交办机关名称', optional: true },
  'case.acceptedAt': { description: '受理日期', when: 'the case was accepted (its handling period started)' },
  'case.opinionAt': {
    description: '出具处理意见书的日期（调解、和解结案时为空）',
    when: 'a handling opinion was issued',
    optional: true,
  },
  'case.opinionBody': { description: '出具处理意见书的机关名称', when: 'a handling opinion was issued' },
  'case.outcomeText': {
    description: '处理意见结论（调解、和解结案时为空）',
    when: 'a handling opinion was issued',
    optional: true,
  },
  'case.reviewRequestedAt': { description: '申请复查日期', when: 'review was requested' },
  'case.reviewBody': { description: '复查机关名称', when: 'a review opinion was issued' },
  'case.reexaminationRequestedAt': { description: '申请复核日期', when: 're-examination was requested' },
  // the issuing step: the command and what it decided
  'decision.event': { description: 'Event type of the issuing step (ACCEPT, OPINION, ...)' },
  'decision.basisText': {
    description: '该步骤依据（《信访工作条例》第……条）',
    when: 'the transition cites an article',
  },
  'decision.outcome': { description: 'Outcome code', when: 'payload.outcome' },
  'decision.outcomeText': { description: '处理结论（予以支持……）', when: 'payload.outcome' },
  'decision.findings': { description: '调查核实情况', optional: true },
  'decision.legalBasisText': {
    description: '处理意见的法律法规依据（《……》第……条；……）',
    when: 'payload.legalBasis',
    optional: true,
  },
  // null when the issuer has no superior in the registry (a body at the top of it): a template
  // must then say how to ask for review without naming a body (`{% if %}`)
  'decision.reviewBody': {
    description:
      '可以请求复查的机关（出具机关的本级人民政府或者上一级主管部门）名称，以“或者”连接；均无时为空',
    when: 'the issuer has a superior',
    optional: true,
  },
  'decision.reexaminationBody': {
    description:
      '可以请求复核的机关（复查机关的本级人民政府或者上一级主管部门）名称，以“或者”连接；均无时为空',
    when: 'the issuer has a superior',
    optional: true,
  },
  'decision.route': { description: 'Route code (Reg. 31)', when: 'payload.route' },
  'decision.routeName': { description: '法定途径名称', when: 'payload.route' },
  'decision.body': { description: '应当向其提出的机关', optional: true },
  'decision.reason': { description: '理由（原文或代码）', when: 'payload.reason' },
  'decision.reasonText': { description: '不予受理/不再受理的情形', when: 'payload.reason is a known code' },
  'decision.goTo': { description: '应当向其提出的机关', optional: true },
  'decision.unit': { description: 'Unit id the case was passed to', when: 'payload.unit' },
  'decision.unitName': { description: '接收机关名称', when: 'payload.unit' },
  'decision.mode': { description: 'transfer, assign or designate', when: 'payload.unit' },
  'decision.modeName': { description: '转送、交办或指定', when: 'payload.unit' },
  'decision.days': { description: '天数（延长期限、交办期限）', when: 'payload.days' },
  'decision.newDue': { description: '延长后的办理期限届满日', when: 'the step extended a deadline' },
  // an assignment's letter states the deadline the assigning body set (Reg. 22: 交办 "限期办结")
  'decision.setDue': {
    description: '交办机关设定的办理期限届满日',
    when: 'the step started a settable period (an assignment)',
  },
  'decision.date': { description: '日期（听证日期）', when: 'payload.date' },
  'decision.place': { description: '地点', optional: true },
  'decision.lastDate': { description: '听证末日（多日听证；一日听证时为空）', optional: true },
  'decision.partiesText': {
    description: '协议各方当事人及其同意（调解、和解，Reg. 33）',
    when: 'payload.parties',
    optional: true,
  },
  'decision.kind': { description: 'Agreement or suggestion kind code', when: 'payload.kind' },
  'decision.kindName': {
    description: '调解/和解；改进工作建议/完善政策建议/追究责任建议',
    when: 'payload.kind',
  },
  'decision.terms': { description: '协议内容', when: 'payload.terms' },
  'decision.suggestion': { description: '建议内容', when: 'payload.suggestion' },
  'decision.text': { description: '正文（三项建议的内容……）', when: 'payload.text' },
  'decision.replyBy': {
    description: '书面答复期限（督办答复、建议采纳情况反馈）',
    when: 'payload.replyBy, or a deadline the step started (its due date)',
  },
};

/** Top-level names of the contract (`body`, `doc`, ...). */
export const DOCUMENT_ROOTS: readonly string[] = [
  ...new Set(Object.keys(DOCUMENT_VARIABLES).map((k) => k.split('.')[0] as string)),
];

/**
 * Whether a path a template uses is provided: a variable of the contract, or an object of it
 * (`{% if decision %}`).
 */
export function isContractPath(path: string): boolean {
  if (Object.hasOwn(DOCUMENT_VARIABLES, path)) return true;
  return Object.keys(DOCUMENT_VARIABLES).some((k) => k.startsWith(`${path}.`));
}
