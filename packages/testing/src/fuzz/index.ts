/**
 * @xinfang/testing/fuzz — the config and command fuzzers that `npm test` runs at a small count
 * and `xinfang fuzz` at a large one. Free of vitest, so it runs outside a test runner.
 */

export type { CommandFuzzOptions } from './command-fuzz.js';
export { fuzzCommands } from './command-fuzz.js';
export type { ConfigFuzzOptions, FuzzedConfig } from './config-fuzz.js';
export { fuzzConfigs } from './config-fuzz.js';
export type { FuzzProbe } from './probe.js';
export { probeFor } from './probe.js';
export type { FuzzFailure, FuzzReport } from './report.js';
export { summary } from './report.js';
