/**
 * Document numbers (文号): the jurisdiction's pattern, the issuing body's prefix, and a
 * sequence per jurisdiction, prefix and year kept in the store, so a number is never issued
 * twice, even across processes. A number taken by a step whose append then fails is skipped,
 * not reused: a gap is visible and harmless, a duplicate is not.
 */

import type { JurisdictionConfig } from '../config/types.js';
import type { CaseStore } from '../store/types.js';

/** The national default, `示县信〔2026〕12号`. */
export const DEFAULT_NUMBER_PATTERN = '{prefix}〔{year}〕{seq}号';

/** Fills a pattern: `{prefix}`, `{year}`, `{seq}` or `{seq:N}` (zero-padded to N digits). */
export function formatDocumentNumber(
  pattern: string,
  parts: { prefix: string; year: string; seq: number },
): string {
  return pattern
    .replaceAll('{prefix}', parts.prefix)
    .replaceAll('{year}', parts.year)
    .replace(/\{seq(?::(\d+))?\}/g, (_, width: string | undefined) =>
      String(parts.seq).padStart(Number(width ?? 0), '0'),
    );
}

/** The prefix of a unit's numbers: its `docPrefix`, else the jurisdiction's `numbering.prefix`. */
export function documentPrefix(config: JurisdictionConfig, unit: string | undefined): string {
  const own = unit === undefined ? undefined : config.units[unit]?.docPrefix;
  return own ?? config.numbering?.prefix ?? '';
}

/** The store sequence a number is drawn from: `doc:<jurisdiction>:<prefix>:<year>`. */
export function numberSequenceName(jurisdictionId: string, prefix: string, year: string): string {
  return `doc:${jurisdictionId}:${prefix}:${year}`;
}

/**
 * Draws the next number for a document issued by `unit` on civil date `date` (`YYYY-MM-DD`, in
 * the jurisdiction's zone).
 */
export async function nextDocumentNumber(
  store: Pick<CaseStore, 'nextSequence'>,
  config: JurisdictionConfig,
  unit: string | undefined,
  date: string,
): Promise<{ number: string; prefix: string; year: string; seq: number }> {
  const prefix = documentPrefix(config, unit);
  const year = date.slice(0, 4);
  const seq = await store.nextSequence(numberSequenceName(config.jurisdiction.id, prefix, year));
  const pattern = config.numbering?.pattern ?? DEFAULT_NUMBER_PATTERN;
  return { number: formatDocumentNumber(pattern, { prefix, year, seq }), prefix, year, seq };
}
