import { defineConfig } from 'tsup';
import { library } from '../../tsup.base.js';

// `report` opens SQLite files read-only with better-sqlite3 (the driver of storage-sqlite), a
// native module that must stay outside the bundle: tsup keeps only declared dependencies out.
const external = ['better-sqlite3'];

// The library entry ships ESM + CJS; the binary is ESM only (it awaits at the top level).
export default defineConfig([
  { ...library, external },
  { entry: ['src/bin.ts'], format: ['esm'], sourcemap: true, target: 'node20', external },
]);
