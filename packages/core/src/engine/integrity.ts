/**
 * What the engine does when the store holds something its keyed log does not vouch for: the
 * refusals (each a coded error, thrown before anything is written) and the alarm an embedder
 * observes (`EngineOptions.onIntegrityAlarm`). A refusal alone would be seen only by whoever
 * made the call (often the clock's `tick`, which nobody watches); the alarm goes to the people
 * who must look at the database.
 */

import { XinfangError } from '../base/errors.js';

/** One finding of an integrity check (a `VerifyProblem`, or a query's dropped case). */
export interface IntegrityFinding {
  code: string;
  message: string;
  seq?: number;
}

/**
 * An integrity alarm: where it was raised (`tick` refused to fire a case's deadlines, `query`
 * dropped a case the store returned but its keyed document does not match, `read` refused a
 * case whose stored projection does not match its MAC (any command or read of it), `config`
 * refused a stored config that no longer hashes to its name, `verify` a case `verifyAll` found
 * wrong), the case or config, and what was found.
 */
export interface IntegrityAlarm {
  source: 'tick' | 'query' | 'read' | 'config' | 'verify';
  caseId?: string;
  configHash?: string;
  /** The engine clock's instant when it was raised. */
  at: string;
  problems: IntegrityFinding[];
}

/** A case's stored rows, columns or log differ from what its keyed events derive. */
export class IntegrityError extends XinfangError<'INTEGRITY_VIOLATION'> {
  static override readonly brand: string = 'IntegrityError';

  constructor(caseId: string, problems: IntegrityFinding[]) {
    super(
      'INTEGRITY_VIOLATION',
      `case ${caseId} is not what its log vouches for (${problems.map((p) => p.code).join(', ')}); nothing was recorded. ` +
        'Run engine.verify on it and restore the store from a backup checked against your last checkpoint',
      { caseId, problems: problems.map(({ code, message }) => ({ code, message })) },
    );
  }
}

/** A stored config whose text no longer hashes to the hash its cases pinned. */
export class StoredConfigTamperedError extends XinfangError<'STORED_CONFIG_TAMPERED'> {
  static override readonly brand: string = 'StoredConfigTamperedError';

  constructor(hash: string, actual: string, caseId?: string) {
    super(
      'STORED_CONFIG_TAMPERED',
      `the stored config ${hash.slice(0, 12)}… now hashes to ${actual.slice(0, 12)}…: it was edited in the database, ` +
        'so no command on the cases pinned to it is taken. Load that config version into the engine from its YAML, ' +
        'or restore the configs table from a backup',
      { hash, actual, ...(caseId ? { caseId } : {}) },
    );
  }
}

/** `tick(now)` with an instant after the engine clock's now. */
export class TickAfterNowError extends XinfangError<'TICK_AFTER_NOW'> {
  static override readonly brand: string = 'TickAfterNowError';

  constructor(now: string, clock: string) {
    super(
      'TICK_AFTER_NOW',
      `tick(${now}) is after the engine clock's now (${clock}): deadlines fire only when they are due; ` +
        'call tick() without an instant, or move the clock you gave createEngine',
      { now, clock },
    );
  }
}

/** Tells the embedder's alarm hook; its failure must not turn a refusal into another error. */
export function raiseAlarm(hook: ((alarm: IntegrityAlarm) => void) | undefined, alarm: IntegrityAlarm): void {
  if (!hook) return;
  try {
    hook(alarm);
  } catch {
    // the refusal stands whatever the hook does
  }
}
