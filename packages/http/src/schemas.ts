/**
 * The route schemas, made from the config's own JSON Schemas (the registration form, each
 * command's payload) so `/openapi.json` describes exactly what the engine checks. The service
 * validates only the envelope (`x-envelope` below); the engine judges the rest and answers with
 * its coded errors.
 */

import type { JurisdictionConfig } from '@xinfang/core';

type Schema = Record<string, unknown>;

/** A schema without the keys that belong to a standalone document (`$schema`, `$id`). */
function embedded(schema: Schema): Schema {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

/** `#/$defs/x` of the form as the OpenAPI component `Petition.x`. */
const DEFS = /^#\/\$defs\/(.+)$/;

/** `value` with the form's local references pointed at the document's components. */
function rebased(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rebased);
  if (value === null || typeof value !== 'object') return value;
  const out: Schema = {};
  for (const [k, v] of Object.entries(value)) {
    const m = k === '$ref' && typeof v === 'string' ? DEFS.exec(v) : null;
    out[k] = m ? `#/components/schemas/Petition.${m[1]}` : rebased(v);
  }
  return out;
}

/** The form's `$defs` as OpenAPI components (`Petition.<name>`). */
export function petitionComponents(config: JurisdictionConfig): Record<string, unknown> {
  const defs = (config.form.schema.$defs ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(defs).map(([name, def]) => [`Petition.${name}`, rebased(def)]));
}

/** The body of `POST /petitions`: the registration form, as the config defines it. */
export function petitionSchema(config: JurisdictionConfig): Schema {
  const { $defs: _, ...form } = embedded(config.form.schema);
  return { ...(rebased(form) as Schema), 'x-envelope': { type: 'object' } };
}

/** Every command of the config with its payload schema (the first alternative that has one). */
export function commandPayloads(config: JurisdictionConfig): Map<string, Schema | undefined> {
  const out = new Map<string, Schema | undefined>();
  for (const state of Object.values(config.process.states)) {
    for (const [type, on] of Object.entries(state.on ?? {})) {
      for (const t of Array.isArray(on) ? on : [on]) {
        if (!out.has(type) || (out.get(type) === undefined && t.payload)) {
          out.set(
            type,
            t.payload
              ? { type: 'object', properties: t.payload.properties, required: t.payload.required ?? [] }
              : undefined,
          );
        }
      }
    }
  }
  return out;
}

/** The body of `POST /cases/:id/commands`: one of the config's commands with its payload. */
export function commandSchema(config: JurisdictionConfig): Schema {
  const alternatives = [...commandPayloads(config)].sort(([a], [b]) => a.localeCompare(b));
  return {
    type: 'object',
    oneOf: alternatives.map(([type, payload]) => ({
      title: type,
      type: 'object',
      properties: { type: { const: type }, payload: payload ?? { type: 'object' } },
      required: payload && (payload.required as string[]).length > 0 ? ['type', 'payload'] : ['type'],
    })),
    'x-envelope': {
      type: 'object',
      properties: { type: { type: 'string', minLength: 1 }, payload: { type: 'object' } },
      required: ['type'],
    },
  };
}

export const caseParams: Schema = {
  type: 'object',
  properties: { id: { type: 'string', minLength: 1, maxLength: 200 } },
  required: ['id'],
};

const oneOrMany: Schema = {
  anyOf: [
    { type: 'string', maxLength: 200 },
    { type: 'array', items: { type: 'string', maxLength: 200 }, maxItems: 20 },
  ],
};

const boardFilterProps: Schema = {
  stage: oneOrMany,
  state: oneOrMany,
  colour: oneOrMany,
  unit: { type: 'string', maxLength: 200 },
};

/** The board's filters (counts read every page). */
export const boardCountsQuery: Schema = {
  type: 'object',
  properties: boardFilterProps,
  additionalProperties: false,
};

/** The board's filters and its cursor. */
export const boardQuery: Schema = {
  type: 'object',
  properties: {
    ...boardFilterProps,
    after: { type: 'string', maxLength: 200, description: 'the `next` of the previous page' },
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
  },
  additionalProperties: false,
};

export const verifyQuery: Schema = {
  type: 'object',
  properties: { verify: { type: 'boolean', default: false } },
  additionalProperties: false,
};
