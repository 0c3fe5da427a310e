/** JSON Schema validation of petitions and command payloads (ajv, draft 2020-12). */

import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { TransitionDef } from '../config/types.js';
import type { PayloadProblem } from './checks.js';

/** A fresh validator instance: one per compiled config, so schemas compile once per config. */
export function createAjv(): Ajv2020 {
  // strict: false: config authors annotate schemas (description, default) as they like.
  // verbose: errors carry the failing schema, so a refusal can say what was expected.
  const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true });
  addFormats(ajv);
  return ajv;
}

/** The schema a transition's payload must meet: its declared properties and nothing else. */
export function payloadSchema(def: TransitionDef): Record<string, unknown> {
  return {
    type: 'object',
    properties: def.payload?.properties ?? {},
    required: def.payload?.required ?? [],
    additionalProperties: false,
  };
}

/** Ajv's errors as pointer + message, pointing at the offending member itself. */
export function problemsOf(validate: ValidateFunction, value: unknown): PayloadProblem[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => {
    const p = e.params as { missingProperty?: string; additionalProperty?: string };
    const member = p.missingProperty ?? p.additionalProperty;
    const pointer = member === undefined ? e.instancePath : `${e.instancePath}/${member}`;
    const message =
      p.additionalProperty !== undefined
        ? 'is not a field of this form'
        : p.missingProperty !== undefined
          ? 'is required'
          : e.keyword === 'not'
            ? notMessage(e)
            : (e.message ?? 'is invalid');
    return { pointer, message };
  });
}

/**
 * Ajv says only "must NOT be valid" of a `not`: a config author excluding values (Fujian's
 * petition bureaus as transfer targets) writes `not: { enum: [...] }`, so name the values
 * excluded, and the field's description, which says why.
 */
function notMessage(e: ErrorObject): string {
  const excluded = (e.schema as { enum?: unknown[]; const?: unknown } | undefined) ?? {};
  const values = excluded.enum ?? ('const' in excluded ? [excluded.const] : undefined);
  const description = (e.parentSchema as { description?: unknown } | undefined)?.description;
  const what =
    values !== undefined
      ? `must not be ${values.length === 1 ? '' : 'one of '}${values.map((v) => JSON.stringify(v)).join(', ')}`
      : 'is of a kind this field excludes';
  return typeof description === 'string' ? `${what} (${description})` : what;
}
