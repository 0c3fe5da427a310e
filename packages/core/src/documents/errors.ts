import { type SealFailure, type TemplateFailure, XinfangError } from '../base/errors.js';

/** A template failed to parse or render (a variable the step cannot provide, an unknown filter). */
export class TemplateError extends XinfangError<'TEMPLATE_RENDER'> {
  static override readonly brand: string = 'TemplateError';

  constructor(message: string, details: TemplateFailure, cause?: unknown) {
    super('TEMPLATE_RENDER', message, details, cause === undefined ? undefined : { cause });
  }
}

/** A seal or checkpoint could not be made or checked (`SEAL_INVALID`, `SEAL_KEY_MISSING`). */
export class SealError extends XinfangError<'SEAL_INVALID' | 'SEAL_KEY_MISSING'> {
  static override readonly brand: string = 'SealError';

  constructor(code: 'SEAL_INVALID' | 'SEAL_KEY_MISSING', message: string, details: SealFailure = {}) {
    super(code, message, details);
  }
}

/** The codes of {@link DocumentFileError}. */
export type DocumentFileCode = 'DOCUMENT_JSON_INVALID' | 'DOCUMENT_SHAPE_INVALID';

/**
 * A sealed-document file that is not exactly one: not strict JSON (a repeated key, a syntax
 * error), or a field outside the signed shape, missing, or of the wrong type.
 */
export class DocumentFileError extends XinfangError<DocumentFileCode> {
  static override readonly brand: string = 'DocumentFileError';
}
