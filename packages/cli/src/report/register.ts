/** A case's register as a terminal table per section, and as CSV (one row per field). */

import type { CaseRegister } from '@xinfang/core';
import { csv, table } from './text.js';

/** Each section under its name and count filled, its fields with their values (empty: `-`). */
export function formatRegister(r: CaseRegister, illustrative: boolean): string {
  const out = [`register of ${r.caseId}: ${r.filled} of ${r.total} fields filled`];
  if (illustrative) {
    out.push(
      "(fields marked * are the config's illustration of what a bureau records, not an official form)",
    );
  }
  for (const s of r.sections) {
    out.push('', `${s.name} (${s.section}): ${s.filled}/${s.total}`);
    const rows = s.fields.map((f) => [`${f.illustrative ? '*' : ''}${f.name}`, f.id, f.type, f.text || '-']);
    out.push(table(['field', 'id', 'type', 'value'], rows, 4));
  }
  return out.join('\n');
}

/** One row per field: section, field id, label, type, value as recorded and in words. */
export function registerCsv(r: CaseRegister): string {
  const rows = r.sections.flatMap((s) =>
    s.fields.map((f) => [
      s.section,
      f.id,
      f.name,
      f.type,
      f.value === null ? null : typeof f.value === 'object' ? JSON.stringify(f.value) : String(f.value),
      f.text,
    ]),
  );
  return csv(['section', 'field', 'name', 'type', 'value', 'text'], rows);
}
