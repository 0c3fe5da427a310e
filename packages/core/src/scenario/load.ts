import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../base/diagnostics.js';
import { parseYamlWithSchema } from '../config/yaml-source.js';
import { type Scenario, scenarioSchema } from './format.js';

/** A parsed scenario file with a way to find the line of any part of it. */
export interface ScenarioSource {
  file: string;
  value?: Scenario;
  diagnostics: Diagnostic[];
  /** Line of a JSON pointer into the file (the nearest enclosing node when it is absent). */
  locate: (pointer: string) => number | undefined;
}

/** Parses and validates a scenario's YAML text; problems come back as positioned diagnostics. */
export function parseScenario(text: string, file: string): ScenarioSource {
  const { value, diagnostics, source } = parseYamlWithSchema<Scenario>(text, file, scenarioSchema);
  const locate = (pointer: string): number | undefined => {
    const path = pointer
      .split('/')
      .slice(1)
      .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
    // walk up until a node exists: an expectation's key may be the part that is absent
    for (let n = path.length; n >= 0; n--) {
      try {
        const pos = source.locate(path.slice(0, n), 'key');
        if (pos.line >= 1) return pos.line;
      } catch {
        // not there: try the parent
      }
    }
    return undefined;
  };
  return value === undefined ? { file, diagnostics, locate } : { file, value, diagnostics, locate };
}

/** Reads and parses a scenario file. */
export function loadScenarioFile(path: string): ScenarioSource {
  return parseScenario(readFileSync(path, 'utf8'), path);
}
