import { type ErrorCode, XinfangError } from '../errors.js';

/** A template failed to parse or render (a variable the step cannot provide, an unknown filter). */
export class TemplateError extends XinfangError {
  constructor(
    message: string,
    details: { document?: string; template?: string; line?: number; column?: number; variable?: string },
    cause?: unknown,
  ) {
    super('TEMPLATE_RENDER', message, details, cause === undefined ? undefined : { cause });
  }
}

/** A seal or checkpoint could not be made or checked (`SEAL_INVALID`, `SEAL_KEY_MISSING`). */
export class SealError extends XinfangError {
  constructor(
    code: Extract<ErrorCode, 'SEAL_INVALID' | 'SEAL_KEY_MISSING'>,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(code, message, details);
  }
}
