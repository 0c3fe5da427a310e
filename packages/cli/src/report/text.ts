/** Plain-text tables for a terminal (Chinese characters take two columns) and CSV cells. */

import type { Ratio } from '@xinfang/core/reporting';

// East Asian wide and fullwidth ranges: CJK, Hangul, fullwidth forms and punctuation
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

/** Columns a string takes in a terminal. */
export function displayWidth(text: string): number {
  let n = 0;
  for (const ch of text) n += WIDE.test(ch) ? 2 : 1;
  return n;
}

const pad = (text: string, width: number, right: boolean) => {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return right ? fill + text : text + fill;
};

/**
 * Lays out rows under a header, each column as wide as its widest cell; the first `left`
 * columns are left-aligned (names), the rest right-aligned (numbers).
 */
export function table(header: string[], rows: string[][], left = 1): string {
  const widths = header.map((h, i) =>
    Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => pad(c, widths[i] ?? 0, i >= left))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** A rate as a percentage with one decimal, `n/a` when there is nothing to count it of. */
export function percent(r: Ratio | number | null): string {
  const rate = typeof r === 'number' || r === null ? r : r.rate;
  return rate === null ? 'n/a' : `${(100 * rate).toFixed(1)}%`;
}

/** A CSV cell (RFC 4180): quoted when it holds a comma, quote or line break; null is empty. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** CSV text of a header and rows, lines ended by CRLF as RFC 4180 has it. */
export function csv(header: string[], rows: (string | number | boolean | null | undefined)[][]): string {
  return `${[header.map(csvCell), ...rows.map((r) => r.map(csvCell))].map((r) => r.join(',')).join('\r\n')}\r\n`;
}
