import schema from './schema/jurisdiction.schema.json' with { type: 'json' };

/**
 * The published JSON Schema (draft 2020-12) of a jurisdiction config. Editors can point
 * YAML files at it; the loader validates every resolved config against it.
 */
export const jurisdictionSchema: Readonly<Record<string, unknown>> = schema;

/** The schema's `$id`. */
export const JURISDICTION_SCHEMA_ID: string = schema.$id;
