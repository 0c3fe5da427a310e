/**
 * "Did you mean ...?" for names: the closest candidate by edit distance, when it is close
 * enough to be a plausible typo rather than a different name.
 *
 * The work is bounded: a name (or candidate) longer than {@link SUGGEST_MAX_LENGTH} gets no
 * suggestion, and at most {@link SUGGEST_MAX_CANDIDATES} candidates are compared. A hostile
 * input (a 1 MB command type, a 200 KB config key) would otherwise cost length x length steps
 * per candidate; no real name is that long, so nothing a typo needs is lost.
 */

/** Names longer than this are never compared (no typo of a real name is this long). */
export const SUGGEST_MAX_LENGTH = 64;
/** At most this many candidates are compared per name. */
export const SUGGEST_MAX_CANDIDATES = 500;

/** Counts the distance computations made, so tests can assert the bound on work. */
export const suggestWork = { comparisons: 0 };

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // three rolling rows are enough for the transposition lookback
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (prev2[j - 2] ?? 0) + 1);
      }
      cur.push(d);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/**
 * The candidate closest to `name`, or undefined when none is close. Case differences count
 * as nothing (`Handling` -> `handling`); otherwise a third of the name's length may differ,
 * or one may begin the other.
 */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  if (typeof name !== 'string' || name.length === 0 || name.length > SUGGEST_MAX_LENGTH) return undefined;
  const pool = boundedCandidates(candidates);
  const lower = name.toLowerCase();
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of pool) {
    if (c === name) continue;
    suggestWork.comparisons++;
    const d = c.toLowerCase() === lower ? 0 : editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (bestDistance <= limit) return best;
  // a name cut short or run on (`city-gov` / `city-goverment`) is no typo by distance, but
  // is plainly meant: take the longest candidate that one of the two begins
  let prefixed: string | undefined;
  for (const c of pool) {
    const l = c.toLowerCase();
    const shorter = Math.min(l.length, lower.length);
    if (
      shorter >= 4 &&
      (l.startsWith(lower) || lower.startsWith(l)) &&
      (!prefixed || c.length > prefixed.length)
    ) {
      prefixed = c;
    }
  }
  return prefixed;
}

/** The candidates worth comparing: strings of a name's length, at most {@link SUGGEST_MAX_CANDIDATES}. */
function boundedCandidates(candidates: Iterable<string>): string[] {
  const out: string[] = [];
  for (const c of candidates) {
    if (typeof c !== 'string' || c.length > SUGGEST_MAX_LENGTH) continue;
    out.push(c);
    if (out.length >= SUGGEST_MAX_CANDIDATES) break;
  }
  return out;
}
