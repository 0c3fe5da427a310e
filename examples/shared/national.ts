/**
 * Loads the national baseline and its holiday calendars, as every example does. A province
 * points these at its own config (which `extends: national.yaml`) and calendar directory.
 */

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Calendar, type LoadedConfig, loadCalendarDir, loadConfigOrThrow } from '@xinfang/core';

/** `configs/national.yaml` of this repository. */
export const NATIONAL_CONFIG = fileURLToPath(new URL('../../configs/national.yaml', import.meta.url));

/** A loaded jurisdiction: the resolved config (with its hash and template paths) and its calendars. */
export interface Jurisdiction {
  loaded: LoadedConfig;
  calendars: Map<string, Calendar>;
}

/**
 * Loads a jurisdiction config and the calendars in `calendars/` beside it. Throws a
 * `ConfigError` listing every problem (file, line, what was expected) when the config is
 * invalid, so a process never starts on a half-valid procedure.
 */
export function loadJurisdiction(path: string = NATIONAL_CONFIG): Jurisdiction {
  // calendars first: the config names its calendar, and loading checks that it exists
  const calendars = loadCalendarDir(join(dirname(path), 'calendars'));
  return { loaded: loadConfigOrThrow(path, { calendars }), calendars };
}
