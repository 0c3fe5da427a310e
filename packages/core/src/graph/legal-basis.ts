import type { JurisdictionConfig } from '../config/types.js';
import { parseBasis } from './citations.js';
import { processSteps } from './steps.js';

/** What kind of config item cites an article. */
export type BasisItemKind =
  | 'state'
  | 'transition'
  | 'deadline'
  | 'extension'
  | 'document'
  | 'rule'
  | 'delivery'
  | 'ground'
  | 'report';

/** One config item and the basis it gives. */
export interface BasisItem {
  kind: BasisItemKind;
  /**
   * Where it is: a state, deadline or document id; `state EVENT` (and `-> target` when it moves
   * the case) for a transition; `ruleSet/ruleId` for a rule; a channel id for delivery.
   */
  ref: string;
  /** For a transition: the state it leaves, its event and the state it leads to. */
  transition?: { state: string; event: string; to?: string };
  /** The item's own name in the config. */
  name?: string;
  /** A deadline's period, e.g. `15 days`, `5 working days`; an extension's limit. */
  period?: string;
  /** The basis as the config writes it. */
  basis: string;
  /** The item of the article, when the basis names one (`(1)`). */
  articleItem?: string;
}

/** Everything that cites one article. */
export interface BasisArticle {
  instrument: string;
  article: number;
  /** `reg-2022 art. 22`. */
  label: string;
  items: BasisItem[];
}

/** The legal-basis map of a config: each article to what implements it. */
export interface LegalBasisMap {
  /** By instrument (in the order the config first cites each), then article number. */
  articles: BasisArticle[];
  /** Items whose basis is practice, not an article. */
  practice: BasisItem[];
  /** Items whose basis names no article this reader understands (shown as written). */
  unparsed: BasisItem[];
  /** States and transitions that give no basis at all. */
  missing: BasisItem[];
}

const KIND_ORDER: BasisItemKind[] = [
  'state',
  'transition',
  'deadline',
  'extension',
  'document',
  'rule',
  'delivery',
  'ground',
  'report',
];

function period(days: number, unit: string | undefined): string {
  return `${days} ${unit === 'working' ? 'working days' : 'days'}`;
}

/** Every item of the config that can carry a basis, with the basis it gives (if any). */
function citingItems(config: JurisdictionConfig): (Omit<BasisItem, 'basis'> & { basis?: string })[] {
  const out: (Omit<BasisItem, 'basis'> & { basis?: string })[] = [];
  for (const [id, s] of Object.entries(config.process.states)) {
    out.push({ kind: 'state', ref: id, name: s.name, basis: s.basis });
  }
  for (const step of processSteps(config)) {
    const ref = step.to ? `${step.state} ${step.event} -> ${step.to}` : `${step.state} ${step.event}`;
    out.push({
      kind: 'transition',
      ref,
      transition: { state: step.state, event: step.event, ...(step.to ? { to: step.to } : {}) },
      name: step.def.name,
      basis: step.def.basis,
    });
  }
  for (const [id, d] of Object.entries(config.deadlines)) {
    out.push({ kind: 'deadline', ref: id, name: d.name, period: period(d.days, d.unit), basis: d.basis });
    const e = d.extension;
    if (e) {
      const limit = `${period(e.maxDays, e.unit ?? d.unit)} each, ${e.times} ${e.times === 1 ? 'time' : 'times'}`;
      out.push({ kind: 'extension', ref: id, name: d.name, period: limit, basis: e.basis });
    }
  }
  for (const [id, d] of Object.entries(config.documents)) {
    out.push({ kind: 'document', ref: id, name: d.name, basis: d.basis });
  }
  for (const [setId, set] of Object.entries(config.ruleSets ?? {})) {
    for (const r of set.rules) {
      // a rule without a basis is not reported missing: routing defaults are often practice
      if (r.basis) out.push({ kind: 'rule', ref: `${setId}/${r.id}`, name: r.name, basis: r.basis });
    }
  }
  for (const [id, c] of Object.entries(config.delivery?.channels ?? {})) {
    if (c.basis) out.push({ kind: 'delivery', ref: id, name: c.name, basis: c.basis });
  }
  // the grounds a supervision record names (Reg. 42-46), and the reports the config owes (Reg. 41)
  for (const [id, g] of Object.entries(config.supervision?.grounds ?? {})) {
    out.push({ kind: 'ground', ref: id, name: g.name, basis: g.basis });
  }
  const annual = config.reporting?.annual;
  if (annual) out.push({ kind: 'report', ref: 'annual', name: annual.name, basis: annual.basis });
  return out;
}

/**
 * Builds the legal-basis map of a config: for each article cited in any `basis`, the states,
 * transitions, deadlines (and extensions), documents, rules, delivery channels, supervision grounds
 * and reports that cite
 * it. A range (`art. 35-36`) counts for each article in it. A pure function of the config.
 */
export function legalBasisMap(config: JurisdictionConfig): LegalBasisMap {
  const articles = new Map<string, BasisArticle>();
  const instruments: string[] = [];
  const map: LegalBasisMap = { articles: [], practice: [], unparsed: [], missing: [] };
  for (const item of citingItems(config)) {
    if (!item.basis) {
      if (item.kind === 'state' || item.kind === 'transition') map.missing.push({ ...item, basis: '' });
      continue;
    }
    const withBasis: BasisItem = { ...item, basis: item.basis };
    const parsed = parseBasis(item.basis);
    if (parsed.practice) {
      map.practice.push(withBasis);
      continue;
    }
    if (parsed.citations.length === 0) {
      map.unparsed.push(withBasis);
      continue;
    }
    const seen = new Set<string>();
    for (const c of parsed.citations) {
      const label = `${c.instrument} art. ${c.article}`;
      if (seen.has(label)) continue;
      seen.add(label);
      if (!instruments.includes(c.instrument)) instruments.push(c.instrument);
      const article = articles.get(label) ?? {
        instrument: c.instrument,
        article: c.article,
        label,
        items: [],
      };
      article.items.push(c.item ? { ...withBasis, articleItem: c.item } : withBasis);
      articles.set(label, article);
    }
  }
  map.articles = [...articles.values()].sort(
    (a, b) => instruments.indexOf(a.instrument) - instruments.indexOf(b.instrument) || a.article - b.article,
  );
  const byKind = (a: BasisItem, b: BasisItem) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind);
  // a stable sort keeps config order within a kind
  for (const a of map.articles) a.items.sort(byKind);
  map.practice.sort(byKind);
  map.unparsed.sort(byKind);
  return map;
}
