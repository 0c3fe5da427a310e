/**
 * Reading a sealed-document file (`xinfang doc verify`) so that what is verified is all there is:
 * strict JSON (a repeated key is refused: `JSON.parse` would keep the last `"text"` while a viewer
 * shows the first) and exactly the shape `sealDocument` writes (a field outside it is not
 * covered by the signature, so a file carrying one is refused rather than shown as if sealed).
 */

import { parseStrictJson, StrictJsonError } from '../base/strict-json.js';
import { DocumentFileError } from './errors.js';
import type { SealedDocument } from './sealed.js';

/** A field of the shape: its type, and for an object its own fields. */
type Field = 'string' | 'integer' | { fields: Shape; optional?: boolean };
type Shape = Record<string, Field>;

const SEAL: Shape = { algorithm: 'string', keyId: 'string', canonicalization: 'string', signature: 'string' };
const DOCUMENT: Shape = {
  caseId: 'string',
  documentId: 'string',
  name: 'string',
  number: 'string',
  issuedBy: { fields: { unit: 'string', name: 'string' } },
  date: 'string',
  issuedAt: 'string',
  basis: 'string',
  recipient: { fields: { id: 'string', name: 'string', kind: 'string' } },
  event: { fields: { type: 'string', seq: 'integer' }, optional: true },
  text: 'string',
  contentHash: 'string',
};
const SEALED: Shape = { format: 'string', document: { fields: DOCUMENT }, seal: { fields: SEAL } };

function shapeError(
  pointer: string,
  problem: 'unknown-field' | 'missing-field' | 'wrong-type',
  what: string,
) {
  return new DocumentFileError(
    'DOCUMENT_SHAPE_INVALID',
    `${pointer || '/'} ${what}: a sealed document has exactly the fields sealDocument writes`,
    { pointer, problem },
  );
}

/** Checks `value` against `shape` exactly, breadth first, without recursion. */
function checkShape(value: unknown): void {
  const queue: { value: unknown; shape: Shape; pointer: string }[] = [{ value, shape: SEALED, pointer: '' }];
  for (let item = queue.shift(); item; item = queue.shift()) {
    const { shape, pointer } = item;
    if (typeof item.value !== 'object' || item.value === null || Array.isArray(item.value)) {
      throw shapeError(pointer, 'wrong-type', 'must be an object');
    }
    const v = item.value as Record<string, unknown>;
    for (const key of Object.keys(v)) {
      if (!Object.hasOwn(shape, key))
        throw shapeError(
          `${pointer}/${key.slice(0, 64)}`,
          'unknown-field',
          'is not a field of a sealed document',
        );
    }
    for (const [key, field] of Object.entries(shape)) {
      const at = `${pointer}/${key}`;
      const optional = typeof field === 'object' && field.optional === true;
      if (!Object.hasOwn(v, key)) {
        if (optional) continue;
        throw shapeError(at, 'missing-field', 'is missing');
      }
      const x = v[key];
      if (typeof field === 'object' && 'fields' in field)
        queue.push({ value: x, shape: field.fields, pointer: at });
      else if (field === 'integer' ? !Number.isSafeInteger(x) : typeof x !== 'string') {
        throw shapeError(at, 'wrong-type', `must be ${field === 'integer' ? 'a whole number' : 'a string'}`);
      }
    }
  }
}

/**
 * Parses a sealed-document file: strict JSON of exactly the sealed shape, or a `DocumentFileError`
 * (`DOCUMENT_JSON_INVALID`, `DOCUMENT_SHAPE_INVALID`). The seal itself is checked by
 * `verifyDocument` afterwards.
 */
export function parseSealedDocument(text: string): SealedDocument {
  let value: unknown;
  try {
    value = parseStrictJson(text, 16);
  } catch (e) {
    if (!(e instanceof StrictJsonError)) throw e;
    throw new DocumentFileError('DOCUMENT_JSON_INVALID', `not a sealed document: ${e.message}`, {
      problem: e.problem,
      line: e.line,
      column: e.column,
    });
  }
  checkShape(value);
  return value as SealedDocument;
}
