/**
 * The words the metrics read. Procedure steps are recognised by stage (a province names its
 * states as it likes); supervision, rating and reception steps by the national command names,
 * which every province inherits from `national.yaml` (Reg. 21, 38-41). See docs/metrics.md.
 */

import type { ReportField, Stage } from '../config/types.js';

/** Stages before a body has decided on acceptance: periods ending here are acceptance periods. */
export const ACCEPTANCE_STAGES: ReadonlySet<string> = new Set<Stage>([
  'registration',
  'transfer',
  'acceptance',
]);

/** Stages in which the petitioner's request has been decided (an opinion may be reviewed). */
export const OPINION_STAGE: Stage = 'opinion';
export const REVIEW_STAGE: Stage = 'review';
export const REEXAMINATION_STAGES: ReadonlySet<string> = new Set<Stage>(['reexamination', 'hearing']);
export const NOT_ACCEPTED_STAGE: Stage = 'not-accepted';
export const WITHDRAWN_STAGE: Stage = 'withdrawn';

/** National command names of the steps the metrics count (the agreed event vocabulary). */
export const COMMANDS = {
  rate: 'RATE',
  supervise: 'SUPERVISE',
  supervisionReply: 'SUPERVISION_REPLY',
  accountability: 'ACCOUNTABILITY',
  suggest: 'SUGGEST',
  reportAdoption: 'REPORT_ADOPTION',
  bookReception: 'BOOK_RECEPTION',
  receptionHeld: 'RECEPTION_HELD',
  spotCheck: 'SPOT_CHECK',
  recordOutcome: 'RECORD_OUTCOME',
  followUp: 'FOLLOW_UP',
  takeCharge: 'TAKE_CHARGE',
  jointReception: 'JOINT_RECEPTION',
  reportUp: 'REPORT_UP',
  recordConduct: 'RECORD_CONDUCT',
  handToPolice: 'HAND_TO_POLICE',
  jointMeetingMeasure: 'JOINT_MEETING_MEASURE',
} as const;

/**
 * Steps whose periods are a supervised body's written answers (Reg. 40), not procedure periods:
 * they count for the annual report, never for on-time acceptance or completion.
 */
export const SUPERVISION_STEPS: ReadonlySet<string> = new Set<string>([COMMANDS.supervise, COMMANDS.suggest]);

/** The ratings a petitioner gives (Reg. 21); the first two count as satisfied. */
export const RATINGS = ['satisfied', 'basically-satisfied', 'dissatisfied'] as const;
export type Rating = (typeof RATINGS)[number];
export const SATISFIED: ReadonlySet<string> = new Set<Rating>(['satisfied', 'basically-satisfied']);

/** Outcomes of a review or re-examination that overturn the decision below (Reg. 35-36). */
export const OVERTURNING_OUTCOMES: ReadonlySet<string> = new Set(['changed', 'revoked']);

/** The rating window's id when no `RATE` transition names one with `within`. */
export const DEFAULT_RATING_WINDOW = 'ratingWindow';

/**
 * The petition fields reports read, by the national form's names; a config whose form names
 * them otherwise says so in `reporting.fields`.
 */
export const PETITION_FIELDS: Readonly<Record<ReportField, string>> = {
  kind: 'kind',
  subject: 'subject',
  respondent: 'respondentUnit',
  channel: 'channel',
};

/** Names of the three suggestions (Reg. 40). */
export const SUGGESTION_NAMES: Readonly<Record<string, string>> = {
  'improve-work': '改进工作建议',
  'improve-policy': '完善政策建议',
  accountability: '追究责任建议',
};

/** Names of the grounds of accountability a supervision record cites (Reg. 42-46). */
export const GROUND_NAMES: Readonly<Record<string, string>> = {
  'abuse-or-inaction': '滥用职权、不作为（第四十二条）',
  'failure-to-register-transfer-supervise': '未按规定登记、转送、交办、督办（第四十三条）',
  'not-accepted-or-no-notice': '应受理未受理、未按规定告知（第四十四条）',
  delay: '推诿、敷衍、拖延，未在期限内办结（第四十五条）',
  misconduct: '作风粗暴、打击报复、泄露检举控告材料（第四十六条）',
};

/** Names of the joint petition-work meeting's measures (Reg. 39). */
export const MEASURE_NAMES: Readonly<Record<string, string>> = {
  talks: '约谈',
  'public-criticism': '通报',
  'listed-supervision': '挂牌督办',
};

/** Names of the ways a matter was settled ("three in place and one handling", Reg. 27). */
export const RESOLUTION_NAMES: Readonly<Record<string, string>> = {
  solved: '诉求合理的解决问题到位',
  explained: '诉求无理的思想教育到位',
  assisted: '生活困难的帮扶救助到位',
  'dealt-with-by-law': '违法行为依法处理',
};
