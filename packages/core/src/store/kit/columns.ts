/**
 * The columns a case row persists beside its projection document: declared once, so the stores
 * write the same copies of a projection and answer a `CaseQuery` filter from the same field. The
 * document itself (`projection`) is the truth; the other columns are what queries filter or sort
 * on. A store's schema spells these columns in its own dialect; its tests check that the two
 * agree.
 */

import type { CaseProjection, CaseQuery } from '../types.js';

/**
 * How a column's value is stored: `text`, `integer`, `timestamp` (an instant, compared as one:
 * normalised UTC text in SQLite, `timestamptz` in PostgreSQL) or `json` (a document, stored as
 * the exact text written).
 */
export type ColumnKind = 'text' | 'integer' | 'timestamp' | 'json';

/**
 * A `CaseQuery` field that filters on one projection column: every field but the deadline
 * filter and the paging ones.
 */
export type ColumnFilter = Exclude<keyof CaseQuery, 'dueBefore' | 'after' | 'limit'>;

/** What a column's value may be before it is bound as a parameter. */
export type ColumnValue = string | number | null | CaseProjection;

/** One column of the cases table. */
export interface ProjectionColumn {
  /** The column's name in every SQL store (`responsible_unit`). */
  readonly name: string;
  readonly kind: ColumnKind;
  /** Whether the column may be NULL: a projection field that is optional. */
  readonly nullable: boolean;
  /** The `CaseQuery` field that filters on this column, if any. */
  readonly filter?: ColumnFilter;
  /**
   * A filter on it finds a handful of rows (one petitioner's or one matter's cases), so a SQL
   * store leads with its index rather than with any other.
   */
  readonly selective?: boolean;
  /** The value a projection stores here (`null` for an absent optional field). */
  readonly value: (projection: CaseProjection) => ColumnValue;
}

/** The key of every case row, and the order cases are listed and paged in (byte order). */
export const CASE_ID_COLUMN: ProjectionColumn = {
  name: 'case_id',
  kind: 'text',
  nullable: false,
  value: (p) => p.caseId,
};

/** The projection document itself. */
export const PROJECTION_DOCUMENT_COLUMN: ProjectionColumn = {
  name: 'projection',
  kind: 'json',
  nullable: false,
  value: (p) => p,
};

/**
 * Every column of the cases table, in the order the schemas declare them: the key, the version
 * the compare-and-set of an append reads, the filterable copies, and the document.
 */
export const PROJECTION_COLUMNS: readonly ProjectionColumn[] = [
  CASE_ID_COLUMN,
  { name: 'version', kind: 'integer', nullable: false, value: (p) => p.version },
  {
    name: 'jurisdiction_id',
    kind: 'text',
    nullable: false,
    filter: 'jurisdictionId',
    value: (p) => p.jurisdictionId,
  },
  { name: 'state', kind: 'text', nullable: false, filter: 'state', value: (p) => p.state },
  { name: 'stage', kind: 'text', nullable: false, filter: 'stage', value: (p) => p.stage },
  { name: 'colour', kind: 'text', nullable: false, filter: 'colour', value: (p) => p.colour },
  {
    name: 'responsible_unit',
    kind: 'text',
    nullable: true,
    filter: 'unit',
    value: (p) => p.responsibleUnit ?? null,
  },
  {
    name: 'identity_key',
    kind: 'text',
    nullable: true,
    filter: 'identityKey',
    selective: true,
    value: (p) => p.identityKey ?? null,
  },
  {
    name: 'matter_key',
    kind: 'text',
    nullable: true,
    filter: 'matterKey',
    selective: true,
    value: (p) => p.matterKey ?? null,
  },
  PROJECTION_DOCUMENT_COLUMN,
];

/** The columns a `CaseQuery` field filters on, in declaration order. */
export const FILTER_COLUMNS: readonly (ProjectionColumn & { filter: ColumnFilter })[] =
  PROJECTION_COLUMNS.filter((c): c is ProjectionColumn & { filter: ColumnFilter } => c.filter !== undefined);

/**
 * A projection's values for `PROJECTION_COLUMNS`, in order, ready to bind: a `json` column as the
 * JSON text (a store casts it if its dialect needs), the rest as they are.
 */
export function projectionRow(projection: CaseProjection): (string | number | null)[] {
  return PROJECTION_COLUMNS.map((column) => {
    const value = column.value(projection);
    return column.kind === 'json' ? JSON.stringify(value) : (value as string | number | null);
  });
}
