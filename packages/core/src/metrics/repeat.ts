/**
 * Repeat petitions: a case whose petitioner and matter (the normalised identity key and matter
 * key the engine stores, see `rules/keys.ts`) match a case registered before it.
 */

/** What telling a repeat needs of a case (a projection has these). */
export interface RepeatEntry {
  caseId: string;
  createdAt: string;
  identityKey?: string;
  matterKey?: string;
}

/** Answers "is this case a repeat?" over a set of cases. */
export interface RepeatIndex {
  /** True when an earlier case has the same keys; null when the case lacks either key. */
  isRepeat(entry: RepeatEntry): boolean | null;
}

const before = (a: RepeatEntry, b: RepeatEntry) =>
  a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.caseId < b.caseId);

const keyOf = (e: RepeatEntry) =>
  e.identityKey && e.matterKey ? `${e.identityKey}\u0000${e.matterKey}` : undefined;

/**
 * Indexes the first case of each petitioner and matter. Give every case registered by the
 * report's instant (not only those reported on): a repeat of a case from before the reporting
 * period is still a repeat.
 */
export function repeatIndex(entries: Iterable<RepeatEntry>): RepeatIndex {
  const first = new Map<string, RepeatEntry>();
  for (const e of entries) {
    const key = keyOf(e);
    if (key === undefined) continue;
    const seen = first.get(key);
    if (!seen || before(e, seen)) first.set(key, { caseId: e.caseId, createdAt: e.createdAt });
  }
  return {
    isRepeat(entry) {
      const key = keyOf(entry);
      if (key === undefined) return null;
      const earliest = first.get(key);
      return earliest !== undefined && before(earliest, entry);
    },
  };
}
