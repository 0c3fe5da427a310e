import { defineConfig } from 'tsup';
import { library } from '../../tsup.base.js';

// The library entry ships ESM + CJS; the binary is ESM only (it awaits at the top level).
export default defineConfig([
  library,
  { entry: ['src/bin.ts'], format: ['esm'], sourcemap: true, target: 'node20' },
]);
