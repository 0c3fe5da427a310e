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
 * filter, the readers filter (`readableBy`, over the readers table and the petitioner column)
 * and the paging ones.
 */
export type ColumnFilter = Exclude<keyof CaseQuery, 'dueBefore' | 'readableBy' | 'after' | 'limit'>;

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
 * The case's petitioner: `data.petitionerId` when it is a string. No `CaseQuery` field filters on
 * it alone; it is the petitioner side of `readableBy` (the `readable` predicate), and a SQL store
 * indexes it for that.
 */
export const PETITIONER_ID_COLUMN: ProjectionColumn = {
  name: 'petitioner_id',
  kind: 'text',
  nullable: true,
  value: (p) => {
    const id = p.data?.petitionerId;
    return typeof id === 'string' ? id : null;
  },
};

/**
 * Every column of the cases table, in the order the schemas declare them: the key, the version
 * the compare-and-set of an append reads, the filterable copies, the document, and the columns
 * added to tables that already held cases (a column added to a table goes last).
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
  PETITIONER_ID_COLUMN,
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

/** One column of a side table: a name and kind as `ProjectionColumn` spells them. */
export interface SideColumn {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly nullable: boolean;
}

/** A table a SQL store keeps beside the cases table, rewritten with the case row on each append. */
export interface SideTable {
  readonly name: string;
  /** In the order the schemas declare them. */
  readonly columns: readonly SideColumn[];
  /** The primary key's columns, in key order. */
  readonly primaryKey: readonly string[];
}

/**
 * The readers of each case, a row per unit (`caseReaders`), for the `readable` predicate. Keyed
 * by unit first, so "the cases these units read" is a walk of the key's index; an append
 * replaces the case's rows in the transaction that writes its case row.
 */
export const READERS_TABLE: SideTable = {
  name: 'case_readers',
  columns: [
    { name: 'case_id', kind: 'text', nullable: false },
    { name: 'unit', kind: 'text', nullable: false },
  ],
  primaryKey: ['unit', 'case_id'],
};

/**
 * The units whose staff may read `projection`, each once: its `readers`, or, on a projection
 * written before readers existed, its responsible unit and `data.registeringUnit` (the units that
 * handled it then). Every store answers the `readable` predicate from this set, and a SQL store's
 * migration fills its readers table with it.
 */
export function caseReaders(projection: CaseProjection): string[] {
  const units: unknown[] = projection.readers ?? [
    projection.responsibleUnit,
    projection.data?.registeringUnit,
  ];
  return [...new Set(units.filter((u): u is string => typeof u === 'string'))];
}
