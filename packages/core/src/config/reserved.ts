/**
 * Names a config may not use as map keys: those every JavaScript object already has a member of.
 * A config's names become keys of objects the engine indexes (states, deadlines, rule outcomes,
 * decision fields); `constructor` or `__proto__` there would find Object's own member instead of
 * the config's, or replace a prototype. Refusing them at load, at the line that wrote them, is
 * simpler and safer than proving every lookup guards against them.
 */

import type { Diagnostic } from '../base/diagnostics.js';
import type { Locale } from './messages.js';
import { makeDiagnostic, type YamlSource } from './yaml-source.js';

/** The reserved names: every member of `Object.prototype` (`toString`, `hasOwnProperty`, ...), and `prototype`. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
]);

/** Whether `key` is a name a config may not use. */
export function isReservedName(key: string): boolean {
  return RESERVED_NAMES.has(key);
}

/** A diagnostic at each reserved key of a parsed file (walked without recursion). */
export function reservedNames(source: YamlSource, locale: Locale): Diagnostic[] {
  const out: Diagnostic[] = [];
  const stack: { value: unknown; path: string[] }[] = [{ value: source.value, path: [] }];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { value, path } = top;
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        stack.push({ value: v, path: [...path, String(i)] });
      });
      continue;
    }
    for (const key of Object.keys(value)) {
      const at = [...path, key];
      if (isReservedName(key))
        out.push(makeDiagnostic('reservedName', locale, { key }, source.locate(at, 'key')));
      stack.push({ value: (value as Record<string, unknown>)[key], path: at });
    }
  }
  return out;
}
