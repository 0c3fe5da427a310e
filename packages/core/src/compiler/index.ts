/** The compiler: jurisdiction config -> XState machine, its guards, actions and checks. */

export type { Accused, AccusedPerson, ReferenceFields, UnresolvedReference } from './accusation.js';
export {
  accusedOf,
  isAccusedActor,
  referenceFields,
  resolveUnitName,
  suggestUnits,
  unresolvedReferences,
} from './accusation.js';
export type { ActionArgs, ActionImpl } from './actions/index.js';
export { CONFIG_ACTIONS, KNOWN_ACTIONS } from './actions/index.js';
export type { CheckEnv, CheckOptions, PayloadProblem, Refusal } from './checks.js';
export { checkCommand, DECLARE_INTEREST, isPetitionerRole, ownsCase } from './checks.js';
export type { CompiledConfig } from './compile.js';
export { clearCompileCache, compileConfig } from './compile.js';
export type { GuardArgs, GuardImpl, GuardRefusal } from './guards/index.js';
export { GUARDS, KNOWN_GUARDS } from './guards/index.js';
export type { CaseMachine } from './machine.js';
export { initialContext } from './machine.js';
export type { GraphEdge, Paths, ReachabilityGraph } from './reachability.js';
export { reachabilityGraph } from './reachability.js';
export type {
  AssignedBy,
  CaseContext,
  CaseData,
  CaseInput,
  DeadlineState,
  Effect,
  MachineEvent,
} from './types.js';
export type { UnitRegistry } from './units.js';
export { authorityUnit, unitRegistry } from './units.js';
