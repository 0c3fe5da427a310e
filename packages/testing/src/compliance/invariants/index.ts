/** The statutory invariants every run is checked against, in the order `xinfang check` prints them. */

import { deadlinesNotLonger } from './ceiling.js';
import {
  acceptedOnce,
  noReacceptance,
  properParty,
  refusalsChangeNothing,
  soundRecord,
} from './procedure.js';
import { accusationKept, coloursTruthful, documentsRender, endsDocumented } from './records.js';
import type { DynamicInvariant } from './support.js';
import { disposalAndNotice, handlingInTime, reexaminationInTime, reviewInTime } from './timeliness.js';

export type { DynamicInvariant, InvariantContext, Violation } from './support.js';

export const DYNAMIC_INVARIANTS: readonly DynamicInvariant[] = [
  disposalAndNotice,
  acceptedOnce,
  handlingInTime,
  reviewInTime,
  reexaminationInTime,
  noReacceptance,
  accusationKept,
  endsDocumented,
  documentsRender,
  refusalsChangeNothing,
  properParty,
  deadlinesNotLonger,
  coloursTruthful,
  soundRecord,
];
