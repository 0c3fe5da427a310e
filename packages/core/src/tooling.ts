/**
 * `@xinfang/core/tooling`: the compiler's and the config's internals that xinfang's own CLI
 * (`xinfang check`, `rules`, `demo`, the config guide) and the compliance checker of
 * `@xinfang/testing` read. No stability promise: names here change with core's internals, in any
 * release. An embedder needs none of them; `@xinfang/core` is the supported face.
 */

// A file inside an installed package (`@xinfang/configs/national.yaml`), resolved as Node
// resolves an import from a given file: the CLI resolves the names users type with it.
export { packageFile } from './base/files.js';
// The compiled machine, its unit registry and its reachability graph.
export type {
  CaseData,
  CaseMachine,
  CompiledConfig,
  GraphEdge,
  Paths,
  ReachabilityGraph,
  UnitRegistry,
} from './compiler/index.js';
export {
  accusedOf,
  authorityUnit,
  compileConfig,
  KNOWN_ACTIONS,
  KNOWN_GUARDS,
  reachabilityGraph,
  unresolvedReferences,
} from './compiler/index.js';
// A config's transitions and expiries as the checks walk them, its hash, the JSON Schema.
export type { TransitionEntry, TransitionTable } from './config/index.js';
export {
  alternativesOf,
  configHash,
  expiryEvent,
  freezeConfig,
  guardsOf,
  isExpiry,
  jurisdictionSchema,
  transitionEntries,
} from './config/index.js';
// Rule sets evaluated outside the engine, with each condition's trace.
export type { ConditionTrace, EvaluateOptions, FactsInput } from './rules/index.js';
export { buildFacts, evaluateRuleSets } from './rules/index.js';
