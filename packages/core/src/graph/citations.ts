/**
 * Reading a `basis` as the articles it cites. Configs write `reg-2022 art. 34`, lists
 * (`art. 22, 30`), ranges (`art. 32-34`) and items (`art. 31 (1)`); a basis that starts with
 * `practice` rests on practice rather than on an article (withdrawal, deemed receipt), even
 * when its explanation mentions one.
 */

/** One article a basis cites. */
export interface Citation {
  /** The instrument, as the config names it (`reg-2022`, `civil-code`). */
  instrument: string;
  article: number;
  /** An item of the article (`(1)`), when the basis names one. */
  item?: string;
}

/** What a basis says it rests on. */
export interface ParsedBasis {
  citations: Citation[];
  /** The basis is practice, not an article. */
  practice: boolean;
}

/** A range longer than this is taken as a typo, not as that many articles. */
const MAX_RANGE = 20;

const ONE = String.raw`\d+(?:\s*[-–]\s*\d+)?(?:\s*\(\d+\))?`;
const CITATION = new RegExp(
  String.raw`(?:([a-z][a-z0-9-]*)\s+)?arts?\.\s*(${ONE}(?:\s*(?:,|and)\s*${ONE})*)`,
  'gi',
);

/** Words that may stand before `art.` without naming an instrument (`art. 22 and art. 23`). */
const LINKING_WORDS = new Set(['and', 'or', 'see', 'also', 'cf', 'of', 'in', 'under', 'per']);

/** The articles a basis cites, in the order it cites them; nothing for practice. */
export function parseBasis(basis: string): ParsedBasis {
  const text = basis.trim();
  if (/^practice\b/i.test(text)) return { citations: [], practice: true };
  const citations: Citation[] = [];
  let instrument: string | undefined;
  for (const m of text.matchAll(CITATION)) {
    if (m[1] && !LINKING_WORDS.has(m[1].toLowerCase())) instrument = m[1];
    if (!instrument) continue;
    for (const part of m[2]!.split(/\s*(?:,|and)\s*/)) {
      const p = /^(\d+)(?:\s*[-–]\s*(\d+))?(?:\s*(\(\d+\)))?$/.exec(part.trim());
      if (!p) continue;
      const from = Number(p[1]);
      const to = p[2] ? Number(p[2]) : from;
      const item = p[3];
      if (to < from || to - from > MAX_RANGE) {
        citations.push({ instrument, article: from, ...(item ? { item } : {}) });
        continue;
      }
      for (let a = from; a <= to; a++) citations.push({ instrument, article: a, ...(item ? { item } : {}) });
    }
  }
  return { citations, practice: false };
}
