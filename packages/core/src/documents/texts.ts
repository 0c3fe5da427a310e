/**
 * The Chinese texts documents derive from codes: channel names, routes, outcomes, reasons.
 * Kept in one table so a province reads (and an embedder overrides, through the issuer's
 * `texts` option) every wording a notice can carry without reading templates or code paths.
 */

/** Tables of derived texts, by the code stored in the case or the command payload. */
export interface DocumentTexts {
  /** 信访形式 by the petition's `channel` (Reg. 17). */
  channel: Record<string, string>;
  /** 法定途径 by the diversion `route` (Reg. 31). */
  route: Record<string, string>;
  /** Decision outcome by the decision kind (`opinion`, `review`, `reexamination`), then outcome. */
  outcome: Record<string, Record<string, string>>;
  /** Why a matter is not (or no longer) accepted, by the refusal `reason` code (Reg. 23, 36). */
  reason: Record<string, string>;
  /** How a matter was passed on, by `assignedBy.mode` (Reg. 22, 24). */
  mode: Record<string, string>;
  /** Agreement and suggestion kinds (Reg. 33, 40). */
  kind: Record<string, string>;
  /** The sides of an agreement (Reg. 33). */
  side: Record<string, string>;
  /** The Regulations' title, by the code a `basis` starts with. */
  law: Record<string, string>;
}

/** The national wording. */
export const DOCUMENT_TEXTS: DocumentTexts = {
  channel: {
    online: '网上信访',
    letter: '来信',
    visit: '来访',
    phone: '电话',
    fax: '传真',
  },
  route: {
    litigation: '诉讼、行政复议、检察机关立案或者法律监督、公安机关法律程序',
    arbitration: '仲裁程序',
    'party-discipline': '党员申诉、申请复审等程序',
    administrative: '行政复议、行政裁决、行政确认、行政许可、行政处罚等行政程序',
    'duty-performance': '有关机关依法履行法定职责的程序',
  },
  outcome: {
    opinion: {
      supported: '诉求合理，予以支持',
      explained: '诉求合理但缺乏法律依据，作出解释说明',
      'not-supported': '诉求缺乏事实根据或者不符合法律、法规、规章或者其他有关规定，不予支持',
    },
    review: {
      upheld: '维持原处理意见',
      changed: '变更原处理意见',
      revoked: '撤销原处理意见',
    },
    // the answer to a suggestion (Reg. 29: "采纳或者部分采纳，并予以回复")
    suggestionReply: {
      adopted: '予以采纳',
      'partly-adopted': '部分采纳',
      'not-adopted': '经研究论证，暂不采纳',
    },
    reexamination: {
      upheld: '维持复查意见',
      changed: '变更复查意见',
      revoked: '撤销复查意见',
    },
  },
  reason: {
    'not-in-remit': '该事项不属于本机关职权范围。',
    'congress-court-procuratorate': '该事项应当由各级人民代表大会及其常务委员会、人民法院、人民检察院处理。',
    'legal-procedure': '该诉求应当依照法律、行政法规规定的程序提出。',
    'business-procedure': '该事项属于本机关依照业务程序办理的事项。',
    'lower-body-within-time-limit': '该事项已由有关机关受理或者正在办理，且仍在规定的办理期限内。',
    'already-reexamined': '该信访事项已经复核终结。',
    'no-review-requested': '你未在规定期限内请求复查（复核），原处理（复查）意见已经生效。',
  },
  mode: {
    transfer: '转送',
    assign: '交办',
    designate: '指定',
  },
  kind: {
    mediation: '调解',
    settlement: '和解',
    'improve-work': '改进工作建议',
    'improve-policy': '完善政策建议',
    accountability: '追究责任建议',
  },
  side: {
    petitioner: '信访人',
    other: '对方当事人',
  },
  law: {
    'reg-2022': '信访工作条例',
  },
};

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1..999 in Chinese numerals, as articles are cited (第三十五条, 第一百零一条). */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 999) return String(n);
  if (n < 10) return DIGITS[n] as string;
  const h = Math.floor(n / 100);
  const t = Math.floor((n % 100) / 10);
  const u = n % 10;
  let s = h > 0 ? `${DIGITS[h]}百` : '';
  if (t > 0) s += `${h === 0 && t === 1 ? '' : DIGITS[t]}十`;
  else if (h > 0 && u > 0) s += '零';
  if (u > 0) s += DIGITS[u];
  return s;
}

/**
 * A config basis as documents cite it: `reg-2022 art. 35-36` -> 《信访工作条例》第三十五条至第三十六条;
 * `reg-2022 art. 31, 36` -> 《信访工作条例》第三十一条、第三十六条. A basis it does not recognise (practice
 * notes) is returned undefined: a document must not print an invented citation.
 */
export function basisText(
  basis: string | undefined,
  texts: DocumentTexts = DOCUMENT_TEXTS,
): string | undefined {
  const m = /^\s*([\w-]+)\s+art\.\s*([\d\s,\-–]+?)(?:\s*\(([^)]*)\))?\s*$/.exec(basis ?? '');
  if (!m) return undefined;
  const law = texts.law[m[1] as string];
  if (!law) return undefined;
  const parts = (m[2] as string)
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const [a, b] = p.split(/[-–]/).map((x) => Number(x.trim()));
      if (a === undefined || Number.isNaN(a)) return undefined;
      return b === undefined || Number.isNaN(b)
        ? `第${chineseNumber(a)}条`
        : `第${chineseNumber(a)}条至第${chineseNumber(b)}条`;
    });
  if (parts.length === 0 || parts.some((p) => p === undefined)) return undefined;
  const item = m[3] ? `第（${chineseNumber(Number(m[3]))}）项` : '';
  return `《${law}》${parts.join('、')}${item}`;
}

/** A civil date `2026-03-05` as documents print it: 2026年3月5日 (GB/T 9704: Arabic numerals). */
export function chineseDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}
