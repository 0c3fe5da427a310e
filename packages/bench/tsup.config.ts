import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
  // a devDependency (tsup bundles those): loaded from node_modules, not bundled
  external: ['autocannon'],
});
