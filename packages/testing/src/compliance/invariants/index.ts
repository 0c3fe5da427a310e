/** The statutory invariants every run is checked against, in the order `xinfang check` prints them. */

import { deadlinesNotLonger, windowsNotShortened } from './ceiling.js';
import { reviewBodyLawful } from './ladder.js';
import { handlingOnlyForOpinionMatters } from './matters.js';
import { periodRunsOnce } from './periods.js';
import {
  acceptedOnce,
  noReacceptance,
  properParty,
  refusalsChangeNothing,
  soundRecord,
} from './procedure.js';
import { accusationKept, coloursTruthful, documentsRender, endsDocumented } from './records.js';
import type { DynamicInvariant } from './support.js';
import {
  disposalAndNotice,
  handlingInTime,
  periodsFromReceipt,
  reexaminationInTime,
  reviewInTime,
} from './timeliness.js';

export type { DynamicInvariant, InvariantContext, Violation } from './support.js';

export const DYNAMIC_INVARIANTS: readonly DynamicInvariant[] = [
  disposalAndNotice,
  periodsFromReceipt,
  acceptedOnce,
  handlingOnlyForOpinionMatters,
  handlingInTime,
  periodRunsOnce,
  reviewInTime,
  reexaminationInTime,
  noReacceptance,
  accusationKept,
  endsDocumented,
  documentsRender,
  refusalsChangeNothing,
  properParty,
  reviewBodyLawful,
  deadlinesNotLonger,
  windowsNotShortened,
  coloursTruthful,
  soundRecord,
];
