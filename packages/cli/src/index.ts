export type { CliIo } from './io.js';
export { bufferIo, CliExit } from './io.js';
export { runCli } from './program.js';
