/**
 * The config module's face inside core: what the package entries (`src/*.ts`) take from `config/`.
 */

export type { Diagnostic } from '../base/diagnostics.js';
export { ConfigError, formatDiagnostic } from '../base/diagnostics.js';
export { closest, editDistance } from '../base/suggest.js';
export type { Witness } from './deadline-compare.js';
export { EXPIRED_SUFFIX, expiryEvent, expiryOf, isExpiry } from './expiry.js';
export { configHash, freezeConfig } from './hash.js';
export type { Locale, MessageId } from './messages.js';
export { MESSAGES } from './messages.js';
export { JURISDICTION_SCHEMA_ID, jurisdictionSchema } from './schema.js';
export type { TransitionEntry, TransitionTable } from './transitions.js';
export { alternativesOf, guardsOf, transitionEntries, transitionTable } from './transitions.js';
export type { Locate, Path, Position, SchemaParseResult, YamlSource } from './yaml-source.js';
export { parseYamlSource, parseYamlWithSchema, toPointer, validateWithSchema } from './yaml-source.js';
