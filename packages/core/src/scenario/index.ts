export type { Scenario, ScenarioActor, ScenarioExpectation, ScenarioStep } from './format.js';
export { scenarioSchema } from './format.js';
export type { ScenarioSource } from './load.js';
export { loadScenarioFile, parseScenario } from './load.js';
export type { RunScenarioOptions, ScenarioFailure, ScenarioResult, TakenTransition } from './run.js';
export { runScenario } from './run.js';
