/**
 * `@xinfang/core/scenario`: scenario files — a case told as steps, each with what must follow —
 * read (`loadScenarioFile`, `parseScenario`) and run against a config (`runScenario`).
 */

export type {
  RunScenarioOptions,
  Scenario,
  ScenarioActor,
  ScenarioExpectation,
  ScenarioFailure,
  ScenarioResult,
  ScenarioSource,
  ScenarioStep,
  TakenTransition,
} from './scenario/index.js';
export { loadScenarioFile, parseScenario, runScenario } from './scenario/index.js';
