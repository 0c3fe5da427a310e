/**
 * The periods the Regulations on Petition Work (2022) fix, as the auditor's yardstick. The
 * invariants compare a configured procedure with these figures, never with the national
 * config itself: a mistake in `national.yaml` must be caught too.
 */

export interface StatutoryPeriod {
  days: number;
  unit: 'calendar' | 'working';
  basis: string;
  /** At most this many extensions of at most `maxDays` each. */
  extension?: { maxDays: number; times: number };
  /** A window that is the petitioner's right: shortening it is as unlawful as lengthening a duty. */
  petitioners?: true;
  /** Counted from the petitioner's receipt of the document, not from the step that issued it. */
  fromReceipt?: true;
}

export const STATUTE = {
  /** Registration to transfer, assignment or the body's own decision (Reg. 22). */
  disposal: { days: 15, unit: 'calendar', basis: 'reg-2022 art. 22' },
  /** A body that receives a matter decides on acceptance and tells the petitioner (Reg. 23). */
  acceptance: { days: 15, unit: 'calendar', basis: 'reg-2022 art. 23' },
  /** Handling from acceptance to the written opinion, one extension of up to 30 days (Reg. 34). */
  handling: {
    days: 60,
    unit: 'calendar',
    basis: 'reg-2022 art. 34',
    extension: { maxDays: 30, times: 1 },
  },
  /** A review is requested within 30 days of receiving the opinion (Reg. 35). */
  reviewWindow: {
    days: 30,
    unit: 'calendar',
    basis: 'reg-2022 art. 35',
    petitioners: true,
    fromReceipt: true,
  },
  /** The reviewing body answers within 30 days (Reg. 35). */
  review: { days: 30, unit: 'calendar', basis: 'reg-2022 art. 35' },
  /** A re-examination is requested within 30 days of receiving the review opinion (Reg. 36). */
  reexaminationWindow: {
    days: 30,
    unit: 'calendar',
    basis: 'reg-2022 art. 36',
    petitioners: true,
    fromReceipt: true,
  },
  /** The re-examining body answers within 30 days, hearing time excluded (Reg. 36). */
  reexamination: { days: 30, unit: 'calendar', basis: 'reg-2022 art. 36' },
} as const satisfies Record<string, StatutoryPeriod>;

export type StatutoryPeriodId = keyof typeof STATUTE;

/**
 * Fields of a national-baseline petition that carry no accusation material: how and where it
 * arrived and what kind of matter it is. Every other field of an accusation petition (any field a
 * province adds included) is judged as accusation material (Reg. 30), whatever the config's own
 * `form.accusation` list says.
 */
export const ACCUSATION_SAFE_FIELDS: readonly string[] = [
  'channel',
  'receivedAt',
  'receivingUnit',
  'respondentUnit',
  'kind',
  'route',
  'subject',
  'involvesLitigation',
  'major',
  'group.size',
  'group.representatives',
  'petitioner.kind',
  'petitioner.anonymous',
];

/** The national baseline's fields that make a petition an accusation when filled (Reg. 30). */
export const ACCUSATION_FIELDS: readonly string[] = ['accusation', 'accused'];

/**
 * The classes of matter the Regulations set apart (Reg. 29-31), with the article for each: only
 * `opinion` (Reg. 31 (6)) runs the handling period, the handling opinion and the review ladder.
 */
export const MATTER_CLASS_BASIS: Readonly<Record<string, string>> = {
  suggestion: 'reg-2022 art. 29',
  accusation: 'reg-2022 art. 30',
  litigation: 'reg-2022 art. 31 (1)',
  arbitration: 'reg-2022 art. 31 (2)',
  'party-discipline': 'reg-2022 art. 31 (3)',
  administrative: 'reg-2022 art. 31 (4)',
  'duty-performance': 'reg-2022 art. 31 (5)',
  opinion: 'reg-2022 art. 31 (6)',
};

/**
 * The class of a matter as the auditor reads the petition (Reg. 29-31), never through the
 * config's classification rules, which a config may have written to class everything as a
 * matter for a handling opinion: the kind the registrar recorded; without one, accusation
 * material makes an accusation (Reg. 30); an appeal's recorded route, else a matter in
 * litigation goes to the legal procedure (Reg. 28, 31 (1)); everything else is Reg. 31 (6).
 */
export function statutoryMatterClass(petition: unknown): string {
  const p = (petition ?? {}) as Record<string, unknown>;
  const filled = (v: unknown) => v !== undefined && v !== null && v !== '';
  if (p.kind === 'suggestion' || p.kind === 'accusation') return p.kind;
  if (p.kind === undefined && ACCUSATION_FIELDS.some((f) => filled(p[f]))) return 'accusation';
  if (typeof p.route === 'string' && Object.hasOwn(MATTER_CLASS_BASIS, p.route)) return p.route;
  if (p.route === undefined && p.involvesLitigation === true) return 'litigation';
  return 'opinion';
}

/** Numbers the petitions no earlier matter can share. */
let unique = 0;

/**
 * "The same matter" as the auditor judges it (Reg. 36 ¶3: the same petitioner, against the same
 * body, on the same subject, asking the same thing), from the petition itself and never from the
 * config's own `matterKey` or identity fields. Spacing, punctuation and full-width forms do not
 * make a request new. A petitioner the body cannot identify (anonymous, or with neither an ID
 * number nor a name and a phone) has no earlier matters: each such petition is its own.
 */
export function sameMatterKey(petition: unknown): string {
  const p = (petition ?? {}) as Record<string, unknown>;
  const who = (p.petitioner ?? {}) as Record<string, unknown>;
  const known = who.idNumber !== undefined || (who.name !== undefined && who.phone !== undefined);
  if (who.anonymous === true || !known) return `unidentified:${unique++}`;
  const norm = (v: unknown) =>
    typeof v === 'string'
      ? v
          .normalize('NFKC')
          .toLowerCase()
          .replace(/[\s\p{P}\p{S}]+/gu, '')
      : JSON.stringify(v ?? null);
  const person = who.idNumber !== undefined ? norm(who.idNumber) : `${norm(who.name)}|${norm(who.phone)}`;
  return JSON.stringify([person, norm(p.respondentUnit), norm(p.subject), norm(p.request)]);
}
