/**
 * Config -> compiled machine, with everything the engine needs beside it (validators, the unit
 * registry, the list of commands). Compiled configs are cached by config hash: a case replays
 * under the machine of the exact config version it pinned.
 */

import type { ValidateFunction } from 'ajv';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { ConfigError } from '../base/diagnostics.js';
import { configHash } from '../config/hash.js';
import { type TransitionTable, transitionTable } from '../config/transitions.js';
import type { JurisdictionConfig, TransitionDef } from '../config/types.js';
import type { JsonObject } from '../store/types.js';
import { type CheckEnv, DECLARE_INTEREST, type PayloadProblem } from './checks.js';
import { buildMachine, type CaseMachine } from './machine.js';
import { type ReachabilityGraph, reachabilityGraph } from './reachability.js';
import { createAjv, payloadSchema, problemsOf } from './schema.js';
import { type UnitRegistry, unitRegistry } from './units.js';

/** A config ready to run. */
export interface CompiledConfig extends CheckEnv {
  config: JurisdictionConfig;
  hash: string;
  machine: CaseMachine;
  units: UnitRegistry;
  /** Every command a person may send under this config (event types of all states, and built-ins). */
  commands: ReadonlySet<string>;
  /** Each state's events, each with its alternatives as a list and the deadline of an expiry. */
  table: TransitionTable;
  /** The process graph and its searches (built on first use: running cases never ask). */
  readonly graph: ReachabilityGraph;
  /** The stage of a state (`undefined` for a state the config does not have). */
  stageOf(state: string): string | undefined;
  /** Registration-form problems of a petition (JSON Schema of `form.schema`). */
  petitionProblems(petition: unknown): PayloadProblem[];
}

const cache = new Map<string, CompiledConfig>();

/** Compiles a config (or returns the cached compilation of the same hash). */
export function compileConfig(config: JurisdictionConfig, hash: string = configHash(config)): CompiledConfig {
  const hit = cache.get(hash);
  if (hit) return hit;
  const compiled = compileUncached(config, hash);
  cache.set(hash, compiled);
  return compiled;
}

/**
 * Compiles one embedded schema. The loader checks them at load with their lines; a config built
 * in code skips the loader, so a schema ajv refuses is still a coded ConfigError, not ajv's own.
 */
function compileSchema(
  ajv: Ajv2020,
  schema: object,
  config: JurisdictionConfig,
  pointer: string,
): ValidateFunction {
  try {
    return ajv.compile(schema);
  } catch (e) {
    const detail = ((e as Error).message ?? String(e)).split('\n')[0];
    throw new ConfigError([
      {
        severity: 'error',
        code: 'CONFIG_BAD_SCHEMA',
        message: `a JSON Schema of the config cannot be compiled: ${detail}; load the config with loadConfig to see where`,
        file: config.jurisdiction?.id ?? '(config)',
        line: 1,
        column: 1,
        pointer,
      },
    ]);
  }
}

function compileUncached(config: JurisdictionConfig, hash: string): CompiledConfig {
  const ajv = createAjv();
  const petition = compileSchema(ajv, config.form.schema, config, '/form/schema');
  const table = transitionTable(config);
  const validators = new Map<string, ValidateFunction>();
  const commands = new Set<string>([DECLARE_INTEREST]);
  const key = (state: string, type: string, index: number) => `${state}\u0000${type}\u0000${index}`;
  // the commands of `process.common` are copied into many states with the same payload: one
  // validator serves every copy
  const bySchema = new Map<string, ValidateFunction>();
  const validatorOf = (def: TransitionDef, pointer: string) => {
    const schema = payloadSchema(def);
    const text = JSON.stringify(schema);
    let v = bySchema.get(text);
    if (!v) {
      v = compileSchema(ajv, schema, config, pointer);
      bySchema.set(text, v);
    }
    return v;
  };
  for (const [id, events] of table.states) {
    for (const { type, alternatives, expiry } of events.values()) {
      for (const [i, def] of alternatives.entries()) {
        validators.set(key(id, type, i), validatorOf(def, `/process/states/${id}/on/${type}/payload`));
      }
      if (expiry === undefined) commands.add(type);
    }
  }
  const units = unitRegistry(config);
  const env: CheckEnv = {
    config,
    units,
    transitions: (state, type) => table.alternatives(state, type),
    payloadProblems(state, type, index, payload: JsonObject) {
      const v = validators.get(key(state, type, index));
      return v ? problemsOf(v, payload) : [];
    },
  };
  let graph: ReachabilityGraph | undefined;
  return {
    ...env,
    hash,
    machine: buildMachine(env, table),
    commands,
    table,
    get graph() {
      graph ??= reachabilityGraph(config);
      return graph;
    },
    stageOf: (state) => config.process.states[state]?.stage,
    petitionProblems: (value) => problemsOf(petition, value),
  };
}

/** Drops every cached compilation (tests that load many configs). */
export function clearCompileCache(): void {
  cache.clear();
}
