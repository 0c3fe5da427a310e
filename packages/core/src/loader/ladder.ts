/**
 * The review ladder of the unit registry (Reg. 35-36), checked once the config has its shape:
 * every `line` names a department one level up, and every unit that issues handling opinions has
 * a body to review them and, above each such body, one to re-examine the review.
 */

import type { Diagnostic } from '../base/diagnostics.js';
import { unitRegistry } from '../compiler/units.js';
import type { Locale } from '../config/messages.js';
import { type JurisdictionConfig, LEVELS } from '../config/types.js';
import { makeDiagnostic, type Path, type Position } from '../config/yaml-source.js';

type Locate = (path: Path, at: 'key' | 'value') => Position;

function checkLines(config: JurisdictionConfig, locate: Locate, locale: Locale): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [id, u] of Object.entries(config.units ?? {})) {
    if (u.line === undefined) continue;
    const at = locate(['units', id, 'line'], 'value');
    const line = Object.hasOwn(config.units, u.line) ? config.units[u.line] : undefined;
    if (!line) {
      out.push(makeDiagnostic('unknownLine', locale, { unit: id, line: u.line }, at));
      continue;
    }
    const oneUp = LEVELS.indexOf(line.level) === LEVELS.indexOf(u.level) - 1;
    if (oneUp && line.kind !== 'government' && u.kind !== 'government') continue;
    out.push(
      makeDiagnostic(
        'lineNotAbove',
        locale,
        {
          unit: id,
          level: u.level,
          line: u.line,
          lineLevel: line.level,
          lineKind: line.kind,
          government: u.kind === 'government' ? 'yes' : undefined,
        },
        at,
      ),
    );
  }
  return out;
}

/** The diagnostics of the registry's ladder; none when every opinion can be reviewed and re-examined. */
export function checkLadder(config: JurisdictionConfig, locate: Locate, locale: Locale): Diagnostic[] {
  const out = checkLines(config, locate, locale);
  if (out.length > 0) return out;
  const registry = unitRegistry(config);
  for (const [id, u] of Object.entries(config.units ?? {})) {
    if (!registry.issuesOpinions(id)) continue;
    const at = locate(['units', id], 'key');
    const { government, line } = registry.ladder(id);
    if (government === undefined && line === undefined) {
      const level = LEVELS[LEVELS.indexOf(u.level) - (u.kind === 'government' ? 1 : 0)] ?? 'none';
      const wanted = `a government at ${level} level`;
      out.push(makeDiagnostic('noReviewBody', locale, { unit: id, name: u.name, wanted }, at));
      continue;
    }
    for (const reviewer of [government, line]) {
      if (reviewer === undefined) continue;
      const above = registry.ladder(reviewer);
      if (above.government !== undefined || above.line !== undefined) continue;
      const reviewerName = registry.get(reviewer)?.name ?? reviewer;
      out.push(
        makeDiagnostic('noReexaminationBody', locale, { unit: id, name: u.name, reviewer, reviewerName }, at),
      );
    }
  }
  return out;
}
